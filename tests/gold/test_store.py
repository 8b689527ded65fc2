"""Gold files are written atomically and never silently overwritten."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from filingkit.errors import OverwriteRefused
from filingkit.gold.store import load_gold_dir, save_gold


def test_roundtrip(small_gold_dir: Path, gold_factory) -> None:  # type: ignore[no-untyped-def]
    doc, record = gold_factory()
    [loaded] = load_gold_dir(small_gold_dir)
    assert loaded.document.text == doc.text
    assert loaded.gold.facts == record.facts


def test_refuses_overwrite(small_gold_dir: Path, gold_factory) -> None:  # type: ignore[no-untyped-def]
    doc, record = gold_factory()
    with pytest.raises(OverwriteRefused, match="gold file exists"):
        save_gold(small_gold_dir, doc, record)
    save_gold(small_gold_dir, doc, record, overwrite=True)


def test_adjudicated_needs_explicit_overwrite(tmp_path: Path, gold_factory) -> None:  # type: ignore[no-untyped-def]
    doc, record = gold_factory()
    adjudicated = dataclasses.replace(record, status="adjudicated")
    save_gold(tmp_path, doc, adjudicated)
    with pytest.raises(OverwriteRefused, match="adjudicated"):
        save_gold(tmp_path, doc, record, overwrite=True)
    save_gold(tmp_path, doc, record, overwrite=True, overwrite_adjudicated=True)


def test_refuses_different_text(small_gold_dir: Path, gold_factory) -> None:  # type: ignore[no-untyped-def]
    doc, record = gold_factory(text="Something else entirely. March 15, 2005 ImmunoGen, Inc. "
                               "Massachusetts")
    with pytest.raises(OverwriteRefused, match="different canonical text"):
        save_gold(small_gold_dir, doc, record, overwrite=True)


def test_annotation_sets_go_beside_gold(tmp_path: Path, gold_factory) -> None:  # type: ignore[no-untyped-def]
    doc, record = gold_factory()
    a = dataclasses.replace(record, annotator="alice@example.com")
    path = save_gold(tmp_path, doc, a, annotator_set=True)
    assert path == tmp_path / "doc1" / "annotations" / "alice@example.com.json"
    assert not (tmp_path / "doc1" / "gold.json").exists()


def test_no_temp_files_left(small_gold_dir: Path) -> None:
    leftovers = [p for p in small_gold_dir.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
