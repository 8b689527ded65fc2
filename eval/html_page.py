"""The shell every HTML report shares: one self-contained page, strict CSP, tables.

The page embeds its stylesheet and its one script (``eval/assets``) and loads
nothing else. A Content-Security-Policy meta tag allows exactly those two, by
their SHA-256 hashes: no other script can run (not one smuggled in by a filing
whose text escaped escaping, not an ``onerror=`` attribute), and nothing can be
fetched. Tables are rendered here, escaped; the script only sorts and hides rows.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


@cache
def asset(name: str) -> str:
    """The text of a bundled asset (``eval/assets/NAME``)."""
    return files("filingkit.eval").joinpath("assets", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(title: str, subtitle: Sequence[str], sections: Sequence[tuple[str, str, str]]) -> str:
    """A whole page: a header, a table of contents, then ``(id, heading, html)`` sections."""
    css, js = asset("report.css"), asset("report.js")
    policy = (f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    toc = "".join(f'<a href="#{esc(sid)}">{esc(head)}</a>' for sid, head, _ in sections)
    body = "".join(f'<section id="{esc(sid)}"><h2>{esc(head)}</h2>{content}</section>'
                   for sid, head, content in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{css}</style></head><body>"
            f'<header class="top"><h1>{esc(title)}</h1>'
            + "".join(f"<p>{line}</p>" for line in subtitle)
            + f'<nav class="toc">{toc}</nav></header><main>{body}</main>'
            f"<script>{js}</script></body></html>\n")


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: escaped ``text`` (or trusted ``markup``), a sort key, numeric or not."""

    text: str = ""
    sort: float | str | None = None
    numeric: bool = False
    markup: str | None = None

    def render(self) -> str:
        attrs = ' class="n"' if self.numeric else ""
        if self.sort is not None:
            attrs += f' data-v="{esc(self.sort)}"'
        inner = self.markup if self.markup is not None else esc(self.text)
        return f"<td{attrs}>{inner}</td>"


def num(x: float | None, fmt: str = "{:.3f}") -> Cell:
    """A right-aligned number cell; None shows as an em dash and sorts last."""
    if x is None:
        return Cell("—", "", numeric=True)
    return Cell(fmt.format(x), x, numeric=True)


def count(x: float | None) -> Cell:
    """A count: integers without decimals, half-counts (scheme partial) with one."""
    if x is None:
        return Cell("—", "", numeric=True)
    return num(x, "{:.0f}" if float(x).is_integer() else "{:.1f}")


TableRow = tuple[dict[str, str], list[Cell]]


def table(table_id: str, headers: Sequence[str], rows: Iterable[TableRow], *,
          sortable: bool = True) -> str:
    """A table with a header row; each row is ``(attributes, cells)`` (``class``,
    ``data-*`` for filters)."""
    cls = ' class="sortable"' if sortable else ""
    out = [f'<table id="{esc(table_id)}"{cls}>'
           "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers)
           + "</tr></thead><tbody>"]
    for attrs, cells in rows:
        a = "".join(f' {esc(k)}="{esc(v)}"' for k, v in attrs.items())
        out.append(f"<tr{a}>" + "".join(c.render() for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def select(table_id: str, key: str, label: str, options: Iterable[str]) -> str:
    """A drop-down that shows only the rows whose ``data-KEY`` equals the choice."""
    opts = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in options)
    return (f'<label>{esc(label)} <select data-filter-table="{esc(table_id)}" '
            f'data-filter-key="{esc(key)}"><option value="">all</option>{opts}</select></label>')


def search(table_id: str, placeholder: str = "filter rows…") -> str:
    """A text box that shows only the rows containing its text."""
    return (f'<input type="search" data-filter-table="{esc(table_id)}" data-filter-key="text" '
            f'placeholder="{esc(placeholder)}" aria-label="{esc(placeholder)}">'
            f' <span class="note" data-count-for="{esc(table_id)}"></span>')


def controls(*items: str) -> str:
    return '<div class="controls">' + "".join(items) + "</div>"


def cards(items: Iterable[tuple[str, str]]) -> str:
    """Headline figures: ``(value, caption)`` boxes."""
    return ('<div class="cards">' + "".join(f"<div class=\"card\"><b>{esc(v)}</b>"
                                          f"<span>{esc(c)}</span></div>" for v, c in items)
            + "</div>")


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>"
