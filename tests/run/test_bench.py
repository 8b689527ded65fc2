"""``filingkit bench``: scores side by side, cross-validated ml, throughput, JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.extractors.errors import ExtractorError
from filingkit.gold.store import bundled_gold_dir, iter_gold_files
from filingkit.run.bench import (
    BENCH_FORMAT,
    MISSING,
    render_markdown,
    run_bench,
    table_rows,
)


@pytest.fixture(scope="module")
def bench_report(tmp_path_factory: pytest.TempPathFactory,
                 gold_dir_builder: Callable[..., Path]) -> object:
    root = gold_dir_builder(tmp_path_factory.mktemp("bench") / "gold")
    return run_bench(["regex", "ml"], gold_dir=root, cv=3, n_resamples=50)


def test_report_shape(bench_report: object) -> None:
    from filingkit.run.bench import BenchReport

    assert isinstance(bench_report, BenchReport)
    data = bench_report.to_dict()
    assert data["format"] == BENCH_FORMAT and data["version"] == 1
    assert data["n_documents"] == 6
    assert set(data["extractors"]) == {"regex", "ml"}
    regex, ml = data["extractors"]["regex"], data["extractors"]["ml"]
    assert regex["mode"] == "direct" and regex["cv_k"] is None
    assert ml["mode"] == "cv" and ml["cv_k"] == 3 and ml["fit_seconds"] > 0
    for run in (regex, ml):
        assert run["report"]["format"] == "filingkit-report"
        # scored only on the fields the extractor declares
        assert set(run["report"]["fields"]) <= set(run["fields"])
        thr = run["throughput"]
        assert thr["excluding_ingestion"]["docs_per_s"] > 0
        assert thr["including_ingestion"]["docs_per_s"] > 0  # source/ files were ingested
        assert thr["including_ingestion"]["docs_per_s"] <= thr["excluding_ingestion"]["docs_per_s"]
        assert run["peak_memory_mb"] >= 0
    json.dumps(data)  # serializable as is


def test_regex_is_exact_on_the_corpus(bench_report: object) -> None:
    """The corpus gold was written by hand; the regex finds every shape-defined entity."""
    runs = {r.name: r for r in bench_report.runs}  # type: ignore[attr-defined]
    for label in ("DATE", "MONEY", "PHONE", "EMAIL", "URL", "TICKER",
                  "dei:EntityFileNumber", "dei:LocalPhoneNumber"):
        m = runs["regex"].field_metrics(label)
        assert m is not None and m["f1"] == 1.0, (label, m)


def test_undeclared_fields_show_a_dash(bench_report: object) -> None:
    header, rows = table_rows(bench_report)  # type: ignore[arg-type]
    by_field = {r[0]: r for r in rows}
    col = {h.split(" ")[0]: i for i, h in enumerate(header)}
    assert by_field["ORG"][col["regex"]] == MISSING  # regex does not declare ORG
    assert by_field["dei:EntityFileNumber"][col["ml"]] == MISSING
    assert by_field["DATE"][col["regex"]].endswith("*")  # the best F1 is marked
    md = render_markdown(bench_report)  # type: ignore[arg-type]
    assert "| ORG |" in md and MISSING in md


def test_best_marks_ties(bench_report: object) -> None:
    best = bench_report.best()  # type: ignore[attr-defined]
    assert "regex" in best["DATE"]
    assert best["dei:EntityFileNumber"] == ["regex"]


def test_ml_needs_two_documents_in_scope(tmp_path: Path,
                                         gold_dir_builder: Callable[..., Path]) -> None:
    root = gold_dir_builder(tmp_path / "gold", 1)
    with pytest.raises(ExtractorError, match="at least 2 gold documents"):
        run_bench(["ml"], gold_dir=root, n_resamples=10)
    # in the default set it is skipped with the reason, and the others still run
    report = run_bench(None, gold_dir=root, n_resamples=10)
    assert "ml" in report.skipped and {r.name for r in report.runs} >= {"regex"}


def test_cv_is_capped_by_the_number_of_documents(tmp_path: Path,
                                                gold_dir_builder: Callable[..., Path]) -> None:
    root = gold_dir_builder(tmp_path / "gold", 2, with_source=False)
    report = run_bench(["ml"], gold_dir=root, cv=5, n_resamples=10)
    (run,) = report.runs
    assert run.k == 2
    assert run.throughput.to_dict()["including_ingestion"] is None  # no source/ files


def test_bad_cv(tmp_path: Path, gold_dir_builder: Callable[..., Path]) -> None:
    with pytest.raises(ExtractorError, match="--cv"):
        run_bench(["regex"], gold_dir=gold_dir_builder(tmp_path / "g", 1), cv=1)


def test_cli_bench_formats(tmp_path: Path, gold_dir_builder: Callable[..., Path],
                           capsys: pytest.CaptureFixture[str]) -> None:
    root = gold_dir_builder(tmp_path / "gold", 3)
    out = tmp_path / "bench.json"
    assert main(["bench", "--extractors", "regex,ml", "--gold", str(root), "--cv", "3",
                 "--resamples", "20", "--json", str(out), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("Gold:") and "| DATE |" in md
    data = json.loads(out.read_text())
    assert data["format"] == BENCH_FORMAT and set(data["extractors"]) == {"regex", "ml"}
    assert main(["bench", "--extractors", "regex", "--gold", str(root), "--resamples", "20",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["extractors"]["regex"]["n_documents"] == 3
    assert main(["bench", "--extractors", "regex", "--gold", str(root), "--resamples",
                 "20"]) == 0
    table = capsys.readouterr().out
    assert "DATE" in table and "…" not in table  # nothing truncated


def test_cli_bench_unknown_extractor(tmp_path: Path, gold_dir_builder: Callable[..., Path],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = gold_dir_builder(tmp_path / "gold", 1)
    assert main(["bench", "--extractors", "regx", "--gold", str(root)]) == 2
    assert "did you mean 'regex'" in capsys.readouterr().err


def _bundled_has_entities() -> bool:
    try:
        files = list(iter_gold_files(bundled_gold_dir()))
    except Exception:
        return False
    return sum('"entities"' in p.read_text(encoding="utf-8")[:2000] for p in files) >= 2


@pytest.mark.slow
def test_bench_on_the_bundled_gold(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's first command: no arguments, the bundled gold, a clean table."""
    assert main(["bench", "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "regex" in out and "ml" in out and "micro" in out and "…" not in out
