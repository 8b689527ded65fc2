"""Rebuild the report screenshots in docs/images/ (a maintainer's script, not a test).

    .venv/bin/python docs/images/make_screenshots.py [--out docs/images] [--keep DIR]

What it shows, all on the bundled gold:
- eval: `filingkit extract -e rules --gold gold/filings`, then `filingkit eval --format html`;
- compare: `regex` against the CRF (`ml`) trained on the `dev` filings whose entities were
  annotated, both run on the `test` split and compared there (the CRF is never scored on
  a filing it learnt from; they are compared on the fields both declare);
- bench: `filingkit bench --html` (every registered extractor; the CRF by cross-validation).
Pages are opened in the Debian chromium (headless, Playwright) and shot at 1240 px width;
PNGs are reduced to 256 colours to stay small.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def fk(*argv: str) -> None:
    subprocess.run([sys.executable, "-m", "filingkit.cli", *argv], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)


def crf_predictions(out: Path, name: str, **options: object) -> Path:
    from filingkit.catalogue import load_catalogue
    from filingkit.extractors.bench import in_scope
    from filingkit.extractors.ml import CrfExtractor
    from filingkit.gold.store import load_gold_dir
    from filingkit.records import PredictionsHeader
    from filingkit.serialize import write_predictions

    cat = load_catalogue()
    model = CrfExtractor(**options)  # type: ignore[arg-type]
    # train on the dev documents whose entities were annotated (as `filingkit train` does)
    dev = [g for g in load_gold_dir(REPO / "gold" / "filings", split="dev")
           if in_scope(g.gold, model.fields, cat)]
    test = load_gold_dir(REPO / "gold" / "filings", split="test")
    model.fit([g.document for g in dev], [g.gold.annotations for g in dev])
    header = PredictionsHeader(model.name, model.version,
                               tuple(f for f in cat.names() if f in model.fields))
    path = out / f"{name}.jsonl"
    write_predictions(path, [model.extract(g.document) for g in test], header=header)
    return path


def shoot(pages: list[tuple[Path, Path, int, str | None]]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for html, png, height, action in pages:
            page = browser.new_page(viewport={"width": 1240, "height": height})
            page.goto(html.as_uri())
            if action:
                page.evaluate(action)
            page.screenshot(path=str(png))
            page.close()
            Image.open(png).convert("RGB").quantize(256).save(png, optimize=True)
            print(f"{png}: {png.stat().st_size / 1e3:.0f} kB")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    ap.add_argument("--keep", type=Path, help="keep the generated pages here")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="filingkit-shots-"))
    work.mkdir(parents=True, exist_ok=True)
    gold = str(REPO / "gold" / "filings")
    fk("extract", "-e", "rules", "--gold", gold, "-o", str(work / "rules.jsonl"), "--no-progress")
    fk("eval", "--gold", gold, "--pred", str(work / "rules.jsonl"), "--format", "html",
       "-o", str(work / "eval.html"))
    a = work / "regex.jsonl"
    fk("extract", "-e", "regex", "--gold", gold, "--split", "test", "-o", str(a), "--no-progress")
    b = crf_predictions(work, "crf")
    fk("compare", "--gold", gold, "--split", "test", "--pred", str(a), "--pred", str(b),
       "--format", "html", "-o", str(work / "compare.html"))
    fk("bench", "--html", str(work / "bench.html"), "--format", "json")
    errors = ("document.querySelector(\"select[data-filter-key=field]\").value='ORG';"
              "document.querySelector(\"select[data-filter-key=field]\")"
              ".dispatchEvent(new Event('change'));"
              "document.getElementById('errors').scrollIntoView()")
    shoot([
        (work / "eval.html", args.out / "report-eval.png", 1180, None),
        (work / "eval.html", args.out / "report-eval-errors.png", 760, errors),
        (work / "compare.html", args.out / "report-compare.png", 1180, None),
        (work / "bench.html", args.out / "report-bench.png", 1180, None),
    ])


if __name__ == "__main__":
    main()
