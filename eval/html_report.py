"""The HTML evaluation report: charts, sortable tables and an error browser in one file.

It renders a report JSON (``Report.to_dict()``, format ``filingkit-report``)
and nothing else computes a metric here. Sections: headline figures; per-field
F1 with its confidence interval, grouped by catalogue group; precision against
recall per field; the fields table (not-declared fields greyed); documents;
and the error browser: each error classified as missed, spurious, wrong
boundary or wrong value, the gold value beside the predicted one, the span
highlighted in a window of context (windows, not whole texts, keep the page
small). Every piece of filing text is escaped; see ``html_page`` for the CSP.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.eval.charts import XY, Point, Row, interval_chart, scatter_chart
from filingkit.eval.html_page import (
    Cell,
    TableRow,
    cards,
    controls,
    count,
    esc,
    figure,
    num,
    page,
    search,
    select,
    table,
)

WINDOW = 90  # characters of context either side of an error
MAX_ERRORS = 4000
MAX_DOCUMENTS = 2000
KINDS = ("missed", "spurious", "wrong boundary", "wrong value")
_KIND_CLASS = {"missed": "k-missed", "spurious": "k-spurious", "wrong boundary": "k-boundary",
               "wrong value": "k-value"}


# ------------------------------------------------------------------ highlighting


def highlight(text: str, gold: Iterable[tuple[int, int, str]],
              pred: Iterable[tuple[int, int, str]], errors: Iterable[Any] = ()) -> str:
    """Escaped ``text`` with gold spans underlined (``g``), predictions shaded (``p``).

    Overlapping and nested spans are handled by cutting the text at every span
    boundary; each piece carries the classes of every span covering it and a
    ``title`` naming them. ``errors`` (items with ``start``, ``end``, ``field``,
    ``kind``) add ``fn`` / ``fp`` to the spans they name.
    """
    import html

    errs = list(errors)
    fn = {(e.start, e.end, e.field) for e in errs if e.kind == "fn"}
    fp = {(e.start, e.end, e.field) for e in errs if e.kind == "fp"}
    spans = [(s, e, lab, "g", (s, e, lab) in fn) for s, e, lab in gold]
    spans += [(s, e, lab, "p", (s, e, lab) in fp) for s, e, lab in pred]
    cuts = sorted({0, len(text)} | {x for s, e, *_ in spans for x in (s, e)
                                    if 0 <= x <= len(text)})
    starts: dict[int, list[int]] = defaultdict(list)
    for i, sp in enumerate(spans):
        starts[sp[0]].append(i)
    active: set[int] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = {i for i in active if spans[i][1] > a} | set(starts.get(a, ()))
        piece = html.escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        classes = set()
        titles = []
        for i in sorted(active):
            s, e, lab, side, wrong = spans[i]
            classes.add(side)
            if wrong:
                classes.add("fn" if side == "g" else "fp")
            titles.append(f"{'gold' if side == 'g' else 'pred'} {lab} [{s},{e})"
                          + (" error" if wrong else ""))
        out.append(f'<span class="{" ".join(sorted(classes))}" '
                   f'title="{html.escape("; ".join(titles))}">{piece}</span>')
    return "".join(out)


# ------------------------------------------------------------------ the error browser


@dataclass(frozen=True, slots=True)
class BrowserItem:
    """One row of the error browser: a missed, spurious or wrong item, both sides shown."""

    doc_id: str
    field: str
    group: str
    kind: str  # one of KINDS
    gold: str  # the gold value or span text ("" when none)
    pred: str
    gold_span: tuple[int, int] | None
    pred_span: tuple[int, int] | None
    context: str  # the report's context, used when the text is not at hand


def _value(v: Any) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)


def _span(start: Any, end: Any) -> tuple[int, int] | None:
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
        return start, end
    return None


def _other_span(other: Any) -> tuple[int, int] | None:
    if isinstance(other, list | tuple) and len(other) == 2:
        return _span(other[0], other[1])
    return None


def browser_items(errors: Sequence[Mapping[str, Any]], cat: Catalogue,
                  texts: Mapping[str, str]) -> list[BrowserItem]:
    """Errors of a report as browser rows.

    Entities: an ``fn`` paired with a prediction (``other``: its span) is a
    wrong boundary (its mirror ``fp`` is the same error, not shown twice); an
    unpaired ``fn`` is missed, an unpaired ``fp`` spurious. Facts: a record
    matched with a wrong argument (``other``) is a wrong value; so is a lone
    ``fn`` and ``fp`` of a single-valued field in one document (the value
    predicted instead of the gold one); the rest are missed or spurious.
    """
    def text_of(doc: str, sp: tuple[int, int] | None) -> str:
        t = texts.get(doc)
        return t[sp[0]:sp[1]] if t is not None and sp is not None else ""

    def group(name: str) -> str:
        return cat.group_of(name) if name in cat else ""

    out: list[BrowserItem] = []
    facts: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for e in errors:
        doc, name, kind = str(e.get("doc_id", "")), str(e.get("field", "")), e.get("kind")
        spec = cat.get(name)
        if spec is not None and spec.kind == "fact":
            facts[(doc, name)].append(e)
            continue
        sp = _span(e.get("start"), e.get("end"))
        other = _other_span(e.get("other"))
        ctx = str(e.get("context", ""))
        if kind == "fn" and other is not None:
            out.append(BrowserItem(doc, name, group(name), "wrong boundary", text_of(doc, sp),
                                   text_of(doc, other), sp, other, ctx))
        elif kind == "fn":
            out.append(BrowserItem(doc, name, group(name), "missed", text_of(doc, sp), "", sp,
                                   None, ctx))
        elif kind == "fp" and other is None:
            out.append(BrowserItem(doc, name, group(name), "spurious", "", text_of(doc, sp),
                                   None, sp, ctx))
    for (doc, name), items in facts.items():
        spec = cat[name]
        fns = [e for e in items if e.get("kind") == "fn" and e.get("other") is None]
        fps = [e for e in items if e.get("kind") == "fp" and e.get("other") is None]
        for e in items:
            if e.get("kind") == "fn" and e.get("other") is not None:
                out.append(BrowserItem(doc, name, spec.group, "wrong value", _value(e.get("value")),
                                       _value(e.get("other")), _span(e.get("start"), e.get("end")),
                                       None, str(e.get("context", ""))))
        if len(fns) == 1 and len(fps) == 1 and not spec.many:
            g, p = fns[0], fps[0]
            out.append(BrowserItem(doc, name, spec.group, "wrong value", _value(g.get("value")),
                                   _value(p.get("value")), _span(g.get("start"), g.get("end")),
                                   _span(p.get("start"), p.get("end")),
                                   str(g.get("context") or p.get("context") or "")))
            continue
        for e in fns:
            out.append(BrowserItem(doc, name, spec.group, "missed", _value(e.get("value")), "",
                                   _span(e.get("start"), e.get("end")), None,
                                   str(e.get("context", ""))))
        for e in fps:
            out.append(BrowserItem(doc, name, spec.group, "spurious", "", _value(e.get("value")),
                                   None, _span(e.get("start"), e.get("end")),
                                   str(e.get("context", ""))))
    order = {n: i for i, n in enumerate(cat.names())}
    out.sort(key=lambda b: (order.get(b.field, len(order)), b.doc_id,
                            (b.gold_span or b.pred_span or (-1, -1))))
    return out


def context_window(text: str | None, item: BrowserItem, width: int = WINDOW) -> str:
    """The text around the item's spans, gold underlined and prediction shaded (escaped)."""
    spans = [s for s in (item.gold_span, item.pred_span) if s is not None]
    if text is None or not spans:
        return esc(item.context)
    lo = max(0, min(s for s, _ in spans) - width)
    hi = min(len(text), max(e for _, e in spans) + width)
    piece = text[lo:hi]
    g = ([(item.gold_span[0] - lo, item.gold_span[1] - lo, item.field)]
         if item.gold_span else [])
    p = ([(item.pred_span[0] - lo, item.pred_span[1] - lo, item.field)]
         if item.pred_span else [])
    return (("…" if lo > 0 else "") + highlight(piece, g, p)
            + ("…" if hi < len(text) else ""))


