"""pytest plugin: gate extraction scores inside a user's own test suite.

Installed with filingkit (entry point ``pytest11``: ``filingkit``), it adds

- the fixture ``filingkit_gate``: call it with an extractor (an object or its
  registered name) and a baseline file; it runs the extractor on a gold folder,
  evaluates, gates, and fails the test with the same message as
  ``filingkit gate`` when a metric regressed::

      def test_scores_hold(filingkit_gate):
          filingkit_gate("rules", baseline="tests/baseline.json", gold="tests/gold")

  ``report=`` (a report dict or JSON path) gates an existing report instead;
- ``check_gate(...)``: the same, as a plain function for use outside fixtures;
- the option ``--filingkit-strict``: judge drops without the noise check.

pytest imports this module in every session of an environment where
filingkit is installed, so it imports nothing heavy at module level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from filingkit.eval.gate import GateResult

STRICT_OPTION = "--filingkit-strict"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--filingkit-strict``."""
    group = parser.getgroup("filingkit", "filingkit score gate")
    group.addoption(
        STRICT_OPTION, action="store_true", default=False,
        help="filingkit_gate: fail every drop beyond its tolerance, without the noise check",
    )


def check_gate(
    extractor: object | None = None,
    baseline: str | Path = "",
    *,
    gold: str | Path | None = None,
    report: dict[str, Any] | str | Path | None = None,
    strict: bool = False,
    seed: int = 0,
    n_resamples: int | None = None,
    confidence: float | None = None,
    save_report: str | Path | None = None,
) -> GateResult:
    """Gate an extractor's scores on ``gold`` (or an existing ``report``) against ``baseline``.

    Fails the calling test through ``pytest.fail`` with the gate's failure
    message (each regressed metric, its values, floor or tolerance and CI),
    or with the bad-input reason (unknown field, missing file...): never a
    silent pass. Returns the ``GateResult`` when the gate passes.
    """
    from filingkit.errors import FilingkitError
    from filingkit.eval.baseline import load_baseline
    from filingkit.eval.ci_formats import failure_message
    from filingkit.eval.gate import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, gate
    from filingkit.jsonio import read_json, write_json_atomic
    from filingkit.run.gate import evaluate_extractors

    if (extractor is None) == (report is None):
        raise TypeError("check_gate needs exactly one of an extractor or a report")
    if not baseline:
        raise TypeError("check_gate needs a baseline file")
    try:
        report_path = ""
        if report is None:
            extractors = extractor if isinstance(extractor, list | tuple) else [extractor]
            data = evaluate_extractors(extractors, None if gold is None else str(gold), seed=seed)
            if save_report is not None:
                write_json_atomic(save_report, data)
                report_path = str(save_report)
        elif isinstance(report, dict):
            data = report
        else:
            report_path = str(report)
            data = read_json(report)
        result = gate(
            data, load_baseline(baseline), strict=strict,
            n_resamples=DEFAULT_RESAMPLES if n_resamples is None else n_resamples, seed=seed,
            confidence=DEFAULT_CONFIDENCE if confidence is None else confidence,
            report_path=report_path,
        )
    except FilingkitError as exc:
        hint = f"\nTIP: {exc.hint}" if exc.hint else ""
        pytest.fail(f"filingkit gate: bad input: {exc.message}{hint}", pytrace=False)
    if not result.passed:
        pytest.fail(failure_message(result), pytrace=False)
    return result


@dataclass(frozen=True, slots=True)
class GateFixture:
    """The ``filingkit_gate`` fixture's value: ``check_gate`` with the session's options."""

    strict: bool = False

    def __call__(self, extractor: object | None = None, baseline: str | Path = "",
                 **kwargs: Any) -> GateResult:
        """See ``check_gate``; ``strict`` defaults to ``--filingkit-strict``."""
        kwargs.setdefault("strict", self.strict)
        return check_gate(extractor, baseline, **kwargs)


@pytest.fixture
def filingkit_gate(request: pytest.FixtureRequest) -> GateFixture:
    """Run an extractor on gold, evaluate, gate against a baseline; fail the test on regression."""
    return GateFixture(strict=bool(request.config.getoption(STRICT_OPTION)))
