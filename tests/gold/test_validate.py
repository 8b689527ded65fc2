"""Gold validation: a valid file passes; every kind of corruption is named by file, field, reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main
from filingkit.gold.validate import validate_gold_dir, validate_gold_file


def _gold_file(root: Path) -> Path:
    return root / "doc1" / "gold.json"


def test_valid_gold_has_no_problems(small_gold_dir: Path) -> None:
    assert validate_gold_dir(small_gold_dir) == []


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(obj: dict[str, Any]) -> None:
        target = obj
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return edit


def _append_fact(fact: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda obj: obj["facts"].append(fact)


CORRUPTIONS = [
    pytest.param(_set(["entities", 0, "end"], 10_000), "entities[0] (DATE)", "past the text",
                 id="offset-past-end"),
    pytest.param(_set(["entities", 0, "text"], "March 16, 2005"), "entities[0] (DATE)",
                 "recorded 'March 16, 2005'", id="span-text-mismatch"),
    pytest.param(_set(["entities", 0, "label"], "ORGANISATION"), "entities/0/label",
                 "is not one of", id="unknown-label"),
    pytest.param(_set(["entities", 0, "start"], -1), "entities/0/start", "minimum",
                 id="negative-offset"),
    pytest.param(_set(["text_sha256"], "0" * 64), "text_sha256", "does not match",
                 id="hash-mismatch"),
    pytest.param(_set(["status"], "final"), "status", "is not one of", id="bad-status"),
    pytest.param(_append_fact({"field": "dei:Colour", "value": "red", "source": "manual"}),
                 "dei:Colour", "unknown fact field", id="unknown-fact-field"),
    pytest.param(_append_fact({"field": "dei:EntityTaxIdentificationNumber",
                               "value": "042726691", "source": "manual"}),
                 "dei:EntityTaxIdentificationNumber", "not in normal form", id="not-normalized"),
    pytest.param(_append_fact({"field": "dei:DocumentPeriodEndDate", "value": "2005-03-17",
                               "source": "manual"}),
                 "dei:DocumentPeriodEndDate", "cardinality one", id="cardinality"),
    pytest.param(_append_fact({"field": "dei:WrittenCommunications", "value": "no",
                               "source": "manual"}),
                 "dei:WrittenCommunications", "boolean", id="wrong-value-type"),
    pytest.param(_set(["facts", 0, "source"], "guess"), "facts/0 (dei:DocumentPeriodEndDate)",
                 "does not match", id="bad-source"),
    pytest.param(_set(["facts", 0, "evidence", 0, "text"], "nope"), "evidence[0]", "recorded 'nope'",
                 id="evidence-text"),
    pytest.param(_set(["doc_id"], "other"), "doc_id", "does not match its folder", id="doc-id-folder"),
    pytest.param(_set(["segments", 0, "end"], 10_000), "segments", "past the text",
                 id="segment-past-end"),
    pytest.param(lambda obj: obj.pop("scope"), "<root>", "'scope' is a required property",
                 id="missing-key"),
    pytest.param(_set(["catalogue", "version"], "99"), "catalogue", "99", id="catalogue-version"),
]


@pytest.mark.parametrize(("corrupt", "field", "reason"), CORRUPTIONS)
def test_each_corruption_is_reported(
    small_gold_dir: Path, corrupt: Callable[[dict[str, Any]], None], field: str, reason: str
) -> None:
    path = _gold_file(small_gold_dir)
    obj = json.loads(path.read_text(encoding="utf-8"))
    corrupt(obj)
    path.write_text(json.dumps(obj), encoding="utf-8")
    problems = validate_gold_file(path)
    assert problems, "corruption went unnoticed"
    assert any(field in p.field and reason in p.reason for p in problems), problems
    assert all(p.file == str(path) for p in problems)


def test_invalid_json_is_reported(small_gold_dir: Path) -> None:
    path = _gold_file(small_gold_dir)
    path.write_text("{not json", encoding="utf-8")
    [problem] = validate_gold_file(path)
    assert "invalid JSON at line 1" in problem.reason


def test_missing_text_is_reported(small_gold_dir: Path) -> None:
    (small_gold_dir / "doc1" / "text.txt").unlink()
    problems = validate_gold_dir(small_gold_dir)
    assert any("canonical text is missing" in p.reason for p in problems)


def test_cli_validate_exit_codes(small_gold_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gold", "validate", str(small_gold_dir)]) == 0
    path = _gold_file(small_gold_dir)
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["entities"][0]["end"] = 10_000
    path.write_text(json.dumps(obj), encoding="utf-8")
    assert main(["gold", "validate", str(small_gold_dir)]) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and "gold.json" in out and "past the text" in out


def test_bundled_gold_is_valid() -> None:
    from filingkit.gold.store import bundled_gold_dir

    problems = validate_gold_dir(bundled_gold_dir())
    assert problems == [], "\n".join(map(str, problems[:20]))
