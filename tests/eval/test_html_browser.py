"""The HTML reports in a real headless browser: Debian's chromium driven by Playwright.

Nothing is mocked: the pages are the ones ``filingkit eval|compare --format
html`` and ``filingkit bench --html`` write, opened from disk under their own
Content-Security-Policy. The filing text, document ids and values carry
``<script>`` and ``onerror=`` payloads; each would set ``window.__pwned`` (or
open a dialog) if it ran. The tests skip, saying why, where there is no browser.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main
from filingkit.eval import compare, evaluate
from filingkit.eval.html_compare import render_comparison_html
from filingkit.eval.html_report import render_report_html
from filingkit.records import Annotations, Entity, Fact

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[2]

PAYLOAD_SCRIPT = "<script>window.__pwned = 'script'</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned = \'onerror\'">'
PAYLOAD_SVG = '"><svg onload="window.__pwned = \'onload\'">'


def _text(i: int) -> str:
    return (f"Acme Widgets Inc. {PAYLOAD_SCRIPT} announced today that John Smith {PAYLOAD_IMG} "
            f"will lead Boston Dynamics{PAYLOAD_SVG} from Chicago, Illinois. Filing {i}.\n")


def _span(text: str, s: str, lab: str) -> Entity:
    i = text.index(s)
    return Entity(lab, i, i + len(s))


def _corpus() -> tuple[list[Annotations], list[Annotations], list[Annotations], dict[str, str]]:
    """Gold, two systems and texts with every kind of error, over hostile text."""
    gold, a, b, texts = [], [], [], {}
    for i in range(8):
        doc = f"doc-{i}{PAYLOAD_SVG}" if i == 0 else f"doc-{i}"
        t = _text(i)
        texts[doc] = t
        org, per = _span(t, "Acme Widgets Inc.", "ORG"), _span(t, "John Smith", "PERSON")
        loc, org2 = _span(t, "Chicago", "LOCATION"), _span(t, "Boston Dynamics", "ORG")
        name = Fact("dei:EntityRegistrantName", "Acme Widgets Inc.")
        gold.append(Annotations(doc, (org, per, loc, org2), (name,)))
        wrong_name = Fact("dei:EntityRegistrantName", f"Acme {PAYLOAD_IMG}")
        a.append(Annotations(doc, (org, Entity("ORG", org2.start, org2.end + 3)),  # boundary
                             (wrong_name,) if i % 2 else (name,)))
        spurious = _span(t, "Filing", "PERSON")
        b.append(Annotations(doc, (org, per, org2) + ((spurious,) if i % 3 == 0 else ()),
                             (name,)))
    return gold, a, b, texts


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (apt-get install chromium; "
                    ".ci/run installs it)")
    sync = pytest.importorskip("playwright.sync_api", reason="the playwright package is not "
                               "installed (pip install -e '.[test]')").sync_playwright
    with sync() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Page:
    """An opened report: the Playwright page and everything the console said."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.messages: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: self.messages.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _dialog(self, d: Any) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith(("error", "pageerror"))]

    def column(self, table: str, i: int) -> list[str]:
        rows = self.page.locator(f"#{table} tbody tr:not(.hidden)")
        cells: list[str] = rows.evaluate_all(
            f"rs => rs.map(r => r.cells[{i}].getAttribute('data-v') ?? r.cells[{i}].textContent)")
        return cells


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    gold, a, b, texts = _corpus()
    out = tmp_path_factory.mktemp("html")
    ra = evaluate(gold, a, n_resamples=200, system=f"sys{PAYLOAD_SCRIPT}")
    (out / "eval.html").write_text(render_report_html(ra.to_dict(), texts=texts),
                                   encoding="utf-8")
    cmp = compare(gold, a, b, n_resamples=200, names=("A", "B"))
    (out / "compare.html").write_text(render_comparison_html(cmp), encoding="utf-8")
    return {"dir": out, "eval": ra.to_dict(), "compare": cmp.to_dict()}


