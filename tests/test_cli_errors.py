"""The exit-code rule of ``filingkit.cli.main``: 2 and one ``ERROR:`` for bad input, 70 and the
traceback for a bug (never 1, which means a failed check)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from filingkit.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, main
from filingkit.errors import FilingkitError, GoldFormatError
from filingkit.jsonio import write_text_atomic

FAULTS = [
    pytest.param(PermissionError(errno.EACCES, "Permission denied", "/data/gold.json"),
                 EXIT_BAD_INPUT, "ERROR: /data/gold.json: Permission denied", id="unreadable-file"),
    pytest.param(IsADirectoryError(errno.EISDIR, "Is a directory", "/data/x"), EXIT_BAD_INPUT,
                 "TIP: a file was expected here", id="folder-for-a-file"),
    pytest.param(NotADirectoryError(errno.ENOTDIR, "Not a directory", "/data/f.txt"),
                 EXIT_BAD_INPUT, "ERROR: /data/f.txt: Not a directory", id="file-for-a-folder"),
    pytest.param(GoldFormatError("document 'd': entities[0]: span [4, 2) is inverted",
                                 file="g/d/gold.json", field="ORG"), EXIT_BAD_INPUT,
                 "ERROR: g/d/gold.json: field ORG: document 'd': entities[0]", id="filingkit-error"),
    pytest.param(KeyError("facts"), EXIT_INTERNAL, "internal error (KeyError)", id="bug"),
    pytest.param(ValueError("a bug, not an input"), EXIT_INTERNAL, "Traceback", id="bug-traceback"),
    pytest.param(OSError(errno.EIO, "Input/output error"), EXIT_INTERNAL, "Traceback",
                 id="os-error-without-a-path"),
]


@pytest.mark.parametrize(("exc", "rc", "needle"), FAULTS)
def test_exceptions_map_to_exit_codes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str], exc: BaseException,
                                      rc: int, needle: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr("filingkit.gold.validate.validate_gold_dir", fail)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "gold.json").write_text("{}")
    assert main(["gold", "validate", str(tmp_path)]) == rc
    err = capsys.readouterr().err
    assert needle in err, err
    assert ("Traceback" in err) == (rc == EXIT_INTERNAL), err


def test_filingkit_traceback_env_shows_the_traceback_of_bad_input(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FILINGKIT_TRACEBACK", "1")
    assert main(["gold", "validate", str(tmp_path / "missing")]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" in err and "ERROR: " in err


def test_a_failed_write_names_the_output_and_keeps_the_old_file(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = write_text_atomic(tmp_path / "report.json", "old\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    with pytest.raises(Exception) as info:
        write_text_atomic(target, "new\n")
    assert "No space left on device" in str(info.value) and str(target) in str(info.value)
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_output_path_that_is_a_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(FilingkitError, match="a file was expected"):
        write_text_atomic(tmp_path, "x")
