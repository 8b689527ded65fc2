"""Evaluate from files, batch by batch of documents: bounded memory, local or on Dask.

``evaluate_paths(gold, predictions)`` is what ``filingkit eval`` runs. The
predictions (a JSONL file or a folder of shards) are indexed once
(``reader.index_predictions``: one byte range per document), the gold (a gold
folder, or a predictions-format JSONL used as gold) is listed, and the
documents are then scored in gold order, ``batch_docs`` at a time: a batch is
read (typed decoding, checked at the boundary), scored (``core.score_batch``)
and reduced into an ``Accumulator`` (per-document counts, additive totals,
error items streamed to the ``ErrorSink``). Memory grows with documents and
fields, not with spans.

``engine="dask"`` sends each batch, as a list of file references, to the
workers of a ``dask.distributed`` cluster, which read and score it and return
its counts; the client reduces them in gold order, so the report is the same
as the local engine's. The workers must see the same files (a shared file
system), as with any Dask cluster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np

from filingkit.catalogue import Catalogue
from filingkit.errors import FilingkitError, GoldFormatError
from filingkit.eval.core import (
    Accumulator,
    Batch,
    Partial,
    Plan,
    check_values,
    make_plan,
    score_batch,
)
from filingkit.eval.errorlog import ErrorSink
from filingkit.eval.inputs import EvaluationError, GoldItem, check_names
from filingkit.eval.reader import (
    MAX_OFFSET,
    Names,
    PredictionsIndex,
    Ref,
    check_span,
    facts_of,
    fetch,
    first_bad_span,
    index_predictions,
    label_ids,
    span_error,
)
from filingkit.eval.report import Report
from filingkit.eval.score_entities import scored_spans
from filingkit.records import Annotations, Entity

BATCH_DOCS = 500
ENGINES = ("local", "dask")

GoldRef: TypeAlias = str | Ref  # a gold.json path (gold folder) or a line of a gold JSONL


@dataclass(frozen=True)
class BatchSpec:
    """A batch as file references only (cheap to send to a worker)."""

    gold: tuple[GoldRef, ...]
    preds: tuple[Ref | None, ...]
    gold_file: str  # for messages about a JSONL gold


def gold_refs(path: str | Path, split: str | None = None) -> tuple[list[str], list[GoldRef]]:
    """The gold documents' ids and references, in gold order (a folder: sorted by id)."""
    p = Path(path)
    if p.is_dir():
        from filingkit.gold.store import iter_gold_files, load_split

        wanted = load_split(p, split) if split else None
        files = [f for f in iter_gold_files(p) if wanted is None or f.parent.name in wanted]
        if not files:
            raise FilingkitError("no gold files (<doc_id>/gold.json) found"
                                 + (f" in split {split!r}" if split else ""), file=p)
        return [f.parent.name for f in files], [str(f) for f in files]
    if p.suffix == ".jsonl":
        if split:
            raise FilingkitError("--split needs a gold folder with splits.json", file=p)
        index = index_predictions(p)
        return index.doc_ids(), list(index.refs.values())
    if not p.exists():
        raise FilingkitError("no such gold folder or file", file=p)
    raise FilingkitError("gold must be a folder or a .jsonl file", file=p,
                         hint="pass the gold folder (with <doc_id>/gold.json) or a predictions "
                              "JSONL")


def plan_batches(ids: Sequence[str], refs: Sequence[GoldRef], index: PredictionsIndex, *,
                 gold_file: str, batch_docs: int = BATCH_DOCS) -> Iterator[BatchSpec]:
    """Gold documents in order, ``batch_docs`` at a time, each with its prediction's place."""
    step = max(1, batch_docs)
    for at in range(0, len(ids), step):
        part = ids[at:at + step]
        yield BatchSpec(tuple(refs[at:at + step]), tuple(index.refs.get(d) for d in part),
                        gold_file)


@dataclass
class _Cols:
    """Spans of a batch being collected: document index, start, end, catalogue label index."""

    doc: list[int]
    start: list[int]
    end: list[int]
    label: list[int]

    @classmethod
    def new(cls) -> _Cols:
        return cls([], [], [], [])

    def add(self, d: int, starts: list[int], ends: list[int], labels: list[int]) -> None:
        self.doc.extend([d] * len(starts))
        self.start.extend(starts)
        self.end.extend(ends)
        self.label.extend(labels)

    def arrays(self) -> tuple[np.ndarray[Any, Any], ...]:
        try:
            return tuple(np.array(x, dtype=np.int64) for x in
                         (self.doc, self.start, self.end, self.label))
        except OverflowError:  # an offset beyond int64: made an error by ``_check``
            cap = MAX_OFFSET + 1
            return tuple(np.array([min(max(v, -cap), cap) for v in x], dtype=np.int64)
                         for x in (self.doc, self.start, self.end, self.label))