def _kind_badge(kind: str) -> str:
    return f'<span class="kind {_KIND_CLASS.get(kind, "")}">{esc(kind)}</span>'


def error_browser(report: Mapping[str, Any], cat: Catalogue, texts: Mapping[str, str], *,
                  max_errors: int = MAX_ERRORS, window: int = WINDOW) -> str:
    """The error browser section: filters by field, kind and text, then the rows."""
    items = browser_items(report.get("errors") or [], cat, texts)
    shown = items[:max_errors]
    fields = list(dict.fromkeys(i.field for i in items))
    rows = []
    for it in shown:
        rows.append(({"data-field": it.field, "data-kind": it.kind, "data-group": it.group},
                     [Cell(it.doc_id), Cell(it.field), Cell(it.kind, markup=_kind_badge(it.kind)),
                      Cell(it.gold, markup=f'<div class="val">{esc(it.gold)}</div>'),
                      Cell(it.pred, markup=f'<div class="val">{esc(it.pred)}</div>'),
                      Cell(markup='<div class="ctx">'
                           + context_window(texts.get(it.doc_id), it, window) + "</div>")]))
    notes = ['<p class="note legend"><span class="g">gold span</span><span class="p">'
             'predicted span</span><span class="g p">both</span> Click a chart mark to see '
             "that field's errors.</p>"]
    if len(items) > len(shown):
        notes.append(f'<p class="note">The first {len(shown)} of {len(items)} errors are '
                     "shown; the report JSON lists them all.</p>")
    invalid = report.get("invalid_values") or {}
    if invalid:
        notes.append('<p class="note">Warning: predicted values that cannot be normalized '
                     f"(counted as wrong): {esc(', '.join(f'{k}: {v}' for k, v in invalid.items()))}"
                     ".</p>")
    omitted = report.get("errors_omitted") or {}
    if omitted:
        total = sum(int(v) for v in omitted.values())
        where = report.get("errors_file")
        link = (f' All of them are in <a href="{esc(quote(str(where)))}">{esc(where)}</a>.'
                if where else " Write them all with <code>--errors FILE</code>.")
        notes.append(f'<p class="note">{total} more errors were left out of the report '
                     f"({esc(', '.join(f'{k}: {v}' for k, v in omitted.items()))}).{link}</p>")
    return (controls(select("errtable", "field", "field", fields),
                     select("errtable", "kind", "kind", [k for k in KINDS
                                                         if any(i.kind == k for i in items)]),
                     search("errtable", "filter by document or text…"))
            + "".join(notes)
            + table("errtable", ["document", "field", "kind", "gold", "predicted",
                                 "in context"], rows))


