"""``filingkit ingest`` end to end, ``read_ingested``, and corpus manifest rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.errors import IngestError
from filingkit.ingest import ingest_file, read_ingested, write_ingested
from filingkit.ingest.corpus import iter_corpus, provenance_from_row, read_manifest

from .conftest import FILINGS, filing


def test_cli_writes_documents_and_lists_failures(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(filing("0001493152-25-001317/0001493152-25-001317.nc"), src)
    shutil.copy(filing("0001437749-16-028287/0001437749-16-028287.html"), src)
    (src / "broken.txt").write_bytes(b"<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\ncut")
    out = tmp_path / "out"
    code = main(["ingest", str(src), "-o", str(out), "--no-progress"])
    assert code == 1
    err = capsys.readouterr().err
    assert "broken.txt: truncated SGML" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "0001437749-16-028287", "0001493152-25-001317"]
    folder = out / "0001493152-25-001317"
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    doc = read_ingested(folder)
    assert doc == ingest_file(src / "0001493152-25-001317.nc")
    assert meta["sha256"] == doc.sha256 and meta["source_format"] == "sgml"
    assert (folder / "text.txt").read_bytes() == doc.text.encode("utf-8")
    assert not list(out.rglob("*.tmp"))


def test_cli_exit_zero_and_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(filing("seed-000/000_1829aaabe4e2c628.txt")), "-o", str(out),
                 "--no-progress"]) == 0
    assert read_ingested(out / "000_1829aaabe4e2c628").source_format == "text"
    assert main(["ingest", str(tmp_path / "missing"), "-o", str(out), "--no-progress"]) == 2


def test_cli_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["ingest", "--manifest", str(FILINGS / "manifest.jsonl"), "--ids",
                 "0001437749-24-000106", "-o", str(out), "--no-progress"])
    assert code == 0
    doc = read_ingested(out / "0001437749-24-000106")
    assert [s.name for s in doc.segments] == ["8-K", "EX-99.1"]
    assert doc.provenance is not None and doc.provenance.kind == "corpus"


def test_read_ingested_detects_tampering(tmp_path: Path) -> None:
    folder = write_ingested(tmp_path, ingest_file(filing("seed-000/000_1829aaabe4e2c628.txt")))
    (folder / "text.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(IngestError, match="sha256") as info:
        read_ingested(folder)
    assert info.value.file == str(folder / "text.txt")
    with pytest.raises(IngestError, match="no such file"):
        read_ingested(tmp_path / "nothing")


def test_provenance_from_row() -> None:
    rows = {r["id"]: r for r in read_manifest(FILINGS / "manifest.jsonl")}
    row = rows["0000891618-95-000727"]
    prov = provenance_from_row(row)
    assert prov.kind == "corpus"
    assert (prov.repo, prov.commit, prov.accession, prov.company, prov.cik, prov.form,
            prov.filing_date, prov.format) == (
        "ryankfrench/sec_cover_page_parser", "5a9981cd3285230395f8809b48f8d9e4381716d0",
        "0000891618-95-000727", "CISCO SYSTEMS INC", "858877", "8-K", "1995-12-06", "sgml")
    assert prov.path == row["source_path"]
    assert prov.files == ("0000891618-95-000727/0000891618-95-000727.txt",)
    assert prov.license_note and "public record" in prov.license_note


def test_iter_corpus_ingests_every_row() -> None:
    results = dict(iter_corpus(FILINGS / "manifest.jsonl"))
    assert len(results) == 9
    for row_id, doc in results.items():
        assert not isinstance(doc, IngestError), doc
        assert doc.doc_id == row_id
        assert doc.provenance is not None and doc.provenance.kind == "corpus"
    multi = results["0001437749-24-000106"]
    assert not isinstance(multi, IngestError)
    main_doc, exhibit = multi.segments
    assert (main_doc.filename, exhibit.filename) == ("flws20231228_8k.htm", "ex_610719.htm")
    assert multi.text[exhibit.start:exhibit.end].startswith("Exhibit 99.1")
    assert multi.text[main_doc.end:exhibit.start] == "\n\n"
