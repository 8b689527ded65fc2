"""Import of recorded Label Studio exports (see record_exports.py) into per-annotator gold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from filingkit.annotate.importer import import_export, read_export
from filingkit.errors import FilingkitError
from filingkit.gold.store import load_gold_file, save_gold
from filingkit.gold.validate import validate_gold_dir

from .builders import DATA, FILING_TEXT, annotations_a, annotations_b

SNAPSHOT = DATA / "export-snapshot.json"
PLAIN = DATA / "export-plain.json"
BAD = DATA / "export-bad.json"
EMOJI = "🚀 Rocket  Corp. (Nasdaq: RCKT) — Café\r\nCEO:\tJane Q. Public ☕\r\nAustin, TX\r\n"


def _keys(entities: Any) -> set[tuple[str, int, int]]:
    return {(e.label, e.start, e.end) for e in entities}


def test_snapshot_export_gives_one_set_per_annotator(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    report = import_export(SNAPSHOT, gold)
    assert report.ok, report.issues
    written = {(s.doc_id, s.annotator) for s in report.sets if s.action == "written"}
    assert written == {("seed-000", "admin@example.com"), ("seed-000", "ann-b@example.com"),
                       ("emoji-crlf", "admin@example.com")}
    assert any("cancelled" in n and "ann-b@example.com" in n for n in report.notes)
    assert validate_gold_dir(gold, include_annotation_sets=True) == []
    a = load_gold_file(gold / "seed-000" / "annotations" / "admin@example.com.json")
    assert a.gold.status == "annotated" and a.gold.annotator == "admin@example.com"
    assert {e.source for e in a.gold.entities} == {"labelstudio:admin@example.com"}
    assert _keys(a.gold.entities) == _keys(annotations_a().entities)
    b = load_gold_file(gold / "seed-000" / "annotations" / "ann-b@example.com.json")
    assert _keys(b.gold.entities) == _keys(annotations_b().entities)
    assert (gold / "seed-000" / "text.txt").read_bytes().decode("utf-8") == FILING_TEXT
    assert not (gold / "seed-000" / "gold.json").exists()


def test_emoji_crlf_and_collapsed_whitespace(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    assert import_export(SNAPSHOT, gold).ok
    doc = load_gold_file(gold / "emoji-crlf" / "annotations" / "admin@example.com.json")
    assert doc.document.text == EMOJI  # CRLF kept, code points untouched
    org = next(e for e in doc.gold.entities if e.label == "ORG")
    # value.text was 'Rocket Corp.' (collapsed); the span text is re-derived from the text
    assert org.text == "Rocket  Corp." == EMOJI[org.start:org.end]
    assert EMOJI[org.start - 2] == "🚀"  # offsets are code points, not UTF-16 units


def test_plain_export_names_annotators_by_id(tmp_path: Path) -> None:
    report = import_export(PLAIN, tmp_path / "gold")
    assert report.ok, report.issues
    assert {s.annotator for s in report.sets} == {"user1", "user3"}


def test_bad_regions_are_reported_and_nothing_is_written(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    report = import_export(BAD, gold)
    ids = sorted(i.region.split("(")[1].split(")")[0] for i in report.issues)
    assert ids == ["bad-date", "past-end", "unknown-control", "unknown-label", "wrong-text"]
    for issue in report.issues:
        assert issue.annotator == "admin@example.com" and issue.task.endswith("(seed-000)")
    assert all(s.action == "not written" for s in report.sets)
    assert not gold.exists() or not any(gold.rglob("*.json"))


def test_allow_invalid_writes_the_good_regions(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    report = import_export(BAD, gold, allow_invalid=True)
    assert len(report.issues) == 5
    (s,) = report.sets
    assert s.action == "written" and s.entities == 2
    assert validate_gold_dir(gold) == []


def test_reimport_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    assert import_export(SNAPSHOT, gold).ok
    again = import_export(SNAPSHOT, gold)
    assert again.ok and {s.action for s in again.sets} == {"unchanged"}
    # a changed annotation is refused without overwrite
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    data[0]["annotations"][0]["result"] = data[0]["annotations"][0]["result"][:3]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    refused = import_export(changed, gold)
    assert [i.region for i in refused.issues] == ["annotation set"]
    assert import_export(changed, gold, overwrite=True).ok


def test_adjudicated_gold_is_never_touched(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    assert import_export(SNAPSHOT, gold).ok
    a = load_gold_file(gold / "seed-000" / "annotations" / "admin@example.com.json")
    from dataclasses import replace

    adjudicated = replace(a.gold, status="adjudicated", annotator=None)
    path = save_gold(gold, a.document, adjudicated)
    before = path.read_bytes()
    shutil.rmtree(gold / "seed-000" / "annotations")
    assert import_export(SNAPSHOT, gold).ok
    assert path.read_bytes() == before


def test_text_differing_from_stored_text_is_refused(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    (gold / "seed-000").mkdir(parents=True)
    (gold / "seed-000" / "text.txt").write_text(FILING_TEXT.replace("FORM", "Form"),
                                                encoding="utf-8")
    report = import_export(SNAPSHOT, gold)
    assert any(i.region == "data.text" for i in report.issues)


def test_not_an_export(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"tasks": []}', encoding="utf-8")
    with pytest.raises(FilingkitError, match="list of task objects"):
        read_export(p)


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from filingkit.cli import main

    assert main(["annotate", "import", str(BAD), "-o", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err
    assert f"INVALID {BAD}: task" in err and "past-end" in err and "TIP:" in err
    assert main(["annotate", "import", str(SNAPSHOT), "-o", str(tmp_path / "g2")]) == 0
