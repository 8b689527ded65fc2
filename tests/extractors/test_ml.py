"""The CRF extractor: estimator contract, learning, persistence without pickle, refusals."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from sklearn.base import clone
from sklearn.utils import estimator_checks

from filingkit.errors import FilingkitError
from filingkit.extractors.errors import ExtractorError, ModelFormatError, NotFittedError
from filingkit.extractors.ml import HEADER_FILE, MODEL_FILE, CrfExtractor
from filingkit.extractors.tokens import bio_tags, sentences, spans_from_tags, tokenize
from filingkit.records import Document, Entity, GoldRecord


@pytest.fixture(scope="module")
def fitted(corpus: list[tuple[Document, GoldRecord]]) -> CrfExtractor:
    """A model trained on corpus documents 0-4 (document 5 is held out)."""
    pairs = corpus[:5]
    return CrfExtractor().fit([d for d, _ in pairs], [g.annotations for _, g in pairs])


# ---------------------------------------------------------------- tokens and BIO


def test_tokens_keep_code_point_offsets() -> None:
    text = "Café — \\$2 million (Nasdaq: IMGN) huMy9-6-DM4."
    for tok in tokenize(text):
        assert text[tok.start:tok.end] == tok.text
    assert [t.text for t in tokenize("\\$2 million")] == ["\\", "$", "2", "million"]


def test_bio_round_trip_gives_back_the_spans() -> None:
    text = "On March 17, 2005, ImmunoGen, Inc. paid \\$2 million."
    ents = [Entity("DATE", 3, 17), Entity("ORG", 19, 34), Entity("MONEY", 41, 51)]
    assert [text[e.start:e.end] for e in ents] == ["March 17, 2005", "ImmunoGen, Inc.",
                                                    "$2 million"]
    (toks,) = list(sentences(text))
    tags = bio_tags(toks, ents)
    assert spans_from_tags(toks, tags) == [(e.label, e.start, e.end) for e in ents]


def test_sentences_are_lines() -> None:
    assert [[t.text for t in s] for s in sentences("a b\n\nc\n")] == [["a", "b"], ["c"]]


# ---------------------------------------------------------------- estimator contract


def test_constructor_stores_arguments_verbatim() -> None:
    labels = ["DATE", "MONEY"]
    est = CrfExtractor(labels=labels, c1=0.5, c2=0.0, max_iterations=7, window=1)
    assert est.get_params() == {"labels": labels, "c1": 0.5, "c2": 0.0, "max_iterations": 7,
                                "window": 1, "catalogue": None}
    assert est.labels is labels
    assert est.fields == ("DATE", "MONEY")
    assert not hasattr(est, "tagger_") or getattr(est, "tagger_", None) is None


def test_default_fields_are_the_catalogue_entity_labels() -> None:
    from filingkit.catalogue import load_catalogue

    assert CrfExtractor().fields == load_catalogue().entity_labels


@pytest.mark.parametrize(
    "check",
    [
        pytest.param(getattr(estimator_checks, name), id=name)
        for name in ("check_estimator_cloneable", "check_estimator_repr",
                     "check_get_params_invariance", "check_set_params",
                     "check_no_attributes_set_in_init", "check_parameters_default_constructible",
                     "check_do_not_raise_errors_in_init_or_set_params")
    ],
)
def test_scikit_learn_estimator_checks(check: Any) -> None:
    # the checks that apply to an estimator whose inputs are documents, not arrays
    check("CrfExtractor", CrfExtractor())


def test_clone_gives_an_unfitted_copy_with_the_same_parameters(fitted: CrfExtractor) -> None:
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params() and copy is not fitted
    assert getattr(copy, "tagger_", None) is None
    with pytest.raises(NotFittedError):
        copy.extract(Document("d", "text"))


def test_set_params_and_unknown_names() -> None:
    est = CrfExtractor()
    assert est.set_params(c1=0.2, window=1) is est and (est.c1, est.window) == (0.2, 1)
    with pytest.raises(ExtractorError, match=r"unknown parameters.*'c3'"):
        est.set_params(c3=1.0)


def test_init_reads_no_catalogue(tmp_path: Path) -> None:
    est = CrfExtractor(catalogue=tmp_path / "missing.toml")  # nothing is read yet
    assert est.get_params()["catalogue"] == tmp_path / "missing.toml"
    with pytest.raises(FilingkitError):
        _ = est.fields  # reading the catalogue happens on use


def test_fields_follow_the_fitted_labels(corpus: list[tuple[Document, GoldRecord]]) -> None:
    est = CrfExtractor(labels=["DATE"])
    assert est.fields == ("DATE",)
    est.fit([d for d, _ in corpus[:2]], [g.annotations for _, g in corpus[:2]])
    assert est.fields == est.labels_ == ("DATE",)


@pytest.mark.parametrize("method", ["extract", "save"])
def test_not_fitted_error(method: str, tmp_path: Path) -> None:
    est = CrfExtractor()
    with pytest.raises(NotFittedError, match="not fitted"):
        if method == "extract":
            est.extract(Document("d", "text"))
        else:
            est.save(tmp_path / "m")


@pytest.mark.parametrize(("params", "message"), [
    pytest.param({"max_iterations": 0}, "max_iterations", id="iterations"),
    pytest.param({"window": 9}, "window", id="window"),
    pytest.param({"c1": -1.0}, "c1", id="c1"),
    pytest.param({"labels": ["DATE", "PRICE"]}, "PRICE", id="unknown-label"),
])
def test_bad_parameters_fail_at_fit(params: dict[str, object], message: str,
                                    corpus: list[tuple[Document, GoldRecord]]) -> None:
    doc, gold = corpus[0]
    with pytest.raises(ExtractorError, match=message):
        CrfExtractor(**params).fit([doc], [gold.annotations])  # type: ignore[arg-type]


def test_fit_needs_gold_for_every_document(corpus: list[tuple[Document, GoldRecord]]) -> None:
    with pytest.raises(ExtractorError, match="no gold"):
        CrfExtractor().fit([corpus[0][0]], [corpus[1][1].annotations])


# ---------------------------------------------------------------- learning


def test_fit_returns_self_and_learns_held_out_entities(
        corpus: list[tuple[Document, GoldRecord]]) -> None:
    est = CrfExtractor()
    assert est.fit([d for d, _ in corpus[:5]], [g.annotations for _, g in corpus[:5]]) is est
    doc, gold = corpus[5]
    pred = est.extract(doc)
    got = {(e.label, e.start, e.end) for e in pred.entities}
    want = {(e.label, e.start, e.end) for e in gold.entities}
    assert len(got & want) / len(want) >= 0.6, sorted(got ^ want)
    for e in pred.entities:
        assert doc.text[e.start:e.end] == e.text
        assert e.label in est.fields


def test_labels_restrict_what_is_learnt(corpus: list[tuple[Document, GoldRecord]]) -> None:
    est = CrfExtractor(labels=["DATE"]).fit([d for d, _ in corpus[:5]],
                                             [g.annotations for _, g in corpus[:5]])
    pred = est.extract(corpus[5][0])
    assert pred.entities and {e.label for e in pred.entities} == {"DATE"}
    assert est.fields == ("DATE",)


# ---------------------------------------------------------------- persistence


def test_save_load_round_trip(fitted: CrfExtractor, tmp_path: Path,
                              corpus: list[tuple[Document, GoldRecord]]) -> None:
    fitted.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == [MODEL_FILE, HEADER_FILE]
    loaded = CrfExtractor.load(tmp_path / "model")
    assert loaded.get_params() == {**fitted.get_params(), "labels": None}
    assert loaded.fields == fitted.fields
    for doc, _ in corpus:
        assert loaded.extract(doc) == fitted.extract(doc)
    header = json.loads((tmp_path / "model" / HEADER_FILE).read_text())
    assert header["format"] == "filingkit-crf-model"
    assert header["catalogue"] == {"name": "filingkit-8k", "version": "2"}
    assert header["labels"] == list(fitted.fields)


def test_saved_model_is_no_pickle(fitted: CrfExtractor, tmp_path: Path) -> None:
    fitted.save(tmp_path / "m")
    data = (tmp_path / "m" / MODEL_FILE).read_bytes()
    assert data[:4] == b"lCRF"  # CRFsuite's own file magic
    assert not data.startswith(b"\x80")  # no pickle protocol header


def _tamper(folder: Path, **changes: object) -> None:
    path = folder / HEADER_FILE
    header = json.loads(path.read_text())
    header.update(changes)
    path.write_text(json.dumps(header))


@pytest.mark.parametrize(("changes", "message"), [
    pytest.param({"catalogue": {"name": "filingkit-8k", "version": "1"}}, "catalogue",
                 id="catalogue-version"),
    pytest.param({"catalogue": {"name": "other", "version": "1"}}, "catalogue",
                 id="catalogue-name"),
    pytest.param({"filingkit_version": "0.0.1"}, "filingkit 0.0.1", id="filingkit-version"),
    pytest.param({"format_version": 99}, "format version", id="format-version"),
    pytest.param({"feature_version": 99}, "feature version", id="feature-version"),
    pytest.param({"format": "pickle"}, "header", id="format"),
    pytest.param({"labels": ["DATE", "PRICE"]}, "PRICE", id="labels"),
    pytest.param({"model_sha256": "0" * 64}, "sha256", id="sha256"),
])
def test_load_refuses_mismatch(fitted: CrfExtractor, tmp_path: Path,
                               changes: dict[str, object], message: str) -> None:
    fitted.save(tmp_path / "m")
    _tamper(tmp_path / "m", **changes)
    with pytest.raises(ModelFormatError, match=message):
        CrfExtractor.load(tmp_path / "m")


def test_load_refuses_a_folder_without_model(tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError, match="not a saved ml model"):
        CrfExtractor.load(tmp_path)


def test_load_refuses_corrupt_model_file(fitted: CrfExtractor, tmp_path: Path) -> None:
    import hashlib

    fitted.save(tmp_path / "m")
    junk = b"not a crfsuite model"
    (tmp_path / "m" / MODEL_FILE).write_bytes(junk)
    _tamper(tmp_path / "m", model_sha256=hashlib.sha256(junk).hexdigest())
    with pytest.raises(ModelFormatError, match="CRFsuite"):
        CrfExtractor.load(tmp_path / "m")


@pytest.mark.parametrize("module", ["sklearn_crfsuite", "pycrfsuite"])
def test_without_the_ml_extra_the_error_says_how_to_install(
        module: str, corpus: list[tuple[Document, GoldRecord]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    with pytest.raises(ExtractorError, match=module) as info:
        CrfExtractor(labels=["DATE"]).fit([corpus[0][0]], [corpus[0][1].annotations])
    assert info.value.hint == "pip install 'filingkit[ml]'"
