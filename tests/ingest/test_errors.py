"""Malformed input raises IngestError naming the file; iter_ingest goes on past broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from filingkit.errors import IngestError
from filingkit.ingest import detect_format, ingest_bytes, ingest_file, iter_ingest
from filingkit.records import Document

from .conftest import filing

SGML = "0001193125-19-191922/0001193125-19-191922.txt"


def _truncated(tmp_path: Path) -> Path:
    raw = filing(SGML).read_bytes()
    cut = tmp_path / "truncated.txt"
    cut.write_bytes(raw[: raw.index(b"</DOCUMENT>") - 200])  # cut inside the first document
    return cut


def _no_text_close(tmp_path: Path) -> Path:
    raw = filing(SGML).read_bytes()
    p = tmp_path / "no-text-close.txt"
    p.write_bytes(raw.replace(b"</TEXT>", b"", 1))
    return p


def _garbage(tmp_path: Path) -> Path:
    p = tmp_path / "garbage.htm"
    # deterministic "binary": every byte value, repeated (a real image would do the same)
    p.write_bytes(bytes(range(256)) * 40)
    return p


def _empty(tmp_path: Path) -> Path:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    return p


def _blank(tmp_path: Path) -> Path:
    p = tmp_path / "blank.html"
    p.write_bytes(b"  \r\n\t\n")
    return p


def _header_only(tmp_path: Path) -> Path:
    raw = filing(SGML).read_bytes()
    p = tmp_path / "header-only.txt"
    p.write_bytes(raw[: raw.index(b"<DOCUMENT>")])
    return p


def _only_binaries(tmp_path: Path) -> Path:
    p = tmp_path / "only-graphic.txt"
    p.write_bytes(
        b"<SEC-DOCUMENT>x.txt\n<SEC-HEADER>x\nACCESSION NUMBER: 0000000000-00-000000\n"
        b"</SEC-HEADER>\n<DOCUMENT>\n<TYPE>GRAPHIC\n<SEQUENCE>1\n<FILENAME>a.jpg\n<TEXT>\n"
        b"begin 644 a.jpg\nM_]C_X  02D9)1@ ! 0$ 8 !@  #_VP!#  (! 0$! 0(! 0$\n`\nend\n"
        b"</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
    return p


def _invisible_html(tmp_path: Path) -> Path:
    p = tmp_path / "invisible.htm"
    p.write_bytes(b"<html><head><title>t</title></head><body>"
                  b"<div style='display:none'>secret</div></body></html>")
    return p


def _too_deep(tmp_path: Path) -> Path:
    p = tmp_path / "deep.htm"
    p.write_bytes(b"<html><body>" + b"<div>x " * 3000 + b"</body></html>")
    return p


BROKEN = {
    "too-deep": (_too_deep, "nested deeper than 2048"),
    "truncated": (_truncated, "truncated SGML"),
    "no-text-close": (_no_text_close, "<TEXT> without </TEXT>"),
    "garbage": (_garbage, "binary data"),
    "empty": (_empty, "file is empty"),
    "blank": (_blank, "file is empty"),
    "header-only": (_header_only, "without any <DOCUMENT>"),
    "only-binaries": (_only_binaries, "no 8-K document"),
    "invisible": (_invisible_html, "no visible text"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_input_names_file_and_reason(kind: str, tmp_path: Path) -> None:
    make, reason = BROKEN[kind]
    path = make(tmp_path)
    with pytest.raises(IngestError) as info:
        ingest_file(path)
    assert info.value.file == str(path)
    assert reason in info.value.reason
    assert str(path) in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        ingest_file(tmp_path / "nope.htm")
    with pytest.raises(IngestError, match="is a folder"):
        ingest_file(tmp_path)


def test_detect_format_rejects_binary() -> None:
    with pytest.raises(IngestError, match="binary"):
        detect_format("x.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)


def test_unknown_forced_format() -> None:
    with pytest.raises(IngestError, match="unknown format"):
        ingest_bytes(b"hello", doc_id="x", fmt="pdf")


def test_bytes_without_path_or_doc_id() -> None:
    with pytest.raises(IngestError, match="no doc_id"):
        ingest_bytes(b"hello")


def test_iter_ingest_goes_on_past_broken_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = ["0000891618-95-000727/0000891618-95-000727.txt",
            "0001437749-16-028287/0001437749-16-028287.html",
            "seed-000/000_1829aaabe4e2c628.txt"]
    for rel in good:
        (folder / rel.split("/")[0]).mkdir()
        shutil.copy(filing(rel), folder / rel)
    broken = _truncated(folder)
    (folder / "notes.json").write_text("{}")  # not a filing suffix: ignored
    (folder / ".hidden.txt").write_text("hidden files are skipped")
    results = list(iter_ingest([folder]))
    paths = [p for p, _ in results]
    assert paths == sorted(paths, key=lambda p: p.as_posix())
    assert len(results) == 4
    errors = {p: r for p, r in results if isinstance(r, IngestError)}
    assert list(errors) == [broken]
    docs = [r for _, r in results if isinstance(r, Document)]
    assert sorted(d.doc_id for d in docs) == [
        "0000891618-95-000727", "0001437749-16-028287", "000_1829aaabe4e2c628"]
    # same order every time
    assert [p for p, _ in iter_ingest([folder])] == paths


def test_package_exports_load_lazily() -> None:
    import filingkit.ingest as pkg

    assert sorted(pkg.__all__) == sorted(pkg._EXPORTS)
    for name in pkg.__all__:
        assert getattr(pkg, name) is not None
    with pytest.raises(AttributeError):
        _ = pkg.no_such_name