@pytest.fixture(scope="module")
def bench_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``filingkit bench --html`` on five bundled gold filings (regex and rules)."""
    root = tmp_path_factory.mktemp("bench")
    gold = root / "gold"
    gold.mkdir()
    filings = REPO / "gold" / "filings"
    for d in sorted(p for p in filings.iterdir() if p.is_dir())[:5]:
        shutil.copytree(d, gold / d.name)
    out = root / "bench.html"
    assert main(["bench", "--extractors", "regex,rules", "--gold", str(gold), "--resamples",
                 "50", "--html", str(out), "--format", "json"]) == 0
    return out


# ------------------------------------------------------------------ the eval report


def test_charts_have_one_mark_per_scored_field(browser: Any, reports: dict[str, Any]) -> None:
    pg = Page(browser, reports["dir"] / "eval.html")
    fields = set(reports["eval"]["fields"])
    assert len(fields) >= 4
    for chart, mark in (("f1-chart", "mark"), ("pr-chart", "pt")):
        marks = pg.page.locator(f"svg.{chart} .{mark}")
        assert marks.count() == len(fields), chart
        assert set(marks.evaluate_all("ms => ms.map(m => m.dataset.field)")) == fields
        box = pg.page.locator(f"svg.{chart}").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100  # drawn, visible
    # every F1 dot sits inside its interval whisker
    ok = pg.page.evaluate("""() => Array.from(document.querySelectorAll('svg.f1-chart .mark'))
        .every(m => { const w = m.previousElementSibling;
                      if (!w || w.tagName !== 'line') return true;
                      const x = +m.getAttribute('cx');
                      return +w.getAttribute('x1') - 0.2 <= x && x <= +w.getAttribute('x2') + 0.2; })""")
    assert ok
    assert pg.errors() == []


def test_clicking_a_column_header_sorts_the_table(browser: Any, reports: dict[str, Any]) -> None:
    pg = Page(browser, reports["dir"] / "eval.html")
    before = pg.column("fieldtable", 4)
    header = pg.page.locator("#fieldtable thead th", has_text="F1").first
    header.click()
    up = [float(x) for x in pg.column("fieldtable", 4) if x != ""]
    assert up == sorted(up) and len(up) >= 4
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    down = [float(x) for x in pg.column("fieldtable", 4) if x != ""]
    assert down == sorted(down, reverse=True)
    assert sorted(before) == sorted(pg.column("fieldtable", 4))  # rows moved, none lost
    pg.page.locator("#fieldtable thead th", has_text="field").first.click()
    names = [n for n in pg.column("fieldtable", 0) if not n.startswith("[")]  # not groups
    assert names == sorted(names, key=str.casefold) and len(names) >= 4
    assert pg.errors() == []


def test_error_browser_filters_by_field_and_kind(browser: Any, reports: dict[str, Any]) -> None:
    pg = Page(browser, reports["dir"] / "eval.html")
    rows = pg.page.locator("#errtable tbody tr")
    total = rows.count()
    fields = set(rows.evaluate_all("rs => rs.map(r => r.dataset.field)"))
    assert {"ORG", "dei:EntityRegistrantName"} <= fields
    kinds = set(rows.evaluate_all("rs => rs.map(r => r.dataset.kind)"))
    assert {"missed", "wrong boundary", "wrong value"} <= kinds
    pg.page.select_option("select[data-filter-key=field]", "ORG")
    visible = pg.page.locator("#errtable tbody tr:not(.hidden)")
    assert 0 < visible.count() < total
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.field)")) == {"ORG"}
    assert pg.page.locator("[data-count-for=errtable]").inner_text() == f"{visible.count()} of {total}"
    pg.page.select_option("select[data-filter-key=kind]", "wrong boundary")
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.kind)")) == {"wrong boundary"}
    # a wrong boundary shows the gold span and the predicted one in the context window
    first = visible.first
    assert first.locator(".ctx .g").count() >= 1 and first.locator(".ctx .p").count() >= 1
    pg.page.select_option("select[data-filter-key=kind]", "")
    pg.page.select_option("select[data-filter-key=field]", "dei:EntityRegistrantName")
    value = pg.page.locator("#errtable tbody tr:not(.hidden)[data-kind='wrong value']").first
    assert "Acme Widgets Inc." in value.inner_text()  # gold beside the predicted value
    assert "onerror" in value.inner_text()  # the payload is shown as text, not run
    # clicking a chart mark filters the browser to that field
    pg.page.select_option("select[data-filter-key=field]", "")
    pg.page.locator("svg.f1-chart .mark[data-field='PERSON']").click()
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.field)")) == {"PERSON"}
    assert pg.errors() == []


def test_payloads_in_filings_execute_nothing(browser: Any, reports: dict[str, Any]) -> None:
    pg = Page(browser, reports["dir"] / "eval.html")
    pg.page.wait_for_timeout(300)
    assert pg.page.evaluate("() => window.__pwned") is None
    assert pg.dialogs == []
    assert pg.page.locator("img").count() == 0  # no element was built from the payload
    assert pg.page.locator("main svg[onload]").count() == 0
    assert pg.page.locator("script").count() == 1  # only the report's own
    text = pg.page.locator("#errtable").inner_text()
    assert "<script>window.__pwned" in text and "onerror=" in text  # shown, as text
    assert all(u.startswith("file:") for u in pg.requests)  # nothing fetched from anywhere
    assert pg.errors() == []


def test_csp_blocks_a_script_that_escaped_escaping(browser: Any, reports: dict[str, Any],
                                                    tmp_path: Path) -> None:
    """Defence in depth: were a payload ever written raw, the page's CSP would not run it."""
    page = (reports["dir"] / "eval.html").read_text(encoding="utf-8")
    hostile = page.replace("<main>", "<main>" + PAYLOAD_SCRIPT + PAYLOAD_IMG, 1)
    path = tmp_path / "hostile.html"
    path.write_text(hostile, encoding="utf-8")
    pg = Page(browser, path)
    pg.page.wait_for_timeout(300)
    assert pg.page.evaluate("() => window.__pwned") is None
    assert any("Content Security Policy" in m for m in pg.messages)
    # the report's own script still runs: sorting works
    pg.page.locator("#fieldtable thead th", has_text="F1").first.click()
    assert pg.page.locator("#fieldtable thead th[aria-sort]").count() == 1


