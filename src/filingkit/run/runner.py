"""The corpus runner: an extractor over many filings, on one core, a local pool or Dask.

``run_extract`` expands the inputs (``filingkit.run.inputs``), cuts them into
batches of about ``batch_bytes`` of raw filings, runs the batches on an engine
(``filingkit.run.engines``) and writes the results in batch order
(``filingkit.run.output``). Because results are written in the order of the
inputs, whatever order the workers finish in, the output is the same bytes on
one process, ``jobs`` processes or a Dask cluster: documents appear in input
order after expansion (arguments in the order given; folders and globs sorted
by path; manifests in row order).

A document id seen a second time (in any batch) is reported in the errors
and never written twice: the first one in input order wins. For a sharded
output the client holds at most a few batches of predictions at a time (those
finished ahead of an earlier, slower one), never the whole run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError
from filingkit.run.inputs import Filing, expand_inputs
from filingkit.run.output import (
    JsonlFileWriter,
    OutputError,
    ShardWriter,
    is_dir_output,
    predictions_header,
)
from filingkit.run.tasks import BatchResult, ExtractorSpec, build_extractor, make_batches

DEFAULT_BATCH_BYTES = 8 * 1024 * 1024
ENGINES = ("local", "dask")
ProgressFn = Callable[[int, int], None]  # (filings done, bytes done) increments


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did: counts, the first errors, where it wrote, how long it took."""

    output: str
    n_filings: int
    n_documents: int
    n_errors: int
    errors: tuple[Mapping[str, Any], ...]
    n_batches: int
    skipped_batches: int
    n_bytes: int
    seconds: float
    engine: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"output": self.output, "filings": self.n_filings, "documents": self.n_documents,
                "errors": self.n_errors, "batches": self.n_batches,
                "skipped_batches": self.skipped_batches, "bytes": self.n_bytes,
                "seconds": round(self.seconds, 3), "engine": dict(self.engine)}


def plan_fingerprint(filings: Sequence[Filing], batch_bytes: int, header: Mapping[str, Any],
                     spec: ExtractorSpec, shard_format: str) -> str:
    """Identifies a run's batches: the same inputs, sizes, batch size and extractor."""
    h = hashlib.sha256(f"{batch_bytes}\n{shard_format}\n{spec.key}\n{sorted(header.items())}\n"
                       .encode())
    for f in filings:
        h.update(f.fingerprint().encode("utf-8", "surrogateescape") + b"\n")
    return h.hexdigest()


def check_engine(engine: str, jobs: int, scheduler: str | None) -> None:
    """Refuse a bad engine choice before any work (exit 2 in the CLI)."""
    if engine not in ENGINES:
        raise FilingkitError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if jobs < 1:
        raise FilingkitError(f"--jobs must be at least 1, got {jobs}")
    if scheduler and engine != "dask":
        raise FilingkitError("--scheduler goes with --engine dask")
    if engine == "dask" and importlib.util.find_spec("distributed") is None:
        raise FilingkitError("--engine dask needs dask.distributed, which is not installed",
                             hint='pip install "filingkit[dask]"')


class _Ordered:
    """Takes results in any order, hands them on in batch order, dropping repeated ids."""

    def __init__(self, first: int, skip: set[int], seen: set[str],
                 emit: Callable[[int, list[tuple[str, str]], list[dict[str, Any]]], None]) -> None:
        self.next = first
        self.skip = skip
        self.seen = seen
        self.buffer: dict[int, BatchResult] = {}
        self.emit = emit

    def add(self, result: BatchResult) -> None:
        self.buffer[result.index] = result
        while True:
            while self.next in self.skip:
                self.next += 1
            res = self.buffer.pop(self.next, None)
            if res is None:
                return
            lines: list[tuple[str, str]] = []
            errors = list(res.errors)
            for i, (doc_id, line) in enumerate(res.lines):
                if doc_id in self.seen:
                    label = res.labels[i] if i < len(res.labels) else f"batch {res.index}"
                    errors.append({"path": label, "doc_id": doc_id,
                                   "stage": "dedupe",
                                   "reason": f"document id {doc_id!r} already extracted"})
                    continue
                self.seen.add(doc_id)
                lines.append((doc_id, line))
            self.emit(res.index, lines, errors)
            self.next += 1


