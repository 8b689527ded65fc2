"""The streamed, batched path (files, local or Dask) gives the report of the in-memory one.

The in-memory ``evaluate`` with one batch scores the whole corpus at once (the
evaluator as it was before streaming); ``evaluate_paths`` reads the files with
the fast reader and scores them batch by batch. Their reports must be equal in
every number, on the bundled gold (entities, facts, records, grounding, strict
names, intervals with a fixed seed) and on synthetic span sets, under every scheme.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from filingkit.eval import evaluate
from filingkit.eval.stream import evaluate_paths
from filingkit.gold.store import bundled_gold_dir, load_gold_dir
from filingkit.records import Annotations, Entity, Fact
from filingkit.serialize import write_predictions

SCHEMES = ("strict", "exact", "partial", "type")


def _perturb(gold: list[Any], seed: int) -> list[Annotations]:
    """Predictions from gold: spans kept, shifted, relabelled, dropped or added; facts
    kept, changed or dropped (so every kind of error occurs)."""
    rng = random.Random(seed)
    labels = ["ORG", "PERSON", "DATE", "MONEY"]
    out = []
    for g in gold:
        ann = g.gold.annotations
        n = len(g.document.text)
        ents = []
        for e in ann.entities:
            r = rng.random()
            if r < 0.6:
                ents.append(e)
            elif r < 0.7 and e.end - e.start > 2:
                ents.append(Entity(e.label, e.start + 1, e.end))
            elif r < 0.8:
                ents.append(Entity(rng.choice(labels), e.start, e.end))
            if rng.random() < 0.1 and n > 20:
                s = rng.randrange(0, n - 10)
                ents.append(Entity(rng.choice(labels), s, s + rng.randint(1, 9)))
        facts = []
        for f in ann.facts:
            r = rng.random()
            if r < 0.7:
                facts.append(Fact(f.field, f.value, f.evidence))
            elif r < 0.85 and isinstance(f.value, str):
                facts.append(Fact(f.field, f.value + "x"))
        out.append(Annotations(g.doc_id, tuple(ents), tuple(facts)))
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    for k in ("predictions", "system", "gold"):
        a.pop(k), b.pop(k)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.fixture(scope="module")
def bundled() -> tuple[list[Any], list[Annotations]]:
    gold = load_gold_dir()
    return gold, _perturb(gold, 0)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(("batch_docs", "opts"), [
    pytest.param(7, {}, id="batches-of-7"),
    pytest.param(1, {"strict_names": True, "min_overlap": 0.5}, id="one-doc-batches-options"),
])
def test_bundled_gold_same_report(tmp_path: Path, bundled: Any, scheme: str, batch_docs: int,
                                  opts: dict[str, Any]) -> None:
    gold, preds = bundled
    path = write_predictions(tmp_path / "p.jsonl", preds)
    old = evaluate(gold, preds, scheme=scheme, n_resamples=200, seed=3, **opts).to_dict()
    new = evaluate_paths(bundled_gold_dir(), path, scheme=scheme, n_resamples=200, seed=3,
                         batch_docs=batch_docs, **opts).to_dict()
    assert old["records"] and old["grounding"] and old["errors_omitted"]
    _same(old, new)


def _synthetic(seed: int, n_docs: int = 40) -> tuple[list[Annotations], list[Annotations]]:
    rng = random.Random(seed)
    labels = ["ORG", "PERSON", "DATE", "MONEY", "PERCENT"]
    gold, pred = [], []
    for d in range(n_docs):
        g, p, pos = [], [], 0
        for _ in range(rng.randint(0, 30)):
            pos += rng.randint(1, 20)
            ln = rng.randint(1, 12)
            e = Entity(rng.choice(labels), pos, pos + ln)
            g.append(e)
            r = rng.random()
            if r < 0.6:
                p.append(e)
            elif r < 0.75:
                p.append(Entity(e.label, e.start, e.end + rng.randint(1, 5)))
            elif r < 0.85:
                p.append(Entity(rng.choice(labels), e.start, e.end))
            if rng.random() < 0.15:
                p.append(Entity(rng.choice(labels), e.start + 1, e.end + 3))
            pos += ln
        gf = (Fact("dei:EntityRegistrantName", f"Company {d}, Inc."),
              Fact("dei:DocumentPeriodEndDate", f"2020-01-{d % 28 + 1:02d}"))
        pf = (Fact("dei:EntityRegistrantName", f"COMPANY {d} INC" if d % 3 else "Other"),
              Fact("dei:DocumentPeriodEndDate", "yesterday" if d % 5 == 0 else gf[1].value))
        gold.append(Annotations(f"d{d:03d}", tuple(g), gf))
        pred.append(Annotations(f"d{d:03d}", tuple(p), pf))
    return gold, pred


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_sets_same_report(tmp_path: Path, scheme: str, seed: int) -> None:
    gold, pred = _synthetic(seed)
    g_path = write_predictions(tmp_path / "g.jsonl", gold)
    p_path = write_predictions(tmp_path / "p.jsonl", pred)
    old = evaluate(gold, pred, scheme=scheme, n_resamples=100, seed=seed).to_dict()
    assert old["invalid_values"] == {"dei:DocumentPeriodEndDate": 8}
    for batch_docs in (1, 6, 1000):
        new = evaluate_paths(g_path, p_path, scheme=scheme, n_resamples=100, seed=seed,
                             batch_docs=batch_docs).to_dict()
        _same(dict(old), new)


def test_errors_capped_per_field_and_streamed(tmp_path: Path) -> None:
    gold, pred = _synthetic(5, 60)
    full = evaluate(gold, pred, n_resamples=0, max_errors=None)
    errs = tmp_path / "errors.jsonl"
    capped = evaluate(gold, pred, n_resamples=0, max_errors=3, errors_file=errs,
                      batch_size=7)
    lines = [json.loads(x) for x in errs.read_text().splitlines()]
    assert len(lines) == len(full.errors)
    assert sorted(json.dumps(x, sort_keys=True) for x in lines) == \
        sorted(json.dumps(e.to_dict(), sort_keys=True) for e in full.errors)
    firsts: dict[str, list[Any]] = {}
    for e in full.errors:
        firsts.setdefault(e.field, [])
        if len(firsts[e.field]) < 3:
            firsts[e.field].append(e)
    assert list(capped.errors) == [e for e in full.errors if e in firsts[e.field]]
    omitted = {k: sum(1 for e in full.errors if e.field == k) - 3 for k in firsts}
    assert capped.errors_omitted == {k: v for k, v in omitted.items() if v > 0}
    assert capped.to_dict()["errors_file"] == str(errs)
    # the limit-only path (no file) builds just the kept items, and they are the same
    lean = evaluate(gold, pred, n_resamples=0, max_errors=3, batch_size=7)
    assert lean.errors == capped.errors and lean.errors_omitted == capped.errors_omitted


def test_failed_run_leaves_no_errors_file(tmp_path: Path) -> None:
    gold, pred = _synthetic(5, 5)
    errs = tmp_path / "errors.jsonl"
    errs.write_text("previous\n")
    with pytest.raises(Exception, match="normalized"):
        evaluate(gold, pred, errors_file=errs, strict_values=True)
    assert errs.read_text() == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_parquet_shards_same_report(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    gold, pred = _synthetic(3, 20)
    g_path = write_predictions(tmp_path / "g.jsonl", gold)
    shards = tmp_path / "out"
    shards.mkdir()
    for k, part in enumerate((pred[:8], pred[8:])):
        table = pa.table({
            "doc_id": [a.doc_id for a in part],
            "entities": [[{"label": e.label, "start": e.start, "end": e.end, "score": None}
                          for e in a.entities] for a in part],
            "facts": [json.dumps([{"field": f.field, "value": f.value} for f in a.facts])
                      for a in part],
        })
        pq.write_table(table, shards / f"part-{k:05d}.parquet")
    old = evaluate(gold, pred, n_resamples=50).to_dict()
    new = evaluate_paths(g_path, shards, n_resamples=50, batch_docs=3).to_dict()
    _same(old, new)


@pytest.mark.slow
def test_dask_engine_same_report(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    gold, pred = _synthetic(4, 30)
    g_path = write_predictions(tmp_path / "g.jsonl", gold)
    p_path = write_predictions(tmp_path / "p.jsonl", pred)
    local = evaluate_paths(g_path, p_path, n_resamples=100, batch_docs=4).to_dict()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        on_dask = evaluate_paths(g_path, p_path, n_resamples=100, batch_docs=4,
                                 engine="dask", scheduler=client).to_dict()
        bad = tmp_path / "bad.jsonl"
        bad.write_text(p_path.read_text().replace('"start":', '"start":-', 1))
        with pytest.raises(Exception, match="negative") as info:
            evaluate_paths(g_path, bad, engine="dask", scheduler=client, batch_docs=4)
        assert str(bad) in str(info.value)
    _same(local, on_dask)