# ------------------------------------------------------------------ compare and bench


def test_compare_view(browser: Any, reports: dict[str, Any]) -> None:
    pg = Page(browser, reports["dir"] / "compare.html")
    fields = set(reports["compare"]["fields"])
    delta = pg.page.locator("svg.delta-chart .mark")
    assert delta.count() == len(fields)
    assert set(delta.evaluate_all("ms => ms.map(m => m.dataset.field)")) == fields
    assert pg.page.locator("svg.both-chart .mark").count() == 2 * len(fields)
    sig = {f for f, r in reports["compare"]["fields"].items() if r["significant"]}
    filled = set(delta.evaluate_all(
        "ms => ms.filter(m => m.getAttribute('fill') !== '#fff').map(m => m.dataset.field)"))
    assert filled == sig and sig  # significant changes are marked (filled), the rest hollow
    assert pg.page.locator("#cmptable tr.sig").count() == len(sig)
    docs = pg.page.locator("#doctable tbody tr")
    assert docs.count() > 0
    pg.page.locator("#cmptable thead th", has_text="delta").first.click()
    deltas = [float(x) for x in pg.column("cmptable", 8)]
    assert deltas == sorted(deltas)
    assert pg.errors() == []


def test_bench_page(browser: Any, bench_html: Path) -> None:
    pg = Page(browser, bench_html)
    marks = pg.page.locator("svg.bench-chart .mark")
    series = set(marks.evaluate_all("ms => ms.map(m => m.dataset.series)"))
    assert series == {"regex v1", "rules v1"}
    rows = pg.page.locator("#benchtable tbody tr")
    assert rows.count() >= 5
    assert "—" in pg.page.locator("#benchtable").inner_text()  # fields one does not declare
    assert pg.page.locator("svg.perf-chart .mark").count() >= 2
    assert pg.page.locator("#perftable tbody tr").count() == 2
    assert pg.errors() == []
