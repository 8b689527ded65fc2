"""Property tests (hypothesis): white-space rules, offsets of concatenated segments, decoding."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from filingkit.ingest import collapse_ws, html_to_text_with_marks, ingest_bytes, ingest_file
from filingkit.ingest.core import IngestResult, concat_results
from filingkit.ingest.html import Mark
from filingkit.ingest.text import decode_bytes, decode_cp1252, is_normalized, normalize_plain
from filingkit.records import Document, Segment

# Text with the characters that matter here: spaces of all kinds, tabs, CR/LF, form feeds.
MESSY = st.text(
    alphabet=st.sampled_from([*"ab Z9.,\t\n\r\f\xa0\u2009\u200b$%", "é", "’", "—"]),
    max_size=200,
)

# Small random html: nested blocks, inline tags, tables, <pre>, hidden parts, tracked tags.
WORDS = st.text(alphabet=st.sampled_from(list("abc xyz \n\t\xa0&;")), max_size=12)


@st.composite
def html_fragments(draw: st.DrawFn, depth: int = 0) -> str:
    n = draw(st.integers(0, 4 if depth < 3 else 0))
    parts = [draw(WORDS).replace("&", "&amp;")]
    for _ in range(n):
        tag = draw(st.sampled_from(
            ["p", "div", "span", "b", "br", "td", "tr", "table", "pre", "li", "h2",
             "ix:nonNumeric", "ix:nonFraction", "div style='display:none'", "font"]))
        name = tag.split()[0]
        inner = draw(html_fragments(depth + 1)) if name != "br" else ""
        parts.append(f"<{tag}>{inner}</{name}>" if name != "br" else "<br>")
        parts.append(draw(WORDS).replace("&", "&amp;"))
    return "".join(parts)


@given(MESSY)
def test_normalize_plain_rules(raw: str) -> None:
    out = normalize_plain(raw)
    assert is_normalized(out)
    assert normalize_plain(out) == out  # idempotent
    # only white space and control characters change: the visible words survive in order
    assert collapse_ws(out.replace("\f", " ")) == collapse_ws(
        "".join(c for c in raw.replace("\xa0", " ").replace("\f", " ")
                if c >= " " or c in "\t\n\r")
    )


@settings(max_examples=300, deadline=None)
@given(html_fragments())
def test_html_text_is_normalized_and_marks_are_in_bounds(html: str) -> None:
    text, marks = html_to_text_with_marks("<html><body>" + html + "</body></html>")
    assert is_normalized(text)
    assert "\xa0" not in text and "\u200b" not in text
    if "<pre>" not in html:  # outside <pre>, lines never start with white space
        assert all(line == line.lstrip(" \t") for line in text.split("\n"))
    for m in marks:
        assert 0 <= m.start <= m.end <= len(text)
        span = text[m.start:m.end]
        assert span == span.strip()  # tight spans
    again = html_to_text_with_marks("<html><body>" + html + "</body></html>")
    assert again == (text, marks)


@settings(max_examples=200, deadline=None)
@given(html_fragments())
def test_nested_marks_nest(html: str) -> None:
    """A mark inside another lies inside it (document order = start-tag order)."""
    _, marks = html_to_text_with_marks(
        "<ix:nonNumeric name='outer'>" + html + "</ix:nonNumeric>")
    outer = marks[0]
    for m in marks[1:]:
        if not m.hidden:
            assert outer.start <= m.start <= m.end <= outer.end


PART_TEXTS = st.lists(
    st.text(alphabet=st.sampled_from(list("ab \nc")), min_size=1, max_size=30).map(
        lambda s: s.strip() or "x"),
    min_size=1, max_size=6,
)


@given(PART_TEXTS)
def test_concatenated_segments_offsets(texts: list[str]) -> None:
    results = [
        IngestResult(Document(f"d{i}", t, (Segment(f"S{i}", 0, len(t)),)),
                     (Mark("ix:nonnumeric", {"i": str(i)}, 0, len(t)),))
        for i, t in enumerate(texts)
    ]
    out = concat_results("doc", results, None)
    doc = out.document
    assert [doc.text[s.start:s.end] for s in doc.segments] == texts
    assert [doc.text[m.start:m.end] for m in out.marks] == texts
    assert doc.text == "\n\n".join(texts)


@given(st.text(max_size=300))
def test_utf8_round_trip(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass") if not any(
        0xD800 <= ord(c) <= 0xDFFF for c in text) else b""
    if data:
        assert decode_bytes(data) == (text, "utf-8")
        assert decode_bytes(b"\xef\xbb\xbf" + data)[0] == text  # BOM dropped


CP1252_TEXT = st.text(
    alphabet=st.characters(codec="cp1252"), max_size=200)


@given(CP1252_TEXT)
def test_cp1252_round_trip(text: str) -> None:
    data = text.encode("cp1252")
    decoded, encoding = decode_bytes(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert (decoded, encoding) == (text, "cp1252")
    else:  # valid UTF-8 by accident (pure ASCII, mostly): read as UTF-8
        assert encoding == "utf-8"


@given(st.binary(max_size=300))
def test_decoding_never_fails_and_is_a_function(data: bytes) -> None:
    a = decode_bytes(data)
    assert a == decode_bytes(data)
    assert isinstance(a[0], str)


def test_cp1252_undefined_bytes_are_latin1() -> None:
    assert decode_cp1252(b"\x80\x81\x93\x9d") == "€\x81“\x9d"


def test_declared_latin1_html_is_decoded() -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=iso-8859-1"></head><body><p>Soci\xe9t\xe9 G\xe9n\xe9rale \x96 '
            '\x93quoted\x94&nbsp;&amp; co</p></body></html>').encode("latin-1")
    doc = ingest_bytes(page, doc_id="x")
    assert doc.text == "Société Générale – “quoted” & co"
    assert doc.source_format == "html"


@given(MESSY)
def test_text_format_only_changes_newlines(raw: str) -> None:
    """The seed rule: decoded text, CRLF/CR to LF, nothing else."""
    if not raw.strip():
        return
    doc = ingest_bytes(raw.encode("utf-8"), doc_id="t", fmt="text")
    assert doc.text == raw.replace("\r\n", "\n").replace("\r", "\n")


DOC_TEXT = st.lists(
    st.text(alphabet=st.sampled_from(list("abc XYZ 123.,$\t")), max_size=40), max_size=6
).map("\n".join)
DOC_TYPES = st.sampled_from(["8-K", "EX-99.1", "EX-99", "EX-10.1", "GRAPHIC", "EX-99.2"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(DOC_TYPES, DOC_TEXT), min_size=1, max_size=5))
def test_sgml_segments_are_the_kept_documents(docs: list[tuple[str, str]]) -> None:
    """Build a submission; each kept document's normalized text is exactly its segment."""
    from filingkit.errors import IngestError

    blocks = "".join(
        f"<DOCUMENT>\n<TYPE>{t}\n<SEQUENCE>{i + 1}\n<TEXT>\n{body}\n</TEXT>\n</DOCUMENT>\n"
        for i, (t, body) in enumerate(docs)
    )
    raw = ("<SEC-DOCUMENT>x.txt\n<SEC-HEADER>x\nACCESSION NUMBER:\t0000000001-24-000001\n"
           "CONFORMED SUBMISSION TYPE:\t8-K\n</SEC-HEADER>\n" + blocks + "</SEC-DOCUMENT>\n")
    has_8k = any(t == "8-K" for t, _ in docs)
    expected = [
        (t, normalize_plain(body)) for i, (t, body) in enumerate(docs)
        if (t == "8-K" or t.startswith("EX-99") or (not has_8k and i == 0))
        and t != "GRAPHIC" and normalize_plain(body)
    ]
    if not expected:
        try:
            ingest_bytes(raw.encode("utf-8"), path="x.txt")
        except IngestError:
            return
        raise AssertionError("a submission without text must not ingest")
    doc = ingest_bytes(raw.encode("utf-8"), path="x.txt")
    assert doc.doc_id == "0000000001-24-000001"
    assert [(s.name, doc.text[s.start:s.end]) for s in doc.segments] == expected
    assert doc.text == "\n\n".join(body for _, body in expected)


def test_real_text_in_cp1252_and_latin1_bytes(tmp_path: Path) -> None:
    """A real filing's text saved as cp1252 (em dashes: byte 0x97) reads back identical."""
    seed = Path(__file__).resolve().parents[1] / "data/filings/seed-000/000_1829aaabe4e2c628.txt"
    text = seed.read_text(encoding="utf-8")
    assert "—" in text
    cp = tmp_path / "seed-cp1252.txt"
    cp.write_bytes(text.encode("cp1252"))
    assert ingest_file(cp).text == text
    # the same text in an html page that declares latin-1 but is really cp1252 (common)
    body = text.split("\n\n", 3)[:3]
    page = ("<html><head><meta charset='iso-8859-1'></head><body>"
            + "".join(f"<p>{p}</p>" for p in body) + "</body></html>")
    html_file = tmp_path / "page.htm"
    html_file.write_bytes(page.encode("cp1252"))
    assert ingest_file(html_file).text == "\n\n".join(collapse_ws(p) for p in body)
