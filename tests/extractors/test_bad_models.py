"""The battery of broken model folders given to ``filingkit extract --extractor ml --model``.

A real CRF is trained (three bundled gold filings, three iterations) and
saved; each case breaks the saved folder in one place, and the extraction is
run through ``filingkit.cli.main``: exit 2, one ``ERROR:`` naming the file of
the model folder and the reason, no predictions written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filingkit import __version__
from filingkit.cli import main
from filingkit.extractors.ml import CrfExtractor
from filingkit.gold.store import load_gold_dir

from ..mutations import set_path

Edit = Callable[[Path], None]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    gold = load_gold_dir()[:3]
    model = CrfExtractor(max_iterations=3).fit([g.document for g in gold],
                                               [g.gold.annotations for g in gold])
    folder = tmp_path_factory.mktemp("crf") / "model"
    model.save(folder)
    return folder


def _header(*path: Any, value: Any) -> Edit:
    def edit(folder: Path) -> None:
        header = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        set_path(header, path, value)
        (folder / "model.json").write_text(json.dumps(header), encoding="utf-8")
    return edit


def _model_bytes(change: Callable[[bytes], bytes], *, fix_sha: bool) -> Edit:
    """Change ``model.crfsuite``; with ``fix_sha`` the header is updated to match (a corrupt
    file that passes the hash check and reaches CRFsuite)."""
    def edit(folder: Path) -> None:
        data = change((folder / "model.crfsuite").read_bytes())
        (folder / "model.crfsuite").write_bytes(data)
        if fix_sha:
            _header("model_sha256", value=hashlib.sha256(data).hexdigest())(folder)
    return edit


def _write(name: str, data: bytes) -> Edit:
    return lambda folder: (folder / name).write_bytes(data)


CASES = [
    pytest.param(_write("model.json", b'{"format": "filingkit-crf-model", '), "model.json",
                 "line 1", id="header-truncated"),
    pytest.param(_write("model.json", b"\xff\xfe{}"), "model.json", "not UTF-8",
                 id="header-not-utf8"),
    pytest.param(_write("model.json", b"[]"), "model.json", "header", id="header-a-list"),
    pytest.param(lambda f: (f / "model.json").unlink(), "model", "no model.json",
                 id="header-missing"),
    pytest.param(_header("format", value="sklearn-pickle"), "model.json", "not a",
                 id="not-a-model"),
    pytest.param(_header("format_version", value=2), "model.json", "format version",
                 id="format-version"),
    pytest.param(_header("feature_version", value=99), "model.json", "feature version",
                 id="feature-version"),
    pytest.param(_header("filingkit_version", value="0.0.1"), "model.json", __version__,
                 id="other-filingkit"),
    pytest.param(_header("catalogue", "version", value="9"), "model.json", "catalogue",
                 id="other-catalogue"),
    pytest.param(_header("catalogue", value="filingkit-8k"), "model.json", "catalogue",
                 id="catalogue-not-object"),
    pytest.param(_header("labels", value=["ORG", "SHIP"]), "model.json", "SHIP",
                 id="unknown-label"),
    pytest.param(_header("labels", value="ORG"), "model.json", "labels", id="labels-not-list"),
    pytest.param(_header("labels", value=["ORG", "ORG"]), "model.json", "twice",
                 id="labels-twice"),
    pytest.param(_header("params", value=[]), "model.json", "params", id="params-not-object"),
    pytest.param(_header("params", "window", value=99), "model.json", "window",
                 id="params-out-of-range"),
    pytest.param(_header("params", "c1", value="strong"), "model.json", "c1",
                 id="params-wrong-type"),
    pytest.param(_header("model_file", value="../model.crfsuite"), "model.json", "model_file",
                 id="model-file-outside"),
    pytest.param(_header("model_sha256", value="0" * 64), "model.crfsuite", "sha256",
                 id="sha-mismatch"),
    pytest.param(lambda f: (f / "model.crfsuite").unlink(), "model.crfsuite", "missing",
                 id="model-file-missing"),
    pytest.param(_model_bytes(lambda b: b[: len(b) // 2], fix_sha=False), "model.crfsuite",
                 "sha256", id="model-truncated"),
    pytest.param(_model_bytes(lambda b: b[: len(b) // 2], fix_sha=True), "model.crfsuite",
                 "CRFsuite", id="model-truncated-sha-fixed"),
    pytest.param(_model_bytes(lambda b: b"not a crf model", fix_sha=True), "model.crfsuite",
                 "CRFsuite", id="model-garbage-sha-fixed"),
    pytest.param(_model_bytes(lambda b: b"", fix_sha=True), "model.crfsuite", "CRFsuite",
                 id="model-empty-sha-fixed"),
]


@pytest.mark.parametrize(("edit", "file", "reason"), CASES)
def test_broken_models_are_refused_by_name(saved: Path, tmp_path: Path, edit: Edit, file: str,
                                           reason: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "model"
    shutil.copytree(saved, folder)
    edit(folder)
    out = tmp_path / "preds.jsonl"
    filing = tmp_path / "filing.txt"
    filing.write_text("ImmunoGen, Inc. of Cambridge, Massachusetts\n", encoding="utf-8")
    capsys.readouterr()
    rc = main(["extract", "--extractor", "ml", "--model", str(folder), "-o", str(out),
               "--no-progress", str(filing)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert rc == 2, err
    assert err.startswith(f"ERROR: {folder}") and file in err and reason in err, err
    assert not out.exists()


def test_the_unbroken_model_extracts(saved: Path, tmp_path: Path) -> None:
    filing = tmp_path / "filing.txt"
    filing.write_text("ImmunoGen, Inc. of Cambridge, Massachusetts\n", encoding="utf-8")
    assert main(["extract", "--extractor", "ml", "--model", str(saved), "-o",
                 str(tmp_path / "p.jsonl"), "--no-progress", str(filing)]) == 0
