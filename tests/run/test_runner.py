"""The corpus runner on real filings: one process, a local pool, a real Dask LocalCluster.

Filings are the bundled gold's ``source/`` files and ``tests/data/filings``
(never ../shared). The cluster is a real ``dask.distributed.LocalCluster`` of
two worker processes; workers are killed by pid with real signals.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from filingkit.cli import main
from filingkit.errors import FilingkitError
from filingkit.run.output import MANIFEST_NAME, iter_output_rows, parquet_schema, shard_paths
from filingkit.run.runner import RunSummary, run_extract
from filingkit.run.tasks import ExtractorSpec

RULES = ExtractorSpec("rules")
SMALL = 300_000  # bytes per batch: many tasks from a few MB of filings


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A real LocalCluster: two worker processes, one thread each."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as lc:
        yield lc


@pytest.fixture(scope="module")
def subset(filings: list[Path]) -> list[Path]:
    """About 40 real filings of every format, a few MB: seconds per run."""
    return filings[::3][:30] + [p for p in filings if "tests/data" in p.as_posix()][:10]


def _run(inputs: list[Any], out: Path | str, **kw: Any) -> RunSummary:
    return run_extract([str(p) for p in inputs], out, kw.pop("spec", RULES),
                       batch_bytes=kw.pop("batch_bytes", SMALL), **kw)


def _dir_bytes(folder: Path) -> dict[str, bytes]:
    """Every file a run left that readers see, plus the manifest and errors."""
    names = [p.name for p in shard_paths(folder)] + [MANIFEST_NAME, "_errors.jsonl"]
    return {n: (folder / n).read_bytes() for n in names}


# ------------------------------------------------------------------ same output everywhere


@pytest.mark.slow
def test_same_bytes_on_one_process_a_pool_and_dask(subset: list[Path], tmp_path: Path,
                                                   cluster: Any) -> None:
    one = _run(subset, tmp_path / "one.jsonl")
    pool = _run(subset, tmp_path / "pool.jsonl", jobs=2)
    dask = _run(subset, tmp_path / "dask.jsonl", engine="dask", scheduler=cluster.scheduler_address)
    assert one.n_documents > 30 and one.n_batches > 5
    ref = (tmp_path / "one.jsonl").read_bytes()
    assert (tmp_path / "pool.jsonl").read_bytes() == ref
    assert (tmp_path / "dask.jsonl").read_bytes() == ref
    assert dask.engine["workers"] == 2 and pool.n_documents == dask.n_documents == one.n_documents
    # sharded: the same shards, errors and manifest, byte for byte
    _run(subset, f"{tmp_path}/d1/")
    _run(subset, f"{tmp_path}/d2/", engine="dask", scheduler=cluster.scheduler_address)
    assert _dir_bytes(tmp_path / "d1") == _dir_bytes(tmp_path / "d2")
    rows = list(iter_output_rows(tmp_path / "d1"))
    assert [r["doc_id"] for r in rows] == [json.loads(x)["doc_id"]
                                          for x in ref.decode().splitlines()[1:]]


def test_cli_dask_local_cluster_matches_one_process(subset: list[Path], tmp_path: Path) -> None:
    """``--engine dask --jobs 2`` starts its own LocalCluster; same bytes as one process."""
    pytest.importorskip("distributed")
    args = ["extract", "-e", "rules", *map(str, subset[:12]), "--batch-mb", "0.3", "--no-progress"]
    assert main([*args, "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main([*args, "-o", str(tmp_path / "b.jsonl"), "--engine", "dask", "--jobs", "2"]) == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_output_order_is_input_order(subset: list[Path], tmp_path: Path) -> None:
    """Arguments in the order given: reversing them reverses the documents."""
    files = subset[:6]
    a = _run(files, tmp_path / "a.jsonl")
    _run(files[::-1], tmp_path / "b.jsonl")
    ids = [r["doc_id"] for r in iter_output_rows(tmp_path / "a.jsonl")]
    assert [r["doc_id"] for r in iter_output_rows(tmp_path / "b.jsonl")] == ids[::-1]
    assert a.n_documents == 6


# ------------------------------------------------------------------ nothing lost


def _broken_inputs(tmp_path: Path, good: list[Path]) -> list[Path]:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary" * 100)
    (bad / "empty.htm").write_bytes(b"")
    sgml = good[0].read_bytes()
    (bad / "truncated.txt").write_bytes(b"<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n" +
                                        sgml[:200])
    return [*good[:5], bad / "binary.txt", *good[5:9], bad / "empty.htm", bad / "truncated.txt",
            tmp_path / "missing.txt", *good[9:12], good[2]]  # good[2] again: a repeated id


@pytest.mark.slow
def test_broken_filings_go_to_errors_and_the_rest_completes(subset: list[Path], tmp_path: Path,
                                                            cluster: Any) -> None:
    inputs = _broken_inputs(tmp_path, subset)
    out = tmp_path / "out"
    summary = _run(inputs, f"{out}/", engine="dask", scheduler=cluster.scheduler_address,
                   batch_bytes=100_000)
    errors = [json.loads(x) for x in (out / "_errors.jsonl").read_text().splitlines()]
    by_path = {Path(e["path"]).name: e for e in errors}
    assert {"binary.txt", "empty.htm", "missing.txt"} <= set(by_path)
    assert by_path["binary.txt"]["stage"] == "ingest" and "binary" in by_path["binary.txt"]["reason"]
    assert by_path["missing.txt"]["stage"] == "read"
    dupes = [e for e in errors if e["stage"] == "dedupe"]
    assert len(dupes) == 1 and Path(dupes[0]["path"]) == subset[2]
    ids = [r["doc_id"] for r in iter_output_rows(out)]
    assert len(ids) == len(set(ids)) == 12 == summary.n_documents
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["counts"]["errors"] == len(errors) == summary.n_errors
    assert sum(s["documents"] for s in manifest["shards"]) == 12


def test_extractor_exception_is_recorded(subset: list[Path], tmp_path: Path) -> None:
    """An extractor that raises (ml without a model) fails each filing, not the run."""
    summary = _run(subset[:4], f"{tmp_path}/o/", spec=ExtractorSpec("ml"), jobs=2)
    assert summary.n_documents == 0 and summary.n_errors == 4
    errors = [json.loads(x) for x in (tmp_path / "o" / "_errors.jsonl").read_text().splitlines()]
    assert {e["stage"] for e in errors} == {"extract"}
    assert all("not fitted" in e["reason"] and e["doc_id"] for e in errors)


def _kill_when_started(folder: Path, pids: Any, killed: list[int]) -> threading.Thread:
    """Kill one worker process (by pid, SIGKILL) once the run has written a shard."""
    def go() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(folder.glob("part-*")):
            time.sleep(0.01)
        pid = pids()
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)
    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


@pytest.mark.slow
def test_dask_worker_killed_mid_run_loses_and_duplicates_nothing(
        filings: list[Path], tmp_path: Path, cluster: Any) -> None:
    from distributed import Client

    files = filings[:60]
    ref = _run(files, f"{tmp_path}/ref/", batch_bytes=400_000)
    out = tmp_path / "out"
    out.mkdir()
    killed: list[int] = []
    with Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
    t = _kill_when_started(out, lambda: sorted(pids.values())[0], killed)
    got = _run(files, f"{out}/", engine="dask", scheduler=cluster.scheduler_address,
               batch_bytes=400_000)
    t.join(5)
    with Client(cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker
        assert set(client.run(os.getpid).values()) != set(pids.values())
    assert killed
    assert got.n_documents == ref.n_documents and got.n_errors == ref.n_errors, got.errors[:3]
    assert _dir_bytes(out) == _dir_bytes(tmp_path / "ref")


@pytest.mark.slow
def test_pool_worker_killed_mid_run_loses_and_duplicates_nothing(
        filings: list[Path], tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    files = filings[:60]
    ref = _run(files, f"{tmp_path}/ref/", batch_bytes=400_000)
    out = tmp_path / "out"
    out.mkdir()
    killed: list[int] = []

    def pool_worker() -> int:
        kids = [c for c in psutil.Process().children(recursive=True)
                if "multiprocessing" in " ".join(c.cmdline())
                and "resource_tracker" not in " ".join(c.cmdline())]
        return kids[0].pid
    t = _kill_when_started(out, pool_worker, killed)
    got = _run(files, f"{out}/", jobs=2, batch_bytes=400_000)
    t.join(5)
    assert killed
    assert got.n_documents == ref.n_documents and got.n_errors == ref.n_errors, got.errors[:3]
    assert _dir_bytes(out) == _dir_bytes(tmp_path / "ref")


# ------------------------------------------------------------------ resume


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "filingkit.cli", "extract", "-e", "rules", *args]


@pytest.mark.slow
def test_client_killed_then_resume_redoes_only_missing_shards(filings: list[Path],
                                                              tmp_path: Path) -> None:
    files = [str(p) for p in filings]
    out = tmp_path / "out"
    cmd = _cli(*files, "-o", f"{out}/", "--batch-mb", "0.2", "--no-progress")
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("_parts/part-*.json"))) < 8:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / MANIFEST_NAME).exists(), "the run finished before it was killed"
    kept = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*")
            if (out / "_parts" / f"{p.name}.json").exists()}
    assert len(kept) >= 8
    time.sleep(0.05)
    done = subprocess.run([*cmd, "--resume"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    n_shards = json.loads((out / MANIFEST_NAME).read_text())["counts"]["shards"]
    assert f"resumed: {len(kept)} of {n_shards} shards were complete" in done.stderr
    for name, mtime in kept.items():
        assert (out / name).stat().st_mtime_ns == mtime, f"{name} was redone"
    assert len(shard_paths(out)) == n_shards > len(kept)
    # the same as a run never interrupted
    clean = tmp_path / "clean"
    subprocess.run(_cli(*files, "-o", f"{clean}/", "--batch-mb", "0.2", "--no-progress"),
                   capture_output=True, check=False)
    assert _dir_bytes(out) == _dir_bytes(clean)


def test_resume_checks_shards_and_plan(subset: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "o"
    first = _run(subset[:10], f"{out}/")
    again = _run(subset[:10], f"{out}/", resume=True)
    assert again.skipped_batches == first.n_batches
    # a corrupted shard is redone; the others are kept
    victim = shard_paths(out)[1]
    victim.write_bytes(victim.read_bytes()[:-10])
    third = _run(subset[:10], f"{out}/", resume=True)
    assert third.skipped_batches == first.n_batches - 1
    assert _dir_bytes(out)[victim.name] != b""
    with pytest.raises(FilingkitError, match="other inputs"):
        _run(subset[:9], f"{out}/", resume=True)
    with pytest.raises(FilingkitError, match="another run"):
        _run(subset[:10], f"{out}/")
    with pytest.raises(FilingkitError, match="needs a folder"):
        _run(subset[:10], tmp_path / "p.jsonl", resume=True)


# ------------------------------------------------------------------ inputs


def test_fsspec_memory_and_file_urls(subset: list[Path], tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    files = subset[:8]
    ref = _run(files, tmp_path / "ref.jsonl")
    mem = fsspec.filesystem("memory")
    for i, p in enumerate(files):  # numbered so sorted order is input order
        mem.pipe(f"/corpus/{i:02d}/{p.name}", p.read_bytes())
    try:
        one = _run(["memory://corpus"], tmp_path / "mem.jsonl")
        two = _run(["memory://corpus/*/*"], tmp_path / "mem2.jsonl", jobs=2)
    finally:
        mem.rm("/corpus", recursive=True)
    local = tmp_path / "copy"
    for i, p in enumerate(files):
        (local / f"{i:02d}").mkdir(parents=True)
        shutil.copy(p, local / f"{i:02d}" / p.name)
    url = _run([f"file://{local}"], tmp_path / "file.jsonl")
    ids = [r["doc_id"] for r in iter_output_rows(tmp_path / "ref.jsonl")]
    for path in ("mem.jsonl", "mem2.jsonl", "file.jsonl"):
        rows = list(iter_output_rows(tmp_path / path))
        assert [r["doc_id"] for r in rows] == ids, path
        assert rows == list(iter_output_rows(tmp_path / "ref.jsonl")), path
    assert one.n_documents == two.n_documents == url.n_documents == ref.n_documents


def test_manifests_csv_jsonl_and_corpus_rows(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "filings"
    corpus = run_extract([str(root / "manifest.jsonl")], tmp_path / "c.jsonl", RULES)
    rows = [json.loads(x) for x in (root / "manifest.jsonl").read_text().splitlines() if x]
    assert [r["doc_id"] for r in iter_output_rows(tmp_path / "c.jsonl")] == [r["id"] for r in rows]
    paths = [root / r["files"][0]["path"] for r in rows]
    (tmp_path / "m.csv").write_text("path,doc_id\n" + "".join(f"{p},id{i}\n"
                                                              for i, p in enumerate(paths)))
    csv_run = run_extract([str(tmp_path / "m.csv")], tmp_path / "m.jsonl", RULES)
    assert [r["doc_id"] for r in iter_output_rows(tmp_path / "m.jsonl")] == [
        f"id{i}" for i in range(len(paths))]
    assert corpus.n_errors == csv_run.n_errors == 0
    with pytest.raises(FilingkitError, match="'path' column"):
        (tmp_path / "bad.csv").write_text("file\nx\n")
        run_extract([str(tmp_path / "bad.csv")], tmp_path / "x.jsonl", RULES)
    with pytest.raises(FilingkitError, match="matches no file"):
        run_extract([str(tmp_path / "nothing-*.txt")], tmp_path / "x.jsonl", RULES)


def test_parquet_shards_hold_the_same_predictions(subset: list[Path], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    _run(subset[:10], f"{tmp_path}/j/")
    _run(subset[:10], f"{tmp_path}/p/", shard_format="parquet")
    parts = shard_paths(tmp_path / "p")
    assert parts and all(p.suffix == ".parquet" for p in parts)
    table = pq.read_table(parts[0])
    assert table.schema.remove_metadata() == parquet_schema({}).remove_metadata()
    header = json.loads(table.schema.metadata[b"filingkit"])
    assert header["format"] == "filingkit-predictions" and header["extractor"]["name"] == "rules"

    def strip(row: dict[str, Any]) -> dict[str, Any]:
        return {"doc_id": row["doc_id"], "facts": row["facts"],
                "entities": [{k: v for k, v in e.items() if k != "text"} for e in row["entities"]]}
    assert list(iter_output_rows(tmp_path / "p")) == [
        strip(r) for r in iter_output_rows(tmp_path / "j")]


# ------------------------------------------------------------------ a trained model


@pytest.mark.slow
def test_model_reaches_each_dask_worker_once(corpus_gold_dir: Path, subset: list[Path],
                                             tmp_path: Path, cluster: Any) -> None:
    from distributed import Client

    from filingkit.run import tasks

    model = tmp_path / "model"
    assert main(["train", "-e", "ml", "--gold", str(corpus_gold_dir), "-o", str(model),
                 "--option", "max_iterations=10"]) == 0
    spec = ExtractorSpec("ml", model_files=tasks.read_model_files(model))
    ref = _run(subset[:12], tmp_path / "ref.jsonl", spec=spec, batch_bytes=50_000)
    got = _run(subset[:12], tmp_path / "dask.jsonl", spec=spec, batch_bytes=50_000,
               engine="dask", scheduler=cluster.scheduler_address)
    assert got.n_batches >= 6 and got.n_documents == ref.n_documents > 0
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()
    with Client(cluster.scheduler_address) as client:
        builds = client.run(lambda: dict(tasks.BUILDS))
    assert all(b.get(spec.key) == 1 for b in builds.values()), builds


def test_dask_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    assert main(["extract", "-e", "rules", str(tmp_path), "-o", str(tmp_path / "p.jsonl"),
                 "--engine", "dask"]) == 2
    assert 'pip install "filingkit[dask]"' in capsys.readouterr().err