def run_extract(
    inputs: Sequence[str],
    output: str | Path,
    spec: ExtractorSpec,
    *,
    filings: list[Filing] | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    resume: bool = False,
    shard_format: str = "jsonl",
    retries: int = 3,
    progress: Callable[[int, int, int, int], Any] | None = None,
) -> RunSummary:
    """Run ``spec``'s extractor over ``inputs`` (or the given ``filings``) into ``output``.

    ``output`` ending in ``/`` (or an existing folder) gets shards, an
    ``_errors.jsonl`` and a ``_manifest.json``; otherwise it is one predictions
    JSONL file. ``progress(total_filings, total_bytes, done_filings, done_bytes)``
    is called as batches complete. Raises ``FilingkitError`` for bad input
    (nothing found, a bad engine, a folder holding another run); failed filings
    are counted and recorded, never raised.
    """
    t0 = time.perf_counter()
    check_engine(engine, jobs, scheduler)
    if batch_bytes < 1:
        raise FilingkitError(f"the batch size must be positive, got {batch_bytes} bytes")
    sharded = is_dir_output(output)
    if resume and not sharded:
        raise OutputError("--resume needs a folder output (-o DIR/)", file=output)
    if shard_format != "jsonl" and not sharded:
        raise OutputError(f"{shard_format} output needs a folder (-o DIR/)", file=output)
    from filingkit.catalogue import load_catalogue

    extractor = build_extractor(spec)  # on the client first: a bad name or model fails fast
    items = filings if filings is not None else expand_inputs(inputs)
    if not items:
        raise FilingkitError("no filings found in the given inputs")
    header = predictions_header(extractor, load_catalogue())
    batches = make_batches(items, batch_bytes)
    total_bytes = sum(f.size for f in items)
    plan = plan_fingerprint(items, batch_bytes, header, spec, shard_format)
    sidecars: dict[int, dict[str, Any]] = {}
    seen: set[str] = set()
    writer: JsonlFileWriter | ShardWriter
    if sharded:
        writer = ShardWriter(output, header, shard_format)
        sidecars = writer.prepare({"format": "filingkit-run-plan", "version": 1, "plan": plan,
                                   "n_batches": len(batches), "batch_bytes": batch_bytes,
                                   "shard_format": shard_format, "header": header},
                                  resume=resume)
        for meta in sidecars.values():
            seen.update(meta.get("doc_ids", []))
    else:
        writer = JsonlFileWriter(output, header)
    done = set(sidecars)
    todo = [b for b in batches if b.index not in done]
    state = {"filings": sum(len(b.filings) for b in batches if b.index in done),
             "bytes": sum(b.n_bytes for b in batches if b.index in done)}
    if progress is not None:
        progress(len(items), total_bytes, state["filings"], state["bytes"])

    def emit(index: int, lines: list[tuple[str, str]], errors: list[dict[str, Any]]) -> None:
        meta = writer.write(index, lines, errors)
        sidecars[index] = meta if isinstance(meta, dict) else {"errors": errors,
                                                                "documents": len(lines)}
    ordered = _Ordered(0, done, seen, emit)
    window = max(4, 4 * jobs)
    engine_info: dict[str, Any] = {}

    def capacity() -> int:
        return window - len(ordered.buffer)

    from filingkit.run.engines import run_engine

    results: Iterator[BatchResult] = run_engine(
        engine, iter(todo), capacity, spec, jobs=jobs, scheduler=scheduler, retries=retries,
        on_start=engine_info.update)
    try:
        for res in results:
            ordered.add(res)
            state["filings"] += res.n_filings
            state["bytes"] += res.n_bytes
            if progress is not None:
                progress(len(items), total_bytes, state["filings"], state["bytes"])
    except BaseException:
        if isinstance(writer, JsonlFileWriter):
            writer.abort()
        raise
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    ordered_meta = [sidecars[i] for i in sorted(sidecars)]
    n_docs = sum(int(m.get("documents", 0)) for m in ordered_meta)
    errors = [e for m in ordered_meta for e in m.get("errors", [])]
    if isinstance(writer, ShardWriter):
        writer.finish(ordered_meta, inputs=[str(i) for i in inputs],
                      counts={"filings": len(items), "documents": n_docs, "errors": len(errors),
                              "bytes": total_bytes, "shards": len(batches)},
                      extra={"batch_bytes": batch_bytes, "shard_format": shard_format,
                             "plan": plan,
                             "extractor": f"{header['extractor']['name']}@"
                                          f"{header['extractor']['version']}",
                             "order": "input order after expansion"})
    else:
        writer.close()
    return RunSummary(output=str(output), n_filings=len(items), n_documents=n_docs,
                      n_errors=len(errors), errors=tuple(errors[:1000]),
                      n_batches=len(batches), skipped_batches=len(done), n_bytes=total_bytes,
                      seconds=time.perf_counter() - t0, engine=engine_info)
