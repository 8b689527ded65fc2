"""The Label Studio ML backend protocol, as Label Studio 1.23 speaks it, over filingkit extractors.

``Backend`` answers the calls Label Studio makes to a connected model
(``label_studio/ml/api_connector.py`` in the server): ``health``, ``setup``
(project and labeling config), ``predict`` (tasks -> one prediction per task),
``webhook`` (annotation events, ``START_TRAINING``) and ``train`` (the
"Start training" button, which sends every annotated task). Each method
takes the decoded JSON body and returns the JSON answer, or raises
``RequestError`` with the HTTP status and a reason the caller can act on; the
HTTP side (``filingkit.annotate.server``) only adds auth, size limits and JSON.

Predictions are the regions ``annotate export`` writes (``regions.to_results``,
per-document fact controls included), every region checked against the
task's own text before it leaves (``regions.from_results``, strict): a region
that fails is left out and logged, never sent for Label Studio to mis-display.
With several extractors, each field comes from the first extractor (in the
order given) that declares it, so ``--extractor ml --extractor rules`` gives
the CRF's entities and the rules' facts in one prediction.

Submitted annotations are kept per project and task and, for a trainable
extractor, trigger a retraining in the background (``serve_training``).
"""

from __future__ import annotations

import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from filingkit.annotate.client import Connection, pull
from filingkit.annotate.config import LabelingSchema
from filingkit.annotate.regions import from_results, to_results
from filingkit.annotate.serve_training import Trainer, annotated_pairs, is_trainable
from filingkit.annotate.tasks import document_from_data, model_version, prediction_score
from filingkit.errors import FilingkitError
from filingkit.extractors.base import Extractor
from filingkit.records import Annotations, Document, Fact, GoldDocument

log = logging.getLogger("filingkit.annotate.serve")

#: the control tags of a labeling config; everything else is layout
_CONTROL_TAGS = frozenset({"Labels", "Choices", "TextArea", "DateTime", "Text", "Relations",
                           "Number", "Rating", "Taxonomy", "HyperTextLabels", "Relation"})
_ANNOTATION_EVENTS = frozenset({"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED"})


class RequestError(FilingkitError):
    """A request the backend refuses, with the HTTP status to answer (4xx)."""

    def __init__(self, reason: str, *, status: int = 422, hint: str | None = None) -> None:
        super().__init__(reason, hint=hint)
        self.status = status


# ------------------------------------------------------------------ labeling config


