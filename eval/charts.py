"""Charts as inline SVG, drawn from numbers in Python: no library, no script, no network.

Three kinds serve the HTML reports: an interval chart (a point with its
confidence interval per row, rows grouped, one or more series side by side),
a precision-against-recall scatter (one point per field, with F1 contours),
and a horizontal bar chart (throughput). Every mark carries ``class="mark"``
(``"pt"`` in the scatter) and ``data-field``; its ``<title>`` is the tooltip.
All text is escaped; colours are presentation attributes, so a strict
Content-Security-Policy (no inline style) holds.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe-Ito, a palette that colour-blind readers can tell apart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}"


@dataclass(frozen=True, slots=True)
class Point:
    """One series' value of a row, with its interval (``lo``/``hi`` None: no interval)."""

    series: str
    value: float
    lo: float | None = None
    hi: float | None = None
    strong: bool = True  # filled mark (e.g. a significant difference); hollow otherwise


@dataclass(frozen=True, slots=True)
class Row:
    """A labelled row of an interval chart: ``key`` goes to ``data-field``."""

    label: str
    group: str
    points: tuple[Point, ...]
    key: str = ""
    note: str = ""  # shown right of the plot (e.g. the value and its support)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values from ``lo`` to ``hi``: steps of 1, 2, 2.5 or 5 times a power of ten."""
    raw = (hi - lo) / n or 1.0
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    first = math.ceil(lo / step - 1e-9) * step
    out = []
    t = first
    while t <= hi + 1e-9:
        out.append(0.0 if abs(t) < 1e-12 else t)
        t += step
    return out


def interval_chart(rows: Sequence[Row], *, series: Sequence[str], title: str,
                   domain: tuple[float, float] = (0.0, 1.0), reference: float | None = None,
                   width: int = 760, css_class: str = "chart", fmt: str = "{:.3f}",
                   note_width: int = 110) -> str:
    """Rows of points with whiskers, a header line per group, x axis over ``domain``."""
    label_w, top, head_h = 250, 34, 20
    row_h = max(16, 6 * (len(series) + 1))
    right = 20 + (note_width if any(r.note for r in rows) else 0)
    lo_d, hi_d = domain
    span = (hi_d - lo_d) or 1.0
    plot_w = width - label_w - right

    def x(v: float) -> float:
        return label_w + (min(max(v, lo_d), hi_d) - lo_d) / span * plot_w

    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    body: list[str] = []
    y = top
    group = None
    lane = row_h / (len(series) + 1)
    for row in rows:
        if row.group != group:
            group = row.group
            y += 4
            body.append(f'<text class="grouphead" x="4" y="{_n(y + 12)}">{_e(group)}</text>')
            y += head_h
        body.append(f'<text x="{label_w - 8}" y="{_n(y + row_h * 0.7)}" text-anchor="end">'
                    f"{_e(_clip(row.label))}<title>{_e(row.label)}</title></text>")
        if row.note:
            body.append(f'<text class="axis" x="{width - right + 12}" '
                        f'y="{_n(y + row_h * 0.7)}">{_e(row.note)}</text>')
        for p in row.points:
            k = list(series).index(p.series) if p.series in series else 0
            cy = y + lane * (k + 1)
            c = colour.get(p.series, PALETTE[0])
            tip = f"{row.label} ({p.series}): {fmt.format(p.value)}"
            if p.lo is not None and p.hi is not None:
                tip += f" [{fmt.format(p.lo)}, {fmt.format(p.hi)}]"
                body.append(f'<line class="whisker" x1="{_n(x(p.lo))}" x2="{_n(x(p.hi))}" '
                            f'y1="{_n(cy)}" y2="{_n(cy)}" stroke="{c}" stroke-width="2" '
                            'stroke-opacity="0.55"/>')
            fill = c if p.strong else "#fff"
            body.append(f'<circle class="mark" data-field="{_e(row.key or row.label)}" '
                        f'data-series="{_e(p.series)}" cx="{_n(x(p.value))}" cy="{_n(cy)}" '
                        f'r="3.6" fill="{fill}" stroke="{c}" stroke-width="1.4">'
                        f"<title>{_e(tip)}</title></circle>")
        y += row_h
    height = y + 30
    axis = [f'<g class="axis"><line x1="{label_w}" x2="{label_w + plot_w}" y1="{_n(y + 4)}" '
            f'y2="{_n(y + 4)}" stroke="#8c959f"/>']
    for t in _ticks(lo_d, hi_d):
        axis.append(f'<line class="grid" x1="{_n(x(t))}" x2="{_n(x(t))}" y1="{top}" '
                    f'y2="{_n(y + 4)}"/><text x="{_n(x(t))}" y="{_n(y + 18)}" '
                    f'text-anchor="middle">{t:.2g}</text>')
    axis.append("</g>")
    if reference is not None:
        axis.append(f'<line class="zero" x1="{_n(x(reference))}" x2="{_n(x(reference))}" '
                    f'y1="{top}" y2="{_n(y + 4)}" stroke-dasharray="3 3"/>')
    legend = [f'<text x="4" y="14" font-weight="600">{_e(title)}</text>']
    lx = label_w
    for s in series:
        legend.append(f'<circle cx="{lx}" cy="10" r="4" fill="{colour[s]}"/>'
                      f'<text x="{lx + 8}" y="14">{_e(s)}</text>')
        lx += 16 + 7 * len(s)
    return (f'<svg class="{_e(css_class)}" role="img" aria-label="{_e(title)}" '
            f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{_n(height)}" '
            f'viewBox="0 0 {width} {_n(height)}">' + "".join(axis + legend + body) + "</svg>")