def load_batch(plan: Plan, names: Names, cat: Catalogue, spec: BatchSpec) -> Batch:
    """Read a batch's gold and predictions and check them; the scorer's input."""
    from filingkit.gold.store import load_gold_file

    items: list[GoldItem] = []
    preds: list[Annotations] = []
    gold, pred = _Cols.new(), _Cols.new()
    lid = names.label_index
    undeclared = {s.name for s in plan.undeclared if s.kind == "entity"}
    fetched_gold = fetch([r if isinstance(r, Ref) else None for r in spec.gold])
    fetched = fetch(spec.preds)
    for d, (ref, gdoc, pdoc, pref) in enumerate(zip(spec.gold, fetched_gold, fetched,
                                                   spec.preds, strict=True)):
        if isinstance(ref, str):
            g = load_gold_file(ref)
            check_names(cat, g.gold.annotations, "gold document")
            ents = g.gold.entities
            gold.add(d, [e.start for e in ents], [e.end for e in ents],
                     [lid[e.label] for e in ents])
            item = GoldItem(g.doc_id, g.gold.annotations, frozenset(g.gold.scope),
                            g.document.text)
        else:
            assert gdoc is not None
            where = ref.where
            gold.add(d, [e.start for e in gdoc.entities], [e.end for e in gdoc.entities],
                     label_ids(gdoc, names, ref.file, where))
            facts = facts_of(gdoc, names, ref.file, where, None)
            # entities are scored from the arrays; only those of undeclared labels are kept,
            # for their support in "not_declared"
            ents = tuple(Entity(e.label, e.start, e.end) for e in gdoc.entities
                         if e.label in undeclared)
            item = GoldItem(gdoc.doc_id, Annotations(gdoc.doc_id, ents, facts), None, None)
        items.append(item)
        if pdoc is None or pref is None:
            preds.append(Annotations(item.doc_id))
            continue
        text_len = len(item.text) if item.text is not None else None
        pred.add(d, [e.start for e in pdoc.entities], [e.end for e in pdoc.entities],
                 label_ids(pdoc, names, pref.file, pref.where))
        preds.append(Annotations(pdoc.doc_id, (), facts_of(pdoc, names, pref.file, pref.where,
                                                           text_len)))
    scope = plan.scope_matrix([g.scope for g in items])
    lab_scope = scope[:, : len(plan.labels)]
    to_plan = np.full(len(names.labels) + 1, -1, dtype=np.int64)
    for i, s in enumerate(plan.labels):
        to_plan[lid[s.name]] = i
    g_arr, p_arr = gold.arrays(), pred.arrays()
    _check(g_arr, items, fetched_gold, spec.gold, True)
    _check(p_arr, items, fetched, spec.preds, False)
    return Batch(items, preds, scope,
                 scored_spans(g_arr[0], g_arr[1], g_arr[2], to_plan[g_arr[3]], lab_scope),
                 scored_spans(p_arr[0], p_arr[1], p_arr[2], to_plan[p_arr[3]], lab_scope))


def _check(arr: tuple[np.ndarray[Any, Any], ...], items: Sequence[GoldItem],
           docs: Sequence[Any], refs: Sequence[Any], gold_side: bool) -> None:
    """Every span is a span, and a predicted one lies inside the gold text where it is known."""
    limit = np.array([MAX_OFFSET if gold_side or g.text is None else len(g.text)
                      for g in items], dtype=np.int64)
    bad = first_bad_span(arr[0], arr[1], arr[2], limit)
    if bad is None:
        return
    d, k = bad
    text = None if gold_side else items[d].text
    doc, ref = docs[d], refs[d]
    if isinstance(ref, str):  # a gold folder's file
        e = items[d].annotations.entities[k]
        raise GoldFormatError(f"document {items[d].doc_id!r}: entities[{k}]: "
                              f"{check_span(e.start, e.end, None)}", file=ref, field=e.label)
    e = doc.entities[k]
    why = check_span(e.start, e.end, None if text is None else len(text)) or "bad span"
    raise span_error(doc, k, why, ref.file, ref.where)


def _work(spec: BatchSpec, plan: Plan, cat: Catalogue) -> Partial:
    """One batch on a worker: read, check, score."""
    return score_batch(plan, load_batch(plan, Names.of(cat), cat, spec))


