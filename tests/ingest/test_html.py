"""The html rendering rules, one small page per rule (the rules are listed in docs/ingest.md)."""

from __future__ import annotations

import pytest

from filingkit.ingest import html_to_text

CASES: dict[str, tuple[str, str]] = {
    "paragraphs are separated by a blank line": (
        "<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
    "divs and br end the line": (
        "<div>a</div><div>b<br>c</div>", "a\nb\nc"),
    "two br make one blank line, never more": (
        "a<br><br><br><br>b", "a\n\nb"),
    "white space collapses, NBSP is a space": (
        "<p>  a \n\t b&nbsp;&nbsp;c&#160;d  </p>", "a b c d"),
    "entities decode": (
        "<p>AT&amp;T &lt;x&gt; &ldquo;q&rdquo; &#8212; &#x2019;</p>", "AT&T <x> “q” — ’"),
    "zero-width space and soft hyphen vanish": (
        "<p>ab\u200bc\xadd</p>", "abcd"),
    "inline tags do not split words": (
        "<p>Sec<b>ur</b><i>ities</i> Act</p>", "Securities Act"),
    "head, title, script and style are not text": (
        "<html><head><title>T</title><style>p{}</style></head>"
        "<body><script>x=1</script><p>body</p></body></html>", "body"),
    "display:none is not text": (
        "<p>shown</p><div style='DISPLAY: none;'>hidden</div><p style='display:block'>too</p>",
        "shown\n\ntoo"),
    "ix:header is not text": (
        "<div><ix:header><ix:hidden><ix:nonNumeric name='dei:X'>h</ix:nonNumeric></ix:hidden>"
        "<ix:resources>ctx</ix:resources></ix:header></div><p>v</p>", "v"),
    "a table row is a line, cells split by one TAB": (
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td></td><td>d</td></tr></table>",
        "a\tb\nc\td"),
    "empty spacer cells leave no trace": (
        "<table><tr><td>&nbsp;</td><td>x</td><td> </td><td>y</td><td></td></tr></table>",
        "x\ty"),
    "blocks inside a data cell stay on the row": (
        "<table><tr><td><p>State of</p><p>incorporation</p></td><td>Delaware</td></tr></table>",
        "State of incorporation\tDelaware"),
    "currency and parenthesis cells stick to the number": (
        "<table><tr><td>Net income</td><td>$</td><td>6,004</td><td>(</td><td>12</td>"
        "<td>)</td><td>5.2</td><td>%</td></tr></table>",
        "Net income\t$6,004\t(12)\t5.2%"),
    "a layout row (nested table) renders its cells as blocks": (
        "<table><tr><td><table><tr><td>a</td><td>b</td></tr></table></td>"
        "<td><p>text</p></td></tr></table>",
        "a\tb\n\ntext"),
    "pre keeps its lines and indentation, drops trailing spaces": (
        "<pre>  col1    col2   \n\n\n\n  1       2\n</pre>", "  col1    col2\n\n  1       2"),
    "no blank lines at either end": (
        "<br><br><p></p><p>x</p><br><br>", "x"),
    "an XBRL wrapper from an SGML document is ignored": (
        "<XBRL><html><body><p>x</p></body></html></XBRL>", "x"),
    "comments and processing instructions are not text": (
        "<?xml version='1.0'?><!-- c --><p>x<!-- y -->z</p>", "xz"),
    "headings and lists are blocks": (
        "<h1>Title</h1><ul><li>one</li><li>two</li></ul>end", "Title\n\none\ntwo\n\nend"),
    "CSS horizontal spacing separates inline elements": (
        "<div><span>(d)</span><span style='padding-left:6.34pt'>Exhibits</span></div>"
        "<div><span style='margin-right:1em'>\u2610</span>Written</div>"
        "<div><span style='margin-left:0pt'>no</span>gap</div>",
        "(d) Exhibits\n\u2610 Written\nnogap"),
    "check-box glyphs stand apart from the next word": (
        "<div><span>\u2610</span><span>Written</span> \u2612Soliciting \u2610 no</div>",
        "\u2610 Written \u2612 Soliciting \u2610 no"),
    "empty input": ("", ""),
    "only white space and comments": ("  <!-- x -->  ", ""),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_rule(name: str) -> None:
    html, expected = CASES[name]
    assert html_to_text(html) == expected


def test_deep_nesting_does_not_recurse() -> None:
    """Unclosed <font> tags nest thousands deep in old filings: no RecursionError."""
    html = "<p>" + "<font>x " * 5000 + "</p>"
    text = html_to_text(html)
    assert text.count("x") == 5000


def test_too_deep_even_without_formatting_tags() -> None:
    from filingkit.ingest.html import HtmlTooDeep

    with pytest.raises(HtmlTooDeep):
        html_to_text("<div>x " * 3000)
