"""Property tests: mutated real predictions lines give a report or a FilingkitError, never
anything else, and the CLI never prints a traceback for them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filingkit.errors import FilingkitError
from filingkit.eval.stream import evaluate_paths
from filingkit.gold.store import bundled_gold_dir, load_gold_file
from filingkit.serialize import write_predictions

GOLD = bundled_gold_dir()
DOC_IDS = sorted(p.parent.name for p in GOLD.glob("*/gold.json"))[:3]


def _real_lines(tmp: Path) -> bytes:
    """Predictions lines made from three bundled gold filings' own annotations."""
    docs = [load_gold_file(GOLD / d / "gold.json") for d in DOC_IDS]
    path = tmp / "real.jsonl"
    write_predictions(path, [g.gold.annotations for g in docs])
    return path.read_bytes()


MUTATION = st.tuples(st.sampled_from(["delete", "insert", "replace", "truncate", "dup"]),
                     st.floats(0, 1), st.binary(min_size=1, max_size=4))


def _mutate(data: bytes, op: str, where: float, junk: bytes) -> bytes:
    i = int(where * (len(data) - 1))
    if op == "delete":
        return data[:i] + data[i + len(junk):]
    if op == "insert":
        return data[:i] + junk + data[i:]
    if op == "replace":
        return data[:i] + junk + data[i + len(junk):]
    if op == "truncate":
        return data[:i]
    line = data.split(b"\n")[0]
    return data + line + b"\n"


def _gold(tmp: Path) -> Path:
    """A gold folder of the three filings (symlinked, nothing copied)."""
    root = tmp / "gold"
    if not root.exists():
        root.mkdir()
        for d in DOC_IDS:
            (root / d).symlink_to(GOLD / d)
    return root


@settings(max_examples=2000, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_library_raises_only_filingkit_errors(tmp_path: Path, mutations: list[Any]) -> None:
    data = _real_lines(tmp_path) if not (tmp_path / "real.jsonl").exists() else \
        (tmp_path / "real.jsonl").read_bytes()
    for op, where, junk in mutations:
        data = _mutate(data, op, where, junk)
    pred = tmp_path / "mutated.jsonl"
    pred.write_bytes(data)
    try:
        evaluate_paths(_gold(tmp_path), pred, n_resamples=0, ignore_unknown_documents=True)
    except FilingkitError as exc:
        assert str(pred) in exc.message


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_cli_never_prints_a_traceback(tmp_path: Path, mutations: list[Any]) -> None:
    data = _real_lines(tmp_path)
    for op, where, junk in mutations:
        data = _mutate(data, op, where, junk)
    pred = tmp_path / "mutated.jsonl"
    pred.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "filingkit.cli", "eval", "--gold",
                           str(_gold(tmp_path)), "--pred", str(pred), "--n-resamples", "0",
                           "--ignore-unknown-docs"], capture_output=True, text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 2), proc.stderr
    if proc.returncode == 2:
        assert str(pred) in proc.stderr


def test_the_unmutated_lines_score(tmp_path: Path) -> None:
    pred = tmp_path / "p.jsonl"
    pred.write_bytes(_real_lines(tmp_path))
    r = evaluate_paths(_gold(tmp_path), pred, n_resamples=0)
    assert r.micro.f1 == 1.0 and r.n_documents == 3
