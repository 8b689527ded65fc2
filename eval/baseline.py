"""The gate's baseline file: which metrics are gated, how, and the values they are gated against.

A baseline (format ``filingkit-baseline``, version 1) is a JSON file committed
to the user's repository. It holds *rules* (which field, group or aggregate,
which metric under which matching scheme, an absolute floor and/or a tolerated
drop) and the *values* of the last accepted report, plus that report's
per-document counts so the gate can tell a real regression from noise on a
small gold set. Rules are data, validated on load, so a typo is an error that
names the rule, never a silently ignored key.

This module only parses, builds and compares baselines; the checks themselves
are in ``filingkit.eval.gate``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from filingkit.errors import FilingkitError
from filingkit.jsonio import read_json

BASELINE_FORMAT = "filingkit-baseline"
BASELINE_VERSION = 1

Direction = Literal["higher", "lower"]

#: Gateable metrics and the direction in which each is better.
METRIC_DIRECTIONS: Mapping[str, Direction] = {
    "precision": "higher",
    "recall": "higher",
    "f1": "higher",
}

#: Keys a rule may carry; anything else is a typo and an error.
RULE_KEYS: frozenset[str] = frozenset(
    {"select", "metric", "scheme", "floor", "max_drop", "direction", "note"}
)
BASELINE_KEYS: frozenset[str] = frozenset(
    {"format", "version", "created_by", "source", "rules", "values", "documents",
     "baseline_report"}
)

#: The tolerated F1 drop of the default rules of a baseline that ``baseline update`` creates.
DEFAULT_MAX_DROP = 0.02

#: Counts per document and field: ``{doc_id: {field: (tp, fp, fn)}}``.
Counts = tuple[float, float, float]
DocumentCounts = Mapping[str, Mapping[str, Counts]]


class GateInputError(FilingkitError):
    """A baseline or report the gate cannot use: malformed, or naming what is not there."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One gating rule: ``select`` targets, one metric under one scheme, a floor and/or a drop.

    ``select`` holds selectors: a field name (``ORG``), a glob over field names
    (``dei:*``, ``*``), a group aggregate (``group:cover``), every field of a
    group (``group:cover/*``), or ``micro`` / ``macro``. ``scheme`` ``None``
    means the report's own scheme. ``floor`` is the worst acceptable value
    (a minimum for higher-is-better metrics); ``max_drop`` the largest
    tolerated change for the worse from the baseline value, in metric units.
    """

    select: tuple[str, ...]
    metric: str
    scheme: str | None = None
    floor: float | None = None
    max_drop: float | None = None
    direction: Direction = "higher"
    note: str = ""
    index: int = 0  # position in the baseline's rule list, for error messages

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "select": self.select[0] if len(self.select) == 1 else list(self.select),
            "metric": self.metric,
            "direction": self.direction,
        }
        if self.scheme is not None:
            out["scheme"] = self.scheme
        if self.floor is not None:
            out["floor"] = self.floor
        if self.max_drop is not None:
            out["max_drop"] = self.max_drop
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class Baseline:
    """A parsed baseline: rules, accepted values, and (optionally) per-document counts.

    ``values`` maps ``scheme -> target -> metric -> value``, where a target is
    written as a selector (``ORG``, ``group:cover``, ``micro``). ``documents``
    holds the accepted report's ``documents.<doc>.fields.<field>`` counts under
    ``documents_scheme``; empty when the baseline carries none (then every drop
    is judged strictly).
    """

    rules: tuple[Rule, ...]
    values: Mapping[str, Mapping[str, Mapping[str, float]]] = field(default_factory=dict)
    documents: DocumentCounts = field(default_factory=dict)
    documents_scheme: str | None = None
    source: Mapping[str, Any] = field(default_factory=dict)
    created_by: str = ""
    path: str = ""

    def value(self, scheme: str, target: str, metric: str) -> float | None:
        """The accepted value of ``metric`` for ``target`` under ``scheme``, if recorded."""
        return self.values.get(scheme, {}).get(target, {}).get(metric)

    def to_dict(self) -> dict[str, Any]:
        """The baseline JSON (documents inlined), ready for ``jsonio.write_json_atomic``."""
        out: dict[str, Any] = {
            "format": BASELINE_FORMAT,
            "version": BASELINE_VERSION,
            "created_by": self.created_by,
            "source": dict(self.source),
            "rules": [r.to_dict() for r in self.rules],
            "values": {s: {t: dict(m) for t, m in tv.items()} for s, tv in self.values.items()},
        }
        if self.documents:
            out["documents"] = {
                doc: {"fields": {f: dict(zip(("tp", "fp", "fn"), c, strict=True))
                                 for f, c in fields.items()}}
                for doc, fields in self.documents.items()
            }
        return out


# --------------------------------------------------------------------- parsing


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _count(x: Any) -> float:
    """A count as stored: integers stay integers (half counts come from partial schemes)."""
    return int(x) if float(x).is_integer() else float(x)


def parse_rule(raw: object, index: int, *, file: str | None = None) -> Rule:
    """Validate one rule object; errors name the rule by its position and selector."""
    where = f"rules[{index}]"
    if not isinstance(raw, Mapping):
        raise GateInputError(f"{where}: a rule must be an object", file=file)
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise GateInputError(
            f"{where}: unknown keys {sorted(unknown)}; a rule has {sorted(RULE_KEYS)}", file=file
        )
    select = raw.get("select")
    if isinstance(select, str):
        selectors: tuple[str, ...] = (select,)
    elif isinstance(select, list) and select and all(isinstance(s, str) for s in select):
        selectors = tuple(select)
    else:
        raise GateInputError(
            f"{where}: 'select' must be a selector string or a non-empty list of them",
            file=file, hint='e.g. "select": "dei:*", "group:cover", "ORG" or "micro"',
        )
    if any(not s.strip() for s in selectors):
        raise GateInputError(f"{where}: empty selector", file=file)
    where = f"{where} ({', '.join(selectors)})"
    metric = raw.get("metric")
    if not isinstance(metric, str) or metric not in METRIC_DIRECTIONS:
        raise GateInputError(
            f"{where}: metric {metric!r} is not one of {sorted(METRIC_DIRECTIONS)}", file=file
        )
    natural = METRIC_DIRECTIONS[metric]
    direction = raw.get("direction", natural)
    if direction not in ("higher", "lower"):
        raise GateInputError(f"{where}: direction must be 'higher' or 'lower'", file=file)
    if direction != natural:
        raise GateInputError(
            f"{where}: {metric} is {natural}-is-better, the rule says {direction!r}", file=file
        )
    scheme = raw.get("scheme")
    if scheme is not None and (not isinstance(scheme, str) or not scheme):
        raise GateInputError(f"{where}: 'scheme' must be a scheme name", file=file)
    floor, max_drop = raw.get("floor"), raw.get("max_drop")
    if floor is None and max_drop is None:
        raise GateInputError(
            f"{where}: a rule needs a 'floor', a 'max_drop' or both", file=file
        )
    if floor is not None and not (_is_number(floor) and 0.0 <= floor <= 1.0):
        raise GateInputError(f"{where}: floor must be a number in [0, 1], got {floor!r}",
                             file=file)
    if max_drop is not None and not (_is_number(max_drop) and 0.0 <= max_drop <= 1.0):
        raise GateInputError(f"{where}: max_drop must be a number in [0, 1], got {max_drop!r}",
                             file=file)
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise GateInputError(f"{where}: 'note' must be a string", file=file)
    return Rule(
        select=selectors,
        metric=metric,
        scheme=scheme,
        floor=float(floor) if floor is not None else None,
        max_drop=float(max_drop) if max_drop is not None else None,
        direction=direction,
        note=note,
        index=index,
    )


def parse_values(raw: object, *, file: str | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Validate ``values``: ``{scheme: {target: {metric: number}}}``."""
    if not isinstance(raw, Mapping):
        raise GateInputError("'values' must be an object {scheme: {target: {metric: value}}}",
                             file=file)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for scheme, targets in raw.items():
        if not isinstance(targets, Mapping):
            raise GateInputError(f"values.{scheme}: must be an object of targets", file=file)
        out[scheme] = {}
        for target, metrics in targets.items():
            if not isinstance(metrics, Mapping):
                raise GateInputError(f"values.{scheme}.{target}: must be an object of metrics",
                                     file=file)
            for metric, v in metrics.items():
                if not _is_number(v):
                    raise GateInputError(
                        f"values.{scheme}.{target}.{metric}: {v!r} is not a finite number",
                        file=file,
                    )
            out[scheme][target] = {m: float(v) for m, v in metrics.items()}
    return out


def parse_documents(raw: object, *, file: str | None = None) -> dict[str, dict[str, Counts]]:
    """Validate per-document counts in the report's shape ``{doc: {"fields": {f: {tp,fp,fn}}}}``."""
    if not isinstance(raw, Mapping):
        raise GateInputError("'documents' must be an object keyed by document id", file=file)
    out: dict[str, dict[str, Counts]] = {}
    for doc, entry in raw.items():
        fields = entry.get("fields") if isinstance(entry, Mapping) else None
        if not isinstance(fields, Mapping):
            raise GateInputError(f"documents.{doc}: needs a 'fields' object", file=file)
        counts: dict[str, Counts] = {}
        for name, c in fields.items():
            if not isinstance(c, Mapping):
                raise GateInputError(f"documents.{doc}.fields.{name}: must be an object",
                                     file=file)
            vals = [c.get(k) for k in ("tp", "fp", "fn")]
            if not all(_is_number(v) and v >= 0 for v in vals):  # type: ignore[operator]
                raise GateInputError(
                    f"documents.{doc}.fields.{name}: tp, fp and fn must be non-negative counts",
                    file=file,
                )
            counts[name] = (_count(vals[0]), _count(vals[1]), _count(vals[2]))
        out[str(doc)] = counts
    return out


def parse_baseline(data: object, *, file: str | Path | None = None) -> Baseline:
    """Validate a baseline JSON object.

    ``baseline_report`` (a report path relative to the baseline file) may take
    the place of inline ``values`` and ``documents``: both are then read from
    that committed report.
    """
    fname = str(file) if file is not None else None
    if not isinstance(data, Mapping):
        raise GateInputError("a baseline must be a JSON object", file=fname)
    if data.get("format") != BASELINE_FORMAT:
        raise GateInputError(
            f"not a baseline: format is {data.get('format')!r}, expected {BASELINE_FORMAT!r}",
            file=fname,
            hint="create one with `filingkit gate baseline update --report R --baseline B`",
        )
    if data.get("version") != BASELINE_VERSION:
        raise GateInputError(
            f"baseline version {data.get('version')!r} is not supported (this filingkit reads "
            f"version {BASELINE_VERSION})", file=fname,
        )
    unknown = set(data) - BASELINE_KEYS
    if unknown:
        raise GateInputError(f"unknown keys {sorted(unknown)}", file=fname)
    rules_raw = data.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise GateInputError("'rules' must be a non-empty list", file=fname)
    rules = tuple(parse_rule(r, i, file=fname) for i, r in enumerate(rules_raw))
    source = data.get("source", {})
    if not isinstance(source, Mapping):
        raise GateInputError("'source' must be an object", file=fname)

    documents_scheme: str | None = None
    if "baseline_report" in data:
        if "values" in data or "documents" in data:
            raise GateInputError(
                "give either 'baseline_report' or inline 'values'/'documents', not both",
                file=fname,
            )
        ref = data["baseline_report"]
        if not isinstance(ref, str) or not ref:
            raise GateInputError("'baseline_report' must be a path", file=fname)
        rpath = Path(ref) if file is None else Path(file).parent / ref
        report = check_report(read_json(rpath), file=str(rpath))
        values = report_values(report)
        documents = report_documents(report, file=str(rpath))
        documents_scheme = str(report["scheme"])
    else:
        values = parse_values(data.get("values", {}), file=fname)
        documents = parse_documents(data.get("documents", {}), file=fname)
        if documents:
            if not isinstance(source.get("scheme"), str) or not source["scheme"]:
                raise GateInputError(
                    "'documents' given without 'source.scheme' (the scheme of those counts)",
                    file=fname,
                )
            documents_scheme = source["scheme"]
    return Baseline(
        rules=rules,
        values=values,
        documents=documents,
        documents_scheme=documents_scheme,
        source=dict(source),
        created_by=str(data.get("created_by", "")),
        path=fname or "",
    )


def load_baseline(path: str | Path) -> Baseline:
    """Read and validate a baseline file (a missing file is bad input, with a hint)."""
    p = Path(path)
    if not p.exists():
        raise GateInputError(
            "no such baseline file", file=p,
            hint="create one from a report: `filingkit gate baseline update --report REPORT.json "
                 f"--baseline {p}`",
        )
    return parse_baseline(read_json(p), file=p)


# ------------------------------------------------------------ from a report


REPORT_FORMAT = "filingkit-report"
REPORT_VERSION = 1


def check_report(report: object, *, file: str | None = None) -> Mapping[str, Any]:
    """Check that ``report`` is a ``filingkit-report`` v1 object with the parts the gate reads."""
    if not isinstance(report, Mapping):
        raise GateInputError("a report must be a JSON object", file=file)
    if report.get("format") != REPORT_FORMAT:
        raise GateInputError(
            f"not an evaluation report: format is {report.get('format')!r}, expected "
            f"{REPORT_FORMAT!r}", file=file,
            hint="write one with `filingkit eval ... --format json -o report.json`",
        )
    if report.get("version") != REPORT_VERSION:
        raise GateInputError(f"report version {report.get('version')!r} is not supported",
                             file=file)
    for key, typ in (("scheme", str), ("fields", Mapping)):
        if not isinstance(report.get(key), typ):
            raise GateInputError(f"report has no valid {key!r}", file=file)
    for key in ("groups", "micro", "macro", "schemes", "documents"):
        if report.get(key) is not None and not isinstance(report[key], Mapping):
            raise GateInputError(f"report: {key!r} must be an object, got "
                                 f"{type(report[key]).__name__}", file=file)
    not_declared = report.get("not_declared")
    if not_declared is not None and not (isinstance(not_declared, Mapping) and all(
            isinstance(k, str) and isinstance(v, Mapping) for k, v in not_declared.items())):
        raise GateInputError("report: 'not_declared' must map field names to objects", file=file)
    for scheme, block in (report.get("schemes") or {}).items():
        if not isinstance(block, Mapping):
            raise GateInputError(f"report: schemes.{scheme} must be an object", file=file)
        for key in ("labels", "overall"):
            if block.get(key) is not None and not isinstance(block[key], Mapping):
                raise GateInputError(f"report: schemes.{scheme}.{key} must be an object",
                                     file=file)
    return report


def _metric_triplet(entry: object) -> dict[str, float]:
    if not isinstance(entry, Mapping):
        return {}
    return {m: float(entry[m]) for m in METRIC_DIRECTIONS if _is_number(entry.get(m))}


def report_values(report: Mapping[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """Every gateable value of a report as ``{scheme: {target: {metric: value}}}``.

    Under the report's scheme: each field, each group (``group:NAME``), ``micro``
    and ``macro``. Under each other scheme in ``schemes``: each entity label
    and ``group:entities`` (that scheme's overall entity score).
    """
    main: dict[str, dict[str, float]] = {}
    for name, entry in sorted(report.get("fields", {}).items()):
        main[name] = _metric_triplet(entry)
    for name, entry in sorted((report.get("groups") or {}).items()):
        main[f"group:{name}"] = _metric_triplet(entry)
    for agg in ("micro", "macro"):
        if agg in report:
            main[agg] = _metric_triplet(report[agg])
    out = {str(report["scheme"]): {t: m for t, m in main.items() if m}}
    for scheme, block in sorted((report.get("schemes") or {}).items()):
        if scheme == report["scheme"] or not isinstance(block, Mapping):
            continue
        other: dict[str, dict[str, float]] = {}
        for label, entry in sorted((block.get("labels") or {}).items()):
            other[label] = _metric_triplet(entry)
        if "overall" in block:
            other["group:entities"] = _metric_triplet(block["overall"])
        out[scheme] = {t: m for t, m in other.items() if m}
    return out


def report_documents(report: Mapping[str, Any], *,
                     file: str | None = None) -> dict[str, dict[str, Counts]]:
    """The report's per-document, per-field counts (empty when the report has none)."""
    return parse_documents(report.get("documents") or {}, file=file)


def default_rules(report: Mapping[str, Any], *, max_drop: float = DEFAULT_MAX_DROP) -> tuple[Rule, ...]:
    """Rules for a new baseline: F1 of every scored field and micro F1 may drop by ``max_drop``."""
    scheme = str(report["scheme"])
    return (
        Rule(select=("*",), metric="f1", scheme=scheme, max_drop=max_drop, index=0),
        Rule(select=("micro",), metric="f1", scheme=scheme, max_drop=max_drop, index=1),
    )


# ------------------------------------------------------------------- update


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One recorded value that an update adds, changes or removes."""

    scheme: str
    target: str
    metric: str
    old: float | None
    new: float | None

    @property
    def worse(self) -> bool:
        """True when the new value is worse than the old one (a lowered baseline)."""
        if self.old is None or self.new is None:
            return False
        if METRIC_DIRECTIONS.get(self.metric, "higher") == "higher":
            return self.new < self.old - 1e-12
        return self.new > self.old + 1e-12

    def to_dict(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "target": self.target, "metric": self.metric,
                "old": self.old, "new": self.new, "worse": self.worse}


@dataclass(frozen=True, slots=True)
class BaselineUpdate:
    """The outcome of ``update_baseline``: the new baseline and how its values changed."""

    baseline: Baseline
    changes: tuple[ValueChange, ...]
    created: bool

    @property
    def lowered(self) -> tuple[ValueChange, ...]:
        """Values that would get worse: the update is refused unless explicitly allowed."""
        return tuple(c for c in self.changes if c.worse)

    def to_dict(self) -> dict[str, Any]:
        return {"created": self.created, "changes": [c.to_dict() for c in self.changes],
                "lowered": len(self.lowered)}


def update_baseline(
    report: Mapping[str, Any],
    old: Baseline | None,
    *,
    created_by: str,
    report_path: str = "",
    include_documents: bool = True,
    max_drop: float = DEFAULT_MAX_DROP,
) -> BaselineUpdate:
    """A new baseline holding ``report``'s values, with ``old``'s rules (or default rules).

    Only the values the rules gate are recorded, so the committed file and its
    diff stay small (a rule added later needs an update). Pure: the
    caller decides whether to write it, and refuses when ``lowered`` is not empty
    unless the user asked to lower the baseline.
    """
    from filingkit.eval.gate import expand_rules  # late import: gate imports this module

    check_report(report, file=report_path or None)
    rules = old.rules if old is not None else default_rules(report, max_drop=max_drop)
    all_values = report_values(report)
    keep: dict[str, dict[str, dict[str, float]]] = {}
    for spec in expand_rules(report, rules, baseline_path=old.path if old else ""):
        value = all_values.get(spec.scheme, {}).get(spec.target, {}).get(spec.metric)
        if value is None:
            raise GateInputError(
                f"metric {spec.metric!r} of {spec.target!r} under scheme {spec.scheme!r} is "
                "absent from the report (or not a number)", file=report_path or None,
            )
        keep.setdefault(spec.scheme, {}).setdefault(spec.target, {})[spec.metric] = value
    documents = report_documents(report, file=report_path or None) if include_documents else {}
    source = {
        "report": report_path,
        "system": report.get("system"),
        "gold": report.get("gold"),
        "n_documents": report.get("n_documents"),
        "scheme": report["scheme"],
        "catalogue": report.get("catalogue"),
    }
    new = Baseline(
        rules=rules,
        values=keep,
        documents=documents,
        documents_scheme=str(report["scheme"]) if documents else None,
        source={k: v for k, v in source.items() if v not in (None, "")},
        created_by=created_by,
        path=old.path if old else "",
    )
    return BaselineUpdate(new, diff_values(old.values if old else {}, keep), created=old is None)


def diff_values(
    old: Mapping[str, Mapping[str, Mapping[str, float]]],
    new: Mapping[str, Mapping[str, Mapping[str, float]]],
) -> tuple[ValueChange, ...]:
    """Every recorded value that differs between two ``values`` tables, sorted."""
    keys: set[tuple[str, str, str]] = set()
    for table in (old, new):
        for s, targets in table.items():
            for t, metrics in targets.items():
                keys.update((s, t, m) for m in metrics)
    changes = []
    for s, t, m in sorted(keys):
        a = old.get(s, {}).get(t, {}).get(m)
        b = new.get(s, {}).get(t, {}).get(m)
        if a is None or b is None or abs(a - b) > 1e-12:
            changes.append(ValueChange(s, t, m, a, b))
    return tuple(changes)


def format_changes(changes: Sequence[ValueChange]) -> list[str]:
    """Human-readable diff lines: ``~ strict ORG f1: 0.8000 -> 0.7500 (-0.0500, LOWER)``."""
    lines = []
    for c in changes:
        if c.old is None:
            lines.append(f"+ {c.scheme} {c.target} {c.metric}: {c.new:.4f}")
        elif c.new is None:
            lines.append(f"- {c.scheme} {c.target} {c.metric}: {c.old:.4f} (no longer gated)")
        else:
            tag = ", LOWER" if c.worse else ""
            lines.append(f"~ {c.scheme} {c.target} {c.metric}: {c.old:.4f} -> {c.new:.4f} "
                         f"({c.new - c.old:+.4f}{tag})")
    return lines