def evaluate_paths(
    gold: str | Path,
    predictions: str | Path,
    *,
    split: str | None = None,
    only_predicted: bool = False,
    catalogue: Catalogue | str | Path | None = None,
    fields: Sequence[str] | None = None,
    scheme: str = "strict",
    n_resamples: int = 1000,
    seed: int = 0,
    min_overlap: float | None = None,
    strict_names: bool = False,
    ignore_unknown_documents: bool = False,
    level: float = 0.95,
    ci_method: str = "bca",
    system: str | None = None,
    max_errors: int | None = 20,
    errors_file: str | Path | None = None,
    strict_values: bool = False,
    engine: str = "local",
    scheduler: Any = None,
    batch_docs: int = BATCH_DOCS,
    progress: bool = False,
    use_header: bool = True,
) -> Report:
    """Score a predictions file or shard folder against a gold folder or JSONL, streaming.

    The same numbers as ``evaluate`` on the same documents. The predictions'
    header (``use_header``) restricts scoring to the fields its extractor
    declares and lists the others as not declared. ``engine="dask"``
    scores batches on a ``dask.distributed`` cluster: ``scheduler`` is a
    ``Client``, a scheduler address, or ``None`` for a local cluster.
    """
    if engine not in ENGINES:
        raise EvaluationError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    from filingkit.serialize import read_predictions_header

    header = read_predictions_header(predictions) if use_header else None
    plan, cat = make_plan(catalogue, fields=fields, scheme=scheme, min_overlap=min_overlap,
                          strict_names=strict_names, n_resamples=n_resamples,
                          max_errors=max_errors, errors_file=errors_file, header=header,
                          predictions_name=str(predictions))
    ids, refs = gold_refs(gold, split)
    if len(set(ids)) != len(ids):
        dup = next(d for d in ids if ids.count(d) > 1)
        raise EvaluationError(f"document {dup!r} appears twice in gold", file=gold)
    index = index_predictions(predictions)
    known = set(ids)
    unknown = sorted(d for d in index.refs if d not in known)
    if unknown and not ignore_unknown_documents:
        raise EvaluationError(
            f"{len(unknown)} predicted document(s) not in gold: {', '.join(unknown[:5])}"
            + (" ..." if len(unknown) > 5 else ""), file=predictions,
            hint="evaluate against the gold these predictions were made for, or pass "
                 "--ignore-unknown-docs")
    if only_predicted:
        keep = [i for i, d in enumerate(ids) if d in index.refs]
        if not keep:
            raise FilingkitError("no predicted document is in the gold", file=gold,
                                 hint="check the doc_id of the predictions")
        ids, refs = [ids[i] for i in keep], [refs[i] for i in keep]
    specs = list(plan_batches(ids, refs, index, gold_file=str(gold), batch_docs=batch_docs))
    with ErrorSink(max_errors, errors_file) as sink:
        acc = Accumulator(plan, sink)
        for part in _parts(specs, plan, cat, engine, scheduler, progress):
            acc.add(part)
        check_values(acc.invalid, strict_values, str(predictions))
        return acc.report(n_resamples=n_resamples, seed=seed, level=level, ci_method=ci_method,
                          gold_name=str(gold), predictions_name=str(predictions),
                          system=Path(predictions).stem if system is None else system)


def _parts(specs: list[BatchSpec], plan: Plan, cat: Catalogue, engine: str, scheduler: Any,
           progress: bool) -> Iterator[Partial]:
    """Each batch's result, in gold order (local, or gathered from Dask workers)."""
    bar = _progress(len(specs)) if progress else None
    try:
        if engine == "local":
            from filingkit.eval.score_facts import CheckedNormalizer

            names, norm = Names.of(cat), CheckedNormalizer()
            for spec in specs:
                yield score_batch(plan, load_batch(plan, names, cat, spec), norm)
                if bar is not None:
                    bar.advance(bar.task_ids[0])
        else:
            for part in _dask_parts(specs, plan, cat, scheduler):
                yield part
                if bar is not None:
                    bar.advance(bar.task_ids[0])
    finally:
        if bar is not None:
            bar.stop()


def _progress(total: int) -> Any:
    import sys

    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(file=sys.stderr), transient=True)
    bar.add_task("scoring batches", total=total)
    bar.start()
    return bar


def _dask_parts(specs: list[BatchSpec], plan: Plan, cat: Catalogue,
                scheduler: Any) -> Iterator[Partial]:
    try:
        from distributed import Client
    except ImportError:
        raise FilingkitError("--engine dask needs dask.distributed",
                             hint='pip install "filingkit[dask]"') from None
    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler  # type: ignore[no-untyped-call]
    try:
        plan_f, cat_f = client.scatter([plan, cat], broadcast=True, hash=False)
        futures = client.map(_work, specs, plan=plan_f, cat=cat_f, pure=False)
        for fut in futures:
            try:
                yield fut.result()
            except FilingkitError:
                client.cancel(futures)
                raise
            fut.release()
    finally:
        if own:
            client.close()


def read_annotations(path: str | Path) -> list[Annotations]:
    """Every document of a predictions file or shard folder as records (small sets, HTML)."""
    from filingkit.eval.reader import iter_docs
    from filingkit.records import Entity

    index = index_predictions(path)
    out = []
    for ref, doc in iter_docs(index):
        for k, e in enumerate(doc.entities):
            why = check_span(e.start, e.end, None)
            if why:
                raise span_error(doc, k, why, ref.file, ref.where)
        ents = tuple(Entity(e.label, e.start, e.end, e.text, e.source, e.score)
                     for e in doc.entities)
        out.append(Annotations(doc.doc_id, ents, facts_of(doc, None, ref.file, ref.where,
                                                          None)))
    return out


__all__ = ["BatchSpec", "GoldFormatError", "evaluate_paths", "load_batch", "read_annotations"]
