"""Inline XBRL marks: where each ix:nonNumeric / ix:nonFraction lands in the canonical text."""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.ingest import collapse_ws, html_to_text_with_marks, ingest_file, ingest_with_marks
from filingkit.ingest.corpus import ingest_row_with_marks, read_manifest
from filingkit.ingest.html import DEFAULT_MARK_TAGS, parse_html, visible_text
from filingkit.ingest.text import decode_bytes

from .conftest import FILINGS, filing

IXBRL_PAGES = (
    "0001437749-24-000106/flws20231228_8k.htm",
    "nexpoint-capital-8k-2023-12-20/NextPoint.8K.html",
)
_HIDING = ("ix:header", "head", "script", "style", "title")


def _hidden_by_ancestor(el: Any) -> bool:
    node = el
    while node is not None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _HIDING or "display:none" in (node.get("style") or "").replace(" ", "").lower():
            return True
        node = node.getparent()
    return False


@pytest.mark.parametrize("rel", IXBRL_PAGES, ids=lambda r: r.split("/")[0])
def test_visible_marks_cover_the_element_text(rel: str) -> None:
    html = decode_bytes(filing(rel).read_bytes())[0]
    text, marks = html_to_text_with_marks(html)
    elements = [e for e in parse_html(html).iter()
                if isinstance(e.tag, str) and e.tag.lower() in DEFAULT_MARK_TAGS]
    assert len(marks) == len(elements) > 5
    n_visible = n_hidden = 0
    for mark, el in zip(marks, elements, strict=True):
        assert mark.tag == el.tag.lower()
        assert mark.attributes == dict(el.attrib)
        assert 0 <= mark.start <= mark.end <= len(text)
        if _hidden_by_ancestor(el):
            assert mark.hidden, mark
            n_hidden += 1
            continue
        expected = visible_text(el)
        assert collapse_ws(text[mark.start:mark.end]) == expected, mark.attributes.get("name")
        if expected:
            n_visible += 1
            # tight: the span neither starts nor ends with white space
            span = text[mark.start:mark.end]
            assert span == span.strip()
    assert n_visible > 5 and n_hidden > 0


def test_known_cover_facts() -> None:
    html = decode_bytes(filing(IXBRL_PAGES[0]).read_bytes())[0]
    text, marks = html_to_text_with_marks(html)
    by_name = {m.attributes.get("name"): m for m in marks}
    expected = {
        "dei:DocumentType": "8-K",
        "dei:DocumentPeriodEndDate": "December 31, 2023",
        "dei:EntityIncorporationStateCountryCode": "Delaware",
        "dei:EntityFileNumber": "0-26841",
        "dei:EntityTaxIdentificationNumber": "11-3117311",
        "dei:EntityAddressAddressLine1": "Two Jericho Plaza, Suite 200",
        "dei:LocalPhoneNumber": "237-6000",
        "dei:TradingSymbol": "FLWS",
        "dei:EntityRegistrantName": "",  # this filer tags the name in ix:hidden only
        "dei:AmendmentFlag": "",
    }
    for name, value in expected.items():
        m = by_name[name]
        assert text[m.start:m.end] == value, name
    assert by_name["dei:DocumentPeriodEndDate"].attributes["format"] == "ixt:datemonthdayyearen"


def test_document_marks_equal_page_marks() -> None:
    """ingest_with_marks uses the same conversion, so the offsets are the page's own."""
    path = filing(IXBRL_PAGES[1])
    text, marks = html_to_text_with_marks(decode_bytes(path.read_bytes())[0])
    result = ingest_with_marks(path)
    assert result.document.text == text
    assert result.marks == marks
    assert ingest_file(path).text == text


def test_sgml_marks_are_shifted_to_the_document() -> None:
    result = ingest_with_marks(filing("0001493152-25-001317/0001493152-25-001317.nc"))
    doc = result.document
    names = {m.attributes.get("name"): m for m in result.marks if not m.hidden}
    m = names["dei:EntityRegistrantName"]
    assert doc.text[m.start:m.end] == "ACORN ENERGY, INC."
    m = names["dei:EntityFileNumber"]
    assert doc.text[m.start:m.end] == "001-33886"
    for mark in result.marks:
        assert doc.segments[0].start <= mark.start <= mark.end <= doc.segments[-1].end


def test_corpus_multi_file_marks_are_shifted() -> None:
    rows = {r["id"]: r for r in read_manifest(FILINGS / "manifest.jsonl")}
    result = ingest_row_with_marks(rows["0001437749-24-000106"], FILINGS)
    doc = result.document
    assert [s.name for s in doc.segments] == ["8-K", "EX-99.1"]
    names = {m.attributes.get("name"): m for m in result.marks if not m.hidden}
    m = names["dei:EntityTaxIdentificationNumber"]
    assert doc.text[m.start:m.end] == "11-3117311"
    assert doc.segments[0].start <= m.start < m.end <= doc.segments[0].end


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # empty element: start == end, at its place
        ("<p>a <ix:nonNumeric name='x'></ix:nonNumeric> b</p>", [("x", "")]),
        # nested elements each get their own span
        ("<p><ix:nonNumeric name='o'>Item <ix:nonFraction name='i'>5</ix:nonFraction>"
         "</ix:nonNumeric></p>", [("o", "Item 5"), ("i", "5")]),
        # display:none hides; a mark inside a hidden div is hidden
        ("<div style='display: none'><ix:nonNumeric name='h'>x</ix:nonNumeric></div><p>v</p>",
         [("h", "")]),
        # spans across a table cell keep the tab
        ("<table><tr><td><ix:nonNumeric name='t'>a</ix:nonNumeric></td><td>b</td></tr></table>",
         [("t", "a")]),
        # leading/trailing spaces inside the element are not part of the span
        ("<p>x<ix:nonNumeric name='s'>  y  </ix:nonNumeric>z</p>", [("s", "y")]),
    ],
)
def test_mark_cases(html: str, expected: list[tuple[str, str]]) -> None:
    text, marks = html_to_text_with_marks(html)
    assert [(m.attributes["name"], text[m.start:m.end]) for m in marks] == expected


def test_custom_tags() -> None:
    text, marks = html_to_text_with_marks("<p>See <a href='#x'>here</a>.</p>", tags=("A",))
    assert text == "See here."
    assert [(m.tag, text[m.start:m.end]) for m in marks] == [("a", "here")]
