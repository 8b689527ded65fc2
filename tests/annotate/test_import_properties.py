"""Property tests: mutated real Label Studio exports are imported or refused with named issues.

The inputs are the recorded exports of ``tests/data/labelstudio`` (made by a
real Label Studio server, see ``record_exports.py``). Each example edits one
to three places of an export (``tests/mutations.py``); reading it must give
annotation sets and issues, or a ``FilingkitError``, never another exception,
and ``filingkit annotate import`` must exit 0, 1 or 2 without a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filingkit.annotate.config import labeling_schema
from filingkit.annotate.importer import import_export, read_annotation_sets
from filingkit.catalogue import load_catalogue
from filingkit.gold.validate import validate_gold_dir

from ..mutations import byte_mutations, fuzz, json_mutations, only_project_errors, run_cli
from .builders import DATA

EXPORTS = {p.name: json.loads(p.read_text(encoding="utf-8"))
           for p in sorted(DATA.glob("export-*.json"))}
SCHEMA = labeling_schema(load_catalogue())


@fuzz(500)
@given(data=st.data(), name=st.sampled_from(sorted(EXPORTS)))
def test_mutated_export_reads_into_sets_or_named_issues(data: st.DataObject, name: str) -> None:
    export: Any = data.draw(json_mutations(EXPORTS[name]))
    if not isinstance(export, list) or not all(isinstance(t, dict) for t in export):
        return  # read_export refuses these (see the battery); the reader gets task lists
    out = only_project_errors(lambda: read_annotation_sets(export, SCHEMA))
    if isinstance(out, tuple):
        _pending, issues, _notes = out
        assert all(i.reason for i in issues)


@fuzz(80)
@given(data=st.data(), name=st.sampled_from(sorted(EXPORTS)), as_bytes=st.booleans())
def test_import_cli_never_shows_a_traceback(tmp_path_factory: pytest.TempPathFactory,
                                           data: st.DataObject, name: str, as_bytes: bool,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path_factory.mktemp("ls-import")
    path = work / name
    if as_bytes:
        path.write_bytes(data.draw(byte_mutations((DATA / name).read_bytes())))
    else:
        path.write_text(json.dumps(data.draw(json_mutations(EXPORTS[name]))), encoding="utf-8")
    rc, _err = run_cli(["annotate", "import", str(path), "-o", str(work / "gold")], capsys)
    written = sorted((work / "gold").glob("*/annotations/*.json"))
    assert rc == 0 or not written  # a refused import writes nothing
    if written:  # and what an import writes is valid gold
        assert validate_gold_dir(work / "gold", include_annotation_sets=True) == []


def test_reference_exports_still_import(tmp_path: Path) -> None:
    """The unmutated inputs are good: the properties above are not vacuous."""
    report = import_export(DATA / "export-snapshot.json", tmp_path / "gold")
    assert report.ok and report.sets
