"""The HTML report without a browser: error kinds, windows, size on the bundled gold."""

from __future__ import annotations

import re

import pytest

from filingkit.catalogue import load_catalogue
from filingkit.eval import evaluate
from filingkit.eval.html_page import asset, csp_hash
from filingkit.eval.html_report import MAX_ERRORS, browser_items, render_report_html
from filingkit.records import Annotations, Entity, Fact, PredictionsHeader

TEXT = "Acme Corp. hired Jane Doe in Boston on Monday; Acme Corp. is in Maine."
CAT = load_catalogue()


def _at(s: str, lab: str, n: int = 0) -> Entity:
    i = TEXT.index(s) if n == 0 else TEXT.index(s, TEXT.index(s) + 1)
    return Entity(lab, i, i + len(s))


@pytest.mark.parametrize("gold, pred, kinds", [
    pytest.param([_at("Jane Doe", "PERSON")], [], {("PERSON", "missed")}, id="missed"),
    pytest.param([], [_at("Boston", "LOCATION")], {("LOCATION", "spurious")}, id="spurious"),
    pytest.param([_at("Acme Corp.", "ORG")], [Entity("ORG", 0, 4)],
                 {("ORG", "wrong boundary")}, id="boundary"),
    pytest.param([_at("Boston", "LOCATION")], [_at("Boston", "ORG")],
                 {("LOCATION", "missed"), ("ORG", "spurious")}, id="wrong-label"),
])
def test_entity_errors_are_classified(gold: list[Entity], pred: list[Entity],
                                      kinds: set[tuple[str, str]]) -> None:
    r = evaluate([Annotations("d", tuple(gold))], [Annotations("d", tuple(pred))],
                 n_resamples=0).to_dict()
    items = browser_items(r["errors"], CAT, {"d": TEXT})
    assert {(i.field, i.kind) for i in items} == kinds
    for i in items:
        if i.kind == "wrong boundary":
            assert (i.gold, i.pred) == ("Acme Corp.", "Acme")


def test_a_wrong_fact_value_shows_both_values() -> None:
    gold = [Annotations("d", (), (Fact("dei:EntityRegistrantName", "Acme Corp."),
                                  Fact("filing:Items", "5.02"), Fact("filing:Items", "9.01")))]
    pred = [Annotations("d", (), (Fact("dei:EntityRegistrantName", "Beta LLC"),
                                  Fact("filing:Items", "8.01")))]
    r = evaluate(gold, pred, n_resamples=0).to_dict()
    items = browser_items(r["errors"], CAT, {})
    name = [i for i in items if i.field == "dei:EntityRegistrantName"]
    assert [(i.kind, i.gold, i.pred) for i in name] == [("wrong value", "Acme Corp.", "Beta LLC")]
    # a many-valued field is not paired: one missing and one extra item are not "a wrong value"
    assert sorted(i.kind for i in items if i.field == "filing:Items") == [
        "missed", "missed", "spurious"]


def test_csp_allows_exactly_the_bundled_script_and_style() -> None:
    r = evaluate([Annotations("d", (_at("Acme Corp.", "ORG"),))], [Annotations("d")],
                 n_resamples=0)
    page = render_report_html(r.to_dict(), texts={"d": TEXT})
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert f"script-src {csp_hash(asset('report.js'))}" in policy.group(1)
    assert "default-src 'none'" in policy.group(1) and "unsafe-inline" not in policy.group(1)
    assert re.findall(r"<script>(.*?)</script>", page, re.S) == [asset("report.js")]
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_errors_omitted_and_errors_file_are_shown() -> None:
    """Spec 3: the report may keep only some errors and point to a file with all of them."""
    r = evaluate([Annotations("d", (_at("Acme Corp.", "ORG"),))], [Annotations("d")],
                 n_resamples=0).to_dict()
    r["errors_omitted"] = {"ORG": 40}
    r["errors_file"] = "out/errors <all>.jsonl"
    page = render_report_html(r)
    assert "40 more errors" in page
    assert 'href="out/errors%20%3Call%3E.jsonl"' in page and "errors &lt;all&gt;.jsonl" in page


@pytest.mark.slow
def test_bundled_gold_report_is_under_3_mb() -> None:
    """The issue's size budget: rules on the 104 bundled filings, context windows only."""
    from filingkit.extractors.rules import RulesExtractor
    from filingkit.gold.store import bundled_gold_dir, load_gold_dir

    gold = load_gold_dir(bundled_gold_dir())
    ext = RulesExtractor()
    preds = [ext.extract(g.document) for g in gold]
    texts = {g.doc_id: g.document.text for g in gold}
    text_bytes = sum(len(t.encode("utf-8")) for t in texts.values())
    header = PredictionsHeader(ext.name, ext.version, tuple(ext.fields))
    for h in (header, None):  # declared fields only (as from `extract`), and every field
        report = evaluate(gold, preds, n_resamples=100, header=h).to_dict()
        page = render_report_html(report, texts=texts)
        size = len(page.encode("utf-8"))
        assert len(report["errors"]) < MAX_ERRORS  # every error is in the browser
        assert size < 3_000_000, size
        assert size < text_bytes  # windows, not whole texts
