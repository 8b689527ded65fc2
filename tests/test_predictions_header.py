"""The predictions header (shared specification 1): written, read, skipped, checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filingkit.errors import FilingkitError
from filingkit.records import Annotations, Entity, PredictionsHeader
from filingkit.serialize import (
    header_from_json,
    header_to_json,
    is_predictions_header,
    read_predictions,
    read_predictions_header,
    write_predictions,
)

HEADER = PredictionsHeader("rules", "1", ("ORG", "PERSON", "dei:EntityRegistrantName"))
PRED = [Annotations("d1", (Entity("ORG", 0, 4),)), Annotations("d2")]


def test_written_first_and_skipped_by_the_reader(tmp_path: Path) -> None:
    path = write_predictions(tmp_path / "p.jsonl", PRED, extractor="rules@1", header=HEADER)
    first = json.loads(path.read_text().splitlines()[0])
    assert first == {"format": "filingkit-predictions", "version": 1,
                     "extractor": {"name": "rules", "version": "1"},
                     "fields": ["ORG", "PERSON", "dei:EntityRegistrantName"],
                     "catalogue": {"name": "filingkit-8k", "version": "1"}}
    assert read_predictions_header(path) == HEADER
    assert [a.doc_id for a in read_predictions(path)] == ["d1", "d2"]
    # deterministic bytes: no time, no path
    again = write_predictions(tmp_path / "q.jsonl", PRED, extractor="rules@1", header=HEADER)
    assert again.read_bytes() == path.read_bytes()


def test_a_file_without_header_still_reads(tmp_path: Path) -> None:
    path = write_predictions(tmp_path / "p.jsonl", PRED)
    assert read_predictions_header(path) is None
    assert len(read_predictions(path)) == 2


def test_blank_lines_before_the_header(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n\n" + json.dumps(header_to_json(HEADER)) + "\n"
                    + json.dumps({"doc_id": "d1"}) + "\n")
    assert read_predictions_header(path) == HEADER
    assert [a.doc_id for a in read_predictions(path)] == ["d1"]


def test_a_header_after_the_first_line_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"doc_id": "d1"}) + "\n" + json.dumps(header_to_json(HEADER))
                    + "\n")
    with pytest.raises(FilingkitError, match="line 2: a predictions header must be the first"):
        read_predictions(path)


def test_sharded_folder_reads_the_manifest_header(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "_manifest.json").write_text(json.dumps(
        {"format": "filingkit-run-manifest", "version": 1, "header": header_to_json(HEADER),
         "inputs": [], "counts": {}, "shards": []}))
    assert read_predictions_header(run) == HEADER


def test_sharded_folder_without_manifest_reads_the_first_shard(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    write_predictions(run / "part-00001.jsonl", PRED[1:])
    write_predictions(run / "part-00000.jsonl", PRED[:1], header=HEADER)
    assert read_predictions_header(run) == HEADER
    empty = tmp_path / "empty"
    empty.mkdir()
    assert read_predictions_header(empty) is None


@pytest.mark.parametrize("obj, message", [
    pytest.param({"format": "filingkit-predictions", "version": 2, "extractor": {"name": "x"},
                  "fields": []}, "version 2 is not supported", id="version"),
    pytest.param({"format": "filingkit-predictions", "version": 1, "fields": []},
                 "missing key 'extractor'", id="no-extractor"),
    pytest.param({"format": "filingkit-predictions", "version": 1, "extractor": {"name": "x"},
                  "fields": ["ORG", 3]}, "fields must be strings", id="field-type"),
    pytest.param({"format": "filingkit-predictions", "version": 1, "extractor": {"name": "x"},
                  "fields": "ORG"}, "fields must be list", id="fields-not-list"),
])
def test_bad_headers_name_the_file_and_reason(tmp_path: Path, obj: dict[str, object],
                                              message: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(obj) + "\n")
    with pytest.raises(FilingkitError, match=message) as exc:
        read_predictions_header(path)
    assert "p.jsonl" in str(exc.value)


def test_a_prediction_with_format_key_and_doc_id_is_not_a_header() -> None:
    assert not is_predictions_header({"format": "filingkit-predictions", "doc_id": "x"})
    assert is_predictions_header(header_to_json(HEADER))


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                max_size=20)


@given(name=names, version=names, fields=st.lists(names, max_size=8, unique=True))
def test_header_round_trip(name: str, version: str, fields: list[str]) -> None:
    h = PredictionsHeader(name, version, tuple(fields))
    assert header_from_json(json.loads(json.dumps(header_to_json(h)))) == h