def _controls_of(xml: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """``name -> (tag, toName, sorted values)`` of every control tag of a config."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise RequestError(f"the labeling config is not valid XML: {exc}") from None
    out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for el in root.iter():
        if el.tag not in _CONTROL_TAGS or "name" not in el.attrib:
            continue
        values = tuple(sorted(c.get("value", "") for c in el if c.tag in ("Label", "Choice")))
        out[el.attrib["name"]] = (el.tag, el.get("toName", ""), values)
    return out


def config_differences(xml: str, schema: LabelingSchema) -> list[str]:
    """How a project's labeling config differs from the catalogue's, control by control.

    Layout (headers, views, hints, colours) may differ; every control the
    catalogue's config declares must be there with the same tag, target and
    labels or choices, and no other control may be added (its regions could
    not be read back into gold).
    """
    theirs = _controls_of(xml)
    ours = _controls_of(schema.xml)
    diffs: list[str] = []
    for name, (tag, to, values) in ours.items():
        if name not in theirs:
            diffs.append(f"control {name!r} ({tag}) is missing")
            continue
        ttag, tto, tvalues = theirs[name]
        if (ttag, tto) != (tag, to):
            diffs.append(f"control {name!r} is <{ttag} toName={tto!r}>, expected <{tag} "
                         f"toName={to!r}>")
        missing = sorted(set(values) - set(tvalues))
        extra = sorted(set(tvalues) - set(values))
        if missing:
            diffs.append(f"control {name!r} lacks {_few(missing)}")
        if extra:
            diffs.append(f"control {name!r} has values unknown to the catalogue: {_few(extra)}")
    for name in sorted(set(theirs) - set(ours)):
        diffs.append(f"control {name!r} ({theirs[name][0]}) is not in the catalogue's config")
    return diffs


def _few(items: Sequence[str], n: int = 8) -> str:
    shown = ", ".join(repr(i) for i in items[:n])
    return shown + (f" and {len(items) - n} more" if len(items) > n else "")


# ------------------------------------------------------------------ body helpers


def _field(body: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = body.get(key)
    if not isinstance(value, kind):
        got = "missing" if key not in body else f"a {type(value).__name__}"
        raise RequestError(f"{what}: {key!r} is {got}, expected {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {dict: "an object", list: "a list", str: "a string", int: "an integer"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def project_key(project: Any) -> str:
    """A project's id from any of the shapes Label Studio sends.

    ``/predict`` and ``/setup`` send ``"<id>.<created timestamp>"``, webhooks the
    project object, tasks the bare id.
    """
    if isinstance(project, Mapping):
        project = project.get("id")
    if isinstance(project, bool) or project is None:
        return "?"
    return str(project).split(".")[0]


def task_document(task: Any, index: int) -> Document:
    """The document of a Label Studio task: its ``data.text``, checked.

    A task imported without ``doc_id`` (made by other tools) is named
    ``task-<id>``; a ``text_sha256`` that does not match the text is refused,
    since the offsets of any prediction would then point into another text.
    """
    if not isinstance(task, Mapping):
        raise RequestError(f"tasks[{index}] is not an object")
    label = f"tasks[{index}] (id {task.get('id', '?')})"
    data = task.get("data")
    if not isinstance(data, Mapping):
        raise RequestError(f"{label}: has no data object")
    if not isinstance(data.get("text"), str) or not data["text"]:
        raise RequestError(f"{label}: data.text is missing or empty",
                           hint="the labeling config reads the text from $text")
    if not isinstance(data.get("doc_id"), str) or not data["doc_id"]:
        data = {**data, "doc_id": f"task-{task.get('id', index)}"}
    try:
        doc = document_from_data(data, where=label)
    except FilingkitError as exc:
        raise RequestError(exc.reason) from None
    sha = data.get("text_sha256")
    if sha is not None and sha != doc.sha256:
        raise RequestError(f"{label} ({doc.doc_id}): data.text_sha256 does not match data.text",
                           hint="the task text was changed after export; export it again")
    return doc


# ------------------------------------------------------------------ the backend


class Backend:
    """The model server's state: the extractors, the labeling schema and the trainer.

    ``extractors`` must be ready to extract (a trainable one fitted or
    loaded). ``gold`` is what a trainable extractor learns from besides the
    projects' annotations; ``state_dir`` keeps those annotations across
    restarts (a restart with stored annotations retrains on them);
    ``label_studio`` (URL and API key) lets ``START_TRAINING`` read the
    project's annotations from the server first, so annotations submitted
    while the backend was down are learnt too.
    ``background`` runs retraining in a thread (the server); ``False`` trains
    inside ``webhook`` / ``train`` (tests, scripts).
    """

    def __init__(self, extractors: Sequence[Extractor], schema: LabelingSchema, *,
                 gold: Sequence[GoldDocument] = (), background: bool = True,
                 state_dir: str | Path | None = None,
                 label_studio: Connection | None = None) -> None:
        if not extractors:
            raise FilingkitError("serve needs at least one extractor")
        names = [e.name for e in extractors]
        if len(set(names)) != len(names):
            raise FilingkitError(f"extractor given twice: {names}")
        trainable = [e for e in extractors if is_trainable(e)]
        if len(trainable) > 1:
            raise FilingkitError("serve retrains one trainable extractor at a time; got "
                                 f"{[e.name for e in trainable]}")
        self.schema = schema
        self._config_ok: dict[str, list[str]] = {}
        self._predict_lock = threading.Lock()
        self.trainer = (Trainer(trainable[0], schema, gold, background=background,
                                on_trained=self._swap, state_dir=state_dir)
                        if trainable else None)
        #: (extractor, model version) pairs, replaced as a whole so a batch sees one model
        self._served: list[tuple[Extractor, str]] = [(e, self._version_of(e))
                                                     for e in extractors]
        self.label_studio = label_studio
        if self.trainer is not None and label_studio is not None:
            self.trainer.fetch = lambda project: pull(label_studio, project=project)
        if self.trainer is not None and len(self.trainer.store):
            self.trainer.request("annotations restored from the state folder")

    # ---------------------------------------------------------------- versions

    def _version_of(self, ext: Extractor) -> str:
        base = model_version(ext.name, ext.version)
        if self.trainer is not None and self.trainer.serves(ext):
            return f"{base}-{self.trainer.digest}"
        return base

    def _swap(self, old: Extractor, new: Extractor) -> None:
        self._served = [((new, self._version_of(new)) if e is old else (e, v))
                        for e, v in self._served]

    @staticmethod
    def _joined(served: Sequence[tuple[Extractor, str]]) -> str:
        return "+".join(v for _, v in served)

    @property
    def model_version(self) -> str:
        """What Label Studio records on each prediction: the extractors' versions joined."""
        return self._joined(self._served)

    # ---------------------------------------------------------------- endpoints

    def health(self) -> dict[str, Any]:
        """``GET /health``: up, what is served, and the state of the last training."""
        out: dict[str, Any] = {
            "status": "UP", "model_version": self.model_version,
            "extractors": [{"name": e.name, "version": e.version, "model_version": v,
                            "trainable": self.trainer is not None and self.trainer.serves(e)}
                           for e, v in self._served],
            "catalogue": {"name": self.schema.catalogue.name,
                          "version": self.schema.catalogue.version},
        }
        if self.trainer is not None:
            out["training"] = self.trainer.status()
        if self.label_studio is not None:
            out["label_studio"] = self.label_studio.url  # never the key
        return out

    def versions(self) -> dict[str, Any]:
        """``GET /versions``: the model versions served since start, oldest first."""
        if self.trainer is None:
            return {"versions": [self.model_version]}
        current = self.model_version
        digest = self.trainer.digest
        return {"versions": [current.replace(digest, d) for d in self.trainer.versions]}

    def check_config(self, xml: str) -> None:
        """Refuse a labeling config that does not match the catalogue's (cached per config)."""
        diffs = self._config_ok.get(xml)
        if diffs is None:
            diffs = config_differences(xml, self.schema)
            if len(self._config_ok) < 32:
                self._config_ok[xml] = diffs
        if diffs:
            cat = self.schema.catalogue
            raise RequestError(
                f"the project's labeling config does not match catalogue {cat.name} "
                f"v{cat.version}: {'; '.join(diffs[:10])}"
                + (f" (and {len(diffs) - 10} more)" if len(diffs) > 10 else ""),
                hint="set the project's config to the output of `filingkit annotate config`")

    def setup(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /setup``: check the project's config; answer the current model version.

        The body also carries the project owner's API token (``access_token``):
        it is neither kept nor logged.
        """
        self.check_config(_field(body, "schema", str, "setup"))
        return {"model_version": self.model_version}

    def predict(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /predict``: one prediction per task, in the order of the tasks."""
        tasks = _field(body, "tasks", list, "predict")
        if not tasks:
            raise RequestError("predict: 'tasks' is empty")
        config = body.get("label_config")
        if config is not None:
            if not isinstance(config, str):
                raise RequestError("predict: 'label_config' must be a string")
            self.check_config(config)
        docs = [task_document(t, i) for i, t in enumerate(tasks)]
        served = self._served  # one model for the whole batch, even mid-swap
        extractors = [e for e, _ in served]
        version = self._joined(served)
        owners = self._owners(extractors)
        # one batch at a time: extractors need not be thread-safe (a CRFsuite tagger is not),
        # and the work is CPU-bound, so running batches side by side would gain nothing
        with self._predict_lock:
            results = [self._predict_one(doc, extractors, owners, version, t)
                       for doc, t in zip(docs, tasks, strict=True)]
        return {"results": results, "model_version": version}

    def _owners(self, extractors: Sequence[Extractor]) -> dict[str, str]:
        owners: dict[str, str] = {}
        for e in extractors:
            for f in e.fields:
                owners.setdefault(f, e.name)
        return owners

    def _predict_one(self, doc: Document, extractors: Sequence[Extractor],
                     owners: Mapping[str, str], version: str,
                     task: Mapping[str, Any]) -> dict[str, Any]:
        entities: dict[tuple[str, int, int], Any] = {}
        facts: list[Fact] = []
        for ext in extractors:
            try:
                ann = ext.extract(doc)
            except FilingkitError as exc:
                raise RequestError(f"task {task.get('id')} ({doc.doc_id}): extractor "
                                   f"{ext.name}: {exc.message}") from None
            for e in ann.entities:
                if owners.get(e.label) == ext.name:
                    entities.setdefault((e.label, e.start, e.end), e)
            facts.extend(f for f in ann.facts if owners.get(f.field) == ext.name)
        merged = Annotations(doc.doc_id, tuple(entities.values()), tuple(facts))
        result = self._checked_results(merged, doc, task)
        return {"result": result, "score": prediction_score(merged), "model_version": version}

    def _checked_results(self, ann: Annotations, doc: Document,
                         task: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Regions for the task, each checked against its text; bad ones left out and logged."""
        where = f"task {task.get('id')} ({doc.doc_id})"
        cat = self.schema.catalogue
        keep = []
        for f in ann.facts:
            spec = cat.get(f.field)
            if spec is None or spec.kind != "fact" or (spec.is_record and not f.evidence):
                log.warning("%s: fact %s left out: no place for it in the config", where, f.field)
                continue
            keep.append(f)
        ann = replace(ann, facts=tuple(keep))
        try:
            results = to_results(ann, doc.text, self.schema)
        except ValueError as exc:
            raise RequestError(f"{where}: {exc}") from None
        read = from_results(results, doc.text, self.schema, source="check", strict_text=True)
        bad_ids = {str(results[i.index].get("id")) for i in read.issues if i.index >= 0}
        for issue in read.issues:
            log.warning("%s: region left out of the prediction: %s", where, issue)
        return [r for r in results if str(r.get("id")) not in bad_ids]

    # ---------------------------------------------------------------- annotations

    def webhook(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /webhook``: annotation events and ``START_TRAINING``.

        Created / updated annotations are stored (the task's data with its
        latest annotations), deleted ones forgotten; any change, and
        ``START_TRAINING``, asks a trainable extractor to retrain. Other
        actions (project or task events) are acknowledged and ignored.
        """
        action = _field(body, "action", str, "webhook")
        project = project_key(body.get("project"))
        if action in _ANNOTATION_EVENTS:
            anns = body.get("annotation")
            tasks = body.get("task")
            if action == "ANNOTATIONS_CREATED":
                pairs = self._pairs(anns, tasks)
            else:
                if not isinstance(anns, Mapping) or not isinstance(tasks, Mapping):
                    raise RequestError(f"webhook {action}: needs 'annotation' and 'task' objects")
                pairs = [(anns, tasks)]
            changed = self._store().add(project, pairs)
        elif action == "ANNOTATIONS_DELETED":
            items = body.get("annotations")
            if not isinstance(items, list):
                raise RequestError(f"webhook {action}: 'annotations' must be a list")
            changed = self._store().delete(project, [a.get("id") for a in items
                                                     if isinstance(a, Mapping)])
        elif action == "START_TRAINING":
            return {"status": "ok", "action": action,
                    **self._maybe_train(1, action, refresh=project)}
        else:
            return {"status": "ignored", "action": action}
        return {"status": "ok", "action": action, **self._maybe_train(changed, action)}

    def train(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /train``: every annotated task of the project (the legacy training call)."""
        tasks = _field(body, "annotations", list, "train")
        project = project_key(body.get("project"))
        config = body.get("label_config")
        if isinstance(config, str):
            self.check_config(config)
        try:
            pairs = annotated_pairs(tasks, "train: annotations")
        except FilingkitError as exc:
            raise RequestError(exc.reason) from None
        self._store().replace(project, pairs)
        return {"status": "ok", **self._maybe_train(1, "train")}

    def _pairs(self, anns: Any, tasks: Any) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        if not isinstance(anns, list) or not isinstance(tasks, list):
            raise RequestError("webhook ANNOTATIONS_CREATED: 'annotation' and 'task' must be lists")
        by_id = {t.get("id"): t for t in tasks if isinstance(t, Mapping)}
        pairs = []
        for a in anns:
            if not isinstance(a, Mapping) or a.get("task") not in by_id:
                raise RequestError("webhook ANNOTATIONS_CREATED: an annotation names no task "
                                   "of the payload")
            pairs.append((a, by_id[a["task"]]))
        return pairs

    def _store(self) -> Any:
        if self.trainer is None:
            return _NO_STORE
        return self.trainer.store

    def _maybe_train(self, changed: int, why: str, refresh: str | None = None
                     ) -> dict[str, Any]:
        if self.trainer is None:
            return {"training": "no trainable extractor served"}
        if not changed:
            return {"training": "nothing changed"}
        self.trainer.request(why, refresh=refresh if refresh != "?" else None)
        return {"training": "scheduled" if self.trainer.background else "done",
                "model_version": self.model_version}


class _NullStore:
    """Where annotations go when nothing is trainable: acknowledged, not kept."""

    def add(self, project: str, pairs: Sequence[Any]) -> int:
        return len(pairs)

    def delete(self, project: str, ids: Sequence[Any]) -> int:
        return len(ids)

    def replace(self, project: str, pairs: Sequence[Any]) -> int:
        return len(pairs)


_NO_STORE = _NullStore()