# ------------------------------------------------------------------ metrics sections


def _ci(entry: Mapping[str, Any], metric: str = "f1") -> tuple[float | None, float | None]:
    ci = entry.get("ci") or {}
    pair = ci.get(metric)
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return float(pair[0]), float(pair[1])
    return None, None


def _group_order(cat: Catalogue) -> list[str]:
    return list(dict.fromkeys(f.group for f in cat.fields))


def _ordered_fields(report: Mapping[str, Any], cat: Catalogue) -> list[str]:
    order = {n: i for i, n in enumerate(cat.names())}
    groups = {g: i for i, g in enumerate(_group_order(cat))}
    fields = report.get("fields") or {}
    return sorted(fields, key=lambda f: (groups.get(str(fields[f].get("group", "")), 99),
                                         order.get(f, len(order)), f))


def _fmt_count(x: Any) -> str:
    v = float(x or 0)
    return f"{v:.0f}" if v.is_integer() else f"{v:.1f}"


def f1_chart(report: Mapping[str, Any], cat: Catalogue) -> str:
    """Per-field F1 with its interval, grouped by catalogue group (one mark per field)."""
    fields = report.get("fields") or {}
    rows = []
    for name in _ordered_fields(report, cat):
        entry = fields[name]
        lo, hi = _ci(entry)
        f1 = float(entry.get("f1", 0.0))
        rows.append(Row(name, str(entry.get("group", "")), (Point("F1", f1, lo, hi),), key=name,
                        note=f"{f1:.3f}  n={_fmt_count(entry.get('support', 0))}"))
    level = next((e["ci"].get("level") for e in fields.values() if e.get("ci")), None)
    what = f"{level:.0%} interval" if isinstance(level, float) else "no interval computed"
    return figure(interval_chart(rows, series=["F1"], title=f"F1 per field ({what})",
                                 css_class="chart f1-chart"),
                  "Dot: F1 of the field; line: its bootstrap confidence interval over "
                  "documents. Fields are grouped as in the catalogue.")


def pr_chart(report: Mapping[str, Any], cat: Catalogue) -> str:
    """Precision against recall per scored field, coloured by group."""
    fields = report.get("fields") or {}
    pts = [XY(n, str(fields[n].get("group", "")), float(fields[n].get("recall", 0.0)),
              float(fields[n].get("precision", 0.0))) for n in _ordered_fields(report, cat)]
    groups = [g for g in _group_order(cat) if any(p.group == g for p in pts)]
    return figure(scatter_chart(pts, groups=groups, title="Precision against recall",
                                css_class="chart pr-chart"),
                  "One point per scored field; dashed curves join equal F1.")


def fields_table(report: Mapping[str, Any], cat: Catalogue) -> str:
    """Every scored field with P, R, F1 and its interval, counts; not declared greyed."""
    fields = report.get("fields") or {}
    rows = []
    for name in _ordered_fields(report, cat):
        e = fields[name]
        lo, hi = _ci(e)
        rows.append(({"data-group": str(e.get("group", ""))},
                     [Cell(name), Cell(str(e.get("group", ""))), num(e.get("precision")),
                      num(e.get("recall")), num(e.get("f1")), num(lo), num(hi), count(e.get("tp")),
                      count(e.get("fp")), count(e.get("fn")), count(e.get("support"))]))
    for name, v in (report.get("not_declared") or {}).items():
        rows.append(({"data-group": str(v.get("group", "")), "class": "nd"},
                     [Cell(name), Cell(str(v.get("group", ""))), Cell("not declared", ""),
                      num(None), num(None), num(None), num(None), num(None), num(None),
                      num(None), count(v.get("support"))]))
    for name, e in (report.get("groups") or {}).items():
        lo, hi = _ci(e)
        rows.append(({"data-group": name, "class": "agg"},
                     [Cell(f"[{name}]"), Cell("group"), num(e.get("precision")),
                      num(e.get("recall")), num(e.get("f1")), num(lo), num(hi), count(e.get("tp")),
                      count(e.get("fp")), count(e.get("fn")), count(e.get("support"))]))
    groups = [g for g in _group_order(cat) if any(r[0]["data-group"] == g for r in rows)]
    return (controls(select("fieldtable", "group", "group", groups), search("fieldtable"))
            + table("fieldtable", ["field", "group", "P", "R", "F1", "F1 low", "F1 high", "TP",
                                   "FP", "FN", "support"], rows))


