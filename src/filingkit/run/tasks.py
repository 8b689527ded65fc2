"""What a worker does: one batch of filings in, JSON lines and error records out.

A task is a ``Batch`` (consecutive filings of the run, sized by bytes); its
result a ``BatchResult``: one predictions line per document, in the batch's
order, and one error record per filing that failed (stage ``read``,
``ingest`` or ``extract``). Nothing a filing does stops the batch.

The extractor is built once per worker process, never per task: from an
``ExtractorSpec`` (name, options and, for a trainable extractor, the saved
model's files as bytes, so a worker on another machine needs no shared
folder). The local process pool builds it in the pool's initializer; on Dask a
``WorkerPlugin`` (``ExtractorPlugin``) builds it when a worker joins.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filingkit.run.inputs import Filing, is_url

MODEL_MAX_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractorSpec:
    """How to build the run's extractor anywhere: registered name, options, model files."""

    name: str
    options: Mapping[str, Any] = field(default_factory=dict)
    model_files: Mapping[str, bytes] | None = None
    model_name: str | None = None

    @property
    def key(self) -> str:
        """Identifies the spec in a worker's cache (the same run reuses one extractor)."""
        import hashlib

        h = hashlib.sha256(repr((self.name, sorted(self.options.items()))).encode())
        for rel, data in sorted((self.model_files or {}).items()):
            h.update(rel.encode())
            h.update(hashlib.sha256(data).digest())
        return h.hexdigest()[:16]


def read_model_files(path: str | Path) -> dict[str, bytes]:
    """The files of a saved model (a folder, or one file) as ``{relative name: bytes}``."""
    from filingkit.extractors.errors import ModelFormatError

    root = Path(path)
    if root.is_file():
        return {root.name: root.read_bytes()}
    if not root.is_dir():
        raise ModelFormatError("no such model folder", file=root)
    out = {p.relative_to(root).as_posix(): p.read_bytes()
           for p in sorted(root.rglob("*")) if p.is_file()}
    if sum(len(v) for v in out.values()) > MODEL_MAX_BYTES:
        raise ModelFormatError("model is larger than 512 MB; load it on the workers by path",
                               file=root)
    return out


def _model_loader(name: str) -> Any:
    """The ``load`` classmethod of a trainable extractor, or an error saying it takes no model."""
    from filingkit.extractors.errors import ExtractorError
    from filingkit.extractors.registry import extractor_class

    load = getattr(extractor_class(name), "load", None)
    if not callable(load):
        raise ExtractorError(f"extractor {name!r} is not trainable: it takes no --model")
    return load


def check_model(name: str, model: str | Path, options: Mapping[str, Any]) -> None:
    """Load a model once from its own path: a broken one is refused naming that path, before
    its bytes are copied to the workers' private folders."""
    _model_loader(name)(str(model), **dict(options))


def build_extractor(spec: ExtractorSpec) -> Any:
    """The extractor a spec describes; a model is written to a private temporary folder."""
    from filingkit.extractors.registry import get_extractor

    if spec.model_files is None:
        return get_extractor(spec.name, **dict(spec.options))
    load = _model_loader(spec.name)
    folder = Path(tempfile.mkdtemp(prefix="filingkit-model-"))
    for rel, data in spec.model_files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    only = next(iter(spec.model_files)) if len(spec.model_files) == 1 else None
    return load(str(folder / only) if only and spec.model_name == only else str(folder),
                **dict(spec.options))


# Per-process cache: spec key -> extractor. Filled by init_worker / the Dask plugin.
_EXTRACTORS: dict[str, Any] = {}
#: spec key -> how many times this process built that extractor (1: the model came once)
BUILDS: dict[str, int] = {}


def init_worker(spec: ExtractorSpec | None) -> None:
    """Build the run's extractor in this process (the pool initializer, the plugin's setup);
    ``None`` (an ingest-only run) builds nothing."""
    if spec is not None and spec.key not in _EXTRACTORS:
        _EXTRACTORS[spec.key] = build_extractor(spec)
        BUILDS[spec.key] = BUILDS.get(spec.key, 0) + 1


def cached_extractor(spec_key: str) -> Any:
    """The extractor ``init_worker`` built for this key in this process."""
    if spec_key in _EXTRACTORS:
        return _EXTRACTORS[spec_key]
    try:  # a Dask worker that joined after the plugin was registered gets it from the plugin
        from distributed import get_worker

        for plugin in get_worker().plugins.values():
            spec = getattr(plugin, "spec", None)
            if isinstance(spec, ExtractorSpec) and spec.key == spec_key:
                init_worker(spec)
                return _EXTRACTORS[spec_key]
    except (ImportError, ValueError):
        pass
    raise RuntimeError(f"extractor {spec_key} was never set up in this worker process")


# ------------------------------------------------------------------ batches