def _clip(label: str, n: int = 40) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


@dataclass(frozen=True, slots=True)
class XY:
    """A scatter point: ``x`` recall, ``y`` precision (or any two shares in [0, 1])."""

    label: str
    group: str
    x: float
    y: float


def scatter_chart(points: Sequence[XY], *, groups: Sequence[str], title: str,
                  x_label: str = "recall", y_label: str = "precision", size: int = 420,
                  css_class: str = "chart scatter") -> str:
    """Precision against recall, one point per field coloured by group, F1 contours."""
    left, top, right = 46, 30, 170
    plot = size - left - top
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}

    def px(v: float) -> float:
        return left + v * plot

    def py(v: float) -> float:
        return top + (1 - v) * plot

    out = [f'<text x="4" y="16" font-weight="600">{_e(title)}</text>']
    for t in _ticks(0.0, 1.0):
        out.append(f'<line class="grid" x1="{_n(px(t))}" x2="{_n(px(t))}" y1="{top}" '
                   f'y2="{_n(py(0))}"/><line class="grid" x1="{left}" x2="{_n(px(1))}" '
                   f'y1="{_n(py(t))}" y2="{_n(py(t))}"/>'
                   f'<g class="axis"><text x="{_n(px(t))}" y="{_n(py(0) + 14)}" '
                   f'text-anchor="middle">{t:.1f}</text><text x="{left - 6}" '
                   f'y="{_n(py(t) + 4)}" text-anchor="end">{t:.1f}</text></g>')
    for f1 in (0.2, 0.4, 0.6, 0.8, 0.9):  # precision = f1 * r / (2r - f1), r in (f1/2, 1]
        pts = []
        for i in range(41):
            r = f1 / 2 + (1 - f1 / 2) * (i / 40) + 1e-9
            prec = f1 * r / (2 * r - f1)
            if 0 <= prec <= 1:
                pts.append(f"{_n(px(r))},{_n(py(prec))}")
        out.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="#afb8c1" '
                   'stroke-dasharray="2 3"/>'
                   f'<text class="axis" x="{_n(px(1) + 3)}" y="{_n(py(f1 / (2 - f1)) + 4)}" '
                   f'font-size="9">F1 {f1}</text>')
    out.append(f'<g class="axis"><text x="{_n(px(0.5))}" y="{size - 6}" text-anchor="middle">'
               f'{_e(x_label)}</text><text x="12" y="{_n(py(0.5))}" text-anchor="middle" '
               f'transform="rotate(-90 12 {_n(py(0.5))})">{_e(y_label)}</text></g>')
    for p in points:
        c = colour.get(p.group, PALETTE[0])
        out.append(f'<circle class="pt" data-field="{_e(p.label)}" data-group="{_e(p.group)}" '
                   f'cx="{_n(px(p.x))}" cy="{_n(py(p.y))}" r="4.5" fill="{c}" '
                   f'fill-opacity="0.8" stroke="#fff"><title>{_e(p.label)}: {x_label} '
                   f"{p.x:.3f}, {y_label} {p.y:.3f}</title></circle>")
    ly = top + 6
    for g in groups:
        out.append(f'<circle cx="{size + 52}" cy="{ly}" r="4.5" fill="{colour[g]}"/>'
                   f'<text x="{size + 62}" y="{ly + 4}">{_e(g)}</text>')
        ly += 18
    w = size + right
    return (f'<svg class="{_e(css_class)}" role="img" aria-label="{_e(title)}" '
            f'xmlns="http://www.w3.org/2000/svg" width="{w}" height="{size}" '
            f'viewBox="0 0 {w} {size}">' + "".join(out) + "</svg>")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: a category, a series, a value (None: not measured)."""

    label: str
    series: str
    value: float | None


def bar_chart(bars: Sequence[Bar], *, series: Sequence[str], title: str, unit: str,
              width: int = 700, css_class: str = "chart bars") -> str:
    """Horizontal bars grouped by label, one per series, on a shared linear axis."""
    label_w, right, top, bar_h = 120, 70, 30, 14
    labels = list(dict.fromkeys(b.label for b in bars))
    top_v = max((b.value for b in bars if b.value is not None and math.isfinite(b.value)),
                default=1.0) or 1.0
    plot_w = width - label_w - right
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    out = [f'<text x="4" y="16" font-weight="600">{_e(title)}</text>']
    lx = label_w
    for s in series:
        out.append(f'<rect x="{lx}" y="6" width="10" height="10" fill="{colour[s]}"/>'
                   f'<text x="{lx + 14}" y="15">{_e(s)}</text>')
        lx += 24 + 7 * len(s)
    y = top
    for label in labels:
        out.append(f'<text x="{label_w - 8}" y="{_n(y + bar_h * len(series) / 2 + 4)}" '
                   f'text-anchor="end">{_e(_clip(label, 18))}</text>')
        for s in series:
            v = next((b.value for b in bars if b.label == label and b.series == s), None)
            if v is not None and math.isfinite(v):
                w = max(1.0, v / top_v * plot_w)
                out.append(f'<rect class="mark" data-field="{_e(label)}" data-series="{_e(s)}" '
                           f'x="{label_w}" y="{_n(y)}" width="{_n(w)}" height="{bar_h - 2}" '
                           f'fill="{colour[s]}"><title>{_e(label)} ({_e(s)}): {v:,.2f} '
                           f"{_e(unit)}</title></rect><text x=\"{_n(label_w + w + 4)}\" "
                           f'y="{_n(y + bar_h - 4)}">{v:,.1f}</text>')
            else:
                out.append(f'<text class="axis" x="{label_w + 4}" y="{_n(y + bar_h - 4)}">'
                           "not measured</text>")
            y += bar_h
        y += 8
    height = y + 16
    out.append(f'<g class="axis"><text x="{label_w + plot_w}" y="{_n(y + 8)}" '
               f'text-anchor="end">{_e(unit)}</text></g>')
    return (f'<svg class="{_e(css_class)}" role="img" aria-label="{_e(title)}" '
            f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{_n(height)}" '
            f'viewBox="0 0 {width} {_n(height)}">' + "".join(out) + "</svg>")
