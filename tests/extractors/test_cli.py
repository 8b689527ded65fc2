"""``filingkit extract`` and ``filingkit train`` end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.extractors.regex import RegexExtractor
from filingkit.records import Document, GoldRecord
from filingkit.serialize import read_predictions


def _write_filings(folder: Path, corpus: list[tuple[Document, GoldRecord]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc, _ in corpus[:3]:
        p = folder / f"{doc.doc_id}.txt"
        p.write_text(doc.text, encoding="utf-8")
        paths.append(p)
    html = folder / "doc9.htm"
    html.write_text("<html><body><p>ImmunoGen, Inc. (Nasdaq: IMGN) said on March 17, 2005 "
                    "that it earned \\$2 million.</p></body></html>", encoding="utf-8")
    paths.append(html)
    return paths


def test_extract_raw_filings(tmp_path: Path, corpus: list[tuple[Document, GoldRecord]],
                             capsys: pytest.CaptureFixture[str]) -> None:
    _write_filings(tmp_path / "in", corpus)
    out = tmp_path / "preds.jsonl"
    assert main(["extract", "--extractor", "regex", str(tmp_path / "in"), "-o", str(out),
                 "--no-progress"]) == 0
    preds = {p.doc_id: p for p in read_predictions(out)}
    assert set(preds) == {"doc0", "doc1", "doc2", "doc9"}
    # plain text is kept as it is, so offsets match the corpus text
    direct = RegexExtractor().extract(corpus[0][0]).entities
    assert [(e.label, e.start, e.end, e.text) for e in preds["doc0"].entities] == [
        (e.label, e.start, e.end, e.text) for e in direct]
    assert {e.label for e in preds["doc9"].entities} >= {"TICKER", "DATE"}
    head, first = (json.loads(x) for x in out.read_text().splitlines()[:2])
    assert head["format"] == "filingkit-predictions" and "doc_id" not in head
    assert head["extractor"] == {"name": "regex", "version": "1"}
    assert head["fields"] == list(RegexExtractor().fields) or set(head["fields"]) == set(
        RegexExtractor().fields)
    assert first["extractor"] == "regex@1"
    assert "4 documents" in capsys.readouterr().err


def test_extract_goes_on_past_a_broken_file(tmp_path: Path,
                                            corpus: list[tuple[Document, GoldRecord]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    paths = _write_filings(tmp_path / "in", corpus)
    broken = tmp_path / "in" / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    missing = tmp_path / "nope.txt"
    out = tmp_path / "preds.jsonl"
    code = main(["extract", "-e", "regex", *map(str, paths), str(broken), str(missing),
                 "-o", str(out), "--no-progress"])
    assert code == 1
    assert len(read_predictions(out)) == 4  # the good ones are written
    err = capsys.readouterr().err
    assert "FAILED" in err and "broken.txt" in err and "nope.txt" in err
    assert "2 of 6 failed" in err


def test_extract_on_gold_texts(corpus_gold_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    assert main(["extract", "-e", "regex", "--gold", str(corpus_gold_dir), "-o", str(out),
                 "--no-progress"]) == 0
    assert [p.doc_id for p in read_predictions(out)] == [f"doc{i}" for i in range(6)]


def test_extract_needs_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-e", "regex", "-o", str(tmp_path / "p.jsonl")]) == 2
    assert "PATH" in capsys.readouterr().err


def test_extract_unknown_extractor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-e", "rgex", str(tmp_path), "-o", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'regex'" in err and "TIP:" in err


def test_unfitted_ml_extract_says_how_to_train(corpus_gold_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.jsonl"
    assert main(["extract", "-e", "ml", "--gold", str(corpus_gold_dir), "-o", str(out),
                 "--no-progress"]) == 1
    assert "not fitted" in capsys.readouterr().err


def test_train_then_extract_with_model(corpus_gold_dir: Path, tmp_path: Path,
                                       gold_dir_builder: Callable[..., Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model"
    assert main(["train", "--extractor", "ml", "--gold", str(corpus_gold_dir), "-o", str(model),
                 "--option", "max_iterations=30"]) == 0
    assert (model / "model.json").exists() and (model / "model.crfsuite").exists()
    assert "trained ml@1 on 6 documents" in capsys.readouterr().err
    out = tmp_path / "p.jsonl"
    assert main(["extract", "-e", "ml", "--model", str(model), "--gold", str(corpus_gold_dir),
                 "-o", str(out), "--no-progress"]) == 0
    preds = read_predictions(out)
    assert sum(len(p.entities) for p in preds) > 10


def test_train_refuses_untrainable(corpus_gold_dir: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "-e", "regex", "--gold", str(corpus_gold_dir), "-o",
                 str(tmp_path / "m")]) == 2
    assert "not trainable" in capsys.readouterr().err


def test_model_for_untrainable_is_refused(corpus_gold_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-e", "regex", "--model", str(tmp_path), "--gold",
                 str(corpus_gold_dir), "-o", str(tmp_path / "p")]) == 2
    assert "takes no --model" in capsys.readouterr().err


def test_bad_option_syntax(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-e", "regex", "--option", "phone_region", str(tmp_path), "-o",
                 str(tmp_path / "p")]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_extract_paths_and_gold_conflict(corpus_gold_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-e", "regex", "--gold", str(corpus_gold_dir), str(tmp_path),
                 "-o", str(tmp_path / "p")]) == 2
    assert "not both" in capsys.readouterr().err
