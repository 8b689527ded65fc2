"""Records round-trip through JSON; the predictions format reads and writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from filingkit.errors import GoldFormatError
from filingkit.records import Annotations, Entity, Fact
from filingkit.serialize import (
    annotations_from_json,
    gold_from_json,
    gold_to_json,
    read_predictions,
    write_predictions,
)


def test_gold_roundtrip(gold_factory) -> None:  # type: ignore[no-untyped-def]
    _, record = gold_factory()
    again = gold_from_json(gold_to_json(record))
    assert gold_to_json(again) == gold_to_json(record)
    assert again.entities == tuple(sorted(record.entities, key=lambda e: (e.start, e.end)))
    assert again.facts == record.facts


def test_predictions_roundtrip(tmp_path: Path) -> None:
    preds = [
        Annotations("a", (Entity("ORG", 0, 3),), (Fact("filing:Items", "8.01"),)),
        Annotations("b"),
    ]
    path = write_predictions(tmp_path / "p.jsonl", preds, extractor="test")
    back = read_predictions(path)
    assert [p.doc_id for p in back] == ["a", "b"]
    assert back[0].entities[0].label == "ORG"
    assert back[0].facts[0].value == "8.01"


def test_duplicate_document_in_predictions(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "a"}\n{"doc_id": "a"}\n', encoding="utf-8")
    with pytest.raises(GoldFormatError, match="line 2: document 'a' appears twice"):
        read_predictions(path)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        pytest.param({"entities": []}, "missing key 'doc_id'", id="no-doc-id"),
        pytest.param({"doc_id": "a", "entities": [{"label": "ORG", "start": "0", "end": 2}]},
                     "start must be int", id="string-offset"),
        pytest.param({"doc_id": "a", "entities": [{"label": "ORG", "start": True, "end": 2}]},
                     "boolean", id="bool-offset"),
        pytest.param({"doc_id": "a", "facts": [{"field": "x"}]}, "missing key 'value'",
                     id="fact-no-value"),
        pytest.param({"doc_id": "a", "facts": {}}, "must be lists", id="facts-not-list"),
    ],
)
def test_malformed_prediction(obj: dict[str, object], message: str) -> None:
    with pytest.raises(GoldFormatError, match=message):
        annotations_from_json(obj, file="p.jsonl")
