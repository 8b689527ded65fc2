"""Document-level cross-validation: deterministic folds, and no document predicted by a
model that was trained on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Self

import pytest

from filingkit.extractors.cv import clone, cross_val_predict, kfold_documents
from filingkit.extractors.errors import ExtractorError
from filingkit.extractors.ml import CrfExtractor
from filingkit.records import Annotations, Document, Entity, GoldRecord

IDS = [f"d{i:02d}" for i in range(11)]


def test_folds_partition_the_documents() -> None:
    folds = kfold_documents(IDS, 4, seed=3)
    flat = [d for f in folds for d in f]
    assert sorted(flat) == IDS and len(flat) == len(set(flat))
    assert {len(f) for f in folds} <= {2, 3}


def test_folds_are_deterministic_and_order_independent() -> None:
    assert kfold_documents(IDS, 3, seed=1) == kfold_documents(list(reversed(IDS)), 3, seed=1)
    assert kfold_documents(IDS, 3, seed=1) == kfold_documents(IDS, 3, seed=1)
    assert kfold_documents(IDS, 3, seed=1) != kfold_documents(IDS, 3, seed=2)


@pytest.mark.parametrize(("ids", "k", "message"), [
    pytest.param(IDS[:3], 4, "at least 4 documents", id="too-few"),
    pytest.param(IDS, 1, "k >= 2", id="k-one"),
    pytest.param(["a", "a", "b"], 2, "twice", id="duplicate"),
])
def test_fold_errors(ids: list[str], k: int, message: str) -> None:
    with pytest.raises(ExtractorError, match=message):
        kfold_documents(ids, k)


class SpyExtractor:
    """Remembers what it was trained on and refuses to predict those documents."""

    name = "spy"
    version = "1"
    log: ClassVar[list[tuple[str, frozenset[str], str]]] = []

    def __init__(self) -> None:
        self.trained_: frozenset[str] | None = None
        self.fields = ("DATE",)

    def get_params(self) -> dict[str, object]:
        return {}

    def fit(self, documents: Sequence[Document], gold: Sequence[Annotations]) -> Self:
        assert [d.doc_id for d in documents] == [g.doc_id for g in gold]
        self.trained_ = frozenset(d.doc_id for d in documents)
        return self

    def extract(self, document: Document) -> Annotations:
        assert self.trained_ is not None, "predicting before fit"
        self.log.append(("extract", self.trained_, document.doc_id))
        return Annotations(document.doc_id, (Entity("DATE", 0, 1),))


def test_no_document_is_predicted_by_a_model_trained_on_it() -> None:
    docs = [Document(i, "x") for i in IDS]
    gold = [Annotations(i) for i in IDS]
    SpyExtractor.log = []
    res = cross_val_predict(SpyExtractor(), docs, gold, k=4, seed=0)
    assert [p.doc_id for p in res.predictions] == IDS  # input order kept
    predicted = [doc_id for _, _, doc_id in SpyExtractor.log]
    assert sorted(predicted) == IDS  # each document predicted exactly once
    for _, trained, doc_id in SpyExtractor.log:
        assert doc_id not in trained
    for fold, trained_ids in zip(res.folds, res.trained_on, strict=True):
        assert not set(fold) & set(trained_ids)
        assert set(fold) | set(trained_ids) == set(IDS)


def test_cv_with_the_crf(corpus: list[tuple[Document, GoldRecord]]) -> None:
    docs = [d for d, _ in corpus]
    gold = [g.annotations for _, g in corpus]
    res = cross_val_predict(CrfExtractor(labels=["DATE", "MONEY"], max_iterations=30), docs,
                            gold, k=3, seed=0)
    assert len(res.models) == 3 and res.fit_seconds > 0
    assert all(m.n_documents_ == 4 for m in res.models)
    found = sum(len(p.entities) for p in res.predictions)
    assert found > 0


def test_clone_gives_an_unfitted_copy(corpus: list[tuple[Document, GoldRecord]]) -> None:
    est = CrfExtractor(labels=["DATE"], c1=0.3)
    est.fit([corpus[0][0]], [corpus[0][1].annotations])
    copy = clone(est)
    assert copy.get_params() == est.get_params() and copy is not est
    assert getattr(copy, "tagger_", None) is None


def test_missing_gold_is_an_error() -> None:
    with pytest.raises(ExtractorError, match="no gold"):
        cross_val_predict(SpyExtractor(), [Document("a", "x"), Document("b", "y")],
                          [Annotations("a")], k=2)