def documents_table(report: Mapping[str, Any], n_errors: Mapping[str, int], *,
                    max_documents: int = MAX_DOCUMENTS) -> str:
    """Per document: micro P, R, F1, counts and errors; the worst first when there are many."""
    docs = report.get("documents") or {}
    items = sorted(docs.items(), key=lambda kv: (float((kv[1].get("micro") or {})
                                                       .get("f1", 0.0)), kv[0]))
    rows: list[TableRow] = []
    for doc, d in items[:max_documents]:
        m = d.get("micro") or {}
        rows.append(({}, [Cell(doc), num(m.get("precision")), num(m.get("recall")),
                          num(m.get("f1")), count(m.get("tp")), count(m.get("fp")),
                          count(m.get("fn")), count(n_errors.get(doc, 0))]))
    note = (f'<p class="note">The {max_documents} documents with the lowest F1 of '
            f"{len(items)}.</p>" if len(items) > max_documents else "")
    return (controls(search("doctable", "filter documents…")) + note
            + table("doctable", ["document", "P", "R", "F1", "TP", "FP", "FN", "errors"], rows))


def subtitle(report: Mapping[str, Any]) -> list[str]:
    """The header lines: what was scored against what, how."""
    cat = report.get("catalogue") or {}
    ext = report.get("extractor")
    who = (f" by extractor <b>{esc(ext.get('name'))}</b> {esc(ext.get('version'))}"
           if isinstance(ext, Mapping) else "")
    return [f"Predictions <code>{esc(report.get('predictions', ''))}</code>{who} against gold "
            f"<code>{esc(report.get('gold', ''))}</code>: {esc(report.get('n_documents', 0))} "
            f"documents, entity scheme <b>{esc(report.get('scheme', ''))}</b>, catalogue "
            f"{esc(cat.get('name', ''))} v{esc(cat.get('version', ''))}; "
            f"{esc(report.get('created_by', ''))}."]


def render_report_html(report: Mapping[str, Any], *, texts: Mapping[str, str] | None = None,
                       catalogue: Catalogue | None = None, max_errors: int = MAX_ERRORS,
                       window: int = WINDOW) -> str:
    """The whole page for one report JSON; ``texts`` (doc_id -> canonical text) give the
    error browser its context windows (without them it shows the report's context)."""
    cat = catalogue or load_catalogue()
    texts = texts or {}
    micro = report.get("micro") or {}
    macro = report.get("macro") or {}
    lo, hi = _ci(micro)
    n_err: dict[str, int] = defaultdict(int)
    for e in report.get("errors") or []:
        n_err[str(e.get("doc_id", ""))] += 1
    nd = report.get("not_declared") or {}
    head = cards([
        (f"{float(micro.get('f1', 0.0)):.3f}", "micro F1"
         + (f" [{lo:.3f}, {hi:.3f}]" if lo is not None and hi is not None else "")),
        (f"{float(micro.get('precision', 0.0)):.3f}", "micro precision"),
        (f"{float(micro.get('recall', 0.0)):.3f}", "micro recall"),
        (f"{float(macro.get('f1', 0.0)):.3f}", f"macro F1 over {macro.get('n_fields', 0)} fields"),
        (str(len(report.get("fields") or {})), "fields scored"),
        (str(len(nd)), "gold fields not declared"),
    ])
    nd_note = (f'<p class="note">Not declared by the extractor, so not scored (greyed in the '
               f"table): {esc(', '.join(nd))}.</p>" if nd else "")
    title = f"filingkit evaluation: {report.get('system') or 'system'}"
    return page(title, subtitle(report), [
        ("overview", "Overview", head + nd_note
         + f'<div class="charts">{f1_chart(report, cat)}{pr_chart(report, cat)}</div>'),
        ("fields", "Fields", fields_table(report, cat)),
        ("errors", "Error browser", error_browser(report, cat, texts, max_errors=max_errors,
                                                 window=window)),
        ("documents", "Documents", documents_table(report, n_err)),
    ])
