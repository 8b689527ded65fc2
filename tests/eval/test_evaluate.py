"""``evaluate``: scope, pairing of documents, the report JSON, errors, invariants."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from typing import Any

import pytest

from filingkit.errors import FilingkitError
from filingkit.eval import Report, evaluate
from filingkit.records import Annotations, Entity, Evidence, Fact, GoldDocument

REV = {"concept": "us-gaap:Revenues", "period": {"start": "2004-07-01", "end": "2004-09-30"},
       "unit": "USD", "value": 9000000, "decimals": -5}


def gold_set() -> list[Annotations]:
    return [
        Annotations("d1", (Entity("ORG", 0, 10), Entity("PERSON", 20, 25),
                           Entity("DATE", 30, 44)),
                    (Fact("dei:EntityRegistrantName", "ImmunoGen, Inc."),
                     Fact("filing:Items", "8.01"), Fact("filing:Items", "9.01"))),
        Annotations("d2", (Entity("ORG", 5, 10),),
                    (Fact("xbrl:Fact", REV),
                     Fact("event:MilestonePayment",
                          {"amount": {"value": 2000000, "unit": "USD", "decimals": -6},
                           "payer": "sanofi-aventis"}))),
        Annotations("d3", (Entity("LOCATION", 0, 9),), (Fact("dei:DocumentType", "8-K"),)),
    ]


def system_set() -> list[Annotations]:
    return [
        Annotations("d1", (Entity("ORG", 0, 4), Entity("ORG", 0, 10), Entity("PERSON", 20, 24)),
                    (Fact("dei:EntityRegistrantName", "IMMUNOGEN INC"),
                     Fact("filing:Items", "8.01"))),
        Annotations("d2", (),
                    (Fact("xbrl:Fact", {**REV, "value": 9012000, "decimals": -3}),
                     Fact("event:MilestonePayment",
                          {"amount": {"value": 2000000, "unit": "USD", "decimals": "INF"},
                           "payer": "Biogen"}))),
        Annotations("d3", (Entity("LOCATION", 0, 9),), (Fact("dei:DocumentType", "8-K/A"),)),
    ]


def test_report_json_has_the_documented_shape() -> None:
    d = evaluate(gold_set(), system_set(), n_resamples=50).to_dict()
    assert d["format"] == "filingkit-report" and d["version"] == 1
    for key in ("created_by", "catalogue", "gold", "predictions", "system", "scheme",
                "n_documents", "fields", "groups", "micro", "macro", "schemes", "records",
                "grounding", "documents", "errors"):
        assert key in d, key
    org = d["fields"]["ORG"]
    for key in ("group", "precision", "recall", "f1", "tp", "fp", "fn", "support", "ci"):
        assert key in org
    assert set(org["ci"]) >= {"precision", "recall", "f1", "level", "n_resamples", "seed"}
    assert set(d["macro"]) >= {"precision", "recall", "f1"}
    assert set(d["schemes"]) == {"strict", "exact", "partial", "type"}
    overall = d["schemes"]["partial"]["overall"]
    assert set(overall) >= {"cor", "inc", "par", "mis", "spu", "possible", "actual",
                            "precision", "recall", "f1"}
    assert "ORG" in d["schemes"]["strict"]["labels"]
    assert set(d["records"]["xbrl:Fact"]) >= {"whole", "args"}
    assert set(d["documents"]["d1"]) == {"fields", "micro", "macro"}
    assert set(d["document_macro"]) == {"precision", "recall", "f1", "n_documents"}
    assert set(d["documents"]["d1"]["fields"]["ORG"]) == {"tp", "fp", "fn"}
    assert {"doc_id", "field", "kind", "context"} <= set(d["errors"][0])
    json.dumps(d)  # serializable


def test_counts_by_field_and_group() -> None:
    r = evaluate(gold_set(), system_set(), n_resamples=0)
    f = {k: (v.counts.tp, v.counts.fp, v.counts.fn) for k, v in r.fields.items()}
    assert f["ORG"] == (1, 1, 1)  # [0,10) found, [0,4) spurious, d2's ORG missed
    assert f["PERSON"] == (0, 1, 1)
    assert f["DATE"] == (0, 0, 1)
    assert f["LOCATION"] == (1, 0, 0)
    assert f["dei:EntityRegistrantName"] == (1, 0, 0)  # lenient names
    assert f["filing:Items"] == (1, 0, 1)
    assert f["xbrl:Fact"] == (1, 0, 0)  # within the coarser precision
    assert f["event:MilestonePayment"] == (0, 1, 1)  # identified, payer wrong
    assert f["dei:DocumentType"] == (0, 1, 1)
    assert r.records["event:MilestonePayment"].identified.tp == 1
    assert r.records["event:MilestonePayment"].args["payer"] == (
        type(r.micro.counts)(0, 1, 1))
    ent = r.groups["entities"].counts
    assert (ent.tp, ent.fp, ent.fn) == (2, 2, 3)
    assert r.micro.counts.tp == sum(s.counts.tp for s in r.fields.values())
    assert r.names_strict["dei:EntityRegistrantName"].tp == 0


def test_strict_names_option() -> None:
    r = evaluate(gold_set(), system_set(), n_resamples=0, strict_names=True)
    assert r.fields["dei:EntityRegistrantName"].counts.tp == 0
    assert r.settings["strict_names"] is True


@pytest.mark.parametrize("scheme, tp", [pytest.param("strict", 1, id="strict"),
                                        pytest.param("partial", 1.0, id="partial"),
                                        pytest.param("type", 1, id="type")])
def test_scheme_drives_entity_fields(scheme: str, tp: float) -> None:
    gold = [Annotations("d", (Entity("ORG", 0, 10), Entity("PERSON", 20, 30)))]
    pred = [Annotations("d", (Entity("ORG", 0, 10), Entity("PERSON", 22, 30)))]
    r = evaluate(gold, pred, scheme=scheme, n_resamples=0)
    assert r.fields["ORG"].counts.tp == 1
    person = {"strict": 0, "partial": 0.5, "type": 1}[scheme]
    assert r.fields["PERSON"].counts.tp == person
    assert r.scheme == scheme


def test_unknown_scheme_suggests() -> None:
    with pytest.raises(FilingkitError, match="did you mean 'strict'"):
        evaluate(gold_set(), system_set(), scheme="strikt")


def test_missing_prediction_is_all_false_negatives() -> None:
    r = evaluate(gold_set(), system_set()[:1], n_resamples=0)
    assert r.documents["d3"].micro.tp == 0
    assert r.documents["d3"].micro.fn == 2
    assert r.n_documents == 3


def test_prediction_for_unknown_document_is_an_error_unless_ignored() -> None:
    extra = [*system_set(), Annotations("zz", (Entity("ORG", 0, 1),))]
    with pytest.raises(FilingkitError, match="not in gold: zz"):
        evaluate(gold_set(), extra)
    r = evaluate(gold_set(), extra, ignore_unknown_documents=True, n_resamples=0)
    assert "zz" not in r.documents


def test_unknown_label_in_predictions_is_an_error() -> None:
    bad = [Annotations("d1", (Entity("PERSN", 0, 1),))]
    with pytest.raises(FilingkitError, match="did you mean 'PERSON'"):
        evaluate(gold_set(), bad)


def test_fields_restrict_scoring() -> None:
    r = evaluate(gold_set(), system_set(), fields=["ORG", "filing:Items"], n_resamples=0)
    assert set(r.fields) == {"ORG", "filing:Items"}
    assert set(r.groups) == {"entities", "structure"}
    with pytest.raises(FilingkitError, match="unknown field"):
        evaluate(gold_set(), system_set(), fields=["dei:Nope"])


def test_scope_limits_scoring(gold_factory: Any) -> None:
    doc, record = gold_factory()
    gd = GoldDocument(doc, replace(record, scope=("cover",)))
    pred = [Annotations(doc.doc_id, (Entity("PERSON", 0, 4),),
                        (Fact("dei:EntityFileNumber", "0-17999"),))]
    r = evaluate([gd], pred, n_resamples=0)
    assert "PERSON" not in r.fields  # entities not annotated there: no false positive
    assert r.groups.keys() == {"cover"}
    assert r.fields["dei:EntityFileNumber"].counts.tp == 1
    gd2 = GoldDocument(doc, replace(record, scope=("cover", "PERSON")))
    r2 = evaluate([gd2], pred, n_resamples=0)
    assert r2.fields["PERSON"].counts.fp == 1
    assert "ORG" not in r2.fields


def test_errors_carry_context_from_the_text(gold_factory: Any) -> None:
    doc, record = gold_factory()
    gd = GoldDocument(doc, record)
    r = evaluate([gd], [Annotations(doc.doc_id)], n_resamples=0)
    by_field = {e.field: e for e in r.errors}
    org = by_field["ORG"]
    assert org.kind == "fn" and "ImmunoGen, Inc." in org.context
    assert "Exact name of registrant" in org.context  # ~60 characters around
    assert by_field["dei:DocumentPeriodEndDate"].start is not None


def test_grounding_needs_the_value_and_overlapping_evidence() -> None:
    gold = [Annotations("d", (), (Fact("dei:DocumentType", "8-K", (Evidence(0, 8),)),
                                  Fact("filing:Items", "8.01", (Evidence(50, 60),))))]
    pred = [Annotations("d", (), (Fact("dei:DocumentType", "8-K", (Evidence(5, 9),)),
                                  Fact("filing:Items", "8.01", (Evidence(70, 80),))))]
    r = evaluate(gold, pred, n_resamples=0)
    assert r.grounding["dei:DocumentType"].tp == 1
    g = r.grounding["filing:Items"]
    assert (g.tp, g.fp, g.fn) == (0, 1, 1)


def test_gold_as_annotations_puts_everything_in_scope() -> None:
    r = evaluate(gold_set(), system_set(), n_resamples=0)
    assert "PERSON" in r.fields and "dei:DocumentType" in r.fields


# ------------------------------------------------------------------ invariants


def _all_metrics(r: Report) -> list[float]:
    vals = []
    for s in [*r.fields.values(), *r.groups.values(), r.micro]:
        vals += [s.precision, s.recall, s.f1]
    vals += [r.macro.precision, r.macro.recall, r.macro.f1]
    return vals


@pytest.mark.parametrize("scheme", ["strict", "exact", "partial", "type"])
def test_perfect_prediction_scores_one_everywhere(scheme: str) -> None:
    r = evaluate(gold_set(), gold_set(), scheme=scheme, n_resamples=100)
    assert all(v == 1.0 for v in _all_metrics(r))
    assert r.errors == ()
    for s in r.fields.values():
        assert s.ci is not None and s.ci.f1 == (1.0, 1.0)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"shuffle{s}") for s in range(3)])
def test_order_of_documents_and_items_never_matters(seed: int) -> None:
    rng = random.Random(seed)
    base = evaluate(gold_set(), system_set(), n_resamples=0).to_dict()
    shuffled = []
    for a in system_set():
        ents, facts = list(a.entities), list(a.facts)
        rng.shuffle(ents)
        rng.shuffle(facts)
        shuffled.append(Annotations(a.doc_id, tuple(ents), tuple(facts)))
    rng.shuffle(shuffled)
    again = evaluate(gold_set(), shuffled, n_resamples=0).to_dict()
    assert again["fields"] == base["fields"]
    assert again["schemes"] == base["schemes"]
    assert again["micro"] == base["micro"]


def test_intervals_are_reproducible() -> None:
    a = evaluate(gold_set(), system_set(), n_resamples=200, seed=3).to_dict()
    b = evaluate(gold_set(), system_set(), n_resamples=200, seed=3).to_dict()
    assert a == {**b, "created_by": a["created_by"]}


def test_empty_inputs() -> None:
    r = evaluate([], [], n_resamples=10)
    assert r.n_documents == 0 and r.fields == {}
    assert r.micro.f1 == 0.0


@pytest.mark.parametrize(
    "value, found",
    [
        pytest.param("MA", False, id="code-inside-a-word"),
        pytest.param("0-17999", True, id="printed-as-is"),
        pytest.param("immunogen, inc.", True, id="case-insensitive"),
        pytest.param("2005-03-15", False, id="normalized-date-not-in-text"),
    ],
)
def test_fact_context_is_a_whole_word_guess(value: str, found: bool) -> None:
    from filingkit.eval.inputs import fact_context

    text = "reported: March 15, 2005\nImmunoGen, Inc.\nMassachusetts 0-17999"
    start, end, ctx = fact_context(text, Fact("x", value))
    assert (start, end) == (None, None)
    assert bool(ctx) is found
