"""``filingkit ingest --jobs N`` / ``--engine dask``: canonical texts at scale, on the same engine.

Workers convert the filings (the costly part); the documents come back to
the client, which writes ``OUT/<doc_id>/{text.txt, document.json}`` in input
order, so a doc_id that two filings share is reported (as ``filingkit
ingest`` does on one core) instead of being written by two workers at once.
The client holds at most a few batches of documents at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError
from filingkit.run.inputs import Filing
from filingkit.run.runner import DEFAULT_BATCH_BYTES, check_engine
from filingkit.run.tasks import BatchResult, ingest_batch, make_batches


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """How many filings were written, and each failure as (label, reason)."""

    written: int
    total: int
    failures: tuple[tuple[str, str], ...]


def run_ingest(filings: Sequence[Filing], out_dir: str | Path, *, jobs: int = 1,
               engine: str = "local", scheduler: str | None = None,
               batch_bytes: int = DEFAULT_BATCH_BYTES,
               progress: Callable[[int, int], Any] | None = None) -> IngestSummary:
    """Ingest ``filings`` on an engine and write each document under ``out_dir``.

    ``progress(done_filings, total_filings)`` is called as batches complete.
    """
    from filingkit.ingest.store import write_ingested
    from filingkit.run.engines import run_engine

    check_engine(engine, jobs, scheduler)
    if not filings:
        raise FilingkitError("no filings to ingest")
    batches = make_batches(list(filings), batch_bytes)
    buffer: dict[int, BatchResult] = {}
    written: dict[str, str] = {}
    failures: list[tuple[str, str]] = []
    nxt = 0
    done = 0

    def drain() -> None:
        nonlocal nxt
        while nxt in buffer:
            res = buffer.pop(nxt)
            failures.extend((e["path"], e["reason"]) for e in res.errors)
            for label, doc in zip(res.labels, res.documents, strict=True):
                if doc.doc_id in written and written[doc.doc_id] != label:
                    failures.append((label, f"doc_id {doc.doc_id} already written from "
                                            f"{written[doc.doc_id]} (a filing of several files? "
                                            "ingest it with --manifest)"))
                    continue
                write_ingested(out_dir, doc)
                written[doc.doc_id] = label
            nxt += 1

    window = max(4, 4 * jobs)
    for res in run_engine(engine, iter(batches), lambda: window - len(buffer), None, jobs=jobs,
                          scheduler=scheduler, task=ingest_batch):
        buffer[res.index] = res
        drain()
        done += res.n_filings
        if progress is not None:
            progress(done, len(filings))
    return IngestSummary(len(written), len(filings), tuple(failures))
