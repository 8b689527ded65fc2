"""The gate end to end: a built-in extractor on real gold, the evaluator, the gate.

A baseline is recorded from the extractor's report; a deliberately degraded
copy of its predictions (one field dropped) must then fail the gate with exit
code 1, naming the field, while the original predictions pass. Everything goes
through ``filingkit.cli.main``: ``eval`` writes the reports, ``gate`` reads them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.jsonio import read_json
from filingkit.records import Annotations

EXTRACTOR = "rules"
N_GOLD = 12  # enough documents for the noise check, few enough to keep the test fast


@pytest.fixture(scope="module")
def gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the first bundled gold filings (the bundled folder is never written)."""
    from filingkit.gold.store import bundled_gold_dir

    src = bundled_gold_dir()
    folders = sorted(p.parent for p in src.glob("*/gold.json"))[:N_GOLD]
    if len(folders) < 5:
        pytest.skip("the bundled gold set is not there yet")
    root = tmp_path_factory.mktemp("gold")
    for folder in folders:
        shutil.copytree(folder, root / folder.name)
    return root


@pytest.fixture(scope="module")
def predictions(gold: Path) -> tuple[list[Annotations], tuple[str, ...]]:
    """The extractor's predictions on the gold copy, and the fields it declares."""
    from filingkit.extractors.base import extract_all
    from filingkit.extractors.registry import get_extractor
    from filingkit.gold.store import load_gold_dir

    extractor = get_extractor(EXTRACTOR)
    docs = [g.document for g in load_gold_dir(gold)]
    return extract_all(extractor, docs), tuple(extractor.fields)


def _evaluate(gold: Path, preds: list[Annotations], fields: tuple[str, ...],
              out: Path) -> Path:
    from filingkit.serialize import write_predictions

    jsonl = write_predictions(out.with_suffix(".jsonl"), preds)
    code = main(["eval", "--gold", str(gold), "--pred", str(jsonl), "--fields", ",".join(fields),
                 "--n-resamples", "0", "--format", "json", "-o", str(out)])
    assert code == 0
    return out


def _most_found_field(report: dict[str, object]) -> str:
    """The field with true positives in the most documents: dropping it is a sure regression."""
    docs = report["documents"]
    assert isinstance(docs, dict)
    hits: dict[str, int] = {}
    for entry in docs.values():
        for name, c in entry["fields"].items():
            hits[name] = hits.get(name, 0) + (c["tp"] > 0)
    return max(sorted(hits), key=lambda f: hits[f])


def test_a_degraded_extractor_fails_the_gate(gold: Path, predictions: tuple[list[Annotations],
                                                                            tuple[str, ...]],
                                             tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    preds, fields = predictions
    base = _evaluate(gold, preds, fields, tmp_path / "base.json")
    baseline = tmp_path / "baseline.json"
    assert main(["gate", "baseline", "update", "--report", str(base),
                 "--baseline", str(baseline)]) == 0
    assert main(["gate", "--report", str(base), "--baseline", str(baseline)]) == 0

    dropped = _most_found_field(read_json(base))
    degraded = [
        Annotations(p.doc_id, tuple(e for e in p.entities if e.label != dropped),
                    tuple(f for f in p.facts if f.field != dropped))
        for p in preds
    ]
    worse = _evaluate(gold, degraded, fields, tmp_path / "worse.json")
    capsys.readouterr()
    code = main(["gate", "--report", str(worse), "--baseline", str(baseline)])
    out = capsys.readouterr().out
    assert code == 1
    failing = [line for line in out.splitlines() if line.startswith("FAIL  ")]
    assert any(line.startswith(f"FAIL  {dropped} f1 (strict): ") and "excludes 0" in line
               for line in failing), out
    assert "gate FAILED" in out


def test_gate_runs_the_extractor_itself(gold: Path, tmp_path: Path,
                                        predictions: tuple[list[Annotations], tuple[str, ...]],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """``--extractor`` records and gates without separate extract and eval steps."""
    baseline = tmp_path / "baseline.json"
    assert main(["gate", "baseline", "update", "--extractor", EXTRACTOR, "--gold", str(gold),
                 "--baseline", str(baseline)]) == 0
    assert read_json(baseline)["source"]["system"] == EXTRACTOR
    saved = tmp_path / "saved.json"
    code = main(["gate", "--extractor", EXTRACTOR, "--gold", str(gold), "--baseline",
                 str(baseline), "--save-report", str(saved)])
    assert code == 0, capsys.readouterr().out
    # The same scores as the separate extract + eval steps give.
    preds, fields = predictions
    base = _evaluate(gold, preds, fields, tmp_path / "base.json")
    assert main(["gate", "--report", str(base), "--baseline", str(baseline), "--strict"]) == 0
    saved_micro, base_micro = read_json(saved)["micro"], read_json(base)["micro"]
    assert {k: saved_micro[k] for k in ("tp", "fp", "fn", "f1")} == {
        k: base_micro[k] for k in ("tp", "fp", "fn", "f1")}


def test_unknown_extractor_is_bad_input(gold: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text('{"format": "filingkit-baseline", "version": 1, "rules": '
                        '[{"select": "micro", "metric": "f1", "floor": 0.1}]}', encoding="utf-8")
    code = main(["gate", "--extractor", "rulez", "--gold", str(gold),
                 "--baseline", str(baseline)])
    assert code == 2
    assert "did you mean 'rules'" in capsys.readouterr().err
