"""Retraining a served extractor from the annotations Label Studio reports.

``AnnotationStore`` keeps, per project and task, the task's data and its
latest annotations as the webhooks and ``/train`` deliver them (thread-safe:
requests arrive on several threads). ``Trainer`` turns a snapshot of the store
into training data through the importer (``importer.read_annotation_sets``:
every region checked against the task text, values normalized by the
catalogue), adds the gold, fits a fresh clone of the extractor and, only when
that succeeded, swaps it in with a new model version. A training that fails
leaves the model being served untouched and is reported in ``status()``.

An annotation set with any bad region is left out of training as a whole (a
half-read set would teach the model that the dropped spans are negatives);
each bad region is listed in the run's report and logged, never dropped
silently. The annotation set of a filing replaces that filing's gold in
training: it is the newer human reading.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filingkit.annotate.config import LabelingSchema
from filingkit.annotate.importer import read_annotation_sets
from filingkit.extractors.base import Extractor
from filingkit.records import Annotations, Document, GoldDocument

log = logging.getLogger("filingkit.annotate.serve")
MAX_ISSUES = 50
STORE_FORMAT = "filingkit-serve-annotations"
STORE_FILE = "annotations.json"


def is_trainable(extractor: Any) -> bool:
    """True for an extractor with ``fit`` and ``save`` (``TrainableExtractor``)."""
    return callable(getattr(extractor, "fit", None)) and callable(getattr(extractor, "save", None))


def model_digest(extractor: Any) -> str:
    """The first 10 hex digits of the sha256 of a fitted model as ``save`` writes it.

    Content-addressed, so the same training data gives the same version and
    a restarted server with the same model serves the same version.
    """
    h = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="filingkit-serve-") as tmp:
        extractor.save(Path(tmp) / "model")
        for p in sorted((Path(tmp) / "model").rglob("*")):
            if p.is_file():
                h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:10]


# ------------------------------------------------------------------ annotations


class AnnotationStore:
    """The projects' submitted annotations, by project and task (latest version of each).

    With ``path``, the store is read from that JSON file at start and written
    back (atomically) after every change, so a restarted server still trains
    on the annotations submitted before.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self._tasks: dict[tuple[str, Any], dict[str, Any]] = {}
        self.path = Path(path) if path is not None else None
        if self.path is not None and self.path.exists():
            self._load(self.path)

    def _load(self, path: Path) -> None:
        from filingkit.errors import FilingkitError
        from filingkit.jsonio import read_json

        data = read_json(path)
        if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
            raise FilingkitError(f"not a {STORE_FORMAT} file", file=path,
                                 hint="point --state-dir at a folder `annotate serve` wrote")
        for i, row in enumerate(data.get("tasks") or ()):
            if not isinstance(row, dict) or not isinstance(row.get("annotations"), list):
                raise FilingkitError(f"tasks[{i}] is not a stored task", file=path)
            key = (str(row.get("project")), row.get("id"))
            self._tasks[key] = {"task": {"id": row.get("id"), "data": row.get("data")},
                                "annotations": {a.get("id"): a for a in row["annotations"]
                                                if isinstance(a, dict)}}

    def _save(self) -> None:
        """Write the store (caller holds the lock)."""
        if self.path is None:
            return
        from filingkit.jsonio import write_json_atomic

        rows = [{"project": proj, **entry["task"],
                 "annotations": list(entry["annotations"].values())}
                for (proj, _), entry in sorted(self._tasks.items(), key=lambda kv: str(kv[0]))]
        write_json_atomic(self.path, {"format": STORE_FORMAT, "version": 1, "tasks": rows})

    def add(self, project: str, pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]
            ) -> int:
        """Store ``(annotation, task)`` pairs; returns how many were stored."""
        with self._lock:
            for ann, task in pairs:
                key = (project, task.get("id"))
                entry = self._tasks.setdefault(key, {"task": {}, "annotations": {}})
                entry["task"] = {"id": task.get("id"), "data": task.get("data")}
                entry["annotations"][ann.get("id")] = dict(ann)
            self._save()
        return len(pairs)

    def delete(self, project: str, ids: Sequence[Any]) -> int:
        """Forget annotations by id; returns how many were known."""
        wanted = set(ids)
        n = 0
        with self._lock:
            for (proj, _), entry in self._tasks.items():
                if proj == project:
                    for i in wanted & set(entry["annotations"]):
                        del entry["annotations"][i]
                        n += 1
            if n:
                self._save()
        return n

    def replace(self, project: str, pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]
                ) -> int:
        """Replace everything known of a project (``/train`` sends all its annotated tasks)."""
        with self._lock:
            for key in [k for k in self._tasks if k[0] == project]:
                del self._tasks[key]
        return self.add(project, pairs)

    def export(self) -> list[dict[str, Any]]:
        """A snapshot shaped like a Label Studio JSON export (tasks with annotations)."""
        with self._lock:
            return [{**entry["task"], "annotations": list(entry["annotations"].values())}
                    for _, entry in sorted(self._tasks.items(), key=lambda kv: str(kv[0]))
                    if entry["annotations"]]

    def __len__(self) -> int:
        with self._lock:
            return sum(len(e["annotations"]) for e in self._tasks.values())


