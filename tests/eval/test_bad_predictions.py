"""Malformed predictions files: each a named error (file, line, document, field), exit 2.

Table-driven: every case takes one valid predictions line for the test gold
(one filing, whose text is known) and breaks it one way; ``filingkit eval``
must exit 2, print no traceback, and name the file and the line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main

GOOD: dict[str, Any] = {
    "doc_id": "doc1",
    "entities": [{"label": "ORG", "start": 0, "end": 5}, {"label": "DATE", "start": 10, "end": 20}],
    "facts": [{"field": "dei:DocumentType", "value": "8-K",
               "evidence": [{"start": 0, "end": 3}]}],
}


def _line(mutate: Callable[[dict[str, Any]], Any]) -> bytes:
    obj = json.loads(json.dumps(GOOD))
    out = mutate(obj)
    return (json.dumps(obj if out is None else out) + "\n").encode()


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def go(obj: dict[str, Any]) -> None:
        *head, last = path.split(".")
        cur: Any = obj
        for k in head:
            cur = cur[int(k)] if k.isdigit() else cur[k]
        cur[int(last) if last.isdigit() else last] = value
    return go


GOOD_LINE = _line(lambda o: None)

CASES = [
    pytest.param(_line(_set("entities.0.end", 0)), "empty span", "ORG", id="empty-span"),
    pytest.param(_line(_set("entities.0.end", -3)), "before start", "ORG", id="inverted-span"),
    pytest.param(_line(_set("entities.0.start", -1)), "negative", "ORG", id="negative-offset"),
    pytest.param(_line(_set("entities.1.end", 10**6)), "past the end", "DATE", id="past-text-end"),
    pytest.param(_line(_set("entities.0.end", 5.0)), "int", "ORG", id="float-offset"),
    pytest.param(_line(_set("entities.0.end", "5")), "int", "ORG", id="string-offset"),
    pytest.param(_line(_set("entities.0.end", True)), "int", "ORG", id="bool-offset"),
    pytest.param(GOOD_LINE.replace(b'"end": 5', b'"end": NaN'), "invalid JSON", None,
                 id="nan-offset"),
    pytest.param(_line(_set("entities.0.end", 2**70)), "range", "ORG", id="huge-offset"),
    pytest.param(_line(_set("entities.0.label", "ORGANISATION")), "unknown entity label",
                 "ORGANISATION", id="unknown-label"),
    pytest.param(_line(_set("facts.0.field", "dei:Nope")), "unknown fact field", "dei:Nope",
                 id="unknown-field"),
    pytest.param(_line(_set("facts.0.evidence.0.end", 0)), "empty span", "dei:DocumentType",
                 id="empty-evidence"),
    pytest.param(_line(lambda o: o.pop("doc_id") and None), "doc_id", None, id="missing-doc-id"),
    pytest.param(b"[1, 2, 3]\n", "object", None, id="not-an-object"),
    pytest.param(b'"just a string"\n', "object", None, id="a-string"),
    pytest.param(GOOD_LINE[:-20], "truncated", None, id="truncated-last-line"),
    pytest.param(GOOD_LINE + GOOD_LINE, "twice", None, id="duplicated-document"),
    pytest.param(GOOD_LINE.replace(b"8-K", b"8-K\xff\xfe"), "UTF-8", None, id="not-utf8"),
    pytest.param(_line(_set("facts.0.value", {"x": 1})), None, None, id="entities-not-a-list"),
    pytest.param(_line(_set("entities", {"label": "ORG"})), "array", None, id="entities-object"),
    pytest.param(_line(lambda o: o["facts"][0].pop("value") and None), "value", None,
                 id="fact-without-value"),
]


@pytest.mark.parametrize(("content", "reason", "field"), CASES)
def test_bad_line_is_a_named_error(small_gold_dir: Path, tmp_path: Path, capsys: Any,
                                   content: bytes, reason: str | None, field: str | None) -> None:
    pred = tmp_path / "preds.jsonl"
    pred.write_bytes(content)
    rc = main(["eval", "--gold", str(small_gold_dir), "--pred", str(pred), "--n-resamples", "0"])
    err = capsys.readouterr().err
    if reason is None:  # a value of the wrong shape for its field is counted, not fatal
        assert rc == 0, err
        return
    assert rc == 2, err
    assert "Traceback" not in err
    assert str(pred) in err and "line " in err, err
    assert reason.lower() in err.lower(), err
    if field is not None:
        assert f"field {field}" in err, err


def test_unknown_label_names_the_right_file_of_two(small_gold_dir: Path, tmp_path: Path,
                                                    capsys: Any) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(GOOD_LINE)
    b.write_bytes(_line(_set("entities.0.label", "ORGG")))
    rc = main(["compare", "--gold", str(small_gold_dir), "--pred", str(a), "--pred", str(b),
               "--n-resamples", "10"])
    err = capsys.readouterr().err
    assert rc == 2 and str(b) in err and str(a) not in err, err


def test_invalid_values_warn_and_strict_values_fail(small_gold_dir: Path, tmp_path: Path,
                                                    capsys: Any) -> None:
    pred = tmp_path / "preds.jsonl"
    pred.write_bytes(_line(lambda o: o["facts"].append(
        {"field": "dei:DocumentPeriodEndDate", "value": "yesterday"})))
    out = tmp_path / "r.json"
    base = ["eval", "--gold", str(small_gold_dir), "--pred", str(pred), "--n-resamples", "0"]
    assert main([*base, "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["invalid_values"] == {"dei:DocumentPeriodEndDate": 1}
    for fmt in ("table", "md", "html"):
        assert main([*base, "--format", fmt]) == 0
        assert "cannot be normalized" in capsys.readouterr().out, fmt
    assert main([*base, "--strict-values"]) == 2
    err = capsys.readouterr().err
    assert str(pred) in err and "dei:DocumentPeriodEndDate" in err


def test_header_line_is_skipped(small_gold_dir: Path, tmp_path: Path) -> None:
    header = {"format": "filingkit-predictions", "version": 1,
              "extractor": {"name": "x", "version": "1"}, "fields": ["ORG"],
              "catalogue": {"name": "filingkit-8k", "version": "1"}}
    pred = tmp_path / "preds.jsonl"
    pred.write_bytes(json.dumps(header).encode() + b"\n\n" + GOOD_LINE)
    assert main(["eval", "--gold", str(small_gold_dir), "--pred", str(pred),
                 "--n-resamples", "0"]) == 0


def test_shard_folder_reads_sorted_and_ignores_underscore_files(small_gold_dir: Path,
                                                                tmp_path: Path) -> None:
    shards = tmp_path / "out"
    shards.mkdir()
    (shards / "part-00000.jsonl").write_bytes(GOOD_LINE)
    (shards / "_manifest.json").write_text("{not json")
    (shards / "_errors.jsonl").write_text("")
    out = tmp_path / "r.json"
    assert main(["eval", "--gold", str(small_gold_dir), "--pred", str(shards), "--format",
                 "json", "-o", str(out), "--n-resamples", "0"]) == 0
    (shards / "part-00001.jsonl").write_bytes(GOOD_LINE)  # the same document again
    assert main(["eval", "--gold", str(small_gold_dir), "--pred", str(shards),
                 "--n-resamples", "0"]) == 2
