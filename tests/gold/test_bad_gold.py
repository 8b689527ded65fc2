"""The battery of malformed gold: every broken gold file gets a named error and the right exit code.

Each case breaks one real gold filing (copied from the bundled gold) and runs
two commands through ``filingkit.cli.main``: ``gold stats`` (which loads gold
as ``eval``, ``bench``, ``train`` and ``gate`` do: exit 2, one ``ERROR:``
naming the file and the place) and ``gold validate`` (exit 1, an ``INVALID``
line naming the file and the field). Catalogue-level problems (an unknown
label, a value not in normal form) are ``validate``'s: loading accepts them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main

from ..mutations import set_path

GOLD = Path(__file__).resolve().parents[2] / "gold" / "filings"
DOC = "0000950117-94-000182"

Edit = Callable[[Path], None]


def _json(change: Callable[[dict[str, Any]], Any]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / "gold.json"
        obj = json.loads(path.read_text(encoding="utf-8"))
        change(obj)
        path.write_text(json.dumps(obj), encoding="utf-8")
    return edit


def _set(*path: Any, value: Any) -> Edit:
    return _json(lambda obj: set_path(obj, path, value))


def _bytes(name: str, data: bytes | Callable[[bytes], bytes]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        path.write_bytes(data(path.read_bytes()) if callable(data) else data)
    return edit


def _remove(name: str) -> Edit:
    return lambda folder: (folder / name).unlink()


def _first_evidence(obj: dict[str, Any]) -> dict[str, Any]:
    return next(f for f in obj["facts"] if f.get("evidence"))["evidence"][0]


def _evidence(key: str, value: Any) -> Edit:
    return _json(lambda obj: _first_evidence(obj).__setitem__(key, value))


# (edit, exit code of `gold stats`, exit code of `gold validate`, text both messages must contain)
CASES = [
    pytest.param(_bytes("gold.json", b'{"format": "filingkit-gold", '), 2, 1, "line 1",
                 id="truncated-json"),
    pytest.param(_bytes("gold.json", b""), 2, 1, "invalid JSON", id="empty-file"),
    pytest.param(_bytes("gold.json", lambda b: b.replace(b'"entities"', b'"entit\xff"', 1)),
                 2, 1, "not UTF-8", id="gold-not-utf8"),
    pytest.param(_bytes("gold.json", b"[" * 100_000), 2, 1, "nested too deeply",
                 id="deep-nesting"),
    pytest.param(_bytes("gold.json", b"[]"), 2, 1, "one JSON object", id="not-an-object"),
    pytest.param(_set("format", value="labelstudio"), 2, 1, "format", id="wrong-format"),
    pytest.param(_set("format_version", value=2), 2, 1, "format_version", id="future-version"),
    pytest.param(_set("colour", value="red"), 2, 1, "colour", id="unknown-top-level-key"),
    pytest.param(_set("entities", 0, "lable", value="ORG"), 2, 1, "entities", id="unknown-entity-key"),
    pytest.param(_set("entities", 0, "start", value="10"), 2, 1, "entities", id="offset-string"),
    pytest.param(_set("entities", 0, "start", value=True), 2, 1, "entities", id="offset-boolean"),
    pytest.param(_set("entities", 0, "start", value=1.5), 2, 1, "entities", id="offset-float"),
    pytest.param(_set("entities", 0, "start", value=-3), 2, 1, "entities", id="offset-negative"),
    pytest.param(_json(lambda o: o["entities"][0].update(end=o["entities"][0]["start"])), 2, 1,
                 "entities", id="span-empty"),
    pytest.param(_json(lambda o: o["entities"][0].update(start=o["entities"][0]["end"] + 5)), 2, 1,
                 "entities", id="span-inverted"),
    pytest.param(_set("entities", 0, "end", value=10**6), 2, 1, "entities", id="span-past-text"),
    pytest.param(_set("entities", 0, "text", value="not the text"), 2, 1, "entities",
                 id="span-text-mismatch"),
    pytest.param(_set("entities", 0, "score", value="high"), 2, 1, "entities", id="score-string"),
    pytest.param(_set("entities", value={"0": 1}), 2, 1, "entities", id="entities-not-list"),
    pytest.param(_set("entities", 0, value=["ORG", 0, 4]), 2, 1, "entities", id="entity-not-object"),
    pytest.param(_evidence("end", 10**6), 2, 1, "evidence", id="evidence-past-text"),
    pytest.param(_evidence("start", -1), 2, 1, "evidence", id="evidence-negative"),
    pytest.param(_json(lambda o: next(f for f in o["facts"] if f.get("evidence")).update(
        evidence={"start": 0})), 2, 1, "evidence", id="evidence-not-list"),
    pytest.param(_set("facts", 0, "field", value=3), 2, 1, "facts", id="fact-field-int"),
    pytest.param(_json(lambda o: o["facts"][0].pop("value")), 2, 1, "facts", id="fact-no-value"),
    pytest.param(_set("segments", 0, "end", value=10**6), 2, 1, "segments", id="segment-past-text"),
    pytest.param(_set("segments", 0, value="8-K"), 2, 1, "segments", id="segment-not-object"),
    pytest.param(_set("text_sha256", value="0" * 64), 2, 1, "text_sha256", id="sha-mismatch"),
    pytest.param(_set("scope", value="entities"), 2, 1, "scope", id="scope-not-list"),
    pytest.param(_set("status", value="final"), 2, 1, "status", id="unknown-status"),
    pytest.param(_set("provenance", value="corpus"), 2, 1, "provenance", id="provenance-not-object"),
    pytest.param(_set("provenance", "files", value="a.txt"), 2, 1, "provenance",
                 id="provenance-files-not-list"),
    pytest.param(_set("disagreements", value=[1]), 2, 1, "disagreements",
                 id="disagreement-not-object"),
    pytest.param(_set("catalogue", value="filingkit-8k"), 2, 1, "catalogue",
                 id="catalogue-not-object"),
    pytest.param(_set("doc_id", value=7), 2, 1, "doc_id", id="doc-id-int"),
    pytest.param(_json(lambda o: o.pop("facts")), 2, 1, "facts", id="missing-key"),
    pytest.param(_remove("text.txt"), 2, 1, "text", id="text-missing"),
    pytest.param(_bytes("text.txt", lambda b: b[:10] + b"\xe9" + b[10:]), 2, 1, "text",
                 id="text-not-utf8"),
    pytest.param(_bytes("text.txt", lambda b: b[:-200]), 2, 1, "text_sha256",
                 id="text-truncated"),
    # catalogue-level: loading accepts them, validation names them
    pytest.param(_set("entities", 0, "label", value="ORGANISATION"), 0, 1, "entities/0/label",
                 id="unknown-label"),
    pytest.param(_json(lambda o: o["facts"].append(
        {"field": "dei:Colour", "value": "red", "source": "manual"})), 0, 1, "dei:Colour",
        id="unknown-fact-field"),
]


@pytest.fixture
def gold_root(tmp_path: Path) -> Path:
    """``tmp/gold/filings/<doc>`` holding one real filing: the battery breaks it."""
    folder = tmp_path / "gold" / "filings" / DOC
    shutil.copytree(GOLD / DOC, folder, ignore=shutil.ignore_patterns("source", "annotations"))
    return tmp_path / "gold" / "filings"


@pytest.mark.parametrize(("edit", "stats_rc", "validate_rc", "where"), CASES)
def test_broken_gold_is_named(gold_root: Path, capsys: pytest.CaptureFixture[str], edit: Edit,
                              stats_rc: int, validate_rc: int, where: str) -> None:
    edit(gold_root / DOC)
    capsys.readouterr()
    assert main(["gold", "stats", str(gold_root), "--json"]) == stats_rc
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if stats_rc == 2:
        assert err.startswith("ERROR: ") and str(gold_root / DOC) in err, err
        assert where in err, err
    assert main(["gold", "validate", str(gold_root)]) == validate_rc
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    invalid = [line for line in out.out.splitlines() if line.startswith("INVALID ")]
    assert invalid and all(str(gold_root / DOC) in line for line in invalid), out.out
    assert any(where in line for line in invalid), out.out


def test_the_unbroken_filing_passes(gold_root: Path) -> None:
    """The battery's starting point is valid: each case fails for its own edit."""
    assert main(["gold", "validate", str(gold_root)]) == 0
    assert main(["gold", "stats", str(gold_root), "--json"]) == 0


FOLDERS = [
    pytest.param(lambda root: root.parent, 0, "", id="folder-above-filings"),
    pytest.param(lambda root: root, 0, "", id="the-gold-folder"),
    pytest.param(lambda root: root / DOC / "gold.json", 0, "", id="one-gold-file"),
    pytest.param(lambda root: root / DOC, 2, "pass the folder above it", id="one-filings-folder"),
    pytest.param(lambda root: root / DOC / "source-none", 2, "no such gold folder",
                 id="missing-folder"),
    pytest.param(lambda root: root.parent.parent, 2, "no gold files", id="folder-without-gold"),
]


@pytest.mark.parametrize(("pick", "rc", "needle"), FOLDERS)
@pytest.mark.parametrize("command", ["validate", "stats"])
def test_every_gold_folder_argument_is_resolved_or_explained(
        gold_root: Path, capsys: pytest.CaptureFixture[str], pick: Callable[[Path], Path], rc: int,
        needle: str, command: str) -> None:
    target = pick(gold_root)
    capsys.readouterr()
    assert main(["gold", command, str(target)]) == rc
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if rc:
        assert str(target) in err and needle in err, err
