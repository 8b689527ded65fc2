"""Each format ingests into the expected canonical document (real filings, pinned output)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from filingkit.ingest import detect_format, ingest_file
from filingkit.ingest.text import is_normalized

from .conftest import FILINGS, filing


@dataclass(frozen=True)
class Case:
    """One test filing and what its canonical document must look like."""

    rel: str
    fmt: str  # detect_format
    source_format: str
    doc_id: str
    # (segment name, text the segment starts with, text it contains)
    segments: tuple[tuple[str, str, str], ...]
    sha256: str  # pinned: an unnoticed change of the canonical text fails here
    absent: tuple[str, ...] = ()  # strings that must not be in the text


CASES: tuple[Case, ...] = (
    Case(
        "seed-000/000_1829aaabe4e2c628.txt", "text", "text", "000_1829aaabe4e2c628",
        (("main", "UNITED STATES SECURITIES AND EXCHANGE COMMISSION", "ImmunoGen, Inc."),),
        "2d19b060a6767e190fd4938706346c2a0e9cde5ea28801440cfcb7207557a9bf",
    ),
    Case(
        "0001437749-16-028287/0001437749-16-028287.html", "html", "html",
        "0001437749-16-028287",
        (("main", "UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION", "Peter Slover"),),
        "3cb366c0c94c26f7d6dead464a8503f5755a6b39c0ecbb0c44bc8604b55bc5ac",
        absent=("sphs20160323_8k.htm", "&nbsp;", "\xa0"),  # <title> is not text
    ),
    Case(
        "0000950123-10-003398/1001907_8K_2010_0000950123-10-003398.htm", "html", "html",
        "0000950123-10-003398",
        (("8-K", "UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION",
          "Washington\t001-34426\t91-1273737"),),
        "22b3984ad8f78c030f7d1446f020eebd3cfd2420e27882d83b148b4ff3fa2003",
        absent=("<TYPE>", "c94790e8vk.htm"),
    ),
    Case(
        "0001437749-24-000106/flws20231228_8k.htm", "ixbrl", "ixbrl", "0001437749-24-000106",
        (("main", "UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION", "1-800-FLOWERS.COM"),),
        "f2cd15c6c1c7d0da4b3470fbed7d29509bebf352d7247781b797c084aae45778",
        absent=("iso4217", "xbrli:shares", "\xa0"),
    ),
    Case(
        "nexpoint-capital-8k-2023-12-20/NextPoint.8K.html", "ixbrl", "ixbrl", "NextPoint.8K",
        (("main", "UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION", "NexPoint Capital"),),
        "0370c4be2acf5a8deea2ac78ba769a5b9872f76a338fc0bd12d1cefe73b17625",
        absent=("iso4217",),
    ),
    Case(
        "0000891618-95-000727/0000891618-95-000727.txt", "sgml", "sgml", "0000891618-95-000727",
        (("8-K", "                       SECURITIES AND EXCHANGE COMMISSION",
          "CISCO SYSTEMS, INC."),),
        "aa98b4cdcdaadaa6eed08d7382148814bd777b8221ce977abc9b44b39e071bb5",
        absent=("<PAGE>", "ACCESSION NUMBER", "PRIVACY-ENHANCED", "EX-20.1"),
    ),
    Case(
        "0000950117-94-000182/100783_8K_1994_0000950117-94-000182.txt", "sgml", "sgml",
        "0000950117-94-000182",
        (("8-K", "                 SECURITIES AND EXCHANGE COMMISSION", "UNION CAMP CORPORATION"),
         ("EX-99", "                                                     Exhibit 99",
          "NEWS RELEASE")),
        "85ef4ea8e107836b1c5fa00f5b38b70deee7fcedeb130f4964eff1162a5f9486",
        absent=("<PAGE>", "<TEXT>", "<DOCUMENT>"),
    ),
    Case(
        "0001193125-19-191922/0001193125-19-191922.txt", "sgml", "sgml", "0001193125-19-191922",
        (("8-K", "UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION", "Oracle Corporation"),
         ("EX-99.1", "Exhibit 99.1", "ORACLE NAMES RONA FAIRHEAD")),
        "aa731fc99bdd2541b7de301340ca0004e7409afaa25b3e986658d1c58f52acd8",
        absent=("begin 644", "GRAPHIC", "g776427g33t06.jpg"),  # the uuencoded logo is dropped
    ),
    Case(
        "0000943374-24-000509/0000943374-24-000509.txt", "sgml", "sgml", "0000943374-24-000509",
        (("8-K", "UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION",
          "1895 BANCORP OF WISCONSIN"),),
        "f8869fc00b1e45edccae7ae17e3bc288fff654a7a93d6e047f618edca7294850",
        absent=("begin 644", "xbrli:", "iso4217", "<XBRL>"),
    ),
    Case(
        "0001493152-25-001317/0001493152-25-001317.nc", "sgml", "sgml", "0001493152-25-001317",
        (("8-K", "UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION", "ACORN ENERGY, INC."),),
        "f35a2d2ef1d9580536062e50b0395f67be0f04bd432a96dfdc2158091f4d9240",
        absent=("begin 644", "EX-10.1", "iso4217", "\r"),
    ),
)
IDS = [c.rel.split("/")[0] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_detect_format(case: Case) -> None:
    path = filing(case.rel)
    assert detect_format(path, path.read_bytes()) == case.fmt


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_document(case: Case) -> None:
    doc = ingest_file(filing(case.rel))
    assert doc.doc_id == case.doc_id
    assert doc.source_format == case.source_format
    assert [s.name for s in doc.segments] == [name for name, _, _ in case.segments]
    for seg, (name, starts, contains) in zip(doc.segments, case.segments, strict=True):
        body = doc.text[seg.start:seg.end]
        assert body.startswith(starts), (name, body[:80])
        assert contains in body, (name, contains)
        assert body == body.strip("\n") and body.strip(), name
    for needle in case.absent:
        assert needle not in doc.text, needle
    assert doc.sha256 == case.sha256


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_segments_tile_the_text(case: Case) -> None:
    """Segments are in order, do not overlap, and are separated by exactly one blank line."""
    doc = ingest_file(filing(case.rel))
    assert doc.segments[0].start == 0
    assert doc.segments[-1].end == len(doc.text)
    for a, b in zip(doc.segments, doc.segments[1:], strict=False):
        assert doc.text[a.end:b.start] == "\n\n"


@pytest.mark.parametrize("case", [c for c in CASES if c.fmt != "text"], ids=lambda c: c.doc_id)
def test_converted_text_is_normalized(case: Case) -> None:
    text = ingest_file(filing(case.rel)).text
    assert is_normalized(text)
    assert "\xa0" not in text


def test_text_format_keeps_the_seed_verbatim() -> None:
    """The seeds are annotated against their exact text: decoded UTF-8, LF newlines, nothing else."""
    path = filing("seed-000/000_1829aaabe4e2c628.txt")
    raw = path.read_bytes().decode("utf-8")
    assert ingest_file(path).text == raw.replace("\r\n", "\n").replace("\r", "\n")


def test_text_format_crlf_and_bom(tmp_path: Path) -> None:
    raw = filing("seed-000/000_1829aaabe4e2c628.txt").read_bytes()
    crlf = tmp_path / "seed.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    assert ingest_file(crlf).text == raw.decode("utf-8")


UUENCODED_LINE = re.compile(r"^M[!-`]{60}$", re.MULTILINE)


@pytest.mark.parametrize("case", [c for c in CASES if c.fmt == "sgml"], ids=lambda c: c.doc_id)
def test_uuencoded_blocks_dropped(case: Case) -> None:
    path = filing(case.rel)
    raw = path.read_bytes().decode("utf-8").replace("\r", "\n")
    text = ingest_file(path).text
    assert UUENCODED_LINE.search(text) is None
    if "begin 644" in raw:  # the file has binaries: they were there, and they are gone
        assert UUENCODED_LINE.search(raw) is not None


def test_sgml_segment_metadata() -> None:
    doc = ingest_file(filing("0001193125-19-191922/0001193125-19-191922.txt"))
    assert [(s.filename, s.description) for s in doc.segments] == [
        ("d776427d8k.htm", "8-K"), ("d776427dex991.htm", "EX-99.1")]


def test_sgml_default_provenance_from_header() -> None:
    doc = ingest_file(filing("0001493152-25-001317/0001493152-25-001317.nc"))
    prov = doc.provenance
    assert prov is not None
    assert (prov.kind, prov.accession, prov.company, prov.cik, prov.form, prov.filing_date,
            prov.format) == ("user", "0001493152-25-001317", "ACORN ENERGY, INC.", "0000880984",
                             "8-K", "2025-01-08", "sgml")


def test_explicit_doc_id_wins() -> None:
    doc = ingest_file(filing("0000891618-95-000727/0000891618-95-000727.txt"), doc_id="cisco")
    assert doc.doc_id == "cisco"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_deterministic_twice(case: Case) -> None:
    a = ingest_file(filing(case.rel))
    b = ingest_file(filing(case.rel))
    assert a == b


def test_deterministic_across_processes_and_locales() -> None:
    """Another interpreter, another hash seed, another locale: the same bytes out."""
    code = (
        "import sys; from pathlib import Path; from filingkit.ingest import ingest_file\n"
        "for p in sorted(Path(sys.argv[1]).rglob('*')):\n"
        "    if p.suffix in ('.txt', '.htm', '.html', '.nc') and p.parent.name != 'filings':\n"
        "        print(p.parent.name, p.name, ingest_file(p).sha256)\n"
    )
    outs = []
    for seed, lang in (("1", "C"), ("4242", "tr_TR.UTF-8")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "LANG": lang, "LC_ALL": lang}
        res = subprocess.run([sys.executable, "-c", code, str(FILINGS)], env=env,
                             capture_output=True, text=True, check=True)
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    pinned = {c.rel.split("/")[-1]: c.sha256 for c in CASES}
    for line in outs[0].splitlines():
        _, name, sha = line.split()
        if name in pinned:
            assert sha == pinned[name], name


DETECT: tuple[tuple[str, bytes, str], ...] = (
    ("notes.md", b"# Title\n\nSome *markdown* with a <b>tag</b> inline.\n", "text"),
    ("page.txt", b"<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "html"),
    ("page.htm", b"<P>Plain paragraph markup, no html element</P>", "html"),
    ("page.txt", b"<P>a txt file with a P tag is still text</P>", "text"),
    ("x.xhtml", b'<?xml version="1.0"?><html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL">'
                b"<body><ix:nonNumeric name='a'>b</ix:nonNumeric></body></html>", "ixbrl"),
    ("x.nc", b"<SUBMISSION>\n<ACCESSION-NUMBER>0000000000-00-000000\n", "sgml"),
    ("x.txt", b"<SEC-DOCUMENT>0000000000-00-000000.txt : 20000101\n", "sgml"),
    ("x.txt", b"<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nplain text\n</TEXT>\n</DOCUMENT>\n", "sgml"),
    ("x.htm", b"<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n<html><body>x</body></html>\n</TEXT>\n"
              b"</DOCUMENT>\n", "html"),
    ("u16.txt", "\ufeffplain UTF-16 text".encode("utf-16"), "text"),
)


@pytest.mark.parametrize(("name", "data", "expected"), DETECT,
                         ids=[f"{n}-{e}" for n, _, e in DETECT])
def test_detect_format_cases(name: str, data: bytes, expected: str) -> None:
    assert detect_format(name, data) == expected


def test_markdown_is_kept_verbatim(tmp_path: Path) -> None:
    md = tmp_path / "0000320193-24-000005.md"
    md.write_bytes(b"# Apple 8-K\r\n\r\n| a | b |\r\n|---|---|\r\n  trailing  \r\n")
    doc = ingest_file(md)
    assert doc.doc_id == "0000320193-24-000005"  # a file name that is an accession number
    assert doc.text == "# Apple 8-K\n\n| a | b |\n|---|---|\n  trailing  \n"
    assert doc.segments[0].name == "main"
