"""The bench as a picture (``filingkit bench --html FILE``): every extractor side by side.

Drawn from the bench JSON (format ``filingkit-bench``, ``BenchReport.to_dict()``),
so it does not depend on how the bench runs: per-field F1 of every extractor
with its interval (grouped by catalogue group; a field an extractor does not
declare has no mark for it), the per-field table (P, R, F1 per extractor, "—"
where not declared, the best F1 marked), and the throughput figures with
ingestion excluded and included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.eval.charts import Bar, Point, Row, bar_chart, interval_chart
from filingkit.eval.html_page import Cell, TableRow, cards, controls, esc, figure, num, page, search, table
from filingkit.eval.html_page import select as select_filter

MISSING = "—"


def _f(x: Any) -> float | None:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else None


def _ci(entry: Mapping[str, Any]) -> tuple[float | None, float | None]:
    pair = (entry.get("ci") or {}).get("f1")
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return float(pair[0]), float(pair[1])
    return None, None


def _metrics(run: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    if name not in (run.get("fields") or ()):
        return None
    entry = ((run.get("report") or {}).get("fields") or {}).get(name)
    return entry if isinstance(entry, Mapping) else None


def table_fields(bench: Mapping[str, Any], cat: Catalogue) -> list[str]:
    """Fields some extractor declares and the gold scores, in catalogue order."""
    runs = (bench.get("extractors") or {}).values()
    return [f for f in cat.names() if any(_metrics(r, f) is not None for r in runs)]


def render_bench_html(bench: Mapping[str, Any], *, catalogue: Catalogue | None = None) -> str:
    """The whole bench page for one bench JSON dict."""
    cat = catalogue or load_catalogue()
    runs: Mapping[str, Mapping[str, Any]] = bench.get("extractors") or {}
    names = list(runs)
    label = {n: f"{n} v{runs[n].get('version', '')}" for n in names}
    best = bench.get("best") or {}
    fields = table_fields(bench, cat)

    rows = []
    for f in fields:
        pts = []
        for n in names:
            m = _metrics(runs[n], f)
            if m is not None and _f(m.get("f1")) is not None:
                lo, hi = _ci(m)
                pts.append(Point(label[n], float(m["f1"]), lo, hi))
        rows.append(Row(f, cat.group_of(f), tuple(pts), key=f))
    chart = figure(interval_chart(rows, series=[label[n] for n in names],
                                  title="F1 per field and extractor (95% interval)",
                                  css_class="chart bench-chart"),
                   "No mark: the extractor does not declare the field. Trainable extractors "
                   "are scored by cross-validation (never on a document they learnt from).")

    trows = []
    for f in fields:
        support = next((m.get("support") for n in names if (m := _metrics(runs[n], f))), None)
        cells = [Cell(f), Cell(cat.group_of(f)), num(_f(support), "{:.0f}")]
        for n in names:
            m = _metrics(runs[n], f)
            if m is None:
                cells += [Cell(MISSING, "", numeric=True)] * 3
                continue
            star = n in best.get(f, ())
            cells += [num(_f(m.get("precision"))), num(_f(m.get("recall")))]
            f1 = _f(m.get("f1"))
            cells.append(Cell(f"{f1:.3f}{' *' if star else ''}" if f1 is not None else MISSING,
                              f1 if f1 is not None else "", numeric=True,
                              markup=(f"<b>{f1:.3f} *</b>" if star and f1 is not None else None)))
        trows.append(({"data-group": cat.group_of(f)}, cells))
    micro = [Cell("micro"), Cell(""), num(None)]
    for n in names:
        m = (runs[n].get("report") or {}).get("micro") or {}
        micro += [num(_f(m.get("precision"))), num(_f(m.get("recall"))), num(_f(m.get("f1")))]
    trows.append(({"data-group": "", "class": "agg"}, micro))
    heads = ["field", "group", "support"] + [f"{label[n]} {k}" for n in names
                                             for k in ("P", "R", "F1")]
    groups = list(dict.fromkeys(cat.group_of(f) for f in fields))
    field_table = (controls(select_filter("benchtable", "group", "group", groups),
                            search("benchtable"))
                   + table("benchtable", heads, trows))

    bars: list[Bar] = []
    prow: list[TableRow] = []
    for n in names:
        r = runs[n]
        t = r.get("throughput") or {}
        exc = t.get("excluding_ingestion") or {}
        inc = t.get("including_ingestion") or {}
        bars += [Bar(label[n], "extraction only", _f(exc.get("docs_per_s"))),
                 Bar(label[n], "ingestion + extraction", _f(inc.get("docs_per_s")))]
        mode = f"cv k={r.get('cv_k')}" if r.get("mode") == "cv" else "direct"
        prow.append(({}, [Cell(label[n]), Cell(mode), num(_f(r.get("n_documents")), "{:.0f}"),
                          num(_f(exc.get("docs_per_s")), "{:,.1f}"),
                          num(_f(exc.get("mb_per_s")), "{:,.2f}"),
                          num(_f(inc.get("docs_per_s")), "{:,.1f}"),
                          num(_f(inc.get("mb_per_s")), "{:,.2f}"),
                          num(_f(r.get("fit_seconds")), "{:,.2f}"),
                          num(_f(r.get("peak_memory_mb")), "{:,.1f}")]))
    perf = (figure(bar_chart(bars, series=["extraction only", "ingestion + extraction"],
                             title="Throughput", unit="documents per second",
                             css_class="chart perf-chart"),
                   "Extraction from the canonical text, and with the raw source/ files "
                   "ingested again first. Measured in one run on this machine.")
            + table("perftable", ["extractor", "mode", "docs", "docs/s", "MB/s",
                                  "docs/s +ingest", "MB/s +ingest", "fit s", "peak MB"], prow))
    notes = []
    for n, why in (bench.get("skipped") or {}).items():
        notes.append(f'<p class="note">Skipped {esc(n)}: {esc(why)}</p>')
    head = cards([(str(len(names)), "extractors"), (str(bench.get("n_documents", "")),
                                                     "gold documents"),
                  (str(len(fields)), "fields scored")]
                 + [(f"{float(((runs[n].get('report') or {}).get('micro') or {}).get('f1', 0)):.3f}",
                     f"micro F1, {label[n]}") for n in names])
    cat_info = bench.get("catalogue") or {}
    sub = [f"Gold <code>{esc(bench.get('gold', ''))}</code> "
           f"({esc(bench.get('n_documents', ''))} documents), catalogue "
           f"{esc(cat_info.get('name', ''))} v{esc(cat_info.get('version', ''))}; "
           f"* best F1 per field, {MISSING} not declared; {esc(bench.get('created_by', ''))}."]
    return page("filingkit bench", sub, [
        ("overview", "Overview", head + "".join(notes) + chart),
        ("fields", "Fields", field_table),
        ("throughput", "Throughput and memory", perf),
    ])
