"""Canonical filings as Label Studio tasks, with optional pre-annotations.

A task carries the canonical text (``data.text``), the filing id, the text's
sha256, the segments and the provenance, so that an export can be imported
back into gold without looking anything up. Pre-annotations are Label Studio
``predictions`` whose ``model_version`` names the extractor and its version;
every task is checked before it is written (controls and labels against the
config, offsets inside the text, span text equal to ``text[start:end]``)
because the server itself accepts predictions it cannot display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filingkit.annotate.config import LabelingSchema
from filingkit.annotate.regions import RegionIssue, from_results, to_results
from filingkit.errors import FilingkitError
from filingkit.gold.store import GOLD_FILE, TEXT_FILE, load_gold_file, read_text_file
from filingkit.jsonio import write_json_atomic
from filingkit.records import Annotations, Document, Provenance, Segment
from filingkit.serialize import (
    provenance_from_json,
    provenance_to_json,
    segment_from_json,
    segment_to_json,
)


@dataclass(frozen=True, slots=True)
class TaskIssue:
    """A problem of one task: which document, which prediction, which region."""

    doc_id: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.where}: {self.reason}"


def model_version(name: str, version: str) -> str:
    """The Label Studio ``model_version`` of an extractor: ``name@version``."""
    return f"{name}@{version}"


# ------------------------------------------------------------------ documents


def load_documents(paths: Sequence[str | Path]) -> list[Document]:
    """Canonical documents from gold folders, filing folders or filing files.

    A folder holding ``text.txt`` is one filing (its ``gold.json``, when
    present, gives segments and provenance); a folder of such folders is a
    gold folder; any other file is ingested with ``filingkit.ingest``.
    """
    docs: list[Document] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and (p / TEXT_FILE).is_file():
            docs.append(_filing_folder(p))
        elif p.is_dir():
            folders = sorted(d for d in p.iterdir() if (d / TEXT_FILE).is_file())
            if not folders:
                raise FilingkitError("no filing folders (<doc_id>/text.txt) in this folder",
                                     file=p)
            docs.extend(_filing_folder(d) for d in folders)
        elif p.is_file():
            docs.append(_ingest(p))
        else:
            raise FilingkitError("no such file or folder", file=p)
    seen: set[str] = set()
    for d in docs:
        if d.doc_id in seen:
            raise FilingkitError(f"document {d.doc_id!r} given twice")
        seen.add(d.doc_id)
    return docs


def _filing_folder(folder: Path) -> Document:
    gold = folder / GOLD_FILE
    if gold.is_file():
        return load_gold_file(gold).document
    return Document(doc_id=folder.name, text=read_text_file(folder / TEXT_FILE),
                    provenance=Provenance(kind="user", path=str(folder / TEXT_FILE)))


def _ingest(path: Path) -> Document:
    try:
        from filingkit.ingest import ingest_file
    except ImportError as exc:
        raise FilingkitError(
            "filing files need filingkit.ingest, which is not available", file=path,
            hint="pass a gold or filing folder (<doc_id>/text.txt) instead",
        ) from exc
    doc: Document = ingest_file(path)
    return doc


# ------------------------------------------------------------------ tasks


def document_data(doc: Document) -> dict[str, Any]:
    """The ``data`` of a task: text, id, hash, segments and provenance."""
    data: dict[str, Any] = {"text": doc.text, "doc_id": doc.doc_id, "text_sha256": doc.sha256}
    if doc.segments:
        data["segments"] = [segment_to_json(s) for s in doc.segments]
    if doc.provenance is not None:
        data["provenance"] = provenance_to_json(doc.provenance)
    return data


def document_from_data(data: Mapping[str, Any], *, where: str = "task") -> Document:
    """The document a task's ``data`` describes (inverse of ``document_data``).

    A task without segments (made by other tools) gets one covering the text.
    """
    text = data.get("text")
    doc_id = data.get("doc_id")
    if not isinstance(text, str) or not text:
        raise FilingkitError(f"{where}: data.text is missing or empty")
    if not isinstance(doc_id, str) or not doc_id:
        raise FilingkitError(f"{where}: data.doc_id is missing",
                             hint="export tasks with `filingkit annotate export`")
    prov_raw = data.get("provenance")
    provenance = (provenance_from_json(prov_raw) if isinstance(prov_raw, Mapping)
                  else Provenance(kind="user", path=f"labelstudio:{doc_id}"))
    segments = tuple(segment_from_json(s, where=f"{where} segments[{i}]", file=None)
                     for i, s in enumerate(data.get("segments") or ()))
    if not segments:  # gold needs one; a task made elsewhere may have none: the whole text
        segments = (Segment(provenance.form or "document", 0, len(text)),)
    return Document(doc_id=doc_id, text=text, segments=segments, provenance=provenance,
                    source_format=provenance.format or "text")


def build_task(doc: Document, schema: LabelingSchema, *,
               predictions: Iterable[tuple[str, Annotations]] = ()) -> dict[str, Any]:
    """One task: the document's data and, per ``(model_version, annotations)``, a prediction."""
    task: dict[str, Any] = {"data": document_data(doc)}
    preds = []
    for version, ann in predictions:
        if ann.doc_id != doc.doc_id:
            raise FilingkitError(f"prediction for {ann.doc_id!r} given for {doc.doc_id!r}")
        try:
            result = to_results(ann, doc.text, schema)
        except ValueError as exc:
            raise FilingkitError(f"{doc.doc_id}: prediction {version}: {exc}") from None
        pred: dict[str, Any] = {"model_version": version, "result": result}
        score = prediction_score(ann)
        if score is not None:
            pred["score"] = score
        preds.append(pred)
    if preds:
        task["predictions"] = preds
    return task


