"""The Dask engine: batches as tasks on a ``dask.distributed`` cluster.

With a scheduler address the run joins an existing cluster (Kubernetes,
Slurm through dask-jobqueue, a cloud service...; see ``docs/scale.md``);
without one it starts a ``LocalCluster`` of ``jobs`` worker processes with
one thread each (the extractors are pure Python: threads would share the
GIL) and closes it at the end.

The extractor reaches each worker once: ``ExtractorPlugin``, a
``WorkerPlugin`` registered with the client, carries the ``ExtractorSpec``
(with a trainable model's files) and builds the extractor in ``setup``, on
every worker present and every worker that joins later. Tasks carry only
their batch. A worker that dies mid-task has its task run again elsewhere by
the scheduler (``distributed.scheduler.allowed-failures``); a task that keeps
killing workers (``KilledWorker``) or raises is reported for each of its
filings at stage ``worker`` and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from filingkit.errors import FilingkitError
from filingkit.run.tasks import Batch, BatchResult, ExtractorSpec, init_worker, run_batch

try:
    import distributed as _distributed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - exercised only without the extra
    raise FilingkitError("--engine dask needs dask.distributed, which is not installed",
                         hint='pip install "filingkit[dask]"') from None

dd: Any = _distributed  # distributed's API is untyped: one Any, not an ignore per call


class ExtractorPlugin(WorkerPlugin):
    """Builds the run's extractor once per worker (the model ships with the plugin)."""

    def __init__(self, spec: ExtractorSpec) -> None:
        self.spec = spec
        self.name = f"filingkit-extractor-{spec.key}"

    def setup(self, worker: Any) -> None:
        init_worker(self.spec)


def _connect(scheduler: str | None, jobs: int) -> tuple[Any, Any]:
    if scheduler:
        try:
            return dd.Client(scheduler, timeout="30s"), None
        except OSError as exc:
            raise FilingkitError(f"cannot reach the Dask scheduler {scheduler}: {exc}",
                                 hint="check the address (tcp://HOST:8786) and that it runs"
                                 ) from None
    cluster = dd.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=40)
    return dd.Client(cluster), cluster


def run_dask(batches: Iterator[Batch], capacity: Callable[[], int],
             spec: ExtractorSpec | None, *, jobs: int, scheduler: str | None, retries: int,
             task: Callable[[Batch, str], BatchResult] = run_batch,
             on_start: Callable[[dict[str, Any]], None] | None = None
             ) -> Iterator[BatchResult]:
    """Yield each batch's result as its task completes on the cluster."""
    from filingkit.run.engines import worker_lost

    client, cluster = _connect(scheduler, jobs)
    try:
        key = spec.key if spec is not None else "ingest"
        if spec is not None:
            client.register_plugin(ExtractorPlugin(spec), name=f"filingkit-extractor-{key}")
        workers = len(client.scheduler_info().get("workers", {}))
        if on_start is not None:
            on_start({"engine": "dask", "workers": workers,
                      "scheduler": client.scheduler.address})
        pending = dd.as_completed()
        owner: dict[str, Batch] = {}
        source = iter(batches)
        exhausted = False

        def top_up() -> None:
            nonlocal exhausted
            while not exhausted and pending.count() < max(1, capacity()):
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    return
                fut = client.submit(task, batch, key if spec is not None else "", pure=False,
                                    retries=retries,
                                    key=f"filingkit-batch-{key}-{batch.index:06d}-{id(batch):x}")
                owner[fut.key] = batch
                pending.add(fut)

        top_up()
        while pending.count():
            fut = next(pending)
            batch = owner.pop(fut.key)
            try:
                result: BatchResult = fut.result()
            except Exception as exc:  # KilledWorker, or a task error past its retries
                result = worker_lost(batch, f"task failed on the cluster: "
                                            f"{type(exc).__name__}: {exc}")
            fut.release()
            yield result
            top_up()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
