"""Document-level K-fold cross-validation for trainable extractors.

A trained extractor scored on the documents it learnt from says nothing. Here
the documents (never tokens or lines, which would leak a document's own
context into training) are split into K folds, deterministically for a seed;
a fresh clone of the extractor is fitted on K-1 folds and predicts the
held-out one. The union of the held-out predictions covers every document
exactly once and is what gets scored.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from filingkit.catalogue import Catalogue
from filingkit.extractors.errors import ExtractorError
from filingkit.records import Annotations, Document, GoldRecord

__all__ = ["CVResult", "Fittable", "clone", "cross_val_predict", "in_scope", "kfold_documents"]


class Fittable(Protocol):
    """What cross-validation needs of an extractor: ``fit`` and ``extract``."""

    def fit(self, documents: Sequence[Document], gold: Sequence[Annotations]) -> Any:
        """Learn from documents and their gold."""
        ...

    def extract(self, document: Document) -> Annotations:
        """Predict one document."""
        ...


def in_scope(record: GoldRecord, fields: Sequence[str], catalogue: Catalogue) -> bool:
    """True when the gold record's scope covers at least one of ``fields`` (a document
    a trainable extractor may learn from, or be scored on, for those fields)."""
    scope = set(record.scope)
    return any(f in scope or (f in catalogue and catalogue[f].group in scope) for f in fields)


def kfold_documents(doc_ids: Sequence[str], k: int, *, seed: int = 0) -> list[tuple[str, ...]]:
    """Split document ids into ``k`` folds of near-equal size (sizes differ by at most one).

    Deterministic: the ids are sorted, shuffled by ``random.Random(seed)`` and
    dealt round-robin, so the input order does not matter.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise ExtractorError(f"cross-validation needs k >= 2 folds, got {k!r}")
    ids = sorted(set(doc_ids))
    if len(ids) != len(doc_ids):
        raise ExtractorError("cross-validation: a document id appears twice")
    if k > len(ids):
        raise ExtractorError(
            f"cross-validation with k={k} needs at least {k} documents, got {len(ids)}",
            hint="lower --cv or add gold documents with entity scope",
        )
    random.Random(seed).shuffle(ids)
    return [tuple(sorted(ids[i::k])) for i in range(k)]


def clone(extractor: Any) -> Any:
    """A new, unfitted extractor with the same constructor arguments.

    Uses ``get_params()`` when the extractor has it (sklearn-style), else
    calls its class without arguments.
    """
    get_params = getattr(extractor, "get_params", None)
    params = get_params() if callable(get_params) else {}
    return type(extractor)(**params)


@dataclass(frozen=True, slots=True)
class CVResult:
    """Held-out predictions (input order) and which documents each fold trained on."""

    predictions: tuple[Annotations, ...]
    folds: tuple[tuple[str, ...], ...]
    #: for each fold, the ids its model was fitted on (all the other folds)
    trained_on: tuple[tuple[str, ...], ...]
    fit_seconds: float
    predict_seconds: float
    #: the fitted model of each fold (same order as ``folds``)
    models: tuple[Any, ...] = ()


def cross_val_predict(
    extractor: Fittable | Callable[[], Fittable],
    documents: Sequence[Document],
    gold: Sequence[Annotations],
    *,
    k: int = 5,
    seed: int = 0,
) -> CVResult:
    """Predict every document with a model that never saw it.

    ``extractor`` is an unfitted template (cloned per fold) or a factory
    returning a fresh extractor. ``gold`` is matched to documents by id.
    """
    import time

    by_doc = {d.doc_id: d for d in documents}
    by_gold = {g.doc_id: g for g in gold}
    missing = sorted(set(by_doc) - set(by_gold))
    if missing:
        raise ExtractorError(f"cross-validation: no gold for documents {missing[:5]}")
    folds = kfold_documents([d.doc_id for d in documents], k, seed=seed)
    make: Callable[[], Fittable]
    if isinstance(extractor, type) or not hasattr(extractor, "fit"):
        make = extractor  # a class or a factory
    else:
        template = extractor

        def make() -> Fittable:
            return clone(template)  # type: ignore[no-any-return]
    held_out: dict[str, Annotations] = {}
    trained_on: list[tuple[str, ...]] = []
    models: list[Any] = []
    fit_s = predict_s = 0.0
    for fold in folds:
        test = set(fold)
        train_ids = tuple(sorted(i for i in by_doc if i not in test))
        model = make()
        t0 = time.perf_counter()
        model.fit([by_doc[i] for i in train_ids], [by_gold[i] for i in train_ids])
        t1 = time.perf_counter()
        for doc_id in fold:
            held_out[doc_id] = model.extract(by_doc[doc_id])
        predict_s += time.perf_counter() - t1
        fit_s += t1 - t0
        trained_on.append(train_ids)
        models.append(model)
    return CVResult(
        predictions=tuple(held_out[d.doc_id] for d in documents),
        folds=tuple(folds),
        trained_on=tuple(trained_on),
        fit_seconds=fit_s,
        predict_seconds=predict_s,
        models=tuple(models),
    )
