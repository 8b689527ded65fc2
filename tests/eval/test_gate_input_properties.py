"""Property tests: mutated real baselines and reports give ``FilingkitError`` or a verdict, never a crash.

The report is a real evaluation (regex extractor on twelve bundled gold
filings) and the baselines are the one ``update_baseline`` makes from it and
the committed CI baseline ``.ci/baseline-regex.json``. Each example edits one
to three places (``tests/mutations.py``); parsing and gating must either work
or raise the project's error, and the CLI must keep to exit 0/1/2 without a
traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filingkit.eval.baseline import Baseline, parse_baseline, update_baseline
from filingkit.eval.gate import gate

from ..mutations import byte_mutations, fuzz, json_mutations, only_project_errors, run_cli
from .test_bad_gate_inputs import real_report

REPO = Path(__file__).resolve().parents[2]
REPORT = real_report()
BASELINE: Baseline = update_baseline(REPORT, None, created_by="tests").baseline
BASELINES = {"made": BASELINE.to_dict(),
             "ci": json.loads((REPO / ".ci" / "baseline-regex.json").read_text(encoding="utf-8"))}


@fuzz(400)
@given(data=st.data(), which=st.sampled_from(sorted(BASELINES)))
def test_mutated_baselines_parse_and_gate_or_give_named_errors(data: st.DataObject,
                                                               which: str) -> None:
    raw: Any = data.draw(json_mutations(BASELINES[which]))
    parsed = only_project_errors(lambda: parse_baseline(raw, file="baseline.json"))
    if isinstance(parsed, Baseline):
        only_project_errors(lambda: gate(REPORT, parsed, n_resamples=20))


@fuzz(400)
@given(data=st.data())
def test_mutated_reports_gate_or_give_named_errors(data: st.DataObject) -> None:
    raw: Any = data.draw(json_mutations(REPORT))
    only_project_errors(lambda: gate(raw, BASELINE, n_resamples=20))
    only_project_errors(lambda: update_baseline(raw, BASELINE, created_by="tests"))


@fuzz(60)
@given(data=st.data(), which=st.sampled_from(["report", "baseline"]), as_bytes=st.booleans())
def test_gate_cli_never_shows_a_traceback(tmp_path_factory: pytest.TempPathFactory,
                                         data: st.DataObject, which: str, as_bytes: bool,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path_factory.mktemp("gate-fuzz")
    original = REPORT if which == "report" else BASELINES["made"]
    files = {"report": work / "report.json", "baseline": work / "baseline.json"}
    files["report"].write_text(json.dumps(REPORT), encoding="utf-8")
    files["baseline"].write_text(json.dumps(BASELINES["made"]), encoding="utf-8")
    if as_bytes:
        files[which].write_bytes(data.draw(byte_mutations(files[which].read_bytes())))
    else:
        files[which].write_text(json.dumps(data.draw(json_mutations(original))), encoding="utf-8")
    run_cli(["gate", "--report", str(files["report"]), "--baseline", str(files["baseline"]),
             "--n-resamples", "20"], capsys)
