"""``evaluate``: score predictions against gold, field by field, document by document.

The steps are: resolve the catalogue and the fields to score; pair each gold
document with its prediction (``inputs``: a gold document without one is all
false negatives; a prediction for a document not in gold is an error); match
entity spans under all four schemes (``score_entities`` over ``spans``) and
fact values by their catalogue rules (``score_facts`` over ``facts``), each
only where the field is in the gold document's scope; collect per-document
counts into one ``(docs, units, 3)`` array; sum it for fields, groups and the
micro average, resample it for confidence intervals (``stats``); list every
error with its context; wrap it all in a frozen ``Report``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from filingkit.catalogue import Catalogue, FieldSpec, did_you_mean, load_catalogue
from filingkit.eval.declared import not_declared_support, split_declared
from filingkit.eval.inputs import EvaluationError, check_names, gold_items, pair_predictions
from filingkit.eval.metrics import Counts, macro
from filingkit.eval.report import DocumentScore, ErrorItem, Report, Score
from filingkit.eval.score_entities import score_entities
from filingkit.eval.score_facts import score_facts
from filingkit.eval.spans import SCHEMES, Scheme
from filingkit.eval.stats import FloatArray, Interval, bootstrap_intervals
from filingkit.records import Annotations, GoldDocument, PredictionsHeader

__all__ = ["EvaluationError", "evaluate"]


def _resolve_fields(cat: Catalogue, fields: Sequence[str] | None) -> list[FieldSpec]:
    if fields is None:
        return list(cat.fields)
    wanted = set()
    for name in fields:
        if name not in cat:
            raise EvaluationError(f"unknown field{did_you_mean(name, cat.names())}", field=name)
        wanted.add(name)
    return [f for f in cat.fields if f.name in wanted]


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
) -> Report:
    """Score ``predictions`` against ``gold`` and return the full report.

    ``gold`` holds ``GoldDocument`` (scope and text known) or ``Annotations``
    (everything in scope, no text). ``fields`` restricts scoring to those
    catalogue names (e.g. what an extractor declares). ``scheme`` is the entity
    scheme behind ``fields``, ``groups``, ``micro`` and ``macro``; all four are
    always reported under ``schemes``. ``n_resamples=0`` skips the intervals.
    ``header`` (the predictions' header) scores only the fields its extractor
    declares; the others the gold has are listed in ``not_declared``.
    """
    from filingkit import __version__

    scheme_ = _as_scheme(scheme)
    if min_overlap is not None and not 0.0 < min_overlap <= 1.0:
        raise EvaluationError(f"min_overlap must be in (0, 1], got {min_overlap!r}")
    if n_resamples < 0:
        raise EvaluationError(f"n_resamples must be >= 0, got {n_resamples}")
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    specs, undeclared = split_declared(cat, _resolve_fields(cat, fields), header,
                                       file=predictions_name)
    items = gold_items(gold)
    preds = pair_predictions(items, predictions, ignore_unknown=ignore_unknown_documents)
    for g, p in zip(items, preds, strict=True):
        check_names(cat, g.annotations, "gold document")
        check_names(cat, p, "predicted document")

    n_docs = len(items)
    labels = [s for s in specs if s.kind == "entity"]
    facts = [s for s in specs if s.kind == "fact"]
    spec_of = labels + facts
    units = [s.name for s in spec_of]
    everything = [True] * len(spec_of)
    in_scope = np.array([everything if g.scope is None else [g.in_scope(s) for s in spec_of]
                         for g in items], dtype=bool).reshape(n_docs, len(spec_of))
    ents = score_entities(items, preds, labels, in_scope[:, : len(labels)],
                          scheme_, min_overlap)
    fs = score_facts(items, preds, facts, in_scope[:, len(labels):], strict_names=strict_names)
    counts = np.concatenate([ents.counts, fs.counts], axis=1)
    errors = ents.errors + fs.errors

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
    documents = _documents(items, counts, in_scope & present, units)
    settings = {"min_overlap": min_overlap, "strict_names": strict_names, "level": level,
                "ci_method": ci_method if n_resamples else None, "fields": list(units)}
    return Report(
        created_by=f"filingkit {__version__}",
        catalogue=(cat.name, cat.version),
        gold=gold_name,
        predictions=predictions_name,
        system=system,
        scheme=scheme,
        n_documents=n_docs,
        fields=field_scores,
        groups=group_scores,
        micro=micro,
        macro=macro(s.counts for s in field_scores.values()),
        schemes=ents.schemes,
        records=fs.records,
        grounding=fs.grounding,
        names_strict=fs.names_strict,
        documents=documents,
        document_macro=macro(d.micro for d in documents.values()),
        errors=tuple(sorted(errors, key=_error_order)),
        settings=settings,
        declared=None if header is None else tuple(header.fields),
        not_declared=not_declared_support(items, undeclared),
        extractor=None if header is None else {"name": header.extractor_name,
                                               "version": header.extractor_version},
        doc_ids=tuple(g.doc_id for g in items),
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


def _error_order(e: ErrorItem) -> tuple[str, int, int, str, str]:
    return (e.doc_id, -1 if e.start is None else e.start, -1 if e.end is None else e.end,
            e.field, e.kind)


def _documents(items: Sequence[Any], counts: FloatArray, scored: npt.NDArray[np.bool_],
               units: list[str]) -> dict[str, DocumentScore]:
    """Per document, the reported fields in scope there with any item, and their micro sum.

    A field in scope with neither gold nor prediction in a document is left out
    of that document's entry (its counts are all zero).
    """
    rows = counts.tolist()
    mask = (scored & (counts.sum(axis=2) > 0)).tolist()
    out = {}
    for d, g in enumerate(items):
        fields = {units[u]: Counts(*rows[d][u]) for u, ok in enumerate(mask[d]) if ok}
        micro = Counts(sum(c.tp for c in fields.values()), sum(c.fp for c in fields.values()),
                       sum(c.fn for c in fields.values()))
        out[g.doc_id] = DocumentScore(fields, micro, macro(fields.values()))
    return out
