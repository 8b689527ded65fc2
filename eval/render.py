"""Reports for people: a terminal table (rich), Markdown, and a self-contained HTML page.

The JSON report is ``Report.to_dict()``; these renderings read the same
report and never compute a metric of their own. The HTML pages (charts,
sortable tables, error browser) live in ``html_report``, ``html_compare`` and
``html_bench``; ``render_html`` here is the entry point for one report.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
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


NOT_DECLARED = "not declared"


def _not_declared_rows(report: Report) -> list[list[str]]:
    """Cells (field, group, P, R, F1, CI, TP, FP, FN, support) of fields not declared."""
    return [[name, str(v.get("group", "")), NOT_DECLARED, "", "", "", "", "", "",
             _count(float(v.get("support", 0)))] for name, v in report.not_declared.items()]


def _declared_note(report: Report) -> str:
    if not report.not_declared:
        return ""
    who = (f"{report.extractor.get('name')}@{report.extractor.get('version')}"
           if report.extractor else "the extractor")
    return (f"{len(report.not_declared)} gold fields are not declared by {who} and not "
            "scored: " + ", ".join(report.not_declared))


def _cmp_not_declared(d: Mapping[str, Any]) -> list[str]:
    out = []
    for side in ("a", "b"):
        missing = (d.get("not_declared") or {}).get(side) or {}
        if missing:
            out.append(f"not declared by {d[side]['system']} (left out of the comparison): "
                       + ", ".join(missing))
    return out


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
    for cells in _not_declared_rows(report):
        table.add_row(escape(cells[0]), *cells[1:])
    m = report.macro
    table.add_row("macro", f"{m.n} fields", _fmt(m.precision), _fmt(m.recall), _fmt(m.f1),
                  "", "", "", "", "")
    console.print(table)
    if report.not_declared:
        console.print(escape(_declared_note(report)))
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
    for line in _cmp_not_declared(d):
        console.print(escape(line))
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
    for cells in _not_declared_rows(report):
        lines.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    m = report.macro
    lines += [f"| macro | {m.n} fields | {_fmt(m.precision)} | {_fmt(m.recall)} | "
              f"{_fmt(m.f1)} | | | | | |", ""]
    if report.not_declared:
        lines += [_md_escape(_declared_note(report)), ""]
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
    lines += ["", *(_md_escape(x) for x in _cmp_not_declared(d))]
    return "\n".join(lines) + "\n"


def _what(e: ErrorItem) -> str:
    if e.value is not None:
        import json

        return json.dumps(e.value, ensure_ascii=False, sort_keys=True)
    return f"[{e.start}, {e.end})"


# ------------------------------------------------------------------ html


def render_html(report: Report, *, texts: Mapping[str, str] | None = None,
                gold: Sequence[Annotations] = (), predictions: Sequence[Annotations] = (),
                max_errors: int = 4000) -> str:
    """A self-contained HTML report (``filingkit.eval.html_report``): charts, sortable
    tables, an error browser with context windows from ``texts``.

    ``gold`` and ``predictions`` are accepted for compatibility; the page is
    drawn from the report alone (its errors carry the spans).
    """
    from filingkit.eval.html_report import render_report_html

    del gold, predictions
    return render_report_html(report.to_dict(), texts=texts, max_errors=max_errors)
