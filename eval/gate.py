"""The CI regression gate: check an evaluation report against a committed baseline.

``gate(report, baseline)`` turns each baseline rule into checks, one per gated
(target, metric, scheme), and judges each against an absolute floor and/or a
tolerated drop from the accepted value. It reads only the report JSON
(format ``filingkit-report`` v1), never the evaluator's internals, and is pure:
no printing, no files; ``filingkit.run.gate_cli`` and the pytest plugin do I/O (and
running extractors on gold, which lives above the evaluator: ``filingkit.run.gate``).

Noise-awareness: on a small gold set, one document more or less right moves
F1 by points. When the baseline carries the accepted report's per-document
counts and the current report has its own, a drop beyond the tolerance fails
only when the paired bootstrap confidence interval of the drop (documents
resampled jointly for both reports) lies wholly above zero. Floors are never
excused by noise, and ``strict=True`` turns noise-awareness off.

Anything the gate cannot judge (a field absent from the report, a pattern
matching nothing, a metric missing, baseline documents missing from the
report) raises ``GateInputError``: never a silent pass.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from filingkit.catalogue import did_you_mean
from filingkit.eval.baseline import (
    Baseline,
    Direction,
    DocumentCounts,
    GateInputError,
    Rule,
    check_report,
    report_documents,
    report_values,
)
from filingkit.eval.metrics import prf_arrays
from filingkit.eval.stats import resample_weights

GATE_FORMAT = "filingkit-gate"
GATE_VERSION = 1

Outcome = Literal["pass", "fail", "noise"]
Aggregate = Literal["sum", "mean"]

#: Slack for float comparisons, so 0.80 - 0.78 is not "more than 0.02".
EPS = 1e-9
DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One gated metric after rules are expanded and merged: what to check, how."""

    target: str
    metric: str
    scheme: str
    direction: Direction
    floor: float | None
    max_drop: float | None
    rules: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one gated metric, with everything needed to explain it.

    ``drop`` is positive when the metric got worse (baseline minus current for
    a higher-is-better metric). ``ci`` is the confidence interval of the drop
    when the noise check ran; ``noise_note`` says why it did not, when a drop
    was judged strictly.
    """

    target: str
    metric: str
    scheme: str
    direction: Direction
    current: float
    baseline: float | None
    floor: float | None
    max_drop: float | None
    drop: float | None
    ci: tuple[float, float] | None
    confidence: float
    below_floor: bool
    drop_exceeded: bool
    outcome: Outcome
    noise_note: str = ""
    rules: tuple[int, ...] = ()

    @property
    def passed(self) -> bool:
        return self.outcome != "fail"

    @property
    def name(self) -> str:
        """A stable identifier: ``ORG f1 (strict)``."""
        return f"{self.target} {self.metric} ({self.scheme})"

    def explain(self) -> str:
        """One sentence: the values, the floor or tolerance crossed, and the CI when used."""
        parts: list[str] = []
        base = "n/a" if self.baseline is None else f"{self.baseline:.4f}"
        head = f"{self.name}: current {self.current:.4f}, baseline {base}"
        if self.below_floor and self.floor is not None:
            word = "below the floor" if self.direction == "higher" else "above the ceiling"
            parts.append(f"{word} {self.floor:.4f} (floors are never excused as noise)")
        if self.drop_exceeded and self.drop is not None and self.max_drop is not None:
            text = f"dropped {self.drop:.4f}, more than the tolerated {self.max_drop:.4f}"
            if self.ci is not None:
                lo, hi = self.ci
                pct = f"{self.confidence:.0%}"
                if self.outcome == "noise":
                    text += (f", but the {pct} paired-bootstrap CI of the drop "
                             f"[{lo:.4f}, {hi:.4f}] includes 0: within noise, passes "
                             "(--strict fails it)")
                else:
                    text += (f"; the {pct} paired-bootstrap CI of the drop "
                             f"[{lo:.4f}, {hi:.4f}] excludes 0")
            elif self.noise_note:
                text += f" (strict: {self.noise_note})"
            parts.append(text)
        if not parts:
            bits = []
            if self.drop is not None:
                bits.append(f"drop {self.drop:+.4f}" + (
                    f" <= {self.max_drop:.4f}" if self.max_drop is not None else ""))
            if self.floor is not None:
                bits.append(f"floor {self.floor:.4f}")
            parts.append("ok" + (f" ({', '.join(bits)})" if bits else ""))
        return f"{head}: {'; '.join(parts)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target, "metric": self.metric, "scheme": self.scheme,
            "direction": self.direction, "current": self.current, "baseline": self.baseline,
            "floor": self.floor, "max_drop": self.max_drop, "drop": self.drop,
            "ci": list(self.ci) if self.ci is not None else None,
            "confidence": self.confidence, "below_floor": self.below_floor,
            "drop_exceeded": self.drop_exceeded, "outcome": self.outcome,
            "passed": self.passed, "noise_note": self.noise_note, "rules": list(self.rules),
            "message": self.explain(),
        }


@dataclass(frozen=True, slots=True)
class GateResult:
    """All checks of one gate run and the settings they ran with."""

    checks: tuple[CheckResult, ...]
    strict: bool
    confidence: float
    n_resamples: int
    seed: int
    notes: tuple[str, ...] = ()
    report: str = ""
    baseline: str = ""

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.passed)

    @property
    def within_noise(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.outcome == "noise")

    def summary(self) -> str:
        """``gate FAILED: 2 of 14 checks regressed (1 more within noise)``."""
        n, bad, noise = len(self.checks), len(self.failures), len(self.within_noise)
        extra = f" ({noise} drop{'s' if noise != 1 else ''} within noise)" if noise else ""
        if bad:
            return f"gate FAILED: {bad} of {n} checks regressed{extra}"
        return f"gate passed: {n} checks{extra}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": GATE_FORMAT, "version": GATE_VERSION, "passed": self.passed,
            "summary": self.summary(), "strict": self.strict, "confidence": self.confidence,
            "n_resamples": self.n_resamples, "seed": self.seed, "report": self.report,
            "baseline": self.baseline, "notes": list(self.notes),
            "checks": [c.to_dict() for c in self.checks],
        }


# ----------------------------------------------------------------- selection


def _scheme_fields(report: Mapping[str, Any], scheme: str) -> list[str]:
    """Names selectable as single fields under ``scheme``."""
    if scheme == report["scheme"]:
        return sorted(report["fields"])
    schemes = report.get("schemes") or {}
    if scheme not in schemes:
        known = sorted({str(report["scheme"]), *schemes})
        raise GateInputError(f"scheme {scheme!r} is not in the report{did_you_mean(scheme, known)}")
    return sorted((schemes[scheme] or {}).get("labels") or {})


def _field_group(report: Mapping[str, Any], name: str) -> str | None:
    entry = report["fields"].get(name)
    return str(entry["group"]) if isinstance(entry, Mapping) and "group" in entry else None


def _groups(report: Mapping[str, Any], scheme: str) -> list[str]:
    if scheme != report["scheme"]:
        return ["entities"]
    groups = set(report.get("groups") or {})
    return sorted(groups)


def select_targets(report: Mapping[str, Any], selector: str, scheme: str) -> list[str]:
    """The targets one selector names in ``report`` under ``scheme``, as selector strings.

    ``micro`` / ``macro`` (report scheme only), ``group:NAME`` (a group's own
    aggregate row), ``group:NAME/*`` (each field of the group), a glob over
    field names, or one field name. A name not in the report, or a pattern
    matching nothing, is an error that names it.
    """
    fields = _scheme_fields(report, scheme)
    main = scheme == report["scheme"]
    if selector in ("micro", "macro"):
        if not main:
            raise GateInputError(
                f"{selector!r} is reported under the report's scheme {report['scheme']!r} only",
                hint=f"under {scheme!r} select entity labels or 'group:entities'",
            )
        if selector not in report:
            raise GateInputError(f"the report has no {selector!r} scores")
        return [selector]
    if selector.startswith("group:"):
        name, each = selector[len("group:"):], False
        if name.endswith("/*"):
            name, each = name[:-2], True
        if each:
            members = [f for f in fields if _field_group(report, f) == name]
            if not members:
                known = sorted({g for f in fields if (g := _field_group(report, f))})
                raise GateInputError(
                    f"selector {selector!r}: no scored field is in group {name!r}"
                    f"{did_you_mean(name, known)}"
                )
            return members
        groups = _groups(report, scheme)
        if name not in groups:
            raise GateInputError(
                f"selector {selector!r}: group {name!r} is not in the report under scheme "
                f"{scheme!r}{did_you_mean(name, groups)}"
            )
        return [f"group:{name}"]
    if any(ch in selector for ch in "*?["):
        matched = [f for f in fields if fnmatch.fnmatchcase(f, selector)]
        if not matched:
            raise GateInputError(
                f"pattern {selector!r} matches no field scored in the report under scheme "
                f"{scheme!r}",
                hint=f"scored fields: {', '.join(fields[:30])}{' ...' if len(fields) > 30 else ''}",
            )
        return matched
    if selector not in fields and selector in (report.get("not_declared") or {}):
        return []  # not declared by the extractor: not scored, not gated (gate() notes it)
    if selector not in fields:
        raise GateInputError(
            f"field {selector!r} is not scored in the report under scheme {scheme!r}"
            f"{did_you_mean(selector, fields)}",
            hint="a gated field must be one the extractor declares and the gold scopes",
        )
    return [selector]


def expand_rules(report: Mapping[str, Any], rules: Sequence[Rule], *,
                 baseline_path: str = "") -> list[CheckSpec]:
    """Expand rules into checks; a later rule overrides the floor or max_drop it sets.

    Order: by first appearance, so output follows the baseline's rule order.
    """
    merged: dict[tuple[str, str, str], CheckSpec] = {}
    for rule in rules:
        scheme = rule.scheme or str(report["scheme"])
        for selector in rule.select:
            try:
                targets = select_targets(report, selector, scheme)
            except GateInputError as exc:
                raise GateInputError(f"rules[{rule.index}]: {exc.reason}", file=baseline_path or None,
                                     hint=exc.hint) from None
            for target in targets:
                key = (scheme, target, rule.metric)
                prev = merged.get(key)
                merged[key] = CheckSpec(
                    target=target, metric=rule.metric, scheme=scheme, direction=rule.direction,
                    floor=rule.floor if rule.floor is not None else (prev.floor if prev else None),
                    max_drop=rule.max_drop if rule.max_drop is not None else (
                        prev.max_drop if prev else None),
                    rules=(*(prev.rules if prev else ()), rule.index),
                )
    return list(merged.values())


# ------------------------------------------------------------------- metrics


def metric_from_counts(tp: FloatArray, fp: FloatArray, fn: FloatArray, metric: str) -> FloatArray:
    """Precision, recall or F1 from count arrays, with the evaluator's one 0/0 policy."""
    p, r, f = prf_arrays(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f}[metric]


def _aggregate_metric(counts: FloatArray, metric: str, aggregate: Aggregate) -> FloatArray:
    """Metric over counts of shape ``(..., fields, 3)``: pooled (sum) or mean over fields."""
    if aggregate == "sum":
        pooled = counts.sum(axis=-2)
        return metric_from_counts(pooled[..., 0], pooled[..., 1], pooled[..., 2], metric)
    per_field = metric_from_counts(counts[..., 0], counts[..., 1], counts[..., 2], metric)
    mean: FloatArray = per_field.mean(axis=-1)
    return mean


def paired_bootstrap_drop(
    baseline: FloatArray,
    current: FloatArray,
    metric: str,
    *,
    aggregate: Aggregate = "sum",
    direction: Direction = "higher",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[float, float]:
    """Percentile CI of the drop (worse is positive) between two systems on the same documents.

    ``baseline`` and ``current`` are ``(documents, fields, 3)`` arrays of
    tp/fp/fn, rows aligned by document. Each resample draws documents with
    replacement and applies the same draw to both (a paired test, so
    per-document difficulty cancels); each document keeps its counts together,
    since F1 is not a mean over documents. Unlike the evaluator's per-unit
    ``paired_differences`` it also handles targets that pool several fields
    (groups, micro) or average them (macro). Seeded: a run is reproducible.
    """
    if baseline.shape != current.shape or baseline.ndim != 3 or baseline.shape[2] != 3:
        raise ValueError("baseline and current must be aligned (documents, fields, 3) arrays")
    n = baseline.shape[0]
    if n == 0:
        raise ValueError("no documents to resample")
    weights = resample_weights(n, n_resamples, seed).astype(np.float64)
    b = (weights @ baseline.reshape(n, -1)).reshape(n_resamples, *baseline.shape[1:])
    c = (weights @ current.reshape(n, -1)).reshape(n_resamples, *current.shape[1:])
    diff = _aggregate_metric(c, metric, aggregate) - _aggregate_metric(b, metric, aggregate)
    drops = -diff if direction == "higher" else diff
    alpha = 1.0 - confidence
    lo, hi = np.quantile(drops, [alpha / 2, 1 - alpha / 2])
    # Round away float dust, so that identical systems give [0, 0], not [-1e-17, 0].
    return round(float(lo), 12) + 0.0, round(float(hi), 12) + 0.0


# ---------------------------------------------------------------- the gate


def _target_members(report: Mapping[str, Any], target: str) -> tuple[list[str], Aggregate]:
    """The fields whose per-document counts make up ``target``, and how they combine."""
    if target == "micro":
        return sorted(report["fields"]), "sum"
    if target == "macro":
        return sorted(report["fields"]), "mean"
    if target.startswith("group:"):
        name = target[len("group:"):]
        return [f for f in sorted(report["fields"]) if _field_group(report, f) == name], "sum"
    return [target], "sum"


def _count_array(docs: DocumentCounts, doc_ids: Sequence[str],
                 fields: Sequence[str]) -> FloatArray:
    """``(documents, fields, 3)`` counts; a field absent from a document counts zero there."""
    out = np.zeros((len(doc_ids), len(fields), 3), dtype=np.float64)
    for i, d in enumerate(doc_ids):
        row = docs[d]
        for j, f in enumerate(fields):
            if f in row:
                out[i, j] = row[f]
    return out


@dataclass(frozen=True, slots=True)
class _NoiseData:
    """Per-document counts of both reports, aligned on the baseline's documents."""

    baseline: DocumentCounts
    current: DocumentCounts
    shared: tuple[str, ...]
    scheme: str


def _noise_data(report: Mapping[str, Any], baseline: Baseline, *, report_path: str,
                notes: list[str]) -> tuple[_NoiseData | None, str]:
    """Per-document counts for the noise check, or ``None`` and the reason it cannot run."""
    if not baseline.documents:
        return None, "the baseline has no per-document counts"
    current = report_documents(report, file=report_path or None)
    if not current:
        return None, "the report has no per-document counts"
    if baseline.documents_scheme != report["scheme"]:
        return None, (f"baseline counts are under scheme {baseline.documents_scheme!r}, "
                      f"the report's under {report['scheme']!r}")
    missing = sorted(set(baseline.documents) - set(current))
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise GateInputError(
            f"{len(missing)} baseline document(s) are missing from the report: {shown}",
            file=report_path or None,
            hint="evaluate on the same gold set as the baseline, or update the baseline "
                 "(`filingkit gate baseline update`), or pass --strict",
        )
    shared = tuple(sorted(baseline.documents))
    new = len(current) - len(shared)
    if new:
        notes.append(f"{new} document(s) in the report are not in the baseline; the noise "
                     f"check pairs the {len(shared)} shared documents")
    if len(shared) < 2:
        return None, "fewer than two shared documents"
    return _NoiseData(baseline.documents, current, shared, str(report["scheme"])), ""


def _consistent(counts: FloatArray, metric: str, aggregate: Aggregate, value: float) -> bool:
    """Do per-document counts reproduce the recorded value? If not, the CI would mislead."""
    computed = float(_aggregate_metric(counts.sum(axis=0), metric, aggregate))
    return abs(computed - value) <= 1e-6


def _noise_ci(spec: CheckSpec, report: Mapping[str, Any], data: _NoiseData, base_value: float,
              cur_value: float, *, n_resamples: int, seed: int,
              confidence: float) -> tuple[tuple[float, float] | None, str]:
    if spec.scheme != data.scheme:
        return None, f"no per-document counts under scheme {spec.scheme!r}"
    fields, aggregate = _target_members(report, spec.target)
    if not fields:
        return None, "no fields to resample"
    all_base = _count_array(data.baseline, sorted(data.baseline), fields)
    all_cur = _count_array(data.current, sorted(data.current), fields)
    if not _consistent(all_base, spec.metric, aggregate, base_value):
        return None, "the baseline's per-document counts do not reproduce its value"
    if not _consistent(all_cur, spec.metric, aggregate, cur_value):
        return None, "the report's per-document counts do not reproduce its value"
    b = _count_array(data.baseline, data.shared, fields)
    c = _count_array(data.current, data.shared, fields)
    ci = paired_bootstrap_drop(b, c, spec.metric, aggregate=aggregate, direction=spec.direction,
                               n_resamples=n_resamples, seed=seed, confidence=confidence)
    return ci, ""


def _current_value(values: Mapping[str, Mapping[str, Mapping[str, float]]], spec: CheckSpec,
                   report_path: str) -> float:
    v = values.get(spec.scheme, {}).get(spec.target, {}).get(spec.metric)
    if v is None:
        raise GateInputError(
            f"metric {spec.metric!r} of {spec.target!r} under scheme {spec.scheme!r} is absent "
            "from the report (or not a number)", file=report_path or None,
        )
    return v


def _check_recorded_targets(baseline: Baseline, specs: Sequence[CheckSpec],
                            values: Mapping[str, Mapping[str, Mapping[str, float]]],
                            report_path: str) -> None:
    """A gated value of the baseline whose target the report lacks is bad input, not a pass.

    A glob such as ``*`` expands over the report's fields, so a field missing
    from the report (a truncated or hand-edited file, another extractor)
    would otherwise drop out of the gate without a word.
    """
    checked = {(s.scheme, s.target) for s in specs}
    missing = sorted(f"{target} ({scheme})" for scheme, targets in baseline.values.items()
                     for target in targets
                     if (scheme, target) not in checked and target not in values.get(scheme, {}))
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise GateInputError(
            f"the baseline gates {len(missing)} target(s) the report has no scores for: {shown}",
            file=report_path or None,
            hint="evaluate the same extractor and fields as the baseline, or update the baseline "
                 "(`filingkit gate baseline update`) to stop gating them")


def gate(
    report: Mapping[str, Any],
    baseline: Baseline,
    *,
    strict: bool = False,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    report_path: str = "",
) -> GateResult:
    """Check ``report`` (a ``filingkit-report`` v1 dict) against ``baseline``.

    A check fails when the value is worse than its floor, or when it dropped
    from the baseline value by more than ``max_drop`` and (unless ``strict``,
    and where per-document counts allow it) the paired bootstrap CI of the drop
    lies above zero. Raises ``GateInputError`` for anything it cannot judge.
    """
    if not 0.0 < confidence < 1.0:
        raise GateInputError(f"confidence must be in (0, 1), got {confidence}")
    if n_resamples < 1:
        raise GateInputError(f"n_resamples must be positive, got {n_resamples}")
    check_report(report, file=report_path or None)
    specs = expand_rules(report, baseline.rules, baseline_path=baseline.path)
    values = report_values(report)
    _check_recorded_targets(baseline, specs, values, report_path)
    notes: list[str] = []
    not_declared = report.get("not_declared") or {}
    named = [sel for rule in baseline.rules for sel in rule.select if sel in not_declared]
    for sel in dict.fromkeys(named):
        notes.append(f"{sel}: not declared by the extractor, so not scored and not gated")
    if not_declared:
        notes.append(f"not declared (not scored, not gated): {', '.join(not_declared)}")
    noise: _NoiseData | None = None
    why_strict = "--strict"
    if not strict:
        noise, why_strict = _noise_data(report, baseline, report_path=report_path, notes=notes)
        if noise is None:
            notes.append(f"noise check off: {why_strict}; drops are judged strictly")
    results = []
    for spec in specs:
        cur = _current_value(values, spec, report_path)
        base = baseline.value(spec.scheme, spec.target, spec.metric)
        if spec.max_drop is not None and base is None:
            raise GateInputError(
                f"no baseline value for {spec.metric} of {spec.target!r} under scheme "
                f"{spec.scheme!r} (rules {list(spec.rules)} give it a max_drop)",
                file=baseline.path or None,
                hint="record it with `filingkit gate baseline update --report R --baseline B`",
            )
        sign = 1.0 if spec.direction == "higher" else -1.0
        below_floor = spec.floor is not None and sign * (cur - spec.floor) < -EPS
        drop = None if base is None else sign * (base - cur)
        exceeded = (spec.max_drop is not None and drop is not None
                    and drop > spec.max_drop + EPS)
        ci: tuple[float, float] | None = None
        note = why_strict if exceeded and noise is None else ""
        excused = False
        if exceeded and noise is not None and base is not None:
            ci, note = _noise_ci(spec, report, noise, base, cur, n_resamples=n_resamples,
                                 seed=seed, confidence=confidence)
            excused = ci is not None and ci[0] <= EPS
        if below_floor or (exceeded and not excused):
            outcome: Outcome = "fail"
        elif exceeded:
            outcome = "noise"
        else:
            outcome = "pass"
        results.append(CheckResult(
            target=spec.target, metric=spec.metric, scheme=spec.scheme,
            direction=spec.direction, current=cur, baseline=base, floor=spec.floor,
            max_drop=spec.max_drop, drop=drop, ci=ci, confidence=confidence,
            below_floor=below_floor, drop_exceeded=exceeded, outcome=outcome,
            noise_note=note, rules=spec.rules,
        ))
    return GateResult(
        checks=tuple(results), strict=strict, confidence=confidence, n_resamples=n_resamples,
        seed=seed, notes=tuple(notes), report=report_path, baseline=baseline.path,
    )
