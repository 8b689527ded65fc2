"""Catalogue v2 file numbers in the bundled gold, and the v1 -> v2 gold migration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from filingkit.catalogue import load_catalogue
from filingkit.cli import main
from filingkit.errors import FilingkitError
from filingkit.gold.migrate import iter_gold_json, migrate_gold_dir, migrate_object
from filingkit.gold.store import bundled_gold_dir
from filingkit.gold.validate import validate_gold_dir
from filingkit.normalize import FILE_NUMBER_RE, normalize

FIELD = "dei:EntityFileNumber"
GOLD_DIRS = [bundled_gold_dir(), bundled_gold_dir().parent / "pool-ixbrl" / "filings"]


def _file_numbers(obj: dict[str, Any]) -> list[tuple[Any, list[str]]]:
    out: list[tuple[Any, list[str]]] = []
    for f in obj.get("facts", []):
        if f["field"] == FIELD:
            out.append((f["value"], [e["text"] for e in f.get("evidence", []) if "text" in e]))
    for d in obj.get("disagreements", []):
        if d["field"] == FIELD:
            out += [(d["kept"], []), (d["other"], [])]
    return out


@pytest.mark.parametrize("gold_dir", [d for d in GOLD_DIRS if d.is_dir()],
                         ids=lambda d: d.parent.name)
def test_every_gold_file_number_is_in_edgar_form(gold_dir: Path) -> None:
    """Every file number of every gold file and annotation set: EDGAR's form, the catalogue's
    current version, and the printed evidence normalizes to the stored value."""
    version = load_catalogue().version
    n = 0
    for path in iter_gold_json(gold_dir):
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert obj["catalogue"]["version"] == version, path
        for value, printed in _file_numbers(obj):
            n += 1
            assert FILE_NUMBER_RE.fullmatch(value), f"{path}: {value!r}"
            for p in printed:
                assert normalize("file_number", p) == value, f"{path}: {p!r} vs {value!r}"
    assert n > 50


def _as_v1(src: Path, dst: Path) -> None:
    """A copy of a gold folder written the way catalogue v1 stored it (zeros dropped)."""
    shutil.copytree(src, dst)
    for path in iter_gold_json(dst):
        obj = json.loads(path.read_text(encoding="utf-8"))
        obj["catalogue"]["version"] = "1"
        for f in obj["facts"]:
            if f["field"] == FIELD:
                f["value"] = "-".join(str(int(p)) for p in f["value"].split("-"))
        path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                        encoding="utf-8")


@pytest.fixture
def v1_gold(tmp_path: Path) -> tuple[Path, Path]:
    """(original v2 folder copy, the same written as v1): Caterpillar 2022 and ImmunoGen 2005."""
    orig = tmp_path / "v2"
    orig.mkdir()
    for doc_id in ("0000018230-22-000107", "000_1829aaabe4e2c628"):
        src = bundled_gold_dir() / doc_id
        if not src.is_dir():
            pytest.skip(f"bundled gold folder {doc_id} missing")
        shutil.copytree(src, orig / doc_id)
    v1 = tmp_path / "v1"
    _as_v1(orig, v1)
    return orig, v1


def test_v1_gold_fails_validation_with_a_migration_message(v1_gold: tuple[Path, Path]) -> None:
    _, v1 = v1_gold
    problems = validate_gold_dir(v1)
    assert problems
    # one problem per file, naming the migration command, no flood of normal-form problems
    assert len(problems) == len(list(iter_gold_json(v1)))
    for p in problems:
        assert p.field == "catalogue"
        assert "catalogue v1" in p.reason and "filingkit gold migrate" in p.reason
        assert FIELD in p.reason


def test_migration_restores_the_v2_files_byte_for_byte(v1_gold: tuple[Path, Path]) -> None:
    orig, v1 = v1_gold
    done = migrate_gold_dir(v1)
    assert len(done) == len(list(iter_gold_json(v1)))
    assert all(m.written and m.from_version == "1" and m.to_version == "2" for m in done)
    assert sum(m.changed_values for m in done) > 0
    for path in iter_gold_json(orig):
        twin = v1 / path.relative_to(orig)
        assert twin.read_bytes() == path.read_bytes(), twin
    assert validate_gold_dir(v1) == []
    assert migrate_gold_dir(v1) == []  # idempotent: nothing left to migrate


def test_dry_run_writes_nothing(v1_gold: tuple[Path, Path]) -> None:
    _, v1 = v1_gold
    before = {p: p.read_bytes() for p in iter_gold_json(v1)}
    done = migrate_gold_dir(v1, dry_run=True)
    assert done and not any(m.written for m in done)
    assert {p: p.read_bytes() for p in iter_gold_json(v1)} == before


def test_a_file_that_would_not_validate_is_not_written(v1_gold: tuple[Path, Path]) -> None:
    _, v1 = v1_gold
    first = sorted(iter_gold_json(v1))[0]
    obj = json.loads(first.read_text(encoding="utf-8"))
    obj["facts"][0]["evidence"] = [{"start": 0, "end": 4, "text": "nope"}]
    first.write_text(json.dumps(obj), encoding="utf-8")
    before = first.read_bytes()
    with pytest.raises(FilingkitError, match="would not validate after migration") as exc:
        migrate_gold_dir(v1)
    assert str(first) in exc.value.message
    assert first.read_bytes() == before


@pytest.mark.parametrize(("version", "match"), [
    pytest.param("0", "has no migration", id="older-unknown"),
    pytest.param("", "has no migration", id="missing"),
])
def test_unknown_versions_are_refused(version: str, match: str) -> None:
    obj = {"catalogue": {"name": "filingkit-8k", "version": version}, "facts": []}
    with pytest.raises(FilingkitError, match=match):
        migrate_object(obj, load_catalogue(), file="g.json")


def test_disagreement_values_are_migrated() -> None:
    obj = {"catalogue": {"name": "filingkit-8k", "version": "1"}, "facts": [],
           "disagreements": [{"field": FIELD, "kept": "0-11596", "kept_source": "manual",
                              "other": "1-16851", "other_source": "sgml-header"}]}
    new, n = migrate_object(obj, load_catalogue())
    assert n == 2
    assert new["disagreements"][0]["kept"] == "000-11596"
    assert new["disagreements"][0]["other"] == "001-16851"
    assert obj["disagreements"][0]["kept"] == "0-11596"  # the input is not changed


def test_cli_migrate(v1_gold: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, v1 = v1_gold
    assert main(["gold", "migrate", str(v1), "--dry-run"]) == 0
    assert "would migrate" in capsys.readouterr().out
    assert main(["gold", "migrate", str(v1)]) == 0
    assert main(["gold", "validate", str(v1)]) == 0
    assert main(["gold", "migrate", str(tmp := v1 / "nope")]) == 2, tmp
