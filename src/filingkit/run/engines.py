"""Engines: run batches in this process, in a local process pool, or on Dask.

Each engine is a generator ``run(batches, capacity)`` that yields a
``BatchResult`` per batch as it completes (any order). It submits a new batch
only while fewer than ``capacity()`` are in flight, so the client, which
writes results in batch order, holds a bounded number of them.

A batch whose worker process dies is run again (``retries`` times); past
that, each of its filings is reported failed at stage ``worker`` and the run
goes on. The local pool is a ``concurrent.futures.ProcessPoolExecutor``
(spawned processes, the extractor built once per process by the pool's
initializer); when a process dies the pool breaks, and a new pool takes the
unfinished batches. Dask (``filingkit.run.dask_engine``) has its own retries.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from filingkit.run.tasks import Batch, BatchResult, ExtractorSpec, init_worker, run_batch

DEFAULT_RETRIES = 3
Capacity = Callable[[], int]
Task = Callable[[Batch, str], BatchResult]  # run_batch, or ingest_batch


def worker_lost(batch: Batch, reason: str) -> BatchResult:
    """A batch that could not be run: every filing reported at stage ``worker``."""
    errors = tuple({"path": f.label, "stage": "worker", "reason": reason,
                    **({"doc_id": f.doc_id} if f.doc_id else {})} for f in batch.filings)
    return BatchResult(batch.index, (), errors, len(batch.filings), batch.n_bytes)


def run_serial(batches: Iterator[Batch], capacity: Capacity, spec: ExtractorSpec | None,
               task: Task = run_batch) -> Iterator[BatchResult]:
    """Every batch in this process, one after another."""
    init_worker(spec)
    for batch in batches:
        yield task(batch, spec.key if spec else "")


def run_local_pool(batches: Iterator[Batch], capacity: Capacity, spec: ExtractorSpec | None, *,
                   jobs: int, retries: int = DEFAULT_RETRIES, task: Task = run_batch
                   ) -> Iterator[BatchResult]:
    """Batches on ``jobs`` local worker processes, recovering from a process that dies."""
    ctx = multiprocessing.get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker,
                                   initargs=(spec,))

    pool = new_pool()
    inflight: dict[Future[BatchResult], Batch] = {}
    attempts: dict[int, int] = {}
    retry: list[Batch] = []
    source = iter(batches)
    exhausted = False
    try:
        while True:
            while len(inflight) < max(1, capacity()) and (retry or not exhausted):
                if retry:
                    batch = retry.pop(0)
                else:
                    nxt = next(source, None)
                    if nxt is None:
                        exhausted = True
                        break
                    batch = nxt
                inflight[pool.submit(task, batch, spec.key if spec else "")] = batch
            if not inflight:
                return
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            broken = False
            for fut in sorted(done, key=lambda f: inflight[f].index):
                batch = inflight.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken = True
                    attempts[batch.index] = attempts.get(batch.index, 0) + 1
                    if attempts[batch.index] > retries:
                        yield worker_lost(batch, f"worker process died {attempts[batch.index]} "
                                                 "times on this batch")
                    else:
                        retry.append(batch)
            if broken:  # every other pending batch of the broken pool is lost too: redo them
                for fut, batch in list(inflight.items()):
                    if fut.done() and fut.exception() is None:
                        continue
                    del inflight[fut]
                    attempts[batch.index] = attempts.get(batch.index, 0) + 1
                    retry.append(batch)
                retry.sort(key=lambda b: b.index)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_engine(engine: str, batches: Iterator[Batch], capacity: Capacity,
               spec: ExtractorSpec | None, *, jobs: int, scheduler: str | None,
               retries: int = DEFAULT_RETRIES, task: Task = run_batch,
               on_start: Callable[[dict[str, Any]], None] | None = None) -> Iterator[BatchResult]:
    """Dispatch to the engine named ``local`` (serial when ``jobs`` is 1) or ``dask``."""
    info: dict[str, Any] = {"engine": engine, "workers": jobs}
    if engine == "dask":
        from filingkit.run.dask_engine import run_dask

        yield from run_dask(batches, capacity, spec, jobs=jobs, scheduler=scheduler,
                            retries=retries, task=task, on_start=on_start)
        return
    if on_start is not None:
        on_start(info)
    if jobs <= 1:
        yield from run_serial(batches, capacity, spec, task)
    else:
        yield from run_local_pool(batches, capacity, spec, jobs=jobs, retries=retries, task=task)
