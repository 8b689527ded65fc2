"""``filingkit gate`` and ``filingkit gate baseline update`` through ``filingkit.cli.main``.

Exit codes: 0 pass, 1 regression (or a refused update), 2 bad input. The CI
outputs (table, JUnit XML, GitHub annotations, Markdown step summary, JSON)
are checked for the facts a reader needs: which metric fell, by how much,
against which floor or tolerance.
"""

from __future__ import annotations

import importlib.util
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from filingkit.cli import main
from filingkit.jsonio import read_json, write_json_atomic


def _load_support() -> ModuleType:
    path = Path(__file__).with_name("test_gate_support.py")
    spec = importlib.util.spec_from_file_location("filingkit_gate_test_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = _load_support()

PER_DOC = {"ORG": (8, 2, 2), "PERSON": (5, 1, 1), "dei:EntityRegistrantName": (1, 0, 0)}
N_DOCS = 20


def docs(org: tuple[int, int, int] = (8, 2, 2), n_bad: int = 0) -> dict[str, Any]:
    d = support.uniform_docs(N_DOCS, PER_DOC)
    for doc in sorted(d)[:n_bad]:
        d[doc]["ORG"] = org
    return d  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _no_ci_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run inside CI too: its variables must not leak into the outputs checked here."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """A baseline made from the reference report, and reports: same, noisy, regressed."""
    paths = {
        "base": tmp_path / "base.json",
        "same": tmp_path / "same.json",
        "noisy": tmp_path / "noisy.json",  # ORG wrong in one document of twenty
        "regressed": tmp_path / "regressed.json",  # ORG worse in every document
        "baseline": tmp_path / "baseline.json",
    }
    write_json_atomic(paths["base"], support.make_report(docs()))
    write_json_atomic(paths["same"], support.make_report(docs()))
    write_json_atomic(paths["noisy"], support.make_report(docs((0, 10, 10), 1)))
    write_json_atomic(paths["regressed"], support.make_report(docs((6, 4, 4), N_DOCS)))
    write_json_atomic(paths["baseline"], {
        "format": "filingkit-baseline", "version": 1,
        "rules": [{"select": "*", "metric": "f1", "max_drop": 0.02},
                  {"select": "micro", "metric": "f1", "floor": 0.5, "max_drop": 0.01}],
    })
    assert main(["gate", "baseline", "update", "--report", str(paths["base"]),
                 "--baseline", str(paths["baseline"])]) == 0
    capsys.readouterr()  # the tests read only their own output
    return paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout, stderr of ``filingkit ARGV`` (argparse's own errors exit 2 too)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("report", "extra", "code", "needle"),
    [
        pytest.param("same", [], 0, "gate passed: 4 checks", id="pass"),
        pytest.param("noisy", [], 0, "within noise", id="noise-passes"),
        pytest.param("noisy", ["--strict"], 1, "gate FAILED: 2 of 4", id="noise-fails-strict"),
        pytest.param("regressed", [], 1, "gate FAILED: 2 of 4", id="regression"),
    ],
)
def test_exit_codes(capsys: pytest.CaptureFixture[str], files: dict[str, Path], report: str,
                    extra: list[str], code: int, needle: str) -> None:
    got, out, _ = run(capsys, "gate", "--report", str(files[report]),
                      "--baseline", str(files["baseline"]), *extra)
    assert got == code
    assert needle in out


def test_regression_output_says_what_fell_by_how_much(capsys: pytest.CaptureFixture[str],
                                                       files: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "gate", "--report", str(files["regressed"]),
                       "--baseline", str(files["baseline"]))
    assert code == 1
    fail = [line for line in out.splitlines() if line.startswith("FAIL  ORG")]
    assert fail == ["FAIL  ORG f1 (strict): current 0.6000, baseline 0.8000: dropped 0.2000, "
                    "more than the tolerated 0.0200; the 95% paired-bootstrap CI of the drop "
                    "[0.2000, 0.2000] excludes 0"]
    assert any(line.startswith("FAIL  micro f1 (strict)") for line in out.splitlines())


def _bad_baseline(files: dict[str, Path], rules: list[dict[str, Any]]) -> Path:
    data = read_json(files["baseline"])
    data["rules"] = rules
    return write_json_atomic(files["baseline"].with_name("bad.json"), data)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        pytest.param(lambda f: ["--report", str(f["base"].with_name("missing.json")),
                                "--baseline", str(f["baseline"])], "no such file",
                     id="missing-report"),
        pytest.param(lambda f: ["--report", str(f["same"]),
                                "--baseline", str(f["base"].with_name("missing.json"))],
                     "no such baseline file", id="missing-baseline"),
        pytest.param(lambda f: ["--report", str(f["same"])], "--baseline is required",
                     id="no-baseline"),
        pytest.param(lambda f: ["--baseline", str(f["baseline"])], "give --report",
                     id="no-report"),
        pytest.param(lambda f: ["--report", str(f["same"]), "--gold", "g", "--baseline",
                                str(f["baseline"])], "go with --extractor", id="gold-with-report"),
        pytest.param(lambda f: ["--report", str(f["same"]), "--extractor", "rules",
                                "--baseline", str(f["baseline"])], "not allowed with",
                     id="report-and-extractor"),
        pytest.param(lambda f: ["--report", str(f["noisy"]), "--baseline", str(f["baseline"]),
                                "--confidence", "0"], "confidence must be in (0, 1)",
                     id="confidence-0"),
        pytest.param(lambda f: ["--report", str(f["noisy"]), "--baseline", str(f["baseline"]),
                                "--n-resamples", "0"], "n_resamples must be positive",
                     id="resamples-0"),
        pytest.param(lambda f: ["--report", str(f["baseline"]), "--baseline", str(f["baseline"])],
                     "not an evaluation report", id="baseline-as-report"),
        pytest.param(lambda f: ["--report", str(f["same"]), "--baseline", str(f["same"])],
                     "not a baseline", id="report-as-baseline"),
        pytest.param(lambda f: ["--report", str(f["same"]), "--baseline",
                                str(_bad_baseline(f, [{"select": "ORGG", "metric": "f1",
                                                       "floor": 0.1}]))],
                     "did you mean 'ORG'", id="unknown-field"),
        pytest.param(lambda f: ["--report", str(f["same"]), "--baseline",
                                str(_bad_baseline(f, [{"select": "xbrl:*", "metric": "f1",
                                                       "floor": 0.1}]))],
                     "pattern 'xbrl:*' matches no field", id="empty-pattern"),
        pytest.param(lambda f: ["--report", str(f["same"]), "--baseline",
                                str(_bad_baseline(f, [{"select": "ORG", "metric": "recall",
                                                       "max_drop": 0.1}]))],
                     "no baseline value for recall of 'ORG'", id="no-baseline-value"),
    ],
)
def test_bad_input_exits_2_and_names_the_problem(capsys: pytest.CaptureFixture[str],
                                                 files: dict[str, Path], argv: Any,
                                                 needle: str) -> None:
    code, _, err = run(capsys, "gate", *argv(files))
    assert code == 2
    assert err.startswith("ERROR: ") or "filingkit gate: error:" in err  # ours, or argparse's
    assert needle in err


def test_a_metric_absent_from_the_report_is_bad_input(capsys: pytest.CaptureFixture[str],
                                                      files: dict[str, Path]) -> None:
    data = read_json(files["same"])
    del data["fields"]["ORG"]["f1"]
    write_json_atomic(files["same"], data)
    code, _, err = run(capsys, "gate", "--report", str(files["same"]),
                       "--baseline", str(files["baseline"]))
    assert code == 2
    assert "metric 'f1' of 'ORG' under scheme 'strict' is absent from the report" in err


def test_ci_outputs(capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    junit, md, js = tmp_path / "gate.xml", tmp_path / "gate.md", tmp_path / "gate.json"
    code, out, _ = run(capsys, "gate", "--report", str(files["regressed"]),
                       "--baseline", str(files["baseline"]), "--junit", str(junit),
                       "--markdown", str(md), "--json", str(js))
    assert code == 1

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "ORG f1 (strict)", "PERSON f1 (strict)", "dei:EntityRegistrantName f1 (strict)",
        "micro f1 (strict)"]
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failed) == {"ORG f1 (strict)", "micro f1 (strict)"}
    assert suite.get("failures") == "2" and suite.get("tests") == "4"
    org_failure = failed["ORG f1 (strict)"]
    assert org_failure is not None and "dropped 0.2000" in (org_failure.get("message") or "")

    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations[0].startswith(
        f"::error file={files['baseline']},title=filingkit gate%3A ORG f1 (strict)::")
    assert "95%25 paired-bootstrap" in annotations[0]  # '%' escaped for workflow commands
    assert annotations[-1].startswith("::error title=filingkit gate::gate FAILED")

    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## ❌ filingkit gate")  # appended, not replaced
    assert md.read_text(encoding="utf-8") == text[len("earlier step\n"):]
    assert "| FAIL | ORG | f1 | strict | 0.8000 | 0.6000 | +0.2000 | 0.0200 |" in text

    result = json.loads(js.read_text(encoding="utf-8"))
    assert result["format"] == "filingkit-gate" and result["passed"] is False
    assert [c["target"] for c in result["checks"] if not c["passed"]] == ["ORG", "micro"]


def test_no_annotations_outside_github(capsys: pytest.CaptureFixture[str],
                                       files: dict[str, Path]) -> None:
    _, out, _ = run(capsys, "gate", "--report", str(files["regressed"]),
                    "--baseline", str(files["baseline"]))
    assert "::error" not in out
    _, out, _ = run(capsys, "gate", "--report", str(files["regressed"]),
                    "--baseline", str(files["baseline"]), "--github")
    assert "::error" in out


# -------------------------------------------------------------- baseline update


def test_update_creates_a_baseline_with_default_rules(capsys: pytest.CaptureFixture[str],
                                                      files: dict[str, Path],
                                                      tmp_path: Path) -> None:
    new = tmp_path / "ci" / "new.json"
    code, out, _ = run(capsys, "gate", "baseline", "update", "--report", str(files["base"]),
                       "--baseline", str(new), "--max-drop", "0.05")
    assert code == 0
    assert out.startswith(f"new baseline {new} with 2 rule(s)\n+ strict ORG f1: 0.8000\n")
    data = read_json(new)
    assert data["format"] == "filingkit-baseline" and data["version"] == 1
    assert data["rules"][0] == {"select": "*", "metric": "f1", "scheme": "strict",
                                "max_drop": 0.05, "direction": "higher"}
    assert data["documents"]["doc000"]["fields"]["ORG"] == {"tp": 8, "fp": 2, "fn": 2}
    assert run(capsys, "gate", "--report", str(files["base"]), "--baseline", str(new))[0] == 0


def test_update_refuses_to_lower_unless_asked(capsys: pytest.CaptureFixture[str],
                                              files: dict[str, Path]) -> None:
    before = files["baseline"].read_bytes()
    argv = ["gate", "baseline", "update", "--report", str(files["regressed"]),
            "--baseline", str(files["baseline"])]
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert "~ strict ORG f1: 0.8000 -> 0.6000 (-0.2000, LOWER)" in out
    assert "REFUSED: 2 recorded value(s) would get worse" in err
    assert files["baseline"].read_bytes() == before

    code, out, _ = run(capsys, *argv, "--allow-lower", "--dry-run")
    assert code == 0 and "dry run: nothing written" in out
    assert files["baseline"].read_bytes() == before

    code, out, _ = run(capsys, *argv, "--allow-lower")
    assert code == 0 and "2 lowered (--allow-lower)" in out
    assert read_json(files["baseline"])["values"]["strict"]["ORG"]["f1"] == pytest.approx(0.6)
    assert run(capsys, "gate", "--report", str(files["regressed"]),
               "--baseline", str(files["baseline"]))[0] == 0


def test_update_raises_the_baseline_and_keeps_rules(capsys: pytest.CaptureFixture[str],
                                                    files: dict[str, Path],
                                                    tmp_path: Path) -> None:
    better = tmp_path / "better.json"
    write_json_atomic(better, support.make_report(docs((10, 0, 0), N_DOCS)))
    rules = read_json(files["baseline"])["rules"]
    code, out, _ = run(capsys, "gate", "baseline", "update", "--report", str(better),
                       "--baseline", str(files["baseline"]))
    assert code == 0 and "~ strict ORG f1: 0.8000 -> 1.0000 (+0.2000)" in out
    assert read_json(files["baseline"])["rules"] == rules
    # The old, worse report now fails against the raised baseline.
    assert run(capsys, "gate", "--report", str(files["base"]),
               "--baseline", str(files["baseline"]))[0] == 1


def test_update_without_documents_makes_the_gate_strict(capsys: pytest.CaptureFixture[str],
                                                        files: dict[str, Path]) -> None:
    assert run(capsys, "gate", "baseline", "update", "--report", str(files["base"]),
               "--baseline", str(files["baseline"]), "--no-documents")[0] == 0
    assert "documents" not in read_json(files["baseline"])
    code, out, _ = run(capsys, "gate", "--report", str(files["noisy"]),
                       "--baseline", str(files["baseline"]))
    assert code == 1
    assert "note: noise check off: the baseline has no per-document counts" in out


def test_gate_without_subcommand_or_args_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "gate", "baseline")[0] == 2