def prediction_score(ann: Annotations) -> float | None:
    """A prediction's score: the mean score of its scored entities and facts, if any."""
    scores = [float(e.score) for e in ann.entities if e.score is not None]
    scores += [float(f.score) for f in ann.facts if f.score is not None]
    return sum(scores) / len(scores) if scores else None


def validate_task(task: Mapping[str, Any], schema: LabelingSchema) -> list[TaskIssue]:
    """Everything wrong with a task and its predictions / annotations, region by region."""
    data = task.get("data")
    if not isinstance(data, Mapping):
        return [TaskIssue("?", "data", "a task needs a data object")]
    doc_id = str(data.get("doc_id", "?"))
    try:
        doc = document_from_data(data)
    except FilingkitError as exc:
        return [TaskIssue(doc_id, "data", exc.reason)]
    issues: list[TaskIssue] = []
    if "text_sha256" in data and data["text_sha256"] != doc.sha256:
        issues.append(TaskIssue(doc_id, "data.text_sha256", "does not match data.text"))
    for kind in ("predictions", "annotations"):
        for i, body in enumerate(task.get(kind) or ()):
            where = f"{kind}[{i}]"
            if not isinstance(body, Mapping) or not isinstance(body.get("result"), list):
                issues.append(TaskIssue(doc_id, where, "needs a result list"))
                continue
            if kind == "predictions" and not body.get("model_version"):
                issues.append(TaskIssue(doc_id, where, "needs a model_version"))
            read = from_results(body["result"], doc.text, schema, source="check",
                                strict_text=True)
            issues.extend(_task_issue(doc_id, where, iss) for iss in read.issues)
    return issues


def _task_issue(doc_id: str, where: str, issue: RegionIssue) -> TaskIssue:
    return TaskIssue(doc_id, f"{where} {issue.where}", issue.reason)


def build_tasks(documents: Sequence[Document], schema: LabelingSchema, *,
                predictions: Mapping[str, Sequence[Annotations]] | None = None) -> list[
                    dict[str, Any]]:
    """Tasks for documents, with predictions per model version (by document id).

    A prediction for a document not in ``documents`` is an error: it would
    otherwise disappear without a word.
    """
    by_doc: dict[str, list[tuple[str, Annotations]]] = {}
    known = {d.doc_id for d in documents}
    for version, anns in (predictions or {}).items():
        for ann in anns:
            if ann.doc_id not in known:
                raise FilingkitError(f"prediction {version} for unknown document {ann.doc_id!r}",
                                     hint="pass the document's folder or file too")
            by_doc.setdefault(ann.doc_id, []).append((version, ann))
    return [build_task(d, schema, predictions=by_doc.get(d.doc_id, ())) for d in documents]


def write_tasks(path: str | Path, tasks: Sequence[Mapping[str, Any]],
                schema: LabelingSchema) -> Path:
    """Validate every task, then write them as one JSON array (atomically).

    Raises ``FilingkitError`` listing the problems when any task is invalid;
    nothing is written then.
    """
    issues = [i for t in tasks for i in validate_task(t, schema)]
    if issues:
        lines = "; ".join(str(i) for i in issues[:20])
        more = f" (and {len(issues) - 20} more)" if len(issues) > 20 else ""
        raise FilingkitError(f"{len(issues)} invalid regions, nothing written: {lines}{more}",
                             file=path)
    return write_json_atomic(path, list(tasks))
