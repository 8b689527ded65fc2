"""Renderings of a gate result for people and CI systems: all pure ``GateResult -> str``.

- ``render_table``: the plain-text table the CLI prints, failures explained below it;
- ``render_junit``: JUnit XML, one test case per gated metric (CI test dashboards);
- ``render_github``: GitHub Actions workflow commands (``::error``), one per failure
  and one ``::warning`` per drop excused as noise;
- ``render_markdown``: a Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a PR comment;
- ``failure_message``: the message the CLI and the pytest plugin show on failure.

Every rendering says, for each failing metric, the field, metric, scheme,
baseline and current value, the drop, the floor or tolerance, and the CI when
the noise check ran (all from ``CheckResult.explain``), so the formats agree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from filingkit.eval.gate import CheckResult, GateResult

_STATUS = {"pass": "ok", "fail": "FAIL", "noise": "noise"}


def _num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x:+.4f}" if signed else f"{x:.4f}"


def _ci(c: CheckResult) -> str:
    return "-" if c.ci is None else f"[{c.ci[0]:.4f}, {c.ci[1]:.4f}]"


def _rows(result: GateResult) -> list[list[str]]:
    return [
        [_STATUS[c.outcome], c.target, c.metric, c.scheme, _num(c.baseline), _num(c.current),
         _num(c.drop, signed=True), _num(c.max_drop), _num(c.floor), _ci(c)]
        for c in result.checks
    ]


_HEADER = ["status", "target", "metric", "scheme", "baseline", "current", "drop", "max_drop",
           "floor", "CI of drop"]


def render_table(result: GateResult) -> str:
    """A fixed-width table of every check, then one line per failure and per note."""
    rows = [_HEADER, *_rows(result)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for c in result.failures:
        lines.append(f"FAIL  {c.explain()}")
    for c in result.within_noise:
        lines.append(f"NOISE {c.explain()}")
    for note in result.notes:
        lines.append(f"note: {note}")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def failure_message(result: GateResult) -> str:
    """The summary line and one explained line per failing check (empty list: passed)."""
    lines = [result.summary()]
    lines += [f"  - {c.explain()}" for c in result.failures]
    lines += [f"  (within noise) {c.explain()}" for c in result.within_noise]
    lines += [f"  note: {n}" for n in result.notes]
    return "\n".join(lines)


def render_junit(result: GateResult, *, suite: str = "filingkit-gate") -> str:
    """JUnit XML: one ``testcase`` per gated metric; failures carry the explanation."""
    failures = len(result.failures)
    root = ET.Element("testsuites", name=suite, tests=str(len(result.checks)),
                      failures=str(failures), errors="0")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(result.checks)),
                       failures=str(failures), errors="0", skipped="0")
    props = ET.SubElement(ts, "properties")
    for key, value in (("report", result.report), ("baseline", result.baseline),
                       ("strict", str(result.strict).lower()),
                       ("confidence", str(result.confidence)),
                       ("n_resamples", str(result.n_resamples)), ("seed", str(result.seed))):
        ET.SubElement(props, "property", name=key, value=value)
    for c in result.checks:
        case = ET.SubElement(ts, "testcase", classname=f"{suite}.{c.scheme}.{c.metric}",
                             name=c.name, time="0")
        if c.outcome == "fail":
            kind = "below-floor" if c.below_floor else "regression"
            fail = ET.SubElement(case, "failure", message=c.explain(), type=kind)
            fail.text = c.explain()
        else:
            out = ET.SubElement(case, "system-out")
            out.text = c.explain()
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(result: GateResult, *, file: str | None = None) -> str:
    """GitHub Actions workflow commands: ``::error`` per failure, ``::warning`` per noise drop.

    ``file`` (the baseline path, relative to the repository) attaches the
    annotations to that file in the pull request view.
    """
    lines = []
    where = f"file={_escape_prop(file)}," if file else ""
    for kind, checks in (("error", result.failures), ("warning", result.within_noise)):
        for c in checks:
            title = _escape_prop(f"filingkit gate: {c.name}")
            lines.append(f"::{kind} {where}title={title}::{_escape_data(c.explain())}")
    if not result.passed:
        lines.append(f"::error title={_escape_prop('filingkit gate')}::"
                     f"{_escape_data(result.summary())}")
    return "".join(line + "\n" for line in lines)


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return out


def render_markdown(result: GateResult, *, title: str = "filingkit gate") -> str:
    """A Markdown summary: verdict, failing checks with explanations, then every check."""
    icon = "✅" if result.passed else "❌"
    lines = [f"## {icon} {title}", "", f"**{result.summary()}**", ""]
    if result.failures:
        lines += ["### Regressions", ""]
        lines += [f"- {_md_cell(c.explain())}" for c in result.failures]
        lines.append("")
    if result.within_noise:
        lines += ["### Drops within noise (passing)", ""]
        lines += [f"- {_md_cell(c.explain())}" for c in result.within_noise]
        lines.append("")
    for note in result.notes:
        lines.append(f"> {note}")
    if result.notes:
        lines.append("")
    mode = "strict" if result.strict else (
        f"noise-aware ({result.confidence:.0%} paired bootstrap, {result.n_resamples} "
        f"resamples, seed {result.seed})")
    lines += ["<details><summary>All checks</summary>", ""]
    lines += _md_table(_HEADER, _rows(result))
    lines += ["", f"Mode: {mode}.", "", "</details>", ""]
    return "\n".join(lines)
