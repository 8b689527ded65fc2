"""The contract every registered extractor keeps, built-in or third-party.

Run over every name in the ``filingkit.extractors`` entry-point group: a new
plugin is checked without a line changing here. Trainable extractors are
fitted on the test corpus first.
"""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.catalogue import load_catalogue
from filingkit.extractors.base import Extractor, TrainableExtractor
from filingkit.extractors.registry import extractor_names, get_extractor
from filingkit.normalize import normalize
from filingkit.records import Annotations, Document, GoldRecord

NAMES = extractor_names()


@pytest.fixture(scope="module", params=NAMES)
def extractor(request: pytest.FixtureRequest,
              corpus: list[tuple[Document, GoldRecord]]) -> Any:
    ext = get_extractor(request.param)
    if isinstance(ext, TrainableExtractor):
        ext.fit([d for d, _ in corpus], [g.annotations for _, g in corpus])
    return ext


def _run(ext: Any, doc: Document) -> Annotations:
    out = ext.extract(doc)
    assert isinstance(out, Annotations)
    return out


def test_builtins_are_registered() -> None:
    assert {"regex", "ml", "rules"} <= set(NAMES)


def test_protocol_and_identity(extractor: Any) -> None:
    assert isinstance(extractor, Extractor)
    assert extractor.name in NAMES  # the entry-point name is the extractor's name
    assert isinstance(extractor.version, str) and extractor.version
    if callable(getattr(extractor, "fit", None)):
        assert isinstance(extractor, TrainableExtractor)


def test_declared_fields_are_in_the_catalogue(extractor: Any) -> None:
    cat = load_catalogue()
    assert extractor.fields, "an extractor declares at least one field"
    assert len(set(extractor.fields)) == len(extractor.fields)
    for name in extractor.fields:
        assert name in cat, name


def test_emits_only_declared_fields(extractor: Any,
                                    corpus: list[tuple[Document, GoldRecord]]) -> None:
    for doc, _ in corpus:
        out = _run(extractor, doc)
        assert out.doc_id == doc.doc_id
        for e in out.entities:
            assert e.label in extractor.fields, e
        for f in out.facts:
            assert f.field in extractor.fields, f


def test_offsets_are_inside_the_text_and_spans_are_sane(
        extractor: Any, corpus: list[tuple[Document, GoldRecord]]) -> None:
    cat = load_catalogue()
    for doc, _ in corpus:
        text = doc.text
        out = _run(extractor, doc)
        for e in out.entities:
            assert cat[e.label].kind == "entity"
            assert 0 <= e.start < e.end <= len(text), e
            span = text[e.start:e.end]
            assert span == span.strip(), f"span {span!r} has white space at an edge"
            if e.text is not None:
                assert e.text == span
            normalize(cat[e.label].normalizer, span)  # the span text is a value of its label
        for f in out.facts:
            for ev in f.evidence:
                assert 0 <= ev.start < ev.end <= len(text), f
                if ev.text is not None:
                    assert ev.text == text[ev.start:ev.end]


def test_fact_values_are_normalized(extractor: Any,
                                    corpus: list[tuple[Document, GoldRecord]]) -> None:
    cat = load_catalogue()
    for doc, _ in corpus:
        out = _run(extractor, doc)
        counts: dict[str, int] = {}
        for f in out.facts:
            spec = cat[f.field]
            assert spec.kind == "fact"
            assert normalize(spec.normalizer, f.value) == f.value, f
            if spec.choices and not spec.is_record:
                assert f.value in spec.choices, f
            counts[f.field] = counts.get(f.field, 0) + 1
        for name, n in counts.items():
            if not cat[name].many:
                assert n == 1, f"{name} has cardinality one but was emitted {n} times"


def test_deterministic(extractor: Any, corpus: list[tuple[Document, GoldRecord]]) -> None:
    for doc, _ in corpus:
        assert _run(extractor, doc) == _run(extractor, doc)


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "x", "$", "(Nasdaq:"],
                         ids=["empty", "newlines", "spaces", "one-char", "sign", "cut"])
def test_degenerate_documents(extractor: Any, text: str) -> None:
    out = _run(extractor, Document("empty", text))
    assert out.doc_id == "empty"
    for e in out.entities:
        assert 0 <= e.start < e.end <= len(text)


def test_no_state_carried_between_documents(
        extractor: Any, corpus: list[tuple[Document, GoldRecord]]) -> None:
    docs = [d for d, _ in corpus]
    forward = {d.doc_id: _run(extractor, d) for d in docs}
    backward = {d.doc_id: _run(extractor, d) for d in reversed(docs)}
    assert forward == backward
