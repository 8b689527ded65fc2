"""Property tests: mutated real gold files and filing bytes give the project's errors, never a crash.

Inputs are real: gold files and canonical texts of the bundled gold, and the
original filing bytes under each filing's ``source/``. Each example mutates
one of them (``tests/mutations.py``) and asserts that only ``FilingkitError``
comes out of the reader (``load_gold_file``, ``ingest_bytes``) and that
``validate_gold_file`` reports problems instead of raising. Seeds are fixed
(``derandomize``) so CI runs the same examples every time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filingkit.errors import FilingkitError
from filingkit.gold.store import load_gold_file
from filingkit.gold.validate import validate_gold_file
from filingkit.ingest import ingest_bytes

from ..mutations import (
    byte_mutations,
    fuzz,
    json_mutations,
    only_project_errors,
    run_cli,
)

GOLD = Path(__file__).resolve().parents[2] / "gold" / "filings"
# small filings of each kind: a seed (plain text), SGML .txt, html + exhibit, 1990s SGML
FILINGS = ("000_1829aaabe4e2c628", "0000723533-04-000001", "0001437749-24-000106",
           "0000950117-94-000182")
SOURCES = sorted(p for d in FILINGS for p in (GOLD / d / "source").iterdir())


def _gold_json(doc: str) -> Any:
    return json.loads((GOLD / doc / "gold.json").read_text(encoding="utf-8"))


ORIGINALS = {d: _gold_json(d) for d in FILINGS}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gold-fuzz")
    for d in FILINGS:
        (root / d).mkdir()
        shutil.copy(GOLD / d / "text.txt", root / d / "text.txt")
    return root


def _check_gold_file(path: Path) -> None:
    out = only_project_errors(lambda: load_gold_file(path))
    problems = validate_gold_file(path)  # never raises: every problem is listed
    if isinstance(out, FilingkitError):
        assert str(path.parent) in out.message
        assert problems, f"load refused {path} ({out.message}) but validate found nothing"


@fuzz(400)
@given(data=st.data(), doc=st.sampled_from(FILINGS))
def test_mutated_gold_json_gives_named_errors(work: Path, data: st.DataObject, doc: str) -> None:
    obj = data.draw(json_mutations(ORIGINALS[doc]))
    path = work / doc / "gold.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    _check_gold_file(path)


@fuzz(250)
@given(data=st.data(), doc=st.sampled_from(FILINGS), which=st.sampled_from(["gold.json", "text.txt"]))
def test_mutated_gold_bytes_give_named_errors(work: Path, data: st.DataObject, doc: str,
                                              which: str) -> None:
    original = (GOLD / doc / which).read_bytes()
    mutated = data.draw(byte_mutations(original))
    folder = work / doc
    shutil.copy(GOLD / doc / "gold.json", folder / "gold.json")
    shutil.copy(GOLD / doc / "text.txt", folder / "text.txt")
    (folder / which).write_bytes(mutated)
    try:
        _check_gold_file(folder / "gold.json")
    finally:
        shutil.copy(GOLD / doc / "text.txt", folder / "text.txt")


@fuzz(500)
@given(data=st.data(), source=st.sampled_from(SOURCES))
def test_mutated_filing_bytes_ingest_or_give_named_errors(data: st.DataObject, source: Path) -> None:
    mutated = data.draw(byte_mutations(source.read_bytes()))
    out = only_project_errors(lambda: ingest_bytes(mutated, path=source.name))
    if not isinstance(out, FilingkitError):
        assert out.text == out.text.replace("\r", "")  # still canonical text
        for seg in out.segments:
            assert 0 <= seg.start <= seg.end <= len(out.text)


@fuzz(60)
@given(data=st.data(), doc=st.sampled_from(FILINGS))
def test_cli_never_shows_a_traceback_for_mutated_gold(work: Path, data: st.DataObject, doc: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    obj = data.draw(json_mutations(ORIGINALS[doc]))
    (work / doc / "gold.json").write_text(json.dumps(obj), encoding="utf-8")
    rc, _err = run_cli(["gold", "validate", str(work)], capsys)
    for other in FILINGS:  # the others stay valid for the next example
        if other != doc and not (work / other / "gold.json").exists():
            shutil.copy(GOLD / other / "gold.json", work / other / "gold.json")
    assert rc in (0, 1)
