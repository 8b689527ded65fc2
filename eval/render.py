"""Reports for people: a terminal table (rich), Markdown, and a self-contained HTML page.

The JSON report is ``Report.to_dict()``; these renderings read the same
report and never compute a metric of their own. The HTML page embeds its CSS,
loads nothing, and escapes every piece of filing text (``html.escape``), so a
filing that contains markup cannot inject any.
"""

from __future__ import annotations

import html
import io
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from filingkit.eval.compare import Comparison
from filingkit.eval.report import ErrorItem, Report, Score
from filingkit.records import Annotations

METRIC_COLUMNS = ("precision", "recall", "f1")


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _count(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _ci(score: Score) -> str:
    if score.ci is None:
        return ""
    lo, hi = score.ci.f1
    return f"[{lo:.3f}, {hi:.3f}]"


def _rows(report: Report) -> list[tuple[str, str, Score]]:
    rows = [(name, s.group or "", s) for name, s in report.fields.items()]
    rows += [(f"[{name}]", "group", s) for name, s in report.groups.items()]
    rows.append(("micro", "", report.micro))
    return rows


# ------------------------------------------------------------------ terminal


def notes(report: Report) -> list[str]:
    """Warnings and notes every rendering shows: invalid predicted values, omitted errors."""
    out = []
    if report.invalid_values:
        detail = ", ".join(f"{k} {v}" for k, v in report.invalid_values.items())
        out.append(f"WARNING: predicted values that cannot be normalized (counted as wrong): "
                   f"{detail}")
    omitted = sum(report.errors_omitted.values())
    if omitted:
        where = (f"all are in {report.errors_file}" if report.errors_file
                 else "write them all with --errors FILE")
        out.append(f"{omitted} error items not listed here ({where})")
    return out


def render_table(report: Report, *, width: int = 120) -> str:
    """The report as rich tables (fields, groups, micro/macro, entity schemes), as text."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None)
    title = escape(f"{report.system or 'system'} vs {report.gold}: {report.n_documents} "
                   f"documents, scheme {report.scheme}")
    table = Table(title=title)
    for col in ("field", "group", "P", "R", "F1", "F1 95% CI", "TP", "FP", "FN", "support"):
        table.add_column(col, justify="left" if col in ("field", "group") else "right")
    for name, group, s in _rows(report):
        c = s.counts
        table.add_row(escape(name), group, _fmt(c.precision), _fmt(c.recall), _fmt(c.f1), _ci(s),
                      _count(c.tp), _count(c.fp), _count(c.fn), _count(c.support))
    m = report.macro
    table.add_row("macro", f"{m.n} fields", _fmt(m.precision), _fmt(m.recall), _fmt(m.f1),
                  "", "", "", "", "")
    console.print(table)
    if report.schemes and any(r.overall.possible + r.overall.actual
                              for r in report.schemes.values()):
        st = Table(title="Entity schemes (all labels together)")
        for col in ("scheme", "COR", "INC", "PAR", "MIS", "SPU", "P", "R", "F1"):
            st.add_column(col, justify="left" if col == "scheme" else "right")
        for name, res in report.schemes.items():
            d = res.overall.to_dict()
            st.add_row(name, *(str(d[k]) for k in ("cor", "inc", "par", "mis", "spu")),
                       *(_fmt(d[k]) for k in METRIC_COLUMNS))
        console.print(st)
    console.print(f"{len(report.errors) + sum(report.errors_omitted.values())} errors (false "
                  "positives and negatives); see --format json, md or html for the list.")
    for line in notes(report):
        console.print(escape(line))
    return out.getvalue()


def render_comparison_table(cmp: Comparison, *, width: int = 120) -> str:
    """A comparison as a rich table: F1 of A and B, delta, CI, p and q."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None)
    d = cmp.to_dict()
    table = Table(title=escape(f"{d['b']['system']} minus {d['a']['system']} "
                               f"({d['n_documents']} documents, F1)"))
    for col in ("unit", "F1 A", "F1 B", "delta", "95% CI", "p", "q", "sig."):
        table.add_column(col, justify="left" if col == "unit" else "right")
    for section in ("fields", "groups"):
        for unit, row in d[section].items():
            table.add_row(escape(unit if section == "fields" else f"[{unit}]"),
                          *_cmp_cells(row))
    table.add_row("micro", *_cmp_cells(d["micro"]))
    console.print(table)
    return out.getvalue()


def _cmp_cells(row: Mapping[str, Any]) -> list[str]:
    f = row["f1"]
    return [_fmt(row["a"]["f1"]), _fmt(row["b"]["f1"]), f"{f['delta']:+.3f}",
            f"[{f['ci'][0]:+.3f}, {f['ci'][1]:+.3f}]", f"{row['p_value']:.4f}",
            f"{row['q_value']:.4f}", "*" if row["significant"] else ""]


# ------------------------------------------------------------------ markdown


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, *, max_errors: int = 200) -> str:
    """The report as Markdown: metrics table, schemes, and the first errors."""
    lines = [
        f"# Evaluation: {_md_escape(report.system or 'system')}",
        "",
        f"Gold `{report.gold}`, predictions `{report.predictions}`, "
        f"{report.n_documents} documents, entity scheme **{report.scheme}**.",
        "",
        "| field | group | P | R | F1 | F1 95% CI | TP | FP | FN | support |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, group, s in _rows(report):
        c = s.counts
        lines.append(f"| {_md_escape(name)} | {group} | {_fmt(c.precision)} | "
                     f"{_fmt(c.recall)} | {_fmt(c.f1)} | {_ci(s)} | {_count(c.tp)} | "
                     f"{_count(c.fp)} | {_count(c.fn)} | {_count(c.support)} |")
    m = report.macro
    lines += [f"| macro | {m.n} fields | {_fmt(m.precision)} | {_fmt(m.recall)} | "
              f"{_fmt(m.f1)} | | | | | |", ""]
    if report.schemes:
        lines += ["## Entity schemes", "",
                  "| scheme | COR | INC | PAR | MIS | SPU | P | R | F1 |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, res in report.schemes.items():
            d = res.overall.to_dict()
            lines.append(f"| {name} | " + " | ".join(str(d[k]) for k in
                                                     ("cor", "inc", "par", "mis", "spu"))
                         + " | " + " | ".join(_fmt(d[k]) for k in METRIC_COLUMNS) + " |")
        lines.append("")
    lines += [f"> {_md_escape(n)}" for n in notes(report)] + [""] if notes(report) else []
    lines += [f"## Errors ({len(report.errors)})", "",
              "| document | field | kind | value or span | context |", "|---|---|---|---|---|"]
    for e in report.errors[:max_errors]:
        lines.append(f"| {_md_escape(e.doc_id)} | {_md_escape(e.field)} | {e.kind}"
                     f"{' (partial)' if e.partial else ''} | {_md_escape(_what(e))} | "
                     f"{_md_escape(e.context)} |")
    if len(report.errors) > max_errors:
        lines.append(f"\n… and {len(report.errors) - max_errors} more (see the JSON report).")
    return "\n".join(lines) + "\n"


def render_comparison_markdown(cmp: Comparison) -> str:
    """A comparison as a Markdown table."""
    d = cmp.to_dict()
    lines = [f"# {d['b']['system']} minus {d['a']['system']}", "",
             f"{d['n_documents']} documents; q: Benjamini-Hochberg over fields; "
             f"* significant at {d['alpha']}.", "",
             "| unit | F1 A | F1 B | delta | 95% CI | p | q | sig. |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for section in ("fields", "groups"):
        for unit, row in d[section].items():
            lines.append(f"| {_md_escape(unit)} | " + " | ".join(_cmp_cells(row)) + " |")
    lines.append("| micro | " + " | ".join(_cmp_cells(d["micro"])) + " |")
    return "\n".join(lines) + "\n"


def _what(e: ErrorItem) -> str:
    if e.value is not None:
        import json

        return json.dumps(e.value, ensure_ascii=False, sort_keys=True)
    return f"[{e.start}, {e.end})"


# ------------------------------------------------------------------ html

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em}
td.n{text-align:right;font-variant-numeric:tabular-nums}
pre.doc{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85em;
 line-height:1.9;border:1px solid #ddd;padding:1em;background:#fafafa}
.g{border-bottom:2px solid #2a7}.g.fn{border-bottom:3px double #d22}
.p{background:#dbeafe}.p.fp{background:#fecaca}
.legend span{margin-right:1em;padding:0 .3em}
details{margin:1em 0}summary{cursor:pointer;font-weight:600}
"""


def _html_rows(report: Report) -> str:
    out = ["<table><tr><th>field</th><th>group</th><th>P</th><th>R</th><th>F1</th>"
           "<th>F1 95% CI</th><th>TP</th><th>FP</th><th>FN</th><th>support</th></tr>"]
    for name, group, s in _rows(report):
        c = s.counts
        cells = [_fmt(c.precision), _fmt(c.recall), _fmt(c.f1), _ci(s), _count(c.tp),
                 _count(c.fp), _count(c.fn), _count(c.support)]
        out.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(group)}</td>"
                   + "".join(f'<td class="n">{html.escape(x)}</td>' for x in cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def highlight(text: str, gold: Iterable[tuple[int, int, str]],
              pred: Iterable[tuple[int, int, str]],
              errors: Iterable[ErrorItem] = ()) -> str:
    """Escaped ``text`` with gold spans underlined, predictions shaded, errors in red.

    Overlapping and nested spans are handled by cutting the text at every span
    boundary; each piece carries the classes of every span covering it and a
    ``title`` naming them.
    """
    fn = {(e.start, e.end, e.field) for e in errors if e.kind == "fn"}
    fp = {(e.start, e.end, e.field) for e in errors if e.kind == "fp"}
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


def render_html(report: Report, *, texts: Mapping[str, str] | None = None,
                gold: Sequence[Annotations] = (), predictions: Sequence[Annotations] = (),
                max_documents: int = 500) -> str:
    """A self-contained HTML report: metrics, then each document with its spans and errors."""
    texts = texts or {}
    gold_by = {a.doc_id: a for a in gold}
    pred_by = {a.doc_id: a for a in predictions}
    errs: dict[str, list[ErrorItem]] = defaultdict(list)
    for e in report.errors:
        errs[e.doc_id].append(e)
    title = html.escape(f"filingkit evaluation: {report.system or 'system'}")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p>Gold <code>{html.escape(report.gold)}</code>, predictions "
        f"<code>{html.escape(report.predictions)}</code>, {report.n_documents} documents, "
        f"entity scheme <b>{html.escape(report.scheme)}</b>.</p>",
        *(f'<p class="note">{html.escape(n)}</p>' for n in notes(report)),
        *([f'<p>Every error item: <a href="{html.escape(report.errors_file)}">'
           f"{html.escape(report.errors_file)}</a></p>"] if report.errors_file else []),
        _html_rows(report),
        '<p class="legend"><span class="g">gold span</span><span class="p">predicted span'
        '</span><span class="g fn">missed (fn)</span><span class="p fp">spurious or wrong '
        "(fp)</span></p>",
    ]
    for n, doc_id in enumerate(report.documents):
        if n >= max_documents:
            parts.append(f"<p>… {len(report.documents) - max_documents} more documents.</p>")
            break
        doc_errs = errs.get(doc_id, [])
        micro = report.documents[doc_id].micro
        parts.append(f"<details{' open' if doc_errs and n < 20 else ''}><summary>"
                     f"{html.escape(doc_id)}: F1 {_fmt(micro.f1)}, {len(doc_errs)} errors"
                     "</summary>")
        text = texts.get(doc_id)
        if text is not None:
            g = gold_by.get(doc_id, Annotations(doc_id))
            p = pred_by.get(doc_id, Annotations(doc_id))
            parts.append('<pre class="doc">' + highlight(
                text, [(e.start, e.end, e.label) for e in g.entities],
                [(e.start, e.end, e.label) for e in p.entities], doc_errs) + "</pre>")
        if doc_errs:
            parts.append("<table><tr><th>field</th><th>kind</th><th>value or span</th>"
                         "<th>context</th></tr>")
            for e in doc_errs:
                parts.append(f"<tr><td>{html.escape(e.field)}</td><td>{e.kind}"
                             f"{' (partial)' if e.partial else ''}</td>"
                             f"<td>{html.escape(_what(e))}</td>"
                             f"<td>{html.escape(e.context)}</td></tr>")
            parts.append("</table>")
        parts.append("</details>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
