"""The battery of malformed Label Studio exports given to ``filingkit annotate import``.

Each case breaks the recorded snapshot export (``tests/data/labelstudio``, made
by a real Label Studio server) in one place and runs the import through
``filingkit.cli.main``: exit 2, nothing written, and a message naming the
export file (file-level problems) or the task, annotator and region
(``INVALID EXPORT: task ... annotator ... region: reason``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main

from .builders import DATA

SNAPSHOT = DATA / "export-snapshot.json"

Change = Callable[[list[dict[str, Any]]], Any]


def _region(i: int = 0) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    """The i-th labelled span of the first annotation of the first task."""
    def get(export: list[dict[str, Any]]) -> dict[str, Any]:
        regions = [r for r in export[0]["annotations"][0]["result"] if r["type"] == "labels"]
        return regions[i]  # type: ignore[no-any-return]
    return get


def _value(key: str, value: Any) -> Change:
    return lambda export: _region()(export)["value"].__setitem__(key, value)


def _in_task(key: str, value: Any) -> Change:
    return lambda export: export[0].__setitem__(key, value)


def _in_data(key: str, value: Any) -> Change:
    return lambda export: export[0]["data"].__setitem__(key, value)


def _in_annotation(key: str, value: Any) -> Change:
    return lambda export: export[0]["annotations"][0].__setitem__(key, value)


def _inverted(export: list[dict[str, Any]]) -> None:
    value = _region()(export)["value"]
    value["start"], value["end"] = value["end"], value["start"]


# (change to the export, text the message must contain besides the task)
REGION_CASES = [
    pytest.param(_value("end", 10**6), "region", id="span-past-text"),
    pytest.param(_value("start", -4), "region", id="span-negative"),
    pytest.param(_inverted, "region", id="span-inverted"),
    pytest.param(lambda x: _region()(x)["value"].update(end=_region()(x)["value"]["start"]),
                 "region", id="span-empty"),
    pytest.param(_value("start", "222"), "region", id="offset-string"),
    pytest.param(_value("start", 222.5), "region", id="offset-float"),
    pytest.param(_value("labels", ["ORGANISATION"]), "region", id="unknown-label"),
    pytest.param(_value("labels", "DATE"), "region", id="labels-not-list"),
    pytest.param(lambda x: _region()(x).__setitem__("from_name", "colour"), "region",
                 id="unknown-control"),
    pytest.param(lambda x: _region()(x).__setitem__("value", None), "region", id="value-null"),
    pytest.param(lambda x: x[0]["annotations"][0]["result"].append("DATE"), "region",
                 id="region-not-object"),
    pytest.param(_in_annotation("result", {"id": "e0"}), "result", id="result-not-list"),
    pytest.param(_in_annotation("completed_by", None), "annotation", id="no-annotator"),
    pytest.param(_in_task("annotations", [["not", "an", "annotation"]]), "annotation",
                 id="annotation-not-object"),
    pytest.param(_in_task("data", "text"), "data", id="data-not-object"),
    pytest.param(_in_data("text", ""), "data", id="text-empty"),
    pytest.param(_in_data("text", 42), "data", id="text-not-string"),
    pytest.param(_in_data("doc_id", None), "data", id="no-doc-id"),
    pytest.param(_in_data("text_sha256", "0" * 64), "text_sha256", id="sha-mismatch"),
    pytest.param(_in_data("segments", [{"name": "8-K", "start": 0, "end": 10**7}]), "segments",
                 id="segment-past-text"),
    pytest.param(_in_data("segments", ["8-K"]), "segments", id="segment-not-object"),
    pytest.param(_in_data("provenance", {"kind": "seed", "path": 3}), "provenance",
                 id="provenance-bad-type"),
]


def _write_changed(tmp_path: Path, change: Change) -> Path:
    export = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    change(export)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "where"), REGION_CASES)
def test_broken_regions_are_named_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Change, where: str) -> None:
    path = _write_changed(tmp_path, change)
    gold = tmp_path / "gold"
    capsys.readouterr()
    assert main(["annotate", "import", str(path), "-o", str(gold)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    invalid = [line for line in err.splitlines() if line.startswith(("INVALID ", "ERROR: "))]
    assert invalid, err
    assert any(line.startswith((f"INVALID {path}: task 1", f"ERROR: {path}")) and where in line
               for line in invalid), err
    assert not list(gold.glob("*/annotations/*.json")), "a refused import wrote files"


FILE_CASES = [
    pytest.param(b"", "invalid JSON", id="empty-file"),
    pytest.param(b'[{"id": 1, "data": {', "line 1", id="truncated"),
    pytest.param(b'[{"id": 1, "data": {"text": "caf\xe9"}}]', "not UTF-8", id="not-utf8"),
    pytest.param(b'{"tasks": []}', "list of task objects", id="object-not-list"),
    pytest.param(b'[1, 2]', "list of task objects", id="list-of-numbers"),
    pytest.param(b"[" * 50_000, "nested too deeply", id="deep-nesting"),
]


@pytest.mark.parametrize(("content", "reason"), FILE_CASES)
def test_broken_export_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       content: bytes, reason: str) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    capsys.readouterr()
    assert main(["annotate", "import", str(path), "-o", str(tmp_path / "gold")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith(f"ERROR: {path}") and reason in err, err


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_an_export_path_that_is_not_a_file_is_named(tmp_path: Path, kind: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.json"
    if kind == "folder":
        path.mkdir()
    capsys.readouterr()
    assert main(["annotate", "import", str(path), "-o", str(tmp_path / "gold")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ERROR: {path}") and "Traceback" not in err, err


def test_import_into_the_folder_above_filings_writes_beside_the_gold(tmp_path: Path) -> None:
    """``-o gold/`` where ``gold/filings/<doc>/gold.json`` exists writes under ``gold/filings``."""
    first = tmp_path / "gold" / "filings"
    assert main(["annotate", "import", str(SNAPSHOT), "-o", str(first)]) == 0
    for sets in first.glob("*/annotations"):  # turn the sets into gold so the folder is "gold"
        (sets.parent / "gold.json").write_bytes(next(sets.glob("*.json")).read_bytes())
        for f in sets.glob("*.json"):
            f.unlink()
    assert main(["annotate", "import", str(SNAPSHOT), "-o", str(tmp_path / "gold")]) == 0
    assert list(first.glob("*/annotations/*.json"))
    assert not [p for p in (tmp_path / "gold").iterdir() if p.name != "filings"]
