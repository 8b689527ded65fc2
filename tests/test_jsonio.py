"""Atomic writes: whole files or nothing, permissions as a plain open() would give."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from filingkit.errors import OverwriteRefused
from filingkit.jsonio import read_json, write_json_atomic, write_text_atomic


def test_new_file_honours_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("{}")
    path.chmod(0o640)
    write_json_atomic(path, {"a": 1})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert read_json(path) == {"a": 1}


def test_refuses_overwrite_when_asked(tmp_path: Path) -> None:
    path = write_text_atomic(tmp_path / "a.txt", "x")
    with pytest.raises(OverwriteRefused):
        write_text_atomic(path, "y", overwrite=False)
    assert path.read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