def annotated_pairs(tasks: Sequence[Any], where: str
                    ) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """``(annotation, task)`` pairs of a list of tasks with annotations (an export, ``/train``)."""
    from filingkit.errors import FilingkitError

    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for i, t in enumerate(tasks):
        if not isinstance(t, Mapping) or not isinstance(t.get("annotations"), list):
            raise FilingkitError(f"{where}[{i}] is not a task with an annotations list")
        pairs.extend((a, t) for a in t["annotations"] if isinstance(a, Mapping))
    return pairs


# ------------------------------------------------------------------ training


@dataclass(frozen=True, slots=True)
class TrainingRun:
    """One retraining: what it learnt from, what came out, or why it failed."""

    number: int
    reason: str
    status: str  # "succeeded" | "failed"
    model_version: str
    started_at: str
    seconds: float
    gold_documents: int
    annotated_documents: int
    sets_excluded: int
    issues: tuple[str, ...]
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["issues"] = list(self.issues)
        return out


def training_data(gold: Sequence[GoldDocument], export: Sequence[Mapping[str, Any]],
                  schema: LabelingSchema, fields: Sequence[str]
                  ) -> tuple[list[Document], list[Annotations], int, int, list[str]]:
    """Documents and annotations to fit on: gold in scope, replaced or extended by annotations.

    Returns ``(documents, annotations, annotated documents used, sets
    excluded, issues)``.
    """
    from filingkit.extractors.cv import in_scope

    cat = schema.catalogue
    by_doc: dict[str, tuple[Document, Annotations]] = {
        g.doc_id: (g.document, g.gold.annotations) for g in gold
        if in_scope(g.gold, fields, cat)}
    pending, issues, _ = read_annotation_sets(export, schema)
    bad = {(i.task, i.annotator) for i in issues}
    used: set[str] = set()
    excluded = 0
    for p in pending:
        if (p.task, p.record.annotator) in bad:
            excluded += 1
            continue
        by_doc[p.record.doc_id] = (p.document, p.record.annotations)
        used.add(p.record.doc_id)
    docs = [d for d, _ in by_doc.values()]
    anns = [a for _, a in by_doc.values()]
    return docs, anns, len(used), excluded, [str(i) for i in issues]


