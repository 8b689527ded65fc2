"""``filingkit eval`` / ``filingkit compare``, the renderings, and ``compare``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main
from filingkit.eval import compare, evaluate
from filingkit.eval.html_report import highlight
from filingkit.eval.render import (
    render_comparison_markdown,
    render_html,
    render_markdown,
    render_table,
)
from filingkit.eval.report import ErrorItem
from filingkit.records import Annotations, Entity, Fact
from filingkit.serialize import write_predictions


def _write(tmp_path: Path, name: str, anns: list[Annotations]) -> Path:
    path = tmp_path / name
    write_predictions(path, anns)
    return path


@pytest.fixture
def files(tmp_path: Path, small_gold_dir: Path) -> dict[str, Path]:
    gold_text = (small_gold_dir / "doc1" / "text.txt").read_text(encoding="utf-8")
    start = gold_text.index("ImmunoGen, Inc.")
    good = [Annotations("doc1", (Entity("ORG", start, start + 15),),
                        (Fact("dei:EntityFileNumber", "0-17999"),
                         Fact("dei:EntityRegistrantName", "ImmunoGen Inc")))]
    bad = [Annotations("doc1", (Entity("ORG", start, start + 9),),
                       (Fact("dei:EntityFileNumber", "0-18000"),))]
    return {"gold": small_gold_dir, "good": _write(tmp_path, "good.jsonl", good),
            "bad": _write(tmp_path, "bad.jsonl", bad),
            "gold_jsonl": _write(tmp_path, "gold.jsonl", [Annotations(
                "doc1", (Entity("ORG", start, start + 15),))])}


@pytest.mark.parametrize("fmt, marker", [
    pytest.param("table", "micro", id="table"),
    pytest.param("md", "| field | group |", id="md"),
    pytest.param("html", "<!DOCTYPE html>", id="html"),
])
def test_eval_formats_to_stdout(files: dict[str, Path], fmt: str, marker: str,
                                capsys: Any) -> None:
    assert main(["eval", "--gold", str(files["gold"]), "--pred", str(files["bad"]),
                 "--format", fmt, "--n-resamples", "50"]) == 0
    assert marker in capsys.readouterr().out


def test_eval_json_to_file(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["eval", "--gold", str(files["gold"]), "--pred", str(files["good"]),
                 "--format", "json", "-o", str(out), "--scheme", "partial"]) == 0
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["format"] == "filingkit-report" and d["scheme"] == "partial"
    assert d["fields"]["ORG"]["f1"] == 1.0
    assert d["fields"]["dei:EntityRegistrantName"]["tp"] == 1
    assert d["system"] == "good"


def test_eval_gold_as_jsonl(files: dict[str, Path], capsys: Any) -> None:
    assert main(["eval", "--gold", str(files["gold_jsonl"]), "--pred", str(files["good"]),
                 "--format", "json", "--n-resamples", "0"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["fields"]["ORG"]["tp"] == 1
    assert d["fields"]["dei:EntityFileNumber"]["fp"] == 1  # everything in scope


def test_eval_strict_names_flag(files: dict[str, Path], capsys: Any) -> None:
    assert main(["eval", "--gold", str(files["gold"]), "--pred", str(files["good"]),
                 "--format", "json", "--strict-names", "--n-resamples", "0"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["fields"]["dei:EntityRegistrantName"]["tp"] == 0


@pytest.mark.parametrize("argv, message", [
    pytest.param(["--gold", "nope/"], "no such gold", id="missing-gold"),
    pytest.param(["--fields", "dei:Nope"], "unknown field", id="bad-field"),
])
def test_eval_bad_input_exits_2(files: dict[str, Path], argv: list[str], message: str,
                                capsys: Any) -> None:
    base = {"--gold": str(files["gold"]), "--pred": str(files["good"])}
    args = ["eval"]
    for k, v in base.items():
        if k not in argv:
            args += [k, v]
    assert main(args + argv) == 2
    assert message in capsys.readouterr().err


def test_eval_unknown_document_is_bad_input(files: dict[str, Path], tmp_path: Path,
                                            capsys: Any) -> None:
    other = _write(tmp_path, "other.jsonl", [Annotations("docX")])
    assert main(["eval", "--gold", str(files["gold"]), "--pred", str(other)]) == 2
    assert "not in gold" in capsys.readouterr().err
    assert main(["eval", "--gold", str(files["gold"]), "--pred", str(other),
                 "--ignore-unknown-docs", "--n-resamples", "0"]) == 0


@pytest.mark.parametrize("fmt", ["table", "json", "md"])
def test_compare_command(files: dict[str, Path], fmt: str, capsys: Any) -> None:
    assert main(["compare", "--gold", str(files["gold"]), "--pred", str(files["bad"]),
                 "--pred", str(files["good"]), "--format", fmt, "--n-resamples", "200"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        d = json.loads(out)
        assert d["format"] == "filingkit-comparison"
        assert d["fields"]["ORG"]["f1"]["delta"] == 1.0
        assert {"p_value", "q_value", "significant"} <= set(d["fields"]["ORG"])
    else:
        assert "ORG" in out


def test_compare_needs_two_predictions(files: dict[str, Path], capsys: Any) -> None:
    assert main(["compare", "--gold", str(files["gold"]), "--pred", str(files["bad"])]) == 2
    assert "exactly two" in capsys.readouterr().err


def test_compare_api_on_identical_systems() -> None:
    gold = [Annotations(f"d{i}", (Entity("ORG", 0, 5),)) for i in range(10)]
    pred = [Annotations(f"d{i}", (Entity("ORG", 0, 5 if i % 2 else 4),)) for i in range(10)]
    cmp = compare(gold, pred, pred, n_resamples=200)
    d = cmp.differences["ORG"]
    assert d.delta == (0.0, 0.0, 0.0) and d.p_value == 1.0
    assert not cmp.significant("ORG")
    assert "ORG" in render_comparison_markdown(cmp)


# ------------------------------------------------------------------ html safety


def test_html_escapes_filing_text_and_values() -> None:
    text = 'Acme <script>alert("x")</script> & Co. said "hi".'
    gold = [Annotations("d<1>", (Entity("ORG", 0, 4),),
                        (Fact("dei:EntityRegistrantName", "<b>Acme</b>"),))]
    pred = [Annotations("d<1>", (Entity("ORG", 5, 13),))]
    r = evaluate(gold, pred, n_resamples=0)
    page = render_html(r, texts={"d<1>": text}, gold=gold, predictions=pred)
    assert page.count("<script") == 1  # the report's own script, allowed by its CSP hash
    assert "&lt;script&gt;" in page
    assert "d&lt;1&gt;" in page
    assert "<b>Acme</b>" not in page


def test_highlight_handles_nested_and_overlapping_spans() -> None:
    text = "0123456789"
    out = highlight(text, [(0, 6, "ORG"), (2, 4, "PERSON")], [(3, 8, "ORG")],
                    [ErrorItem("d", "ORG", "fp", None, 3, 8)])
    # Every character appears once, in order.
    import re
    assert re.sub(r"<[^>]+>", "", out) == text
    assert 'class="fp g p"' in out  # 3..4 is gold (both) and the spurious prediction


def test_markdown_and_table_escape_markup() -> None:
    gold = [Annotations("d|1", (), (Fact("dei:EntityRegistrantName", "A|B [bold]x[/bold]"),))]
    r = evaluate(gold, [Annotations("d|1")], n_resamples=0)
    md = render_markdown(r)
    assert "d\\|1" in md
    table = render_table(r)
    assert "[entities]" not in table and "[cover]" in table


def test_importing_the_package_and_cli_is_light() -> None:
    import subprocess
    import sys

    code = ("import sys, filingkit.eval, filingkit.eval.cli; "
            "print(sorted(m for m in ('numpy', 'scipy', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_only_predicted_scores_the_covered_subset(tmp_path: Path) -> None:
    """Predictions for one bundled filing: by default the other gold filings count as missed;
    --only-predicted scores the one filing alone."""
    from filingkit.cli import main as cli_main
    from filingkit.gold.store import bundled_gold_dir, load_gold_dir
    from filingkit.serialize import write_predictions

    gold = load_gold_dir(bundled_gold_dir())
    seed = next(g for g in gold if g.doc_id.startswith("000_"))
    pred = write_predictions(tmp_path / "p.jsonl", [seed.gold.annotations])
    out_all, out_one = tmp_path / "all.json", tmp_path / "one.json"
    args = ["eval", "--gold", str(bundled_gold_dir()), "--pred", str(pred), "--format", "json",
            "--n-resamples", "0"]
    assert cli_main([*args, "-o", str(out_all)]) == 0
    assert cli_main([*args, "--only-predicted", "-o", str(out_one)]) == 0
    everything = json.loads(out_all.read_text())
    one = json.loads(out_one.read_text())
    assert everything["n_documents"] == len(gold)
    assert one["n_documents"] == 1
    assert one["micro"]["f1"] == 1.0  # the filing's own gold, scored against itself
    assert everything["micro"]["recall"] < 1.0
