"""``filingkit train`` end to end (``extract`` with the model: tests/run/test_cli.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.serialize import read_predictions


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
