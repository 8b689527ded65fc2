"""Tasks and pre-annotations: round trip through Label Studio results, validated before writing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk.label_interface.interface import LabelInterface

from filingkit.annotate.config import labeling_schema
from filingkit.annotate.regions import from_results, to_results
from filingkit.annotate.tasks import (
    build_task,
    build_tasks,
    document_from_data,
    load_documents,
    validate_task,
    write_tasks,
)
from filingkit.errors import FilingkitError
from filingkit.records import Annotations, Entity
from filingkit.serialize import write_predictions

from .builders import FILING_TEXT, annotations_a, document, write_set


def _key(ann: Annotations) -> tuple[Any, ...]:
    ents = sorted((e.label, e.start, e.end) for e in ann.entities)
    facts = sorted(json.dumps([f.field, f.value, [(v.start, v.end) for v in f.evidence]],
                              sort_keys=True) for f in ann.facts)
    return tuple(ents), tuple(facts)


def test_results_round_trip() -> None:
    schema = labeling_schema()
    ann = annotations_a()
    results = to_results(ann, FILING_TEXT, schema)
    read = from_results(results, FILING_TEXT, schema, source="x", strict_text=True)
    assert read.issues == ()
    assert _key(Annotations(ann.doc_id, read.entities, read.facts)) == _key(ann)


def test_predictions_pass_label_interface() -> None:
    schema = labeling_schema()
    task = build_task(document(), schema, predictions=[("fixture@1", annotations_a())])
    li = LabelInterface(schema.xml)
    assert li.validate_prediction(task["predictions"][0], return_errors=True) == []


def test_task_carries_id_hash_and_provenance() -> None:
    task = build_task(document(), labeling_schema())
    data = task["data"]
    assert data["doc_id"] == "seed-000" and data["text"] == FILING_TEXT
    assert data["provenance"]["kind"] == "seed"
    assert document_from_data(data) == document()
    assert "predictions" not in task


def _bad(region: dict[str, Any]) -> dict[str, Any]:
    task = build_task(document(), labeling_schema(), predictions=[("m@1", annotations_a())])
    task["predictions"][0]["result"].append(region)
    return task


@pytest.mark.parametrize(
    ("region", "reason"),
    [
        pytest.param({"from_name": "label", "to_name": "text", "type": "labels",
                      "value": {"start": 7000, "end": 7300, "labels": ["ORG"]}},
                     "ends past the text", id="past-end"),
        pytest.param({"from_name": "label", "to_name": "text", "type": "labels",
                      "value": {"start": 0, "end": 6, "text": "UNITED", "labels": ["FIRM"]}},
                     "not in the config", id="unknown-label"),
        pytest.param({"from_name": "mood", "to_name": "text", "type": "choices",
                      "value": {"choices": ["happy"]}}, "unknown control", id="unknown-control"),
        pytest.param({"from_name": "label", "to_name": "text", "type": "labels",
                      "value": {"start": 0, "end": 6, "text": "UNITED ", "labels": ["ORG"]}},
                     "is not text[0:6]", id="span-text"),
        pytest.param({"from_name": "dei_SecurityExchangeName", "to_name": "text",
                      "type": "choices", "value": {"choices": ["LSE"]}},
                     "not offered", id="unknown-choice"),
        pytest.param({"from_name": "label", "to_name": "text", "type": "labels",
                      "value": {"start": 5, "end": 5, "labels": ["ORG"]}},
                     "empty", id="empty-span"),
    ],
)
def test_validation_catches_what_the_server_accepts(region: dict[str, Any], reason: str) -> None:
    issues = validate_task(_bad(region), labeling_schema())
    assert len(issues) == 1, issues
    assert reason in issues[0].reason
    assert issues[0].doc_id == "seed-000" and "predictions[0]" in issues[0].where


def test_write_tasks_refuses_invalid_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    bad = _bad({"from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 99999, "labels": ["ORG"]}})
    with pytest.raises(FilingkitError, match="1 invalid regions"):
        write_tasks(out, [bad], labeling_schema())
    assert not out.exists()


def test_prediction_for_unknown_document_is_an_error() -> None:
    with pytest.raises(FilingkitError, match="unknown document"):
        build_tasks([document()], labeling_schema(),
                    predictions={"m@1": [Annotations("other", (Entity("ORG", 0, 3),))]})


def test_load_documents_from_gold_and_filing_folders(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    write_set(gold, document(), annotations_a(), "a")
    plain = tmp_path / "plain" / "filing-x"
    plain.mkdir(parents=True)
    (plain / "text.txt").write_text("Hello ACME Corp.\n", encoding="utf-8")
    docs = load_documents([gold, plain])
    assert [d.doc_id for d in docs] == ["seed-000", "filing-x"]
    with pytest.raises(FilingkitError, match="given twice"):
        load_documents([gold, gold])


def test_cli_export_with_predictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from filingkit.cli import main

    gold = tmp_path / "gold"
    write_set(gold, document(), annotations_a(), "a")
    preds = tmp_path / "p.jsonl"
    write_predictions(preds, [annotations_a()])
    out = tmp_path / "tasks.json"
    assert main(["annotate", "export", str(gold), "--predictions", f"{preds}=rules@2",
                 "-o", str(out)]) == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert tasks[0]["predictions"][0]["model_version"] == "rules@2"
    assert validate_task(tasks[0], labeling_schema()) == []


def test_cli_export_with_a_registered_extractor(tmp_path: Path) -> None:
    from filingkit.cli import main

    folder = tmp_path / "filings" / "seed-000"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_bytes(FILING_TEXT.encode("utf-8"))
    out = tmp_path / "tasks.json"
    assert main(["annotate", "export", str(folder), "--extractor", "regex", "-o", str(out)]) == 0
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    (pred,) = task["predictions"]
    assert pred["model_version"].startswith("regex@") and pred["result"]
    assert validate_task(task, labeling_schema()) == []
