"""``evaluate``: score predictions against gold, field by field, document by document.

The steps are: resolve the catalogue and the fields to score (a ``Plan``);
pair each gold document with its prediction (``inputs``: a gold document
without one is all false negatives; a prediction for a document not in gold is
an error); then, batch by batch of documents (``Batch``), match entity spans
under all four schemes (``score_entities`` over ``spans``) and fact values by
their catalogue rules (``score_facts`` over ``facts``), each only where the
field is in the gold document's scope. Everything a batch yields is additive:
per-document counts, scheme tallies, record, grounding and strict-name counts,
invalid values; the ``Accumulator`` sums them, streams the error items to an
``ErrorSink`` (the report keeps the first few per field), and at the end sums
the ``(docs, units, 3)`` count array for fields, groups and the micro average,
resamples it for confidence intervals (``stats``) and builds a frozen ``Report``.

Batches never change a number: matching never crosses documents, so scoring
all documents at once (one batch, as the in-memory ``evaluate`` does by
default) and batch by batch (``filingkit.eval.stream``, or on Dask workers)
give the same report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from filingkit.catalogue import Catalogue, FieldSpec, did_you_mean, load_catalogue
from filingkit.eval.declared import not_declared_entries, split_declared, undeclared_counts
from filingkit.eval.errorlog import ErrorSink
from filingkit.eval.inputs import (
    EvaluationError,
    GoldItem,
    check_names,
    gold_items,
    pair_predictions,
)
from filingkit.eval.metrics import Counts, macro
from filingkit.eval.reader import check_span
from filingkit.eval.report import DocumentTable, RecordScore, Report, Score
from filingkit.eval.score_entities import (
    EntityScores,
    add_scheme_counts,
    scheme_results,
    score_span_arrays,
    span_arrays,
)
from filingkit.eval.score_facts import CheckedNormalizer, FactScores, grounding_counts, score_facts
from filingkit.eval.spans import SCHEMES, Scheme, SchemeCounts, SpanArrays
from filingkit.eval.stats import FloatArray, Interval, bootstrap_intervals
from filingkit.records import Annotations, GoldDocument, PredictionsHeader

__all__ = ["EvaluationError", "evaluate"]

BoolArray = npt.NDArray[np.bool_]


def _resolve_fields(cat: Catalogue, fields: Sequence[str] | None) -> list[FieldSpec]:
    if fields is None:
        return list(cat.fields)
    wanted = set()
    for name in fields:
        if name not in cat:
            raise EvaluationError(f"unknown field{did_you_mean(name, cat.names())}", field=name)
        wanted.add(name)
    return [f for f in cat.fields if f.name in wanted]


@dataclass(frozen=True)
class Plan:
    """What to score and how: the fields (entity labels first), scheme and matching options."""

    catalogue: tuple[str, str]
    labels: tuple[FieldSpec, ...]
    facts: tuple[FieldSpec, ...]
    scheme: Scheme
    min_overlap: float | None
    strict_names: bool
    # Build only this many entity error items per label and batch (None: all of them).
    error_limit: int | None = None
    # The predictions' header, and the fields it does not declare (listed, not scored).
    header: PredictionsHeader | None = None
    undeclared: tuple[FieldSpec, ...] = ()

    @property
    def specs(self) -> tuple[FieldSpec, ...]:
        return self.labels + self.facts

    @property
    def units(self) -> list[str]:
        return [s.name for s in self.specs]

    def scope_matrix(self, scopes: Sequence[frozenset[str] | None]) -> BoolArray:
        """``(docs, fields)``: is each field in scope in each document."""
        specs = self.specs
        rows = [[True] * len(specs) if sc is None else
                [s.name in sc or s.group in sc for s in specs] for sc in scopes]
        return np.array(rows, dtype=bool).reshape(len(scopes), len(specs))


def make_plan(catalogue: Catalogue | str | Path | None = None, *,
              fields: Sequence[str] | None = None, scheme: str = "strict",
              min_overlap: float | None = None, strict_names: bool = False,
              n_resamples: int = 0, max_errors: int | None = None,
              errors_file: str | Path | None = None, header: PredictionsHeader | None = None,
              predictions_name: str | None = None) -> tuple[Plan, Catalogue]:
    """Check the options and resolve the fields to score (those ``header`` declares)."""
    if max_errors is not None and max_errors < 0:
        raise EvaluationError(f"max_errors must be >= 0, got {max_errors}")
    scheme_ = _as_scheme(scheme)
    if min_overlap is not None and not 0.0 < min_overlap <= 1.0:
        raise EvaluationError(f"min_overlap must be in (0, 1], got {min_overlap!r}")
    if n_resamples < 0:
        raise EvaluationError(f"n_resamples must be >= 0, got {n_resamples}")
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    specs, undeclared = split_declared(cat, _resolve_fields(cat, fields), header,
                                       file=predictions_name)
    plan = Plan((cat.name, cat.version), tuple(s for s in specs if s.kind == "entity"),
                tuple(s for s in specs if s.kind == "fact"), scheme_, min_overlap,
                strict_names, max_errors if errors_file is None else None, header,
                tuple(undeclared))
    return plan, cat


@dataclass(frozen=True)
class Batch:
    """Some gold documents with their predictions, ready to score.

    ``items`` and ``preds`` carry the facts (their entities are not read here);
    ``gold`` and ``pred`` are the scored, in-scope spans with document indices
    into ``items`` and label indices into ``plan.labels``.
    """

    items: Sequence[GoldItem]
    preds: Sequence[Annotations]
    scope: BoolArray
    gold: SpanArrays
    pred: SpanArrays


@dataclass(frozen=True)
class Partial:
    """What scoring one batch yields (all additive over batches)."""

    doc_ids: list[str]
    scope: BoolArray
    entities: EntityScores
    facts: FactScores
    undeclared: dict[str, int] = field(default_factory=dict)  # gold support, not scored

    @property
    def counts(self) -> FloatArray:
        return np.concatenate([self.entities.counts, self.facts.counts], axis=1)


def score_batch(plan: Plan, batch: Batch,
                normalizer: CheckedNormalizer | None = None) -> Partial:
    """Score one batch of documents."""
    n_lab = len(plan.labels)
    ents = score_span_arrays([g.doc_id for g in batch.items], [g.text for g in batch.items],
                             batch.gold, batch.pred, [s.name for s in plan.labels],
                             plan.scheme, plan.min_overlap, plan.error_limit)
    fs = score_facts(batch.items, batch.preds, plan.facts, batch.scope[:, n_lab:],
                     strict_names=plan.strict_names, normalizer=normalizer)
    return Partial([g.doc_id for g in batch.items], batch.scope, ents, fs,
                   undeclared_counts(batch.items, plan.undeclared))


def batch_of(plan: Plan, items: Sequence[GoldItem], preds: Sequence[Annotations]) -> Batch:
    """A batch from records (the in-memory API); bad predicted spans name the document."""
    scope = plan.scope_matrix([g.scope for g in items])
    lid = {s.name: i for i, s in enumerate(plan.labels)}
    lab_scope = scope[:, : len(plan.labels)]
    for g, p in zip(items, preds, strict=True):
        n = len(g.text) if g.text is not None else None
        for side, ann, limit in (("gold", g.annotations, None), ("predicted", p, n)):
            for k, e in enumerate(ann.entities):
                why = check_span(e.start, e.end, limit)
                if why:
                    raise EvaluationError(f"{side} document {ann.doc_id!r}: entities[{k}]: {why}",
                                          field=e.label)
    return Batch(items, preds, scope, span_arrays([g.annotations for g in items], lid, lab_scope),
                 span_arrays(preds, lid, lab_scope))


@dataclass
class Accumulator:
    """Sums the batches of one evaluation, in gold order; ``report`` builds the result."""

    plan: Plan
    sink: ErrorSink
    doc_ids: list[str] = field(default_factory=list)
    counts: list[FloatArray] = field(default_factory=list)
    scopes: list[BoolArray] = field(default_factory=list)
    overall: dict[str, SchemeCounts] = field(default_factory=dict)
    labels: dict[str, list[SchemeCounts]] = field(default_factory=dict)
    records: dict[str, RecordScore] = field(default_factory=dict)
    grounding: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    names_strict: dict[str, Counts] = field(default_factory=dict)
    invalid: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    undeclared: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __post_init__(self) -> None:
        n = len(self.plan.labels)
        for s in SCHEMES:
            self.overall[s] = SchemeCounts(s)
            self.labels[s] = [SchemeCounts(s)] * n

    def add(self, part: Partial) -> None:
        self.doc_ids += part.doc_ids
        self.counts.append(part.counts)
        self.scopes.append(part.scope)
        e, f = part.entities, part.facts
        for s in SCHEMES:
            self.overall[s] = add_scheme_counts(self.overall[s], e.overall[s])
            self.labels[s] = [add_scheme_counts(a, b)
                              for a, b in zip(self.labels[s], e.labels[s], strict=True)]
        for name, r in f.records.items():
            old = self.records.get(name)
            self.records[name] = r if old is None else RecordScore(
                old.whole + r.whole, old.identified + r.identified,
                {a: old.args[a] + c for a, c in r.args.items()})
        for name, (h, p, g) in f.grounding.items():
            h0, p0, g0 = self.grounding.get(name, (0, 0, 0))
            self.grounding[name] = (h0 + h, p0 + p, g0 + g)
        for name, c in f.names_strict.items():
            self.names_strict[name] = self.names_strict.get(name, Counts()) + c
        for name, n in f.invalid.items():
            self.invalid[name] += n
        for name, n in part.undeclared.items():
            self.undeclared[name] += n
        self.sink.add(e.errors, e.error_totals)
        self.sink.add(f.errors)

    def report(self, *, n_resamples: int, seed: int, level: float, ci_method: str,
               gold_name: str, predictions_name: str, system: str) -> Report:
        return _finish(self, n_resamples=n_resamples, seed=seed, level=level,
                       ci_method=ci_method, gold_name=gold_name,
                       predictions_name=predictions_name, system=system)


def evaluate(
    gold: Sequence[GoldDocument] | Sequence[Annotations],
    predictions: Sequence[Annotations],
    *,
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
    gold_name: str = "<memory>",
    predictions_name: str = "<memory>",
    system: str = "",
    header: PredictionsHeader | None = None,
    max_errors: int | None = 20,
    errors_file: str | Path | None = None,
    batch_size: int | None = None,
    strict_values: bool = False,
) -> Report:
    """Score ``predictions`` against ``gold`` and return the full report.

    ``gold`` holds ``GoldDocument`` (scope and text known) or ``Annotations``
    (everything in scope, no text). ``fields`` restricts scoring to those
    catalogue names (e.g. what an extractor declares). ``scheme`` is the entity
    scheme behind ``fields``, ``groups``, ``micro`` and ``macro``; all four are
    always reported under ``schemes``. ``n_resamples=0`` skips the intervals.
    ``header`` (the predictions' header) scores only the fields its extractor
    declares; the others the gold has are listed in ``not_declared``.
    The report lists the first ``max_errors`` error items of each field
    (``None``: all); ``errors_file`` receives every item as JSONL, written
    atomically. ``batch_size`` scores that many documents at a time (the
    numbers do not change). ``strict_values`` makes a predicted value that
    its field's normalizer rejects an error instead of a counted warning.
    """
    plan, cat = make_plan(catalogue, fields=fields, scheme=scheme, min_overlap=min_overlap,
                          strict_names=strict_names, n_resamples=n_resamples,
                          max_errors=max_errors, errors_file=errors_file, header=header,
                          predictions_name=predictions_name)
    items = gold_items(gold)
    preds = pair_predictions(items, predictions, ignore_unknown=ignore_unknown_documents)
    for g, p in zip(items, preds, strict=True):
        check_names(cat, g.annotations, "gold document")
        check_names(cat, p, "predicted document")
    step = max(1, batch_size or len(items) or 1)
    norm = CheckedNormalizer()
    with ErrorSink(max_errors, errors_file) as sink:
        acc = Accumulator(plan, sink)
        for at in range(0, max(len(items), 1), step):
            batch = batch_of(plan, items[at:at + step], preds[at:at + step])
            acc.add(score_batch(plan, batch, norm))
        check_values(acc.invalid, strict_values, predictions_name)
        return acc.report(n_resamples=n_resamples, seed=seed, level=level, ci_method=ci_method,
                          gold_name=gold_name, predictions_name=predictions_name, system=system)


def check_values(invalid: dict[str, int], strict: bool, where: str) -> None:
    """With ``strict``, any predicted value that fails normalization is an error."""
    if strict and any(invalid.values()):
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(invalid.items()) if v)
        name = next(k for k, v in sorted(invalid.items()) if v)
        raise EvaluationError(f"predicted values that cannot be normalized ({detail})",
                              file=where, field=name,
                              hint="fix the extractor's values, or drop --strict-values to "
                                   "count them as a warning")


def _finish(acc: Accumulator, *, n_resamples: int, seed: int, level: float, ci_method: str,
            gold_name: str, predictions_name: str, system: str) -> Report:
    """The report from the summed batches (the old tail of ``evaluate``)."""
    from filingkit import __version__

    plan = acc.plan
    spec_of = list(plan.specs)
    units = plan.units
    n_docs = len(acc.doc_ids)
    n_spec = len(spec_of)
    counts = (np.concatenate(acc.counts, axis=0) if acc.counts
              else np.zeros((0, n_spec, 3)))
    in_scope = (np.concatenate(acc.scopes, axis=0) if acc.scopes
                else np.zeros((0, n_spec), dtype=bool))

    # A field is reported where it is in scope somewhere and has gold or predictions.
    present = in_scope.any(axis=0) & (counts.sum(axis=(0, 2)) > 0)
    groups: dict[str, list[int]] = defaultdict(list)
    for u, spec in enumerate(spec_of):
        if present[u]:
            groups[spec.group].append(u)
    group_names = list(groups)
    keep = np.flatnonzero(present)
    ext = np.concatenate(
        [counts[:, keep]]
        + [counts[:, idx].sum(axis=1, keepdims=True) for idx in groups.values()]
        + [counts[:, keep].sum(axis=1, keepdims=True)],
        axis=1,
    )
    intervals: list[Interval | None] = [None] * ext.shape[1]
    if n_resamples > 0 and n_docs > 0:
        bounds, method = bootstrap_intervals(ext, n_resamples=n_resamples, seed=seed,
                                             level=level, method=ci_method)
        intervals = [
            Interval(_pair_of(bounds[u, 0]), _pair_of(bounds[u, 1]), _pair_of(bounds[u, 2]),
                     level, n_resamples, seed, method)
            for u in range(ext.shape[1])
        ]
    totals = [Counts(*map(float, ext[:, u].sum(axis=0))) for u in range(ext.shape[1])]
    field_scores = {
        units[u]: Score(totals[i], spec_of[u].group, intervals[i]) for i, u in enumerate(keep)
    }
    k = len(keep)
    group_scores = {
        name: Score(totals[k + i], None, intervals[k + i]) for i, name in enumerate(group_names)
    }
    micro = Score(totals[-1], None, intervals[-1])
    documents = _documents(acc.doc_ids, counts, in_scope & present, units)
    settings = {"min_overlap": plan.min_overlap, "strict_names": plan.strict_names,
                "level": level, "ci_method": ci_method if n_resamples else None,
                "fields": list(units)}
    n_lab = len(plan.labels)
    fact_names = {s.name for s in plan.facts}
    return Report(
        created_by=f"filingkit {__version__}",
        catalogue=plan.catalogue,
        gold=gold_name,
        predictions=predictions_name,
        system=system,
        scheme=plan.scheme,
        n_documents=n_docs,
        fields=field_scores,
        groups=group_scores,
        micro=micro,
        macro=macro(s.counts for s in field_scores.values()),
        schemes=scheme_results(acc.overall, acc.labels, units[:n_lab], present[:n_lab]),
        records={s.name: acc.records[s.name] for s in plan.facts if s.name in acc.records},
        grounding=grounding_counts({s.name: acc.grounding[s.name] for s in plan.facts
                                    if s.name in acc.grounding}),
        names_strict={s.name: acc.names_strict[s.name] for s in plan.facts
                      if s.name in acc.names_strict},
        documents=documents,
        document_macro=documents.document_macro(),
        errors=acc.sink.items(),
        errors_omitted=acc.sink.omitted(),
        errors_file=acc.sink.path,
        invalid_values={k: v for k, v in sorted(acc.invalid.items())
                        if v and k in fact_names},
        settings=settings,
        declared=None if plan.header is None else tuple(plan.header.fields),
        not_declared=not_declared_entries(plan.undeclared, acc.undeclared),
        extractor=None if plan.header is None else {"name": plan.header.extractor_name,
                                                    "version": plan.header.extractor_version},
        doc_ids=tuple(acc.doc_ids),
        units=tuple(units[u] for u in keep) + tuple(group_names) + ("micro",),
        doc_counts=ext,
    )


def _as_scheme(name: str) -> Scheme:
    for s in SCHEMES:
        if s == name:
            return s
    raise EvaluationError(f"unknown scheme {name!r}{did_you_mean(name, SCHEMES)}")


def _pair_of(row: Any) -> tuple[float, float]:
    return float(row[0]), float(row[1])


def _documents(doc_ids: Sequence[str], counts: FloatArray, scored: npt.NDArray[np.bool_],
               units: list[str]) -> DocumentTable:
    """Per document, the reported fields in scope there with any item, and their micro sum.

    A field in scope with neither gold nor prediction in a document is left out
    of that document's entry (its counts are all zero).
    """
    return DocumentTable(doc_ids, counts, scored & (counts.sum(axis=2) > 0), units)
