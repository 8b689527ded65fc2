"""Ingestion throughput: ingest every filing under a folder and report the figures.

Usage (from the repository root)::

    .venv/bin/python benchmarks/ingest_bench.py [FOLDER] [--repeat N] [--json]

FOLDER defaults to ``../shared/corpus/pool`` relative to the repository. Reports
files, MB read, seconds (best of ``--repeat`` runs, wall clock, one core), MB/s,
CPU seconds of the process (MB per CPU second: steadier than wall clock on a shared
machine), failures and peak resident memory. Single process on purpose: the figure is
"per core". Output characters are counted too, as a sanity check that every run
produced the same text (the sha256 of all texts is printed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO / ".." / "shared" / "corpus" / "pool"


def run_once(files: list[Path]) -> dict[str, object]:
    """Ingest ``files`` once; returns the measured figures of that run."""
    from filingkit.errors import IngestError
    from filingkit.ingest import ingest_file

    digest = hashlib.sha256()
    failures: list[str] = []
    n_bytes = 0
    n_chars = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for f in files:
        n_bytes += f.stat().st_size
        try:
            doc = ingest_file(f)
        except IngestError as exc:
            failures.append(exc.message)
            continue
        n_chars += len(doc.text)
        digest.update(doc.sha256.encode("ascii"))
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    mb = n_bytes / 1e6
    return {
        "files": len(files),
        "mb": round(mb, 2),
        "seconds": round(seconds, 3),
        "mb_per_s": round(mb / seconds, 2) if seconds else None,
        "cpu_seconds": round(cpu_seconds, 3),
        "mb_per_cpu_s": round(mb / cpu_seconds, 2) if cpu_seconds else None,
        "failures": failures,
        "output_chars": n_chars,
        "texts_sha256": digest.hexdigest(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    from filingkit.ingest import expand_paths

    folder = args.folder.resolve()
    if not folder.is_dir():
        print(f"ERROR: {folder}: not a folder", file=sys.stderr)
        return 2
    files = expand_paths([folder])
    runs = [run_once(files) for _ in range(max(1, args.repeat))]
    best = min(runs, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    stable = len({r["texts_sha256"] for r in runs}) == 1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    report = {
        **best,
        "runs": len(runs),
        "deterministic_across_runs": stable,
        "peak_rss_mb": round(peak_mb, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "folder": str(folder),
    }
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        failures = report["failures"]
        assert isinstance(failures, list)
        print(f"folder      {folder}")
        print(f"files       {report['files']}")
        print(f"MB          {report['mb']}")
        print(f"seconds     {report['seconds']} (best of {len(runs)})")
        print(f"MB/s        {report['mb_per_s']}")
        print(f"CPU seconds {report['cpu_seconds']} ({report['mb_per_cpu_s']} MB per CPU second)")
        print(f"failures    {len(failures)}")
        for f in failures:
            print(f"  {f}")
        print(f"peak RSS    {report['peak_rss_mb']} MB")
        print(f"same text every run: {stable}")
    return 0 if stable else 1


if __name__ == "__main__":
    sys.exit(main())