class Trainer:
    """Retrains one trainable extractor, one training at a time, and keeps its history.

    ``request`` coalesces: events arriving during a training cause one more
    training afterwards, not one each. ``on_trained(old, new)`` is called
    with the fitted replacement, only after a successful fit.
    """

    def __init__(self, extractor: Extractor, schema: LabelingSchema,
                 gold: Sequence[GoldDocument], *, background: bool,
                 on_trained: Callable[[Extractor, Extractor], None],
                 state_dir: str | Path | None = None) -> None:
        self.schema = schema
        self.gold = tuple(gold)
        self.background = background
        self.store = AnnotationStore(Path(state_dir) / STORE_FILE if state_dir else None)
        self._current = extractor
        self._on_trained = on_trained
        self.digest = model_digest(extractor)
        self.versions: list[str] = [self.digest]
        self.runs: list[TrainingRun] = []
        self._lock = threading.Lock()
        self._pending: str | None = None
        #: reads a project's annotated tasks from Label Studio (an export), when configured
        self.fetch: Callable[[str], list[dict[str, Any]]] | None = None
        self._refresh: set[str] = set()
        self._thread: threading.Thread | None = None

    def serves(self, extractor: Extractor) -> bool:
        return extractor is self._current

    @property
    def training(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def request(self, reason: str, *, refresh: str | None = None) -> None:
        """Train now (foreground) or schedule a training (background).

        ``refresh`` names a project whose annotations are first read again from
        Label Studio (when ``fetch`` is set), replacing what the webhooks told.
        """
        if refresh is not None and self.fetch is not None:
            with self._lock:
                self._refresh.add(refresh)
        if not self.background:
            self._train(reason)
            return
        with self._lock:
            self._pending = reason
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="filingkit-retrain",
                                                daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the background training (and the ones queued behind it) to finish."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                thread = self._thread
            if thread is None or not thread.is_alive():
                return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            thread.join(left)

    def _loop(self) -> None:
        while True:
            with self._lock:
                reason, self._pending = self._pending, None
                if reason is None:
                    self._thread = None
                    return
            self._train(reason)

    def _train(self, reason: str) -> None:
        from filingkit.extractors.cv import clone

        number = len(self.runs) + 1
        started = datetime.now(UTC).isoformat(timespec="seconds")
        t0 = time.perf_counter()
        old = self._current
        docs: list[Document] = []
        used = excluded = 0
        issues: list[str] = []
        pulled = self._pull()
        try:
            docs, anns, used, excluded, issues = training_data(
                self.gold, self.store.export(), self.schema, old.fields)
            issues = pulled + issues
            for i in issues:
                log.warning("training %d: annotation region not used: %s", number, i)
            if not docs:
                raise ValueError("no training documents: no gold in scope and no annotations")
            new = clone(old).fit(docs, anns)
            digest = model_digest(new)
        except Exception as exc:  # a failed training must never take the served model down
            log.error("training %d (%s) failed, still serving %s: %s: %s", number, reason,
                      self.digest, type(exc).__name__, exc)
            self._record(TrainingRun(number, reason, "failed", self.digest, started,
                                     time.perf_counter() - t0, len(docs) - used, used,
                                     excluded, tuple(issues[:MAX_ISSUES]),
                                     f"{type(exc).__name__}: {exc}"))
            return
        self._current = new
        self.digest = digest
        if digest not in self.versions:
            self.versions.append(digest)
        self._on_trained(old, new)
        log.info("training %d (%s) succeeded in %.1f s on %d documents (%d annotated): "
                 "model %s", number, reason, time.perf_counter() - t0, len(docs), used, digest)
        self._record(TrainingRun(number, reason, "succeeded", digest, started,
                                 time.perf_counter() - t0, len(docs) - used, used, excluded,
                                 tuple(issues[:MAX_ISSUES])))

    def _pull(self) -> list[str]:
        """Read the projects asked for again from Label Studio; problems come back as issues."""
        with self._lock:
            projects, self._refresh = sorted(self._refresh), set()
        problems = []
        for project in projects:
            if self.fetch is None:
                break
            try:
                tasks = self.fetch(project)
                self.store.replace(project, annotated_pairs(tasks, "export"))
            except Exception as exc:  # Label Studio down: train on what the webhooks told
                problems.append(f"project {project}: annotations not read from Label Studio "
                                f"({type(exc).__name__}: {exc}); trained on the webhooks' copy")
                log.warning("%s", problems[-1])
        return problems

    def _record(self, run: TrainingRun) -> None:
        with self._lock:
            self.runs.append(run)

    def status(self) -> dict[str, Any]:
        """For ``/health``: training now or not, the number of runs, the last run."""
        with self._lock:
            last = self.runs[-1].to_dict() if self.runs else None
            return {"state": "training" if self.training else "idle", "runs": len(self.runs),
                    "annotations": len(self.store), "last": last}


def prepare_extractors(names: Sequence[str], *, model: str | Path | None = None,
                       gold_dir: str | Path | None = None,
                       options: Mapping[str, Any] | None = None
                       ) -> tuple[list[Extractor], list[GoldDocument]]:
    """Build the extractors to serve, and the gold a trainable one learns from.

    A trainable extractor is loaded from ``model`` when given, otherwise
    fitted on the gold (``gold_dir``, the bundled gold by default) before the
    server starts. The gold is loaded only
    when something is trainable. ``options`` are constructor options of the
    trainable extractor (``max_iterations=20``); a loaded model keeps its own.
    """
    from filingkit.extractors.cv import in_scope
    from filingkit.extractors.errors import ExtractorError
    from filingkit.extractors.registry import extractor_class, get_extractor
    from filingkit.gold.store import load_gold_dir

    built: list[Extractor] = []
    gold: list[GoldDocument] = []
    trainable_seen = False
    for name in names:
        load = getattr(extractor_class(name), "load", None)
        if callable(load) and not trainable_seen:
            trainable_seen = True
            gold = load_gold_dir(gold_dir)
            if model is not None:
                built.append(load(model))
                continue
            ext: Any = get_extractor(name, **dict(options or {}))
            cat = load_catalogue_of(ext)
            fit_on = [g for g in gold if in_scope(g.gold, ext.fields, cat)]
            if not fit_on:
                raise ExtractorError(f"{name}: no gold document's scope covers its fields",
                                     hint="pass --gold with entity-annotated filings or --model")
            log.info("training %s on %d gold documents before serving", name, len(fit_on))
            built.append(ext.fit([g.document for g in fit_on],
                                 [g.gold.annotations for g in fit_on]))
        else:
            built.append(get_extractor(name))
    if model is not None and not trainable_seen:
        raise ExtractorError(f"--model is for a trainable extractor; none of {list(names)} is",
                             hint="serve `ml` with --model, or drop --model")
    return built, gold


def load_catalogue_of(extractor: Any) -> Any:
    """The catalogue an extractor was built for (its ``catalogue`` option), or the shipped one."""
    from filingkit.catalogue import load_catalogue

    return load_catalogue(getattr(extractor, "catalogue", None))
