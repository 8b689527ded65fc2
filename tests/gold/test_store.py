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


def test_bundled_splits_partition_the_gold() -> None:
    """dev and test are disjoint and cover every bundled filing; loading a split filters."""
    from filingkit.gold.store import bundled_gold_dir, load_split

    root = bundled_gold_dir()
    dev, test = load_split(root, "dev"), load_split(root, "test")
    everything = {g.doc_id for g in load_gold_dir(root)}
    assert not dev & test
    assert dev | test == everything
    assert {g.doc_id for g in load_gold_dir(root, split="test")} == test


def test_unknown_split_names_the_known_ones() -> None:
    from filingkit.errors import FilingkitError
    from filingkit.gold.store import bundled_gold_dir

    with pytest.raises(FilingkitError, match="known: dev, test"):
        load_gold_dir(bundled_gold_dir(), split="validation")