@dataclass(frozen=True, slots=True)
class Batch:
    """Consecutive filings of a run; ``index`` is its shard number."""

    index: int
    filings: tuple[Filing, ...]

    @property
    def n_bytes(self) -> int:
        return sum(f.size for f in self.filings)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """A batch's output: ``(doc_id, JSON line)`` per document, errors, bytes read."""

    index: int
    lines: tuple[tuple[str, str], ...]
    errors: tuple[dict[str, Any], ...]
    n_filings: int
    n_bytes: int
    pid: int = 0
    #: the filing each line (or document) came from (``Filing.label``), aligned with them
    labels: tuple[str, ...] = ()
    #: canonical documents, for an ingest-only task (``ingest_batch``)
    documents: tuple[Any, ...] = ()


def make_batches(filings: list[Filing], batch_bytes: int, max_files: int = 1000) -> list[Batch]:
    """Consecutive filings grouped until a batch holds ``batch_bytes`` (or ``max_files``)."""
    out: list[Batch] = []
    current: list[Filing] = []
    size = 0
    for f in filings:
        current.append(f)
        size += f.size
        if size >= batch_bytes or len(current) >= max_files:
            out.append(Batch(len(out), tuple(current)))
            current, size = [], 0
    if current:
        out.append(Batch(len(out), tuple(current)))
    return out


def _error(f: Filing, stage: str, reason: str, doc_id: str | None = None) -> dict[str, Any]:
    rec: dict[str, Any] = {"path": f.label, "stage": stage, "reason": reason}
    if doc_id or f.doc_id:
        rec["doc_id"] = doc_id or f.doc_id
    return rec


def _read(f: Filing) -> bytes:
    if f.data is not None:
        return f.data
    if is_url(f.source):
        import fsspec

        with fsspec.open(f.source, "rb") as handle:
            return handle.read()  # type: ignore[no-any-return]
    return Path(f.source).read_bytes()


def ingest_filing(f: Filing) -> Any:
    """The canonical ``Document`` of one filing (raises on a bad one)."""
    from filingkit.ingest.core import ingest_bytes

    if f.document is not None:
        return f.document
    if f.row is not None:
        from filingkit.ingest.corpus import ingest_row

        return ingest_row(f.row, f.root or ".")
    data = _read(f)
    # a URL's path part names the file (doc_id from its stem or folder, as for a local path)
    path = f.source.partition("://")[2] if is_url(f.source) else f.source
    return ingest_bytes(data, path=path, doc_id=f.doc_id)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason) if reason else f"{type(exc).__name__}: {exc}"


def _ingest_or_error(f: Filing, errors: list[dict[str, Any]]) -> Any:
    """The filing's ``Document``, or None with its error appended (stage read or ingest)."""
    from filingkit.errors import IngestError

    try:
        return ingest_filing(f)
    except OSError as exc:
        errors.append(_error(f, "read", f"cannot read: {exc.strerror or exc}"))
    except IngestError as exc:
        errors.append(_error(f, "ingest", exc.reason))
    except Exception as exc:  # a converter bug must not stop the batch
        errors.append(_error(f, "ingest", f"cannot convert: {_reason(exc)}"))
    return None


def run_batch(batch: Batch, spec_key: str) -> BatchResult:
    """Ingest and extract every filing of the batch with this process's extractor."""
    from filingkit.jsonio import dumps_line
    from filingkit.serialize import annotations_to_json

    extractor = cached_extractor(spec_key)
    system = f"{extractor.name}@{extractor.version}"
    lines: list[tuple[str, str]] = []
    labels: list[str] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in batch.filings:
        doc = _ingest_or_error(f, errors)
        if doc is None:
            continue
        if doc.doc_id in seen:
            errors.append(_error(f, "dedupe", f"document id {doc.doc_id!r} already extracted",
                                 doc.doc_id))
            continue
        try:
            ann = extractor.extract(doc)
        except Exception as exc:  # one broken document must not stop the batch
            errors.append(_error(f, "extract", _reason(exc), doc.doc_id))
            continue
        seen.add(doc.doc_id)
        lines.append((doc.doc_id, dumps_line(annotations_to_json(ann, extractor=system))))
        labels.append(f.label)
    return BatchResult(batch.index, tuple(lines), tuple(errors), len(batch.filings),
                       batch.n_bytes, os.getpid(), tuple(labels))


def ingest_batch(batch: Batch, spec_key: str = "") -> BatchResult:
    """Ingest every filing of the batch; the documents travel back to the client, which
    writes them (``filingkit ingest --jobs``), so two filings with one id never race."""
    errors: list[dict[str, Any]] = []
    docs: list[Any] = []
    labels: list[str] = []
    for f in batch.filings:
        doc = _ingest_or_error(f, errors)
        if doc is not None:
            docs.append(doc)
            labels.append(f.label)
    return BatchResult(batch.index, (), tuple(errors), len(batch.filings), batch.n_bytes,
                       os.getpid(), tuple(labels), tuple(docs))
