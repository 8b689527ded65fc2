"""The pytest plugin (entry point ``pytest11``): ``filingkit_gate`` inside a user's suite.

Each test writes a small user project with pytester and runs pytest on it
in-process; the plugin is loaded through its installed entry point, exactly as
in a user's environment.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

# Loaded here, before any in-process pytester run: pytester unloads the modules a run
# imports, and numpy (imported by the gate) must not be imported twice.
import filingkit.eval.gate  # noqa: F401
from filingkit.eval.baseline import update_baseline
from filingkit.jsonio import write_json_atomic

pytest_plugins = ["pytester"]


def _load_support() -> ModuleType:
    path = Path(__file__).parents[1] / "eval" / "test_gate_support.py"
    spec = importlib.util.spec_from_file_location("filingkit_gate_test_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = _load_support()
PER_DOC = {"ORG": (8, 2, 2), "PERSON": (5, 1, 1)}
N_DOCS = 20


def _docs(org: tuple[int, int, int], n_bad: int) -> dict[str, dict[str, tuple[int, int, int]]]:
    d = support.uniform_docs(N_DOCS, PER_DOC)
    for doc in sorted(d)[:n_bad]:
        d[doc]["ORG"] = org
    return d  # type: ignore[no-any-return]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user project: a baseline and three reports (same, noisy, regressed)."""
    base = support.make_report(_docs((8, 2, 2), 0))
    rules = {"format": "filingkit-baseline", "version": 1,
             "rules": [{"select": "*", "metric": "f1", "max_drop": 0.02}]}
    from filingkit.eval.baseline import parse_baseline

    baseline = update_baseline(base, parse_baseline(rules), created_by="test").baseline
    write_json_atomic(pytester.path / "baseline.json", baseline.to_dict())
    write_json_atomic(pytester.path / "same.json", base)
    write_json_atomic(pytester.path / "noisy.json",
                      support.make_report(_docs((0, 10, 10), 1)))
    write_json_atomic(pytester.path / "regressed.json",
                      support.make_report(_docs((6, 4, 4), N_DOCS)))
    pytester.makepyfile(test_scores=textwrap.dedent("""
        import pytest

        @pytest.mark.parametrize("report", ["same.json", "noisy.json", "regressed.json"])
        def test_gate(filingkit_gate, report):
            result = filingkit_gate(report=report, baseline="baseline.json")
            assert result.passed

        def test_missing_field(filingkit_gate, tmp_path):
            import json
            data = json.load(open("baseline.json"))
            data["rules"] = [{"select": "ORGG", "metric": "f1", "floor": 0.5}]
            bad = tmp_path / "bad.json"
            bad.write_text(json.dumps(data))
            filingkit_gate(report="same.json", baseline=str(bad))
    """))
    return pytester


def test_the_entry_point_is_registered() -> None:
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="pytest11")}
    assert eps.get("filingkit") == "filingkit.run.pytest_plugin"


def test_fixture_passes_and_fails_with_the_gates_message(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines([
        "*test_gate?regressed.json?*",
        "*gate FAILED: 1 of 2 checks regressed*",
        "*- ORG f1 (strict): current 0.6000, baseline 0.8000: dropped 0.2000, more than the "
        "tolerated 0.0200; the 95% paired-bootstrap CI of the drop [[]0.2000, 0.2000] excludes 0",
    ])
    result.stdout.fnmatch_lines([
        "*filingkit gate: bad input: *field 'ORGG' is not scored*did you mean 'ORG'*",
    ])
    # pytrace=False: the message, not a traceback into the plugin
    assert "pytest_plugin.py" not in result.stdout.str()


def test_strict_option_fails_drops_within_noise(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "no:cacheprovider", "--filingkit-strict",
                               "-k", "noisy")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines(["*ORG f1 (strict)*dropped 0.0400*(strict: --strict)*"])
    lenient = project.runpytest("-p", "no:cacheprovider", "-k", "noisy")
    lenient.assert_outcomes(passed=1, deselected=3)


def test_check_gate_needs_one_source(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_args="""
        import pytest
        from filingkit.run.pytest_plugin import check_gate

        def test_neither():
            with pytest.raises(TypeError, match="exactly one"):
                check_gate(baseline="b.json")

        def test_no_baseline():
            with pytest.raises(TypeError, match="baseline"):
                check_gate(report={})
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_fixture_runs_an_extractor_object_on_gold(pytester: pytest.Pytester) -> None:
    """A user's own extractor object, run on a gold folder, evaluated and gated."""
    from filingkit.gold.store import bundled_gold_dir

    folders = sorted(p.parent for p in bundled_gold_dir().glob("*/gold.json"))[:6]
    if len(folders) < 3:
        pytest.skip("the bundled gold set is not there yet")
    for folder in folders:
        shutil.copytree(folder, pytester.path / "gold" / folder.name)
    pytester.makepyfile(test_user=textwrap.dedent("""
        import dataclasses
        import pytest
        from filingkit.cli import main
        from filingkit.extractors.registry import get_extractor

        class WithoutNames:
            '''The built-in rules extractor, minus the registrant name: a regression.'''
            def __init__(self, drop):
                self.inner = get_extractor("rules")
                self.name, self.version = "degraded", "0"
                self.fields = self.inner.fields
                self.drop = drop
            def extract(self, document):
                a = self.inner.extract(document)
                return dataclasses.replace(
                    a, facts=tuple(f for f in a.facts if f.field not in self.drop))

        @pytest.fixture(scope="module")
        def baseline(tmp_path_factory):
            path = tmp_path_factory.mktemp("b") / "baseline.json"
            report = tmp_path_factory.mktemp("r") / "report.json"
            assert main(["gate", "--extractor", "rules", "--gold", "gold", "--baseline",
                         "none.json"]) == 2  # no baseline yet: bad input, never a pass
            from filingkit.run.gate import evaluate_extractors
            from filingkit.jsonio import write_json_atomic
            write_json_atomic(report, evaluate_extractors(["rules"], "gold", n_resamples=0))
            assert main(["gate", "baseline", "update", "--report", str(report),
                         "--baseline", str(path)]) == 0
            return path

        def test_by_name(filingkit_gate, baseline):
            assert filingkit_gate("rules", baseline=baseline, gold="gold").passed

        def test_unchanged_object(filingkit_gate, baseline):
            filingkit_gate(WithoutNames(drop=()), baseline=baseline, gold="gold")

        def test_degraded_object(filingkit_gate, baseline):
            filingkit_gate(WithoutNames(drop=("dei:EntityRegistrantName",)),
                           baseline=baseline, gold="gold", strict=True)
    """))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*gate FAILED*", "*- dei:EntityRegistrantName f1 (strict): *"])
