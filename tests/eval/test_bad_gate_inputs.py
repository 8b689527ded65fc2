"""The battery of malformed baselines and reports given to ``filingkit gate``.

The starting points are real: an evaluation report of the regex extractor on
twelve bundled gold filings, and the baseline ``gate baseline update`` writes
from it. Each case breaks one of them in one place and runs the gate through
``filingkit.cli.main``: exit 2 (bad input, never 1, which means a regression),
one ``ERROR:`` naming the file and the place (rule, key or field).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main
from filingkit.eval import evaluate
from filingkit.extractors.regex import RegexExtractor
from filingkit.gold.store import load_gold_dir

from ..mutations import set_path

Change = Callable[[dict[str, Any]], Any]
Content = Change | bytes


def real_report() -> dict[str, Any]:
    """The regex extractor scored on the first twelve bundled gold filings."""
    gold = load_gold_dir()[:12]
    extractor = RegexExtractor()
    preds = [extractor.extract(g.document) for g in gold]
    data: dict[str, Any] = evaluate(gold, preds, fields=tuple(extractor.fields),
                                    n_resamples=20).to_dict()
    return data


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    work = tmp_path_factory.mktemp("gate-inputs")
    report = real_report()
    (work / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert main(["gate", "baseline", "update", "--report", str(work / "report.json"),
                 "--baseline", str(work / "baseline.json")]) == 0
    baseline = json.loads((work / "baseline.json").read_text(encoding="utf-8"))
    return report, baseline


def _set(*path: Any, value: Any) -> Change:
    return lambda obj: set_path(obj, path, value)


def _pop(key: str) -> Change:
    return lambda obj: obj.pop(key)


def _first_doc(change: Callable[[dict[str, Any]], None]) -> Change:
    return lambda obj: change(next(iter(obj["documents"].values()))["fields"])


def _first_value(value: Any) -> Change:
    def change(obj: dict[str, Any]) -> None:
        scheme = next(iter(obj["values"].values()))
        next(iter(scheme.values()))["f1"] = value
    return change


BASELINE_CASES = [
    pytest.param(b"", "invalid JSON", id="empty-file"),
    pytest.param(b'{"format": "filingkit-baseline", "rules": [', "line 1", id="truncated"),
    pytest.param(b'{"format": "filingkit-baseline\xff"}', "not UTF-8", id="not-utf8"),
    pytest.param(b"[]", "JSON object", id="a-list"),
    pytest.param(_set("format", value="filingkit-report"), "format", id="wrong-format"),
    pytest.param(_set("version", value=2), "version", id="future-version"),
    pytest.param(_set("colour", value="red"), "colour", id="unknown-key"),
    pytest.param(_set("rules", value=[]), "rules", id="no-rules"),
    pytest.param(_set("rules", 0, value="f1"), "rules[0]", id="rule-not-object"),
    pytest.param(_set("rules", 0, "metrc", value="f1"), "rules[0]", id="rule-unknown-key"),
    pytest.param(_set("rules", 0, "metric", value="accuracy"), "rules[0]", id="unknown-metric"),
    pytest.param(_set("rules", 0, "select", value=3), "rules[0]", id="select-int"),
    pytest.param(_set("rules", 0, "select", value=[]), "rules[0]", id="select-empty"),
    pytest.param(_set("rules", 0, "floor", value=1.5), "rules[0]", id="floor-above-one"),
    pytest.param(_set("rules", 0, "floor", value="0.5"), "rules[0]", id="floor-string"),
    pytest.param(_set("rules", 0, "max_drop", value=-0.1), "rules[0]", id="max-drop-negative"),
    pytest.param(_set("rules", 0, "max_drop", value=math.nan), "rules[0]", id="max-drop-nan"),
    pytest.param(lambda b: b["rules"][0].pop("max_drop"), "rules[0]", id="no-floor-no-drop"),
    pytest.param(_set("rules", 0, "direction", value="lower"), "rules[0]", id="wrong-direction"),
    pytest.param(_set("rules", 0, "select", value="ORGX"), "ORGX", id="field-not-in-report"),
    pytest.param(_set("values", value=[]), "values", id="values-not-object"),
    pytest.param(_first_value("0.5"), "values.", id="value-string"),
    pytest.param(_first_value(math.inf), "values.", id="value-infinite"),
    pytest.param(_set("documents", value=[1]), "documents", id="documents-not-object"),
    pytest.param(_first_doc(lambda f: next(iter(f.values())).update(tp=-1)), "documents.",
                 id="count-negative"),
    pytest.param(_first_doc(lambda f: next(iter(f.values())).pop("fn")), "documents.",
                 id="count-missing"),
    pytest.param(lambda b: b["source"].pop("scheme"), "source.scheme", id="documents-without-scheme"),
    pytest.param(_set("source", value="ci"), "source", id="source-not-object"),
    pytest.param(_set("baseline_report", value="nope.json"), "baseline_report", id="report-and-values"),
    pytest.param(lambda b: (b.pop("values"), b.pop("documents"), b.update(baseline_report=7)),
                 "baseline_report", id="baseline-report-not-a-path"),
    pytest.param(lambda b: (b.pop("values"), b.pop("documents"),
                            b.update(baseline_report="missing-report.json")),
                 "missing-report.json", id="baseline-report-missing"),
]

REPORT_CASES = [
    pytest.param(b"", "invalid JSON", id="empty-file"),
    pytest.param(b'{"format": "filingkit-report", "fields": {', "line 1", id="truncated"),
    pytest.param(b'{"format": "filingkit-rep\xc3rt"}', "not UTF-8", id="not-utf8"),
    pytest.param(b"[" * 50_000, "nested too deeply", id="deep-nesting"),
    pytest.param(b"[1]", "JSON object", id="a-list"),
    pytest.param(_set("format", value="filingkit-bench-summary"), "format", id="wrong-format"),
    pytest.param(_set("version", value="1"), "version", id="version-string"),
    pytest.param(_pop("fields"), "fields", id="no-fields"),
    pytest.param(_set("fields", value=[]), "fields", id="fields-not-object"),
    pytest.param(_set("scheme", value=1), "scheme", id="scheme-int"),
    pytest.param(_set("groups", value=["cover"]), "groups", id="groups-not-object"),
    pytest.param(_set("micro", value=0.5), "micro", id="micro-not-object"),
    pytest.param(_set("schemes", value=[]), "schemes", id="schemes-not-object"),
    pytest.param(_set("schemes", "exact", value=[]), "schemes.exact", id="scheme-block-not-object"),
    pytest.param(_set("schemes", "exact", "labels", value=[]), "schemes.exact.labels",
                 id="labels-not-object"),
    pytest.param(_set("documents", value=[]), "documents", id="documents-not-object"),
    pytest.param(_first_doc(lambda f: next(iter(f.values())).update(fp="1")), "documents.",
                 id="count-string"),
    # the gate refuses it; an update records it as no longer gated (a deliberate change)
    pytest.param(lambda r: r["fields"].pop("DATE"), "DATE", id="gated-field-missing",
                 marks=pytest.mark.update_accepts),
    pytest.param(_set("fields", "DATE", "f1", value="0.9"), "DATE", id="gated-metric-string"),
    pytest.param(_pop("micro"), "micro", id="gated-aggregate-missing"),
]


def _write(path: Path, original: dict[str, Any], content: Content) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        obj = json.loads(json.dumps(original))
        content(obj)
        path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def _gate(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return rc, err


@pytest.mark.parametrize(("content", "where"), BASELINE_CASES)
def test_broken_baselines_are_bad_input_and_named(
        tmp_path: Path, originals: tuple[dict[str, Any], dict[str, Any]], content: Content,
        where: str, capsys: pytest.CaptureFixture[str]) -> None:
    report, baseline = originals
    rpath = _write(tmp_path / "report.json", report, lambda r: None)
    bpath = _write(tmp_path / "baseline.json", baseline, content)
    rc, err = _gate(["gate", "--report", str(rpath), "--baseline", str(bpath)], capsys)
    assert rc == 2, err
    assert err.startswith("ERROR: ") and str(tmp_path) in err and where in err, err


@pytest.mark.parametrize(("content", "where"), REPORT_CASES)
@pytest.mark.parametrize("command", ["gate", "update"])
def test_broken_reports_are_bad_input_and_named(
        tmp_path: Path, originals: tuple[dict[str, Any], dict[str, Any]], content: Content,
        where: str, command: str, capsys: pytest.CaptureFixture[str],
        request: pytest.FixtureRequest) -> None:
    report, baseline = originals
    rpath = _write(tmp_path / "report.json", report, content)
    bpath = _write(tmp_path / "baseline.json", baseline, lambda b: None)
    argv = (["gate", "--report", str(rpath), "--baseline", str(bpath)] if command == "gate"
            else ["gate", "baseline", "update", "--report", str(rpath), "--baseline", str(bpath),
                  "--dry-run"])
    before = bpath.read_bytes()
    rc, err = _gate(argv, capsys)
    if command == "update" and request.node.get_closest_marker("update_accepts"):
        assert rc == 0 and bpath.read_bytes() == before, err  # --dry-run
        return
    assert rc == 2, err
    assert err.startswith("ERROR: ") and where in err, err
    assert str(rpath) in err or str(bpath) in err, err
    assert bpath.read_bytes() == before


def test_the_unbroken_inputs_pass(tmp_path: Path, originals: tuple[dict[str, Any], dict[str, Any]],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The battery's starting points are good: each case fails for its own edit."""
    report, baseline = originals
    rpath = _write(tmp_path / "report.json", report, lambda r: None)
    bpath = _write(tmp_path / "baseline.json", baseline, lambda b: None)
    assert _gate(["gate", "--report", str(rpath), "--baseline", str(bpath)], capsys)[0] == 0


@pytest.mark.parametrize("which", ["report", "baseline"])
@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_paths_that_are_not_files_are_named(tmp_path: Path, which: str, kind: str,
                                            originals: tuple[dict[str, Any], dict[str, Any]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    report, baseline = originals
    paths = {"report": tmp_path / "report.json", "baseline": tmp_path / "baseline.json"}
    _write(paths["report"], report, lambda r: None)
    _write(paths["baseline"], baseline, lambda b: None)
    paths[which].unlink()
    if kind == "folder":
        paths[which].mkdir()
    rc, err = _gate(["gate", "--report", str(paths["report"]), "--baseline",
                     str(paths["baseline"])], capsys)
    assert rc == 2 and err.startswith(f"ERROR: {paths[which]}"), err
