"""A Label Studio JSON export into gold: one annotation set per annotator and filing.

Each task's annotations become ``<gold>/<doc_id>/annotations/<annotator>.json``
(status ``annotated``, sources ``labelstudio:<annotator>``), written with
``filingkit.gold.store.save_gold(..., annotator_set=True)``. Every region is
checked (known control and label, offsets inside the text, span text
re-derived from the text, value normalized by the catalogue); a region that
fails is reported by task, annotator and region. By default an export with any
bad region writes nothing; ``allow_invalid`` writes the good regions and still
reports the bad ones. Import never touches ``gold.json``, so adjudicated gold
is never overwritten; an existing annotation set with different content is
replaced only with ``overwrite``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filingkit.annotate.config import LabelingSchema, labeling_schema
from filingkit.annotate.regions import from_results
from filingkit.annotate.tasks import document_from_data
from filingkit.catalogue import GROUPS, Catalogue, load_catalogue
from filingkit.errors import FilingkitError, OverwriteRefused
from filingkit.gold.store import (
    ANNOTATIONS_DIR,
    TEXT_FILE,
    _safe_name,
    gold_dir_for_writing,
    read_text_file,
    save_gold,
)
from filingkit.gold.validate import semantic_problems
from filingkit.jsonio import dumps, read_json
from filingkit.records import Document, GoldRecord, Provenance
from filingkit.serialize import gold_to_json, sorted_entities


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """A region (or a whole annotation) that was not imported, and why."""

    task: str
    annotator: str
    region: str
    reason: str

    def __str__(self) -> str:
        return f"task {self.task} annotator {self.annotator} {self.region}: {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return {"task": self.task, "annotator": self.annotator, "region": self.region,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ImportedSet:
    """One annotation set read from the export, and what happened to its file."""

    doc_id: str
    annotator: str
    entities: int
    facts: int
    path: str
    action: str  # "written", "unchanged", "not written"

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "annotator": self.annotator, "entities": self.entities,
                "facts": self.facts, "path": self.path, "action": self.action}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import read, wrote, skipped (with reasons) and refused."""

    sets: tuple[ImportedSet, ...]
    issues: tuple[ImportIssue, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_dict(self) -> dict[str, Any]:
        return {"sets": [s.to_dict() for s in self.sets],
                "issues": [i.to_dict() for i in self.issues], "notes": list(self.notes)}


@dataclass(frozen=True, slots=True)
class _Pending:
    document: Document
    record: GoldRecord
    task: str


def read_export(path: str | Path) -> list[dict[str, Any]]:
    """A Label Studio JSON export (a list of tasks with their annotations)."""
    data = read_json(path)
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise FilingkitError("a Label Studio JSON export is a list of task objects", file=path,
                             hint="export with `filingkit annotate pull` or as JSON (not "
                                  "JSON_MIN, which drops regions' context)")
    return data


def annotator_of(annotation: Mapping[str, Any], task: Mapping[str, Any]) -> str:
    """The annotator's identity: the e-mail of ``completed_by`` where the export has it.

    Snapshot exports carry ``completed_by`` as an object with the e-mail; plain
    exports carry the user id and ``created_username`` (``email, id``).
    """
    who = annotation.get("completed_by")
    if isinstance(who, Mapping):
        email = who.get("email")
        if isinstance(email, str) and email:
            return email
        if who.get("id") is not None:
            return f"user{who['id']}"
    created = annotation.get("created_username")
    if isinstance(created, str) and created.strip():
        return created.split(",")[0].strip()
    if isinstance(who, int) and not isinstance(who, bool):
        return f"user{who}"
    raise FilingkitError(f"task {task.get('id')}: annotation {annotation.get('id')} names no "
                         "annotator (completed_by)")


def _latest(items: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The most recently updated annotation (ties: the highest id); odd values sort first."""
    def key(a: Mapping[str, Any]) -> tuple[str, int]:
        ident = a.get("id")
        return (str(a.get("updated_at") or ""),
                ident if isinstance(ident, int) and not isinstance(ident, bool) else -1)
    return max(items, key=key)


def _task_label(task: Mapping[str, Any]) -> str:
    data = task.get("data") if isinstance(task.get("data"), Mapping) else {}
    doc = data.get("doc_id") if isinstance(data, Mapping) else None
    return f"{task.get('id', '?')}" + (f" ({doc})" if doc else "")


def read_annotation_sets(
    export: Sequence[Mapping[str, Any]],
    schema: LabelingSchema,
    *,
    scope: Sequence[str] | None = None,
    gold_dir: str | Path | None = None,
) -> tuple[list[_Pending], list[ImportIssue], list[str]]:
    """Annotation sets of an export, the bad regions, and notes on what was skipped."""
    cat = schema.catalogue
    set_scope = tuple(scope) if scope is not None else tuple(
        g for g in GROUPS if any(f.group == g for f in cat.fields))
    pending: list[_Pending] = []
    issues: list[ImportIssue] = []
    notes: list[str] = []
    for task in export:
        label = _task_label(task)
        data = task.get("data")
        try:
            if not isinstance(data, Mapping):
                raise FilingkitError("task has no data object")
            doc = document_from_data(data, where=f"task {label}")
        except FilingkitError as exc:
            issues.append(ImportIssue(label, "-", "data", exc.reason))
            continue
        if data.get("text_sha256") not in (None, doc.sha256):
            issues.append(ImportIssue(label, "-", "data.text_sha256", "does not match data.text"))
            continue
        if gold_dir is not None:
            stored = Path(gold_dir) / doc.doc_id / TEXT_FILE
            if stored.is_file() and read_text_file(stored) != doc.text:
                issues.append(ImportIssue(label, "-", "data.text",
                                          f"differs from the stored canonical text {stored}"))
                continue
        by_annotator: dict[str, list[Mapping[str, Any]]] = {}
        for ann in task.get("annotations") or ():
            if not isinstance(ann, Mapping):
                issues.append(ImportIssue(label, "?", "annotation", "must be an object"))
                continue
            try:
                who = annotator_of(ann, task)
            except FilingkitError as exc:
                issues.append(ImportIssue(label, "?", f"annotation {ann.get('id')}", exc.reason))
                continue
            if ann.get("was_cancelled"):
                notes.append(f"task {label}: cancelled (skipped) annotation {ann.get('id')} "
                             f"by {who}")
                continue
            by_annotator.setdefault(who, []).append(ann)
        if not by_annotator:
            notes.append(f"task {label}: no completed annotations")
        for who, anns in sorted(by_annotator.items()):
            ann = _latest(anns)
            if len(anns) > 1:
                older = sorted(str(a.get("id")) for a in anns if a is not ann)
                notes.append(f"task {label}: {who} has {len(anns)} annotations; kept the latest "
                             f"({ann.get('id')}), not {', '.join(older)}")
            read = from_results(ann.get("result") or [], doc.text, schema,
                                source=f"labelstudio:{who}")
            issues.extend(ImportIssue(label, who, i.where, i.reason)
                          for i in read.issues)
            record = GoldRecord(
                doc_id=doc.doc_id, text_sha256=doc.sha256, segments=doc.segments,
                entities=tuple(sorted_entities(read.entities)), facts=read.facts,
                status="annotated", provenance=doc.provenance or _no_provenance(doc),
                catalogue_version=cat.version, annotator=who, scope=set_scope,
                notes=(f"imported from Label Studio task {task.get('id')}, annotation "
                       f"{ann.get('id')}",),
            )
            for p in semantic_problems(record, doc.text, f"task {label}", cat):
                issues.append(ImportIssue(label, who, p.field, p.reason))
            pending.append(_Pending(doc, record, label))
    return pending, issues, notes


def _no_provenance(doc: Document) -> Provenance:
    return Provenance(kind="user", path=f"labelstudio:{doc.doc_id}")


def _set_path(gold_dir: Path, record: GoldRecord) -> Path:
    return gold_dir / record.doc_id / ANNOTATIONS_DIR / f"{_safe_name(record.annotator or '')}.json"


def import_export(
    export_path: str | Path,
    gold_dir: str | Path,
    *,
    catalogue: Catalogue | None = None,
    scope: Sequence[str] | None = None,
    allow_invalid: bool = False,
    overwrite: bool = False,
) -> ImportReport:
    """Import a Label Studio export into ``gold_dir`` as per-annotator annotation sets.

    Nothing is written when any region is bad (unless ``allow_invalid``) or
    when an existing set would change (unless ``overwrite``): the report says
    which and why. Sets identical to what is on disk are left as they are.
    """
    cat = catalogue or load_catalogue()
    schema = labeling_schema(cat)
    root = gold_dir_for_writing(gold_dir)
    pending, issues, notes = read_annotation_sets(read_export(export_path), schema,
                                                  scope=scope, gold_dir=root)
    plan: list[tuple[_Pending, Path, str]] = []
    for p in pending:
        path = _set_path(root, p.record)
        action = "written"
        if path.exists():
            if read_json(path) == json.loads(dumps(gold_to_json(p.record))):
                action = "unchanged"
            elif not overwrite:
                issues.append(ImportIssue(p.task, p.record.annotator or "?", "annotation set",
                                          f"{path} exists with different content; pass "
                                          "overwrite to replace it"))
        plan.append((p, path, action))
    write = allow_invalid or not issues
    if any(i.region == "annotation set" for i in issues):
        write = False  # never replace an existing set by accident
    sets: list[ImportedSet] = []
    for p, path, action in plan:
        if write and action == "written":
            try:
                save_gold(root, p.document, p.record, annotator_set=True, overwrite=overwrite)
            except OverwriteRefused as exc:
                issues.append(ImportIssue(p.task, p.record.annotator or "?", "annotation set",
                                          exc.message))
                action = "not written"
        elif not write and action == "written":
            action = "not written"
        sets.append(ImportedSet(p.record.doc_id, p.record.annotator or "?",
                                len(p.record.entities), len(p.record.facts), str(path), action))
    return ImportReport(tuple(sets), tuple(issues), tuple(notes))
