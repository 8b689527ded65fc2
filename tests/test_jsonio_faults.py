"""Faults: a writer killed with SIGKILL leaves the previous complete file; concurrent writers never
interleave; of two "create only" writers exactly one wins.

Real processes (``tests/fault_writer.py``) write real outputs through the
library functions the commands use: a report (``write_text_atomic``), a
baseline (``write_json_atomic``) and a gold filing (``save_gold``). The
outputs are megabytes and, for the kill test, the writer's fsync is slowed
(30 ms, a busy disk), so most kills land between the temporary file and the
rename; the test fails if none did.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HELPER = Path(__file__).with_name("fault_writer.py")
sys.path.insert(0, str(HELPER.parent))
from fault_writer import expected  # noqa: E402

KILLS = 12  # enough tries that at least one kill lands inside a write on a busy machine


def _start(*args: str, slow_disk: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, **({"FAULT_SLOW_DISK": "1"} if slow_disk else {})}
    return subprocess.Popen([sys.executable, str(HELPER), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _output(kind: str, target: Path) -> Path:
    return target / "doc1" / "gold.json" if kind == "gold" else target


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*.tmp")]


@pytest.mark.parametrize("kind", ["report", "baseline", "gold"])
def test_sigkill_mid_write_leaves_a_complete_previous_version(tmp_path: Path, kind: str) -> None:
    target = tmp_path / ("gold" if kind == "gold" else f"{kind}.json")
    versions = {expected(kind, "a"), expected(kind, "b")}
    rng = random.Random(12)
    torn = 0
    for _ in range(KILLS):
        proc = _start(kind, str(target), slow_disk=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = _output(kind, target).read_bytes()
        assert data in versions, f"a kill left {len(data)} bytes that are neither version"
        json.loads(data)
        torn += bool(_temp_files(tmp_path))  # a kill inside a write leaves only its temp file
        for tmp in _temp_files(tmp_path):
            tmp.unlink()
    if kind == "gold":
        assert (target / "doc1" / "text.txt").read_text(encoding="utf-8").startswith("Line 0:")
    assert torn >= 1, "no kill landed inside a write: the test proved nothing"


@pytest.mark.parametrize("kind", ["report", "baseline"])
def test_two_concurrent_writers_never_interleave(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"{kind}.json"
    versions = {expected(kind, "a"), expected(kind, "b")}
    writers = [_start(kind, str(target), role, "25") for role in ("a", "b")]
    reads = 0
    try:
        while any(w.poll() is None for w in writers):
            if target.exists():
                assert target.read_bytes() in versions  # every reader sees one whole version
                reads += 1
    finally:
        for w in writers:
            w.wait(timeout=120)
    assert all(w.returncode == 0 for w in writers), [w.stderr.read() for w in writers if w.stderr]
    assert target.read_bytes() in versions
    assert reads > 0 and not _temp_files(tmp_path)


def test_of_two_create_only_writers_exactly_one_wins(tmp_path: Path) -> None:
    rounds = 40
    writers = [_start("create", str(tmp_path), role, str(rounds)) for role in ("a", "b")]
    outs = [w.communicate(timeout=120)[0].split("\n") for w in writers]
    won = [{int(line.split()[1]) for line in out if line.startswith("won")} for out in outs]
    assert won[0].isdisjoint(won[1]) and won[0] | won[1] == set(range(rounds))
    for i in range(rounds):
        winner = "a" if i in won[0] else "b"
        assert json.loads((tmp_path / f"out-{i}.json").read_text()) == {"winner": winner, "round": i}
    assert not _temp_files(tmp_path)
    assert os.listdir(tmp_path)
