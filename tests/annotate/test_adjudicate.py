"""Adjudication: agreed values become gold, disputes go to an ordered queue, resolutions win."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from filingkit.annotate.adjudicate import AGREED_MODEL_VERSION, adjudicate, review_tasks
from filingkit.annotate.config import labeling_schema
from filingkit.annotate.tasks import validate_task
from filingkit.gold.store import load_gold_file, save_gold
from filingkit.gold.validate import validate_gold_dir

from .builders import annotations_a, document, write_set


def test_disputes_are_queued_in_priority_order(two_annotator_gold: Path) -> None:
    report = adjudicate(two_annotator_gold)
    assert not (two_annotator_gold / "seed-000" / "gold.json").exists()
    assert report.skipped == (("seed-000", "5 disputed field(s) in the queue"),)
    fields = [e.field for e in report.queue]
    assert set(fields) == {"PERSON", "ORG", "INDICATION", "dei:WrittenCommunications",
                           "filing:Items"}
    # every value of a field disputed (priority 1) before a field with agreed values
    priorities = [e.priority for e in report.queue]
    assert priorities == sorted(priorities, reverse=True)
    assert report.queue[0].priority == 1.0
    items = next(e for e in report.queue if e.field == "filing:Items")
    assert items.agreed == 1 and items.priority == 0.5
    (d,) = items.disputed
    assert d.value == "9.01" and d.annotators == ("ann-a",) and d.missing == ("ann-b",)
    box = next(e for e in report.queue if e.field == "dei:WrittenCommunications")
    assert {v.value for v in box.disputed} == {False, True}
    q = report.queue_dict()
    assert q["format"] == "filingkit-adjudication-queue"
    json.dumps(q)


def test_agreement_only_becomes_gold(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    doc = document()
    write_set(gold, doc, annotations_a(), "manual-a")
    write_set(gold, doc, annotations_a(), "manual-b")
    report = adjudicate(gold)
    assert report.queue == () and len(report.written) == 1
    g = load_gold_file(gold / "seed-000" / "gold.json").gold
    assert g.status == "adjudicated" and g.annotator is None
    assert {e.source for e in g.entities} | {f.source for f in g.facts} == {"adjudicated"}
    assert len(g.entities) == len(annotations_a().entities)
    assert validate_gold_dir(gold) == []
    assert adjudicate(gold).unchanged == (str(gold / "seed-000" / "gold.json"),)


def test_resolution_set_settles_disputes(two_annotator_gold: Path) -> None:
    write_set(two_annotator_gold, document(), annotations_a(), "reviewer")
    report = adjudicate(two_annotator_gold, resolved_by="reviewer")
    assert report.queue == ()
    (doc,) = report.documents
    assert doc.resolved_by == "reviewer" and doc.annotators == ("ann-a", "ann-b")
    g = load_gold_file(two_annotator_gold / "seed-000" / "gold.json").gold
    assert g.status == "adjudicated"
    assert {e.label for e in g.entities} >= {"PERSON"}
    assert validate_gold_dir(two_annotator_gold) == []


def test_adjudicated_gold_is_not_replaced(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    doc = document()
    write_set(gold, doc, annotations_a(), "a")
    write_set(gold, doc, annotations_a(), "b")
    existing = load_gold_file(gold / "seed-000" / "annotations" / "a.json")
    save_gold(gold, doc, replace(existing.gold, status="adjudicated", annotator=None,
                                 entities=existing.gold.entities[:1]))
    before = (gold / "seed-000" / "gold.json").read_bytes()
    report = adjudicate(gold, overwrite=True)
    assert report.written == () and "adjudicated" in report.skipped[0][1]
    assert (gold / "seed-000" / "gold.json").read_bytes() == before
    assert adjudicate(gold, overwrite=True, overwrite_adjudicated=True).written


def test_review_tasks_show_each_annotator(two_annotator_gold: Path) -> None:
    schema = labeling_schema()
    report = adjudicate(two_annotator_gold, write=False)
    (task,) = review_tasks(report, two_annotator_gold, schema)
    versions = [p["model_version"] for p in task["predictions"]]
    assert versions == [AGREED_MODEL_VERSION, "annotator:ann-a", "annotator:ann-b"]
    assert {d["field"] for d in task["data"]["disputes"]} >= {"PERSON"}
    assert validate_task(task, schema) == []


def test_cli_adjudicate(two_annotator_gold: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    from filingkit.cli import main

    queue = tmp_path / "queue.json"
    review = tmp_path / "review.json"
    assert main(["annotate", "adjudicate", str(two_annotator_gold), "--queue", str(queue),
                 "--review-tasks", str(review)]) == 0
    assert json.loads(queue.read_text(encoding="utf-8"))["entries"]
    assert len(json.loads(review.read_text(encoding="utf-8"))) == 1
    assert "queue 1.00 seed-000" in capsys.readouterr().out
