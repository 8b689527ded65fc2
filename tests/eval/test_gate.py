"""The gate library: baseline parsing, selectors, checks, the noise check, baseline updates.

Reports are built from per-document counts (``test_gate_support.make_report``)
in the documented ``filingkit-report`` v1 shape, since the gate reads report
JSON and nothing else.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from filingkit.eval.baseline import (
    Baseline,
    GateInputError,
    Rule,
    format_changes,
    load_baseline,
    parse_baseline,
    report_values,
    update_baseline,
)
from filingkit.eval.gate import (
    CheckResult,
    GateResult,
    expand_rules,
    gate,
    paired_bootstrap_drop,
    select_targets,
)
from filingkit.jsonio import write_json_atomic


def _load_support() -> ModuleType:
    path = Path(__file__).with_name("test_gate_support.py")
    spec = importlib.util.spec_from_file_location("filingkit_gate_test_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = _load_support()
make_report = support.make_report

#: Per-document counts of the baseline system: ORG F1 0.8, PERSON 0.833, cover fields 1.0.
PER_DOC = {
    "ORG": (8, 2, 2),
    "PERSON": (5, 1, 1),
    "dei:EntityRegistrantName": (1, 0, 0),
    "dei:EntityFileNumber": (1, 0, 0),
}
N_DOCS = 20


def base_docs(n: int = N_DOCS) -> dict[str, dict[str, tuple[int, int, int]]]:
    return support.uniform_docs(n, PER_DOC)  # type: ignore[no-any-return]


def degraded(field: str, counts: tuple[int, int, int], n_docs: int,
             n: int = N_DOCS) -> dict[str, dict[str, tuple[int, int, int]]]:
    """The baseline documents with ``field`` set to ``counts`` in the first ``n_docs``."""
    docs = base_docs(n)
    for doc in sorted(docs)[:n_docs]:
        docs[doc][field] = counts
    return docs


def baseline_for(rules: list[dict[str, Any]], report: dict[str, Any] | None = None,
                 **kwargs: Any) -> Baseline:
    """A baseline with ``rules`` and the values and documents of ``report``."""
    report = report if report is not None else make_report(base_docs())
    raw = {"format": "filingkit-baseline", "version": 1, "rules": rules}
    old = parse_baseline(raw)
    new = update_baseline(report, old, created_by="test", **kwargs).baseline
    return parse_baseline(new.to_dict())


def only(result: GateResult, target: str, metric: str = "f1") -> CheckResult:
    (check,) = [c for c in result.checks if c.target == target and c.metric == metric]
    return check


# ------------------------------------------------------------- baseline format

VALID_RULE: dict[str, Any] = {"select": "ORG", "metric": "f1", "max_drop": 0.02}


def _baseline(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"format": "filingkit-baseline", "version": 1, "rules": [VALID_RULE]}
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        pytest.param(_baseline(format="filingkit-report"), "not a baseline", id="format"),
        pytest.param(_baseline(version=2), "version 2", id="version"),
        pytest.param(_baseline(rulez=[]), "unknown keys ['rulez']", id="unknown-top-key"),
        pytest.param(_baseline(rules=[]), "non-empty list", id="no-rules"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "max_dorp": 0.1}]), "max_dorp",
                     id="rule-typo"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "metric": "accuracy"}]), "accuracy",
                     id="metric"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "direction": "lower"}]),
                     "higher-is-better", id="direction-contradicts"),
        pytest.param(_baseline(rules=[{"select": "ORG", "metric": "f1"}]),
                     "needs a 'floor', a 'max_drop'", id="no-bound"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "floor": 1.5}]), "floor must be",
                     id="floor-range"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "max_drop": True}]), "max_drop must be",
                     id="bool-is-not-a-number"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "select": []}]), "'select' must be",
                     id="empty-select"),
        pytest.param(_baseline(rules=[{**VALID_RULE, "select": " "}]), "empty selector",
                     id="blank-selector"),
        pytest.param(_baseline(values={"strict": {"ORG": {"f1": "high"}}}), "not a finite",
                     id="value-type"),
        pytest.param(_baseline(documents={"d": {"fields": {"ORG": {"tp": -1, "fp": 0,
                                                                   "fn": 0}}}},
                               source={"scheme": "strict"}),
                     "non-negative counts", id="negative-count"),
        pytest.param(_baseline(documents={"d": {"fields": {"ORG": {"tp": 1, "fp": 0,
                                                                   "fn": 0}}}}),
                     "source.scheme", id="documents-without-scheme"),
        pytest.param(_baseline(baseline_report="r.json", values={}), "not both",
                     id="report-and-values"),
    ],
)
def test_malformed_baselines_are_rejected_with_the_reason(raw: dict[str, Any],
                                                          needle: str) -> None:
    with pytest.raises(GateInputError) as info:
        parse_baseline(raw, file="b.json")
    assert needle in info.value.message
    assert info.value.message.startswith("b.json")


def test_rule_errors_name_the_rule() -> None:
    raw = _baseline(rules=[VALID_RULE, {"select": "dei:*", "metric": "f2", "max_drop": 0.1}])
    with pytest.raises(GateInputError, match=r"rules\[1\] \(dei:\*\): metric 'f2'"):
        parse_baseline(raw)


def test_baseline_round_trips_through_json(tmp_path: Path) -> None:
    report = make_report(base_docs())
    b = baseline_for([VALID_RULE, {"select": ["group:cover", "micro"], "metric": "recall",
                                   "floor": 0.5, "note": "cover must stay"}], report)
    path = write_json_atomic(tmp_path / "b.json", b.to_dict())
    again = load_baseline(path)
    assert again.rules == b.rules
    assert again.values == b.values
    assert again.documents == b.documents
    assert again.documents_scheme == "strict"
    assert again.path == str(path)


def test_missing_baseline_file_is_bad_input_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(GateInputError) as info:
        load_baseline(tmp_path / "nope.json")
    assert "no such baseline file" in info.value.message
    assert info.value.hint and "baseline update" in info.value.hint


def test_baseline_may_point_to_a_report_instead_of_copying_it(tmp_path: Path) -> None:
    report = make_report(base_docs())
    write_json_atomic(tmp_path / "reports" / "base.json", report)
    write_json_atomic(tmp_path / "b.json", {
        "format": "filingkit-baseline", "version": 1, "rules": [VALID_RULE],
        "baseline_report": "reports/base.json",
    })
    b = load_baseline(tmp_path / "b.json")
    assert b.value("strict", "ORG", "f1") == pytest.approx(0.8)
    assert set(b.documents) == set(report["documents"])
    assert gate(report, b).passed


# -------------------------------------------------------------------- selectors

SCHEMES = {"partial": {"ORG": (9, 1, 1), "PERSON": (5, 1, 1)}}


@pytest.fixture
def report() -> dict[str, Any]:
    return make_report(base_docs(3), other_schemes=SCHEMES)


@pytest.mark.parametrize(
    ("selector", "scheme", "expected"),
    [
        pytest.param("ORG", "strict", ["ORG"], id="field"),
        pytest.param("*", "strict", sorted(PER_DOC), id="all-fields"),
        pytest.param("dei:*", "strict", ["dei:EntityFileNumber", "dei:EntityRegistrantName"],
                     id="glob"),
        pytest.param("dei:Entity?ileNumber", "strict", ["dei:EntityFileNumber"], id="glob-?"),
        pytest.param("group:cover", "strict", ["group:cover"], id="group-aggregate"),
        pytest.param("group:entities/*", "strict", ["ORG", "PERSON"], id="group-members"),
        pytest.param("micro", "strict", ["micro"], id="micro"),
        pytest.param("macro", "strict", ["macro"], id="macro"),
        pytest.param("*", "partial", ["ORG", "PERSON"], id="other-scheme-labels"),
        pytest.param("group:entities", "partial", ["group:entities"], id="other-scheme-overall"),
    ],
)
def test_selectors(report: dict[str, Any], selector: str, scheme: str,
                   expected: list[str]) -> None:
    assert select_targets(report, selector, scheme) == expected


@pytest.mark.parametrize(
    ("selector", "scheme", "needle"),
    [
        pytest.param("ORGG", "strict", "did you mean 'ORG'", id="typo"),
        pytest.param("dei:EntityCentralIndexKey", "strict", "not scored in the report",
                     id="field-not-scored"),
        pytest.param("xbrl:*", "strict", "matches no field", id="empty-glob"),
        pytest.param("group:covr", "strict", "did you mean 'cover'", id="group-typo"),
        pytest.param("group:financial/*", "strict", "no scored field is in group",
                     id="empty-group"),
        pytest.param("micro", "partial", "report's scheme 'strict' only", id="micro-other"),
        pytest.param("ORG", "parital", "did you mean 'partial'", id="scheme-typo"),
        pytest.param("dei:EntityFileNumber", "partial", "not scored", id="fact-under-partial"),
    ],
)
def test_selectors_that_name_nothing_are_bad_input(report: dict[str, Any], selector: str,
                                                   scheme: str, needle: str) -> None:
    with pytest.raises(GateInputError, match=None) as info:
        select_targets(report, selector, scheme)
    assert needle in info.value.message


def test_later_rules_override_only_what_they_set(report: dict[str, Any]) -> None:
    rules = parse_baseline(_baseline(rules=[
        {"select": "*", "metric": "f1", "max_drop": 0.02},
        {"select": "ORG", "metric": "f1", "floor": 0.7},
        {"select": "group:entities/*", "metric": "f1", "max_drop": 0.05},
    ])).rules
    specs = {s.target: s for s in expand_rules(report, rules)}
    assert (specs["ORG"].floor, specs["ORG"].max_drop, specs["ORG"].rules) == (0.7, 0.05,
                                                                                (0, 1, 2))
    assert (specs["dei:EntityFileNumber"].floor,
            specs["dei:EntityFileNumber"].max_drop) == (None, 0.02)
    assert list(specs) == sorted(PER_DOC)  # first-appearance order, one check each


def test_expansion_errors_name_the_rule_and_the_baseline(report: dict[str, Any]) -> None:
    rules = (Rule(select=("ORG", "PERSN"), metric="f1", max_drop=0.1, index=3),)
    with pytest.raises(GateInputError) as info:
        expand_rules(report, rules, baseline_path="ci/baseline.json")
    assert info.value.message.startswith("ci/baseline.json: rules[3]: field 'PERSN'")
    assert "did you mean 'PERSON'" in info.value.message


# ----------------------------------------------------------------- the checks

ORG_DROP = [{"select": "ORG", "metric": "f1", "max_drop": 0.02}]


@pytest.mark.parametrize(
    ("current", "rules", "strict", "outcome"),
    [
        pytest.param(base_docs(), ORG_DROP, False, "pass", id="unchanged"),
        pytest.param(degraded("ORG", (4, 6, 6), 1), ORG_DROP, True, "pass",
                     id="drop-equal-to-tolerance"),
        pytest.param(degraded("ORG", (10, 0, 0), 5), ORG_DROP, True, "pass", id="improvement"),
        pytest.param(degraded("ORG", (0, 10, 10), 1), ORG_DROP, False, "noise",
                     id="one-bad-document-is-noise"),
        pytest.param(degraded("ORG", (0, 10, 10), 1), ORG_DROP, True, "fail",
                     id="one-bad-document-fails-strict"),
        pytest.param(degraded("ORG", (0, 10, 10), 5), ORG_DROP, False, "fail",
                     id="five-bad-documents-fail"),
        pytest.param(degraded("ORG", (6, 4, 4), N_DOCS), ORG_DROP, False, "fail",
                     id="uniform-drop-fails"),
        pytest.param(degraded("ORG", (0, 10, 10), 1),
                     [{"select": "ORG", "metric": "f1", "floor": 0.79, "max_drop": 0.5}], False,
                     "fail", id="floor-is-never-noise"),
        pytest.param(degraded("ORG", (0, 10, 10), 1),
                     [{"select": "ORG", "metric": "f1", "floor": 0.75}], False, "pass",
                     id="above-floor"),
        pytest.param(degraded("ORG", (8, 0, 2), N_DOCS),
                     [{"select": "ORG", "metric": "precision", "max_drop": 0.0}], False, "pass",
                     id="precision-up"),
        pytest.param(degraded("ORG", (8, 0, 4), N_DOCS),
                     [{"select": "ORG", "metric": "recall", "max_drop": 0.05}], False, "fail",
                     id="recall-down"),
    ],
)
def test_check_outcomes(current: dict[str, Any], rules: list[dict[str, Any]], strict: bool,
                        outcome: str) -> None:
    b = baseline_for(rules)
    result = gate(make_report(current), b, strict=strict, n_resamples=500)
    (check,) = result.checks
    assert check.outcome == outcome
    assert result.passed == (outcome != "fail")
    if outcome == "noise":
        assert check.ci is not None and check.ci[0] <= 0 < check.ci[1]
        assert "within noise" in check.explain()
    if outcome == "fail" and check.drop_exceeded and not strict:
        assert check.ci is not None and check.ci[0] > 0
        assert "excludes 0" in check.explain()


@pytest.mark.parametrize(
    ("target", "expected_drop"),
    [
        pytest.param("ORG", 0.8 - 304 / 400, id="field"),
        pytest.param("group:entities", None, id="group"),
        pytest.param("micro", None, id="micro"),
        pytest.param("macro", None, id="macro"),
    ],
)
def test_aggregates_are_gated_and_noise_checked(target: str,
                                                expected_drop: float | None) -> None:
    rules = [{"select": target, "metric": "f1", "max_drop": 0.0}]
    b = baseline_for(rules)
    current = make_report(degraded("ORG", (0, 10, 10), 1))
    check = only(gate(current, b, n_resamples=300), target)
    assert check.drop is not None and check.drop > 0
    if expected_drop is not None:
        assert check.drop == pytest.approx(expected_drop)
    assert check.ci is not None, check.noise_note  # counts reproduce every aggregate
    assert check.outcome == "noise"


def test_failure_message_names_everything() -> None:
    b = baseline_for([{"select": "ORG", "metric": "f1", "floor": 0.7, "max_drop": 0.02}])
    check = only(gate(make_report(degraded("ORG", (4, 6, 6), N_DOCS)), b), "ORG")
    text = check.explain()
    for needle in ("ORG f1 (strict)", "current 0.4000", "baseline 0.8000", "below the floor 0.7000",
                   "dropped 0.4000", "tolerated 0.0200", "95% paired-bootstrap CI of the drop"):
        assert needle in text
    d = check.to_dict()
    assert d["message"] == text and d["outcome"] == "fail" and d["ci"] == [0.4, 0.4]


def test_strict_mode_says_why_no_ci() -> None:
    b = baseline_for(ORG_DROP)
    result = gate(make_report(degraded("ORG", (0, 10, 10), 1)), b, strict=True)
    check = only(result, "ORG")
    assert check.ci is None
    assert "(strict: --strict)" in check.explain()


@pytest.mark.parametrize(
    ("baseline_docs", "report_docs", "note"),
    [
        pytest.param(False, True, "the baseline has no per-document counts", id="baseline"),
        pytest.param(True, False, "the report has no per-document counts", id="report"),
    ],
)
def test_without_per_document_counts_drops_are_judged_strictly(
        baseline_docs: bool, report_docs: bool, note: str) -> None:
    b = baseline_for(ORG_DROP, include_documents=baseline_docs)
    current = make_report(degraded("ORG", (0, 10, 10), 1), with_documents=report_docs)
    result = gate(current, b)
    assert not result.passed
    assert any(note in n for n in result.notes)
    assert only(result, "ORG").noise_note == note


def test_baseline_documents_missing_from_the_report_are_bad_input() -> None:
    b = baseline_for(ORG_DROP)
    current = make_report(base_docs(N_DOCS - 2))
    with pytest.raises(GateInputError, match="2 baseline document"):
        gate(current, b, report_path="r.json")
    assert gate(current, b, strict=True).passed  # the counts are not needed when strict


def test_new_documents_are_paired_on_the_shared_ones() -> None:
    b = baseline_for(ORG_DROP)
    docs = base_docs(N_DOCS + 5)
    for doc in sorted(docs)[N_DOCS:]:
        docs[doc]["ORG"] = (0, 5, 5)  # harder new documents: lower F1, no regression
    result = gate(make_report(docs), b)
    check = only(result, "ORG")
    assert check.drop_exceeded and check.outcome == "noise"
    assert check.ci == (0.0, 0.0)
    assert any("5 document(s) in the report are not in the baseline" in n for n in result.notes)


def test_inconsistent_counts_disable_the_ci_for_that_check() -> None:
    b = baseline_for(ORG_DROP)
    current = make_report(degraded("ORG", (0, 10, 10), 1))
    current["fields"]["ORG"]["f1"] = 0.5  # no longer what the documents add up to
    check = only(gate(current, b), "ORG")
    assert check.ci is None and check.outcome == "fail"
    assert "do not reproduce" in check.noise_note


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        pytest.param(lambda r: r["fields"]["ORG"].pop("f1"), "'f1' of 'ORG'", id="metric-absent"),
        pytest.param(lambda r: r["fields"]["ORG"].update(f1=None), "absent", id="metric-null"),
        pytest.param(lambda r: r["fields"].pop("ORG"), "field 'ORG' is not scored",
                     id="field-absent"),
        pytest.param(lambda r: r.update(format="x"), "not an evaluation report", id="format"),
        pytest.param(lambda r: r.update(version=9), "report version 9", id="version"),
    ],
)
def test_a_report_missing_what_is_gated_is_bad_input(mutate: Any, needle: str) -> None:
    b = baseline_for(ORG_DROP)
    current = make_report(base_docs())
    mutate(current)
    with pytest.raises(GateInputError) as info:
        gate(current, b)
    assert needle in info.value.message


def test_a_max_drop_without_a_baseline_value_is_bad_input() -> None:
    b = parse_baseline(_baseline(rules=[{"select": "PERSON", "metric": "f1", "max_drop": 0.1}],
                                 values={"strict": {"ORG": {"f1": 0.8}}}))
    with pytest.raises(GateInputError) as info:
        gate(make_report(base_docs()), b)
    assert "no baseline value for f1 of 'PERSON'" in info.value.message
    assert info.value.hint and "baseline update" in info.value.hint


def test_floor_only_rules_need_no_baseline_values() -> None:
    b = parse_baseline(_baseline(rules=[{"select": "*", "metric": "f1", "floor": 0.81}]))
    result = gate(make_report(base_docs()), b)
    assert [c.target for c in result.failures] == ["ORG"]
    assert only(result, "ORG").baseline is None


def test_other_scheme_values_are_gated_from_the_schemes_block() -> None:
    rules = [{"select": "*", "metric": "f1", "scheme": "partial", "max_drop": 0.01}]
    report = make_report(base_docs(), other_schemes=SCHEMES)
    b = baseline_for(rules, report)
    worse = make_report(base_docs(), other_schemes={"partial": {"ORG": (5, 5, 5),
                                                               "PERSON": (5, 1, 1)}})
    result = gate(worse, b)
    check = only(result, "ORG")
    assert check.scheme == "partial" and check.outcome == "fail"
    assert "no per-document counts under scheme 'partial'" in check.noise_note


def test_gate_is_deterministic_and_pure() -> None:
    b = baseline_for([{"select": "*", "metric": "f1", "max_drop": 0.0}])
    current = make_report(degraded("ORG", (0, 10, 10), 3))
    snapshot = copy.deepcopy(current)
    first = gate(current, b, seed=7).to_dict()
    assert gate(current, b, seed=7).to_dict() == first
    assert current == snapshot
    assert first["format"] == "filingkit-gate" and first["version"] == 1


# ------------------------------------------------------------ paired bootstrap


def _arrays(base: list[tuple[int, int, int]],
            cur: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray]:
    b = np.asarray(base, dtype=np.float64)[:, None, :]
    c = np.asarray(cur, dtype=np.float64)[:, None, :]
    return b, c


def test_identical_systems_have_a_zero_interval() -> None:
    docs = [(3, 1, 1), (0, 2, 0), (5, 0, 1)]
    b, c = _arrays(docs, docs)
    assert paired_bootstrap_drop(b, c, "f1") == (0.0, 0.0)


def test_bootstrap_is_seeded_and_the_interval_brackets_the_drop() -> None:
    rng = np.random.default_rng(1)
    base = rng.integers(0, 10, size=(30, 1, 3)).astype(np.float64)
    cur = base.copy()
    cur[:, 0, 0] = np.maximum(cur[:, 0, 0] - rng.integers(0, 3, size=30), 0)
    lo, hi = paired_bootstrap_drop(base, cur, "f1", seed=3)
    assert paired_bootstrap_drop(base, cur, "f1", seed=3) == (lo, hi)
    assert paired_bootstrap_drop(base, cur, "f1", seed=4) != (lo, hi)

    def f1(a: np.ndarray) -> float:
        tp, fp, fn = a.sum(axis=(0, 1))
        return float(2 * tp / (2 * tp + fp + fn))

    assert lo <= f1(base) - f1(cur) <= hi


def test_direction_flips_the_sign() -> None:
    b, c = _arrays([(5, 5, 5)] * 10, [(8, 2, 2)] * 10)
    assert paired_bootstrap_drop(b, c, "f1") == pytest.approx((-0.3, -0.3))
    assert paired_bootstrap_drop(b, c, "f1", direction="lower") == pytest.approx((0.3, 0.3))


def test_bootstrap_agrees_with_the_evaluators_paired_differences() -> None:
    from filingkit.eval.stats import paired_differences

    rng = np.random.default_rng(5)
    base = rng.integers(0, 8, size=(25, 1, 3)).astype(np.float64)
    cur = rng.integers(0, 8, size=(25, 1, 3)).astype(np.float64)
    (diff,) = paired_differences(base, cur, n_resamples=400, seed=2)
    lo, hi = paired_bootstrap_drop(base, cur, "f1", n_resamples=400, seed=2)
    assert (lo, hi) == pytest.approx((-diff.ci[2][1], -diff.ci[2][0]), abs=1e-9)


def test_bootstrap_rejects_misaligned_arrays() -> None:
    with pytest.raises(ValueError, match="aligned"):
        paired_bootstrap_drop(np.zeros((3, 1, 3)), np.zeros((4, 1, 3)), "f1")


# ------------------------------------------------------------------- updating


def test_a_new_baseline_gets_default_rules_values_and_documents() -> None:
    report = make_report(base_docs())
    upd = update_baseline(report, None, created_by="filingkit test", report_path="r.json")
    assert upd.created and not upd.lowered
    assert [r.select for r in upd.baseline.rules] == [("*",), ("micro",)]
    assert set(upd.baseline.values["strict"]) == {*PER_DOC, "micro"}
    assert upd.baseline.value("strict", "ORG", "f1") == pytest.approx(0.8)
    assert upd.baseline.value("strict", "ORG", "recall") is None  # only gated metrics recorded
    assert set(upd.baseline.documents) == set(report["documents"])
    assert upd.baseline.source["report"] == "r.json"
    assert all(c.old is None for c in upd.changes)
    assert gate(report, parse_baseline(upd.baseline.to_dict())).passed


@pytest.mark.parametrize(
    ("current", "lowered"),
    [
        pytest.param(base_docs(), [], id="same"),
        pytest.param(degraded("ORG", (10, 0, 0), 4), [], id="better"),
        pytest.param(degraded("ORG", (6, 4, 4), 4), ["ORG", "micro"], id="worse"),
    ],
)
def test_update_reports_which_values_would_be_lowered(current: dict[str, Any],
                                                      lowered: list[str]) -> None:
    old = baseline_for([{"select": ["ORG", "micro"], "metric": "f1", "max_drop": 0.02}])
    upd = update_baseline(make_report(current), old, created_by="test")
    assert not upd.created
    assert upd.baseline.rules == old.rules
    assert sorted({c.target for c in upd.lowered}) == sorted(lowered)
    lines = format_changes(upd.changes)
    assert sum("LOWER" in line for line in lines) == len(upd.lowered)


def test_diff_lines() -> None:
    old = {"strict": {"ORG": {"f1": 0.8}, "PERSON": {"f1": 0.5}}}
    new = {"strict": {"ORG": {"f1": 0.75}, "micro": {"f1": 0.9}}}
    from filingkit.eval.baseline import diff_values

    assert format_changes(diff_values(old, new)) == [
        "~ strict ORG f1: 0.8000 -> 0.7500 (-0.0500, LOWER)",
        "- strict PERSON f1: 0.5000 (no longer gated)",
        "+ strict micro f1: 0.9000",
    ]


def test_report_values_cover_every_gateable_target() -> None:
    values = report_values(make_report(base_docs(2), other_schemes=SCHEMES))
    assert set(values["strict"]) == {*PER_DOC, "group:entities", "group:cover", "micro",
                                     "macro"}
    assert set(values["partial"]) == {"ORG", "PERSON", "group:entities"}
    assert values["strict"]["macro"]["f1"] == pytest.approx((0.8 + 5 / 6 + 1 + 1) / 4)
