"""The machine check set gold/pool-ixbrl: filer-tagged facts only, split by doc-id hash."""

from __future__ import annotations

import json

import pytest

from filingkit.gold.checkset import split_of, splits_for
from filingkit.gold.store import bundled_gold_dir, iter_gold_files, load_split
from filingkit.gold.validate import validate_gold_dir

POOL = bundled_gold_dir().parent / "pool-ixbrl" / "filings"


@pytest.mark.parametrize(("doc_id", "split"), [
    # the curated gold's rule gives these (gold/filings/splits.json)
    pytest.param("0000018230-22-000107", "dev", id="curated-dev"),
    pytest.param("0000037996-17-000084", "test", id="curated-test"),
])
def test_split_rule_is_the_curated_gold_rule(doc_id: str, split: str) -> None:
    assert doc_id in load_split(bundled_gold_dir(), split)
    assert split_of(doc_id) == split


def test_splits_are_deterministic_and_disjoint() -> None:
    a = splits_for(["b", "a", "c", "a"])
    assert a == splits_for(["c", "b", "a"])
    dev, test = set(a["splits"]["dev"]), set(a["splits"]["test"])
    assert dev | test == {"a", "b", "c"} and not dev & test


def test_pool_ixbrl_splits_cover_every_folder_by_the_rule() -> None:
    ids = {p.parent.name for p in iter_gold_files(POOL)}
    dev, test = load_split(POOL, "dev"), load_split(POOL, "test")
    assert ids == dev | test and not dev & test
    assert all(split_of(i) == "dev" for i in dev) and all(split_of(i) == "test" for i in test)
    assert len(ids) == 64 and dev and test


def test_pool_ixbrl_is_machine_gold_from_the_filers_tags() -> None:
    """Nobody read these: every fact comes from inline XBRL, with provenance to the corpus."""
    for path in iter_gold_files(POOL):
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert obj["provenance"]["kind"] == "corpus"
        assert obj["provenance"]["format"] == "ixbrl"
        assert obj["status"] == "draft"
        assert {f["source"] for f in obj["facts"]} == {"ixbrl"}, path
        assert obj["scope"] == ["cover"]


def test_pool_ixbrl_validates() -> None:
    assert validate_gold_dir(POOL) == []
