"""Invariants every metric must keep (in the spirit of scikit-learn's ``test_common``).

Over random corpora of entities and facts of every matching rule:
- the order of documents, of entities and of facts never changes any number;
- predicting the gold exactly scores 1.0 for every field, group, micro and macro,
  under every scheme, and lists no error;
- counts add up: micro is the sum of the fields, support is the number of gold items,
  per-document counts sum to the field totals.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filingkit.eval import evaluate
from filingkit.eval.spans import SCHEMES
from filingkit.records import Annotations, Entity, Fact

LABELS = ["ORG", "PERSON", "DATE"]
FACT_VALUES: dict[str, list[Any]] = {
    "dei:EntityRegistrantName": ["ImmunoGen, Inc.", "IMMUNOGEN INC", "Biogen Idec"],
    "filing:Items": ["8.01", "9.01", "2.02"],
    "dei:WrittenCommunications": [True, False],
    "event:MilestonePayment": [
        {"amount": {"value": 2000000, "unit": "USD", "decimals": -6}, "payer": "sanofi"},
        {"amount": {"value": 2000000, "unit": "USD", "decimals": "INF"}, "payer": "Sanofi"},
        {"amount": {"value": 5000000, "unit": "USD", "decimals": -6}},
    ],
}

entity = st.tuples(st.integers(0, 60), st.integers(1, 9), st.sampled_from(LABELS)).map(
    lambda t: Entity(t[2], t[0], t[0] + t[1]))
fact = st.sampled_from(sorted(FACT_VALUES)).flatmap(
    lambda f: st.sampled_from(FACT_VALUES[f]).map(lambda v: Fact(f, v)))
document = st.tuples(st.lists(entity, max_size=8), st.lists(fact, max_size=5))
corpus = st.lists(st.tuples(document, document), min_size=1, max_size=5)


def _sets(docs: list[Any]) -> tuple[list[Annotations], list[Annotations]]:
    gold = [Annotations(f"d{i}", tuple(g[0]), tuple(g[1])) for i, (g, _) in enumerate(docs)]
    pred = [Annotations(f"d{i}", tuple(p[0]), tuple(p[1])) for i, (_, p) in enumerate(docs)]
    return gold, pred


def _numbers(r: Any) -> dict[str, Any]:
    d = r.to_dict()
    return {k: d[k] for k in ("fields", "groups", "micro", "macro", "schemes", "records",
                              "names_strict", "documents")}


@settings(max_examples=40, deadline=None)
@given(docs=corpus, seed=st.integers(0, 1000), scheme=st.sampled_from(SCHEMES))
def test_order_never_matters(docs: list[Any], seed: int, scheme: str) -> None:
    gold, pred = _sets(docs)
    base = _numbers(evaluate(gold, pred, scheme=scheme, n_resamples=0))
    rng = random.Random(seed)
    shuffled = []
    for a in pred:
        ents, facts = list(a.entities), list(a.facts)
        rng.shuffle(ents)
        rng.shuffle(facts)
        shuffled.append(Annotations(a.doc_id, tuple(ents), tuple(facts)))
    rng.shuffle(shuffled)
    assert _numbers(evaluate(gold, shuffled, scheme=scheme, n_resamples=0)) == base


@settings(max_examples=40, deadline=None)
@given(docs=corpus, scheme=st.sampled_from(SCHEMES))
def test_perfect_prediction_is_one(docs: list[Any], scheme: str) -> None:
    gold, _ = _sets(docs)
    r = evaluate(gold, gold, scheme=scheme, n_resamples=0)
    for s in [*r.fields.values(), *r.groups.values()]:
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    if r.fields:
        assert (r.micro.f1, r.macro.f1) == (1.0, 1.0)
    for res in r.schemes.values():
        d = res.overall.to_dict()
        assert d["mis"] == d["spu"] == 0
    assert r.errors == ()


@settings(max_examples=40, deadline=None)
@given(docs=corpus, scheme=st.sampled_from(SCHEMES))
def test_counts_add_up(docs: list[Any], scheme: str) -> None:
    gold, pred = _sets(docs)
    r = evaluate(gold, pred, scheme=scheme, n_resamples=0, max_errors=None)
    total = [sum(getattr(s.counts, k) for s in r.fields.values()) for k in ("tp", "fp", "fn")]
    assert total == pytest.approx([r.micro.counts.tp, r.micro.counts.fp, r.micro.counts.fn])
    n_gold_entities = sum(len(g.entities) for g in gold)
    assert sum(r.fields[lab].counts.support for lab in LABELS if lab in r.fields) == \
        n_gold_entities
    for name, score in r.fields.items():
        per_doc = sum(doc.fields[name].tp for doc in r.documents.values() if name in doc.fields)
        assert per_doc == pytest.approx(score.counts.tp)
    errors = {k: sum(1 for e in r.errors if e.kind == k and not e.partial) for k in ("fp", "fn")}
    if scheme != "partial":
        assert errors["fp"] == total[1] and errors["fn"] == total[2]
