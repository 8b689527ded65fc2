"""Corpus throughput: one process vs ``--jobs 2`` vs Dask with 2 workers, same predictions.

Usage (from the repository root)::

    .venv/bin/python benchmarks/corpus_bench.py --corpus ../shared/corpus [--target-mb 150]
        [--extractor rules] [--rounds 1] [--work DIR] [--json OUT]

The corpus folder is one with a ``manifest.jsonl`` in the corpus format (``id``,
``files``); every filing of it is copied as many times as it takes to reach
``--target-mb`` of raw filings, each copy under new accession numbers
(rewritten in the file names, in the bytes and in the manifest row), so every
document id is distinct. The three engines then run ``filingkit extract`` on
that manifest, one after another, each timed with its start-up included (pool
spawn, LocalCluster start), each writing one predictions JSONL; the files must
be byte-identical. With ``--rounds N`` the engines run N times in rotating order
and the best time of each is kept (the least disturbed by other load). The
load average (``os.getloadavg``) is printed before and after: the figures are
ratios measured side by side, on whatever else the machine was doing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from filingkit.jsonio import write_json_atomic
from filingkit.run.runner import run_extract
from filingkit.run.tasks import ExtractorSpec

ENGINES: tuple[tuple[str, str, int], ...] = (
    ("1 process", "local", 1), ("--jobs 2", "local", 2), ("dask, 2 workers", "dask", 2))


def build_corpus(corpus: Path, work: Path, target_bytes: int) -> tuple[Path, int, int]:
    """Copies of the corpus's filings under new accession numbers; (manifest, filings, bytes)."""
    rows = [json.loads(x) for x in (corpus / "manifest.jsonl").read_text().splitlines() if x]
    out_rows: list[dict[str, Any]] = []
    total = 0
    copy = 0
    while total < target_bytes:
        copy += 1
        for i, row in enumerate(rows):
            old = str(row.get("accession") or row["id"])
            new = f"99{copy:08d}-{old[11:13] if len(old) == 20 else '00'}-{i:06d}"
            files = []
            for f in row["files"]:
                src = corpus / f["path"]
                data = src.read_bytes().replace(old.encode(), new.encode())
                data = data.replace(old.replace("-", "").encode(), new.replace("-", "").encode())
                rel = Path(f"copy{copy:02d}") / new / src.name.replace(old, new)
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                (work / rel).write_bytes(data)
                total += len(data)
                files.append({**f, "path": rel.as_posix(), "bytes": len(data)})
            out_rows.append({**row, "id": new, "accession": new, "files": files})
    manifest = work / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in out_rows), encoding="utf-8")
    return manifest, len(out_rows), total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, type=Path,
                        help="a corpus folder with manifest.jsonl (e.g. ../shared/corpus)")
    parser.add_argument("--target-mb", type=float, default=150.0)
    parser.add_argument("--extractor", default="rules")
    parser.add_argument("--batch-mb", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for the copies (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="filingkit-corpus-bench-"))
    try:
        t0 = time.perf_counter()
        manifest, n, size = build_corpus(args.corpus, work, int(args.target_mb * 1e6))
        print(f"corpus: {n} filings, {size / 1e6:.1f} MB (built in "
              f"{time.perf_counter() - t0:.1f} s) in {work}", file=sys.stderr)
        load_before = os.getloadavg()
        best: dict[str, float] = {}
        digests: dict[str, set[str]] = {}
        docs: dict[str, int] = {}
        for r in range(args.rounds):
            order = ENGINES[r % len(ENGINES):] + ENGINES[:r % len(ENGINES)]
            for label, engine, jobs in order:
                out = work / f"preds-{engine}-{jobs}.jsonl"
                t = time.perf_counter()
                summary = run_extract([str(manifest)], out, ExtractorSpec(args.extractor),
                                      jobs=jobs, engine=engine,
                                      batch_bytes=int(args.batch_mb * 1e6))
                seconds = time.perf_counter() - t
                best[label] = min(best.get(label, float("inf")), seconds)
                digests.setdefault(label, set()).add(hashlib.sha256(out.read_bytes()).hexdigest())
                docs[label] = summary.n_documents
                print(f"round {r + 1}: {label}: {seconds:.1f} s, {size / 1e6 / seconds:.2f} MB/s, "
                      f"{summary.n_documents} documents, {summary.n_errors} errors",
                      file=sys.stderr)
        load_after = os.getloadavg()
        base = best["1 process"]
        all_digests = set().union(*digests.values())
        result = {
            "filings": n, "mb": round(size / 1e6, 1), "extractor": args.extractor,
            "batch_mb": args.batch_mb, "rounds": args.rounds, "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after],
            "identical_predictions": len(all_digests) == 1,
            "engines": {label: {"seconds": round(s, 2), "mb_per_s": round(size / 1e6 / s, 2),
                                "speedup": round(base / s, 2), "documents": docs[label]}
                        for label, s in best.items()},
        }
        print(json.dumps(result, indent=2))
        if args.json:
            write_json_atomic(args.json, result)
        return 0 if result["identical_predictions"] else 1
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
