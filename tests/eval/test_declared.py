"""Declared fields: eval, compare, the renderings and the gate score what an extractor
claims and show the rest as not declared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.errors import FilingkitError
from filingkit.eval import compare, evaluate
from filingkit.eval.baseline import parse_baseline
from filingkit.eval.gate import gate
from filingkit.eval.html_report import render_report_html
from filingkit.eval.render import render_comparison_markdown, render_markdown, render_table
from filingkit.records import Annotations, Entity, Fact, PredictionsHeader
from filingkit.serialize import write_predictions

GOLD = [Annotations(f"d{i}", (Entity("ORG", 0, 4), Entity("DATE", 10, 20)),
                    (Fact("dei:EntityRegistrantName", "Acme"),)) for i in range(6)]
PRED = [Annotations(f"d{i}", (Entity("ORG", 0, 4),)) for i in range(6)]
ORG_ONLY = PredictionsHeader("tagger", "2", ("ORG",))


def test_only_declared_fields_are_scored() -> None:
    r = evaluate(GOLD, PRED, header=ORG_ONLY, n_resamples=0)
    assert set(r.fields) == {"ORG"}
    assert r.micro.f1 == 1.0  # DATE and the name are not counted as misses
    d = r.to_dict()
    assert d["not_declared"] == {"DATE": {"group": "entities", "support": 6},
                                 "dei:EntityRegistrantName": {"group": "cover", "support": 6}}
    assert d["declared"] == ["ORG"] and d["extractor"] == {"name": "tagger", "version": "2"}
    # without a header everything is declared: the old behaviour
    plain = evaluate(GOLD, PRED, n_resamples=0)
    assert {"ORG", "DATE", "dei:EntityRegistrantName"} <= set(plain.fields)
    assert plain.fields["DATE"].f1 == 0.0 and plain.to_dict()["not_declared"] == {}


@pytest.mark.parametrize("header, message", [
    pytest.param(PredictionsHeader("x", "1", ("ORGG",)), "declared field is not in the catalogue",
                 id="unknown-field"),
    pytest.param(PredictionsHeader("x", "1", ("ORG",), catalogue_name="other"),
                 "made for catalogue 'other'", id="other-catalogue"),
])
def test_bad_declarations_are_errors(header: PredictionsHeader, message: str) -> None:
    with pytest.raises(FilingkitError, match=message):
        evaluate(GOLD, PRED, header=header, n_resamples=0, predictions_name="p.jsonl")


def test_renderings_say_not_declared() -> None:
    r = evaluate(GOLD, PRED, header=ORG_ONLY, n_resamples=0)
    for text in (render_table(r, width=200), render_markdown(r)):
        assert "DATE" in text and "not declared" in text
        assert "0.000" not in text.split("DATE", 1)[1].split("\n", 1)[0]  # no F1 for DATE
    page = render_report_html(r.to_dict())
    assert 'class="nd"' in page and "not declared" in page


def test_compare_scores_the_fields_both_declare() -> None:
    both = PredictionsHeader("b", "1", ("ORG", "DATE"))
    pred_b = [Annotations(a.doc_id, (Entity("ORG", 0, 4), Entity("DATE", 10, 20)))
              for a in PRED]
    cmp = compare(GOLD, PRED, pred_b, headers=(ORG_ONLY, both), n_resamples=50)
    d = cmp.to_dict()
    assert set(d["fields"]) == {"ORG"}  # DATE: only B declares it, not compared
    assert d["micro"]["f1"]["delta"] == 0.0
    assert set(d["not_declared"]["a"]) == {"DATE"} and d["not_declared"]["b"] == {}
    assert "not declared by A" in render_comparison_markdown(cmp)
    with pytest.raises(FilingkitError, match="no field in common"):
        compare(GOLD, PRED, pred_b, headers=(ORG_ONLY, PredictionsHeader("c", "1", ("DATE",))))


def test_gate_notes_not_declared_fields_instead_of_failing() -> None:
    report = evaluate(GOLD, PRED, header=ORG_ONLY, n_resamples=0).to_dict()
    baseline = parse_baseline({"format": "filingkit-baseline", "version": 1, "rules": [
        {"select": ["ORG", "DATE"], "metric": "f1", "floor": 0.9}]})
    result = gate(report, baseline, strict=True)
    assert result.passed and [c.target for c in result.checks] == ["ORG"]
    assert any(n.startswith("DATE: not declared") for n in result.notes)


def test_eval_cli_reads_the_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_predictions(tmp_path / "gold.jsonl", GOLD)
    pred = write_predictions(tmp_path / "pred.jsonl", PRED, header=ORG_ONLY)
    out = tmp_path / "r.json"
    assert main(["eval", "--gold", str(gold), "--pred", str(pred), "--format", "json",
                 "--n-resamples", "0", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert list(data["fields"]) == ["ORG"] and "DATE" in data["not_declared"]
