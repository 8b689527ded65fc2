"""The HTML comparison page (``filingkit compare --format html``): which fields moved,
and whether the change is real.

Per field: both systems' F1 with their bootstrap intervals, the difference
(B − A) with its paired-bootstrap interval, the approximate-randomization
p-value and the Benjamini–Hochberg q-value; significant changes are filled
marks and bold rows. Then the documents whose F1 changed most, with the fields
that changed in each. Drawn from ``Comparison`` alone (its two reports and
differences); nothing is recomputed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.eval.charts import Point, Row, interval_chart
from filingkit.eval.compare import Comparison
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
    table,
)
from filingkit.eval.html_page import select as select_filter

TOP_DOCUMENTS = 30


def _ci(entry: Mapping[str, Any] | None) -> tuple[float | None, float | None]:
    pair = ((entry or {}).get("ci") or {}).get("f1")
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return float(pair[0]), float(pair[1])
    return None, None


def _ordered(fields: Mapping[str, Any], groups: Mapping[str, str], cat: Catalogue) -> list[str]:
    order = {n: i for i, n in enumerate(cat.names())}
    gorder = {g: i for i, g in enumerate(dict.fromkeys(f.group for f in cat.fields))}
    return sorted(fields, key=lambda f: (gorder.get(groups.get(f, ""), 99),
                                         order.get(f, len(order)), f))


def _domain(rows: Mapping[str, Any]) -> tuple[float, float]:
    """A symmetric range around 0 that holds every delta and its interval."""
    top = 0.1
    for r in rows.values():
        f = r["f1"]
        top = max(top, abs(f["delta"]), *(abs(x) for x in f["ci"]))
    top = min(1.0, math.ceil(top * 10) / 10)
    return -top, top


def _field_rows(d: Mapping[str, Any], a: Mapping[str, Any], b: Mapping[str, Any],
                groups: Mapping[str, str], order: list[str]) -> list[tuple[dict[str, str],
                                                                         list[Cell]]]:
    out = []
    for name in order:
        r = d["fields"][name]
        alo, ahi = _ci(a["fields"].get(name))
        blo, bhi = _ci(b["fields"].get(name))
        f = r["f1"]
        arrow = "up" if f["delta"] > 0 else "down" if f["delta"] < 0 else ""
        sig = bool(r["significant"])
        delta = Cell(f"{f['delta']:+.3f}", f["delta"], numeric=True,
                     markup=f'<span class="{arrow}">{f["delta"]:+.3f}</span>')
        out.append(({"data-group": groups.get(name, ""), "data-sig": "yes" if sig else "no",
                     "class": "sig" if sig else ""},
                    [Cell(name), Cell(groups.get(name, "")), num(r["a"]["f1"]), num(alo),
                     num(ahi), num(r["b"]["f1"]), num(blo), num(bhi), delta,
                     num(f["ci"][0], "{:+.3f}"), num(f["ci"][1], "{:+.3f}"),
                     num(r["p_value"], "{:.4f}"), num(r["q_value"], "{:.4f}"),
                     Cell("yes" if sig else "", 1 if sig else 0)]))
    return out


def _documents(a: Mapping[str, Any], b: Mapping[str, Any],
               top: int) -> tuple[list[tuple[dict[str, str], list[Cell]]], int]:
    """The documents whose micro F1 changed most (then whose counts changed most)."""
    da, db = a.get("documents") or {}, b.get("documents") or {}
    scored = []
    for doc in sorted(set(da) | set(db)):
        ma = (da.get(doc) or {}).get("micro") or {}
        mb = (db.get(doc) or {}).get("micro") or {}
        fa = (da.get(doc) or {}).get("fields") or {}
        fb = (db.get(doc) or {}).get("fields") or {}
        changed = [f for f in sorted(set(fa) | set(fb)) if fa.get(f) != fb.get(f)]
        delta = float(mb.get("f1", 0.0)) - float(ma.get("f1", 0.0))
        moves = sum(abs(float(mb.get(k, 0)) - float(ma.get(k, 0))) for k in ("tp", "fp", "fn"))
        if changed:
            scored.append((abs(delta), moves, doc, delta, ma, mb, changed))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    rows: list[TableRow] = []
    for _, _, doc, delta, ma, mb, changed in scored[:top]:
        arrow = "up" if delta > 0 else "down" if delta < 0 else ""
        rows.append(({}, [Cell(doc), num(ma.get("f1")), num(mb.get("f1")),
                          Cell(f"{delta:+.3f}", delta, numeric=True,
                               markup=f'<span class="{arrow}">{delta:+.3f}</span>'),
                          count(float(mb.get("tp", 0)) - float(ma.get("tp", 0))),
                          count(float(mb.get("fp", 0)) - float(ma.get("fp", 0))),
                          count(float(mb.get("fn", 0)) - float(ma.get("fn", 0))),
                          Cell(", ".join(changed), len(changed))]))
    return rows, len(scored)


def render_comparison_html(cmp: Comparison, *, catalogue: Catalogue | None = None,
                           top_documents: int = TOP_DOCUMENTS) -> str:
    """The whole comparison page."""
    cat = catalogue or load_catalogue()
    d = cmp.to_dict()
    a, b = cmp.a.to_dict(), cmp.b.to_dict()
    na, nb = str(d["a"]["system"]), str(d["b"]["system"])
    groups = {f: str(e.get("group", "")) for rep in (a, b) for f, e in rep["fields"].items()}
    order = _ordered(d["fields"], groups, cat)
    both, delta_rows = [], []
    for name in order:
        r = d["fields"][name]
        alo, ahi = _ci(a["fields"].get(name))
        blo, bhi = _ci(b["fields"].get(name))
        both.append(Row(name, groups.get(name, ""), (Point(na, r["a"]["f1"], alo, ahi),
                                                     Point(nb, r["b"]["f1"], blo, bhi)),
                        key=name))
        f = r["f1"]
        delta_rows.append(Row(name, groups.get(name, ""),
                              (Point("B − A", f["delta"], f["ci"][0], f["ci"][1],
                                     strong=bool(r["significant"])),), key=name,
                              note=f"{f['delta']:+.3f}  q={r['q_value']:.3f}"
                                   + (" *" if r["significant"] else "")))
    micro = d["micro"]
    ups = [n for n in order if d["fields"][n]["significant"] and d["fields"][n]["f1"]["delta"] > 0]
    downs = [n for n in order if d["fields"][n]["significant"]
             and d["fields"][n]["f1"]["delta"] < 0]
    mlo, mhi = micro["f1"]["ci"]
    head = cards([
        (f"{micro['a']['f1']:.3f}", f"micro F1 of A ({na})"),
        (f"{micro['b']['f1']:.3f}", f"micro F1 of B ({nb})"),
        (f"{micro['f1']['delta']:+.3f}", f"B − A [{mlo:+.3f}, {mhi:+.3f}], p={micro['p_value']:.4f}"),
        (str(len(ups)), "fields significantly better"),
        (str(len(downs)), "fields significantly worse"),
        (str(len(order)), "fields compared"),
    ])
    notes = [f'<p class="note">B minus A on {esc(d["n_documents"])} documents; intervals at '
             f"95%; q: Benjamini–Hochberg over the fields; significant (filled mark, bold row) "
             f"when q &lt; {esc(d['alpha'])}.</p>"]
    for side, who in (("a", na), ("b", nb)):
        missing = (d.get("not_declared") or {}).get(side) or {}
        if missing:
            notes.append(f'<p class="note">Not declared by {esc(who)}, left out of the '
                         f"comparison: {esc(', '.join(missing))}.</p>")
    charts = ('<div class="charts">'
              + figure(interval_chart(both, series=[na, nb], title="F1 per field, A and B",
                                      css_class="chart both-chart"),
                       "Each system's F1 with its bootstrap interval over documents.")
              + figure(interval_chart(delta_rows, series=["B − A"], title="Difference of F1 (B − A)",
                                      domain=_domain(d["fields"]), reference=0.0,
                                      css_class="chart delta-chart", fmt="{:+.3f}"),
                       "The F1 difference with its paired-bootstrap interval; filled: "
                       "significant after false-discovery control, hollow: not.")
              + "</div>")
    table_html = (controls(select_filter("cmptable", "group", "group",
                                         list(dict.fromkeys(groups.get(n, "") for n in order))),
                           select_filter("cmptable", "sig", "significant", ["yes", "no"]),
                           search("cmptable"))
                  + table("cmptable", ["field", "group", "F1 A", "A low", "A high", "F1 B",
                                       "B low", "B high", "delta", "CI low", "CI high", "p",
                                       "q", "significant"],
                          _field_rows(d, a, b, groups, order)))
    doc_rows, n_changed = _documents(a, b, top_documents)
    docs_html = (f'<p class="note">{n_changed} documents have a field whose counts changed; '
                 f"the {min(top_documents, n_changed)} whose micro F1 moved most:</p>"
                 + table("doctable", ["document", "F1 A", "F1 B", "delta", "ΔTP", "ΔFP", "ΔFN",
                                      "fields changed"], doc_rows))
    sub = [f"A: <b>{esc(na)}</b> (<code>{esc(d['a']['predictions'])}</code>), B: "
           f"<b>{esc(nb)}</b> (<code>{esc(d['b']['predictions'])}</code>), gold "
           f"<code>{esc(d['gold'])}</code>, scheme <b>{esc(d['scheme'])}</b>; "
           f"{esc(d['created_by'])}."]
    return page(f"filingkit comparison: {nb} minus {na}", sub, [
        ("overview", "Overview", head + "".join(notes) + charts),
        ("fields", "Fields", table_html),
        ("documents", "Documents that changed most", docs_html),
    ])
