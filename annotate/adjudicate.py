"""Adjudication: merge what all annotators agree on, queue what they do not.

For every document with two or more annotation sets, a value is *agreed* when
every set has it (entities: same label and boundaries; facts: the catalogue's
matching rule, e.g. ``name_key`` for names). Agreed values form the
adjudicated gold (status ``adjudicated``, source ``adjudicated``); every other
value is *disputed* and goes to a queue, one entry per (document, field).

The queue is ordered by how much an entry matters: its ``priority`` is the
share of the field's values in that document that are disputed (1.0 when the
annotators share nothing on a field, e.g. a cover fact with two different
values; 0.05 for one disputed span among twenty agreed ones), so the decisions
that move a document's score for a field most come first; ties go in
catalogue field order, then by document.

A document with open disputes gets no gold file. Disputes are settled by a
reviewer, typically in Label Studio on review tasks built by ``review_tasks``
(each annotator's set as a prediction, the agreed merge pre-selected); the
reviewer's annotation, imported as their own set, is then named with
``resolved_by`` and becomes the adjudicated gold of that document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from filingkit.annotate.agreement import load_annotation_sets
from filingkit.annotate.config import LabelingSchema
from filingkit.annotate.matching import canonical, fact_pairs, fact_values, in_scope
from filingkit.annotate.regions import to_results
from filingkit.annotate.tasks import document_data
from filingkit.catalogue import Catalogue, FieldSpec, load_catalogue
from filingkit.errors import FilingkitError, OverwriteRefused
from filingkit.gold.store import GOLD_FILE, resolve_gold_dir, save_gold
from filingkit.jsonio import dumps, read_json, write_json_atomic
from filingkit.records import Entity, Fact, GoldDocument, GoldRecord
from filingkit.serialize import gold_to_json, sorted_entities

QUEUE_FORMAT = "filingkit-adjudication-queue"
QUEUE_VERSION = 1
AGREED_MODEL_VERSION = "adjudication:agreed"


@dataclass(frozen=True, slots=True)
class DisputedValue:
    """One entity or fact value that some annotators have and others do not."""

    value: Any  # the fact value, or the span text of an entity
    annotators: tuple[str, ...]
    missing: tuple[str, ...]
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "annotators": list(self.annotators),
                               "missing": list(self.missing)}
        if self.start is not None:
            out.update(start=self.start, end=self.end)
        return out


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """The disputed values of one field in one document, with its priority."""

    doc_id: str
    field: str
    group: str
    priority: float
    agreed: int
    disputed: tuple[DisputedValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "field": self.field, "group": self.group,
                "priority": self.priority, "agreed": self.agreed,
                "disputed": [d.to_dict() for d in self.disputed]}


@dataclass(frozen=True, slots=True)
class DocumentAdjudication:
    """The merge of one document: the agreed record and its open disputes."""

    doc_id: str
    annotators: tuple[str, ...]
    record: GoldRecord
    disputes: tuple[QueueEntry, ...]
    resolved_by: str | None = None

    @property
    def complete(self) -> bool:
        return not self.disputes or self.resolved_by is not None


@dataclass(frozen=True, slots=True)
class AdjudicationReport:
    """What was merged, written, left open and skipped (with the reason)."""

    documents: tuple[DocumentAdjudication, ...]
    queue: tuple[QueueEntry, ...]
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = field(default=())

    def queue_dict(self) -> dict[str, Any]:
        """The queue as JSON (format ``filingkit-adjudication-queue``, version 1)."""
        return {"format": QUEUE_FORMAT, "version": QUEUE_VERSION,
                "entries": [e.to_dict() for e in self.queue]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": {d.doc_id: {"annotators": list(d.annotators), "complete": d.complete,
                                     "resolved_by": d.resolved_by,
                                     "disputed_fields": [e.field for e in d.disputes]}
                          for d in self.documents},
            "written": list(self.written), "unchanged": list(self.unchanged),
            "skipped": [{"doc_id": d, "reason": r} for d, r in self.skipped],
            **self.queue_dict(),
        }


# ------------------------------------------------------------------ merging


def _merge_entities(spec: FieldSpec, sets: Mapping[str, GoldDocument]
                    ) -> tuple[list[Entity], list[DisputedValue]]:
    who = tuple(sets)
    keys: dict[tuple[int, int], list[str]] = {}
    texts: dict[tuple[int, int], str | None] = {}
    for name, gd in sets.items():
        for e in gd.gold.entities:
            if e.label == spec.name:
                owners = keys.setdefault((e.start, e.end), [])
                if name not in owners:
                    owners.append(name)
                texts[(e.start, e.end)] = gd.document.text[e.start:e.end]
    agreed: list[Entity] = []
    disputed: list[DisputedValue] = []
    for (start, end), owners in sorted(keys.items()):
        if len(owners) == len(who):
            agreed.append(Entity(spec.name, start, end, texts[(start, end)], "adjudicated"))
        else:
            disputed.append(DisputedValue(texts[(start, end)], tuple(sorted(owners)),
                                          tuple(w for w in who if w not in owners), start, end))
    return agreed, disputed


def _merge_facts(spec: FieldSpec, sets: Mapping[str, GoldDocument]
                 ) -> tuple[list[Fact], list[DisputedValue]]:
    who = tuple(sets)
    facts = {w: [f for f in gd.gold.facts if f.field == spec.name] for w, gd in sets.items()}
    values = {w: [f.value for f in fs] for w, fs in facts.items()}
    pivot = who[0]
    agreed_idx: dict[str, set[int]] = {w: set() for w in who}
    agreed: list[Fact] = []
    for i, fact in enumerate(facts[pivot]):
        partners: dict[str, int] = {}
        for other in who[1:]:
            free = [j for j in range(len(values[other])) if j not in agreed_idx[other]]
            pairs = fact_pairs(spec, [fact.value], [values[other][j] for j in free])
            if pairs:
                partners[other] = free[pairs[0][1]]
        if len(partners) == len(who) - 1:
            agreed_idx[pivot].add(i)
            for other, j in partners.items():
                agreed_idx[other].add(j)
            agreed.append(replace(fact, source="adjudicated", score=None))
    disputed: list[DisputedValue] = []
    seen: set[str] = set()
    for w in who:
        for i, fact in enumerate(facts[w]):
            if i in agreed_idx[w] or canonical(fact.value) in seen:
                continue
            seen.add(canonical(fact.value))
            owners = tuple(o for o in who if o == w or fact_pairs(spec, [fact.value],
                                                                 values[o]))
            ev = fact.evidence[0] if fact.evidence else None
            disputed.append(DisputedValue(fact.value, owners,
                                          tuple(o for o in who if o not in owners),
                                          ev.start if ev else None, ev.end if ev else None))
    return agreed, disputed


def _scope(sets: Mapping[str, GoldDocument], fields: Sequence[FieldSpec]) -> tuple[str, ...]:
    scopes = {gd.gold.scope for gd in sets.values()}
    if len(scopes) == 1:
        return next(iter(scopes))
    return tuple(s.name for s in fields)


def merge_document(sets: Mapping[str, GoldDocument], catalogue: Catalogue
                   ) -> DocumentAdjudication:
    """The all-agree merge of one document's annotation sets and its disputes.

    Each field is merged over the sets whose scope covers it: values on which
    all of those sets agree are kept (source ``adjudicated``), the rest are
    disputed. A field only one set covers was annotated once: its values are
    taken as they are, and the document's status stays ``annotated`` rather
    than ``adjudicated`` (sets of different scopes, e.g. one annotator for the
    cover and another for entities, are combined, not intersected).
    """
    if len(sets) < 2:
        raise FilingkitError("adjudication needs two or more annotation sets")
    who = tuple(sorted(sets))
    ordered = {w: sets[w] for w in who}
    first = ordered[who[0]]
    entities: list[Entity] = []
    facts: list[Fact] = []
    disputes: list[QueueEntry] = []
    covered: list[FieldSpec] = []
    single: list[str] = []
    for spec in catalogue.fields:
        covering = {w: gd for w, gd in ordered.items() if in_scope(gd.gold.scope, spec)}
        if not covering:
            continue
        covered.append(spec)
        if len(covering) == 1:
            (only,) = covering.values()
            single.append(spec.name)
            entities += [e for e in only.gold.entities if e.label == spec.name]
            facts += [f for f in only.gold.facts if f.field == spec.name]
            continue
        if spec.kind == "entity":
            agreed_e, disputed = _merge_entities(spec, covering)
            entities += agreed_e
            n_agreed = len(agreed_e)
        else:
            agreed_f, disputed = _merge_facts(spec, covering)
            facts += agreed_f
            n_agreed = len(agreed_f)
        if disputed:
            disputes.append(QueueEntry(
                first.doc_id, spec.name, spec.group,
                round(len(disputed) / (len(disputed) + n_agreed), 6), n_agreed,
                tuple(disputed)))
    notes = [f"adjudicated: values all of the sets covering a field agree on ({', '.join(who)})"]
    if single:
        notes.append(f"annotated by one set only: {', '.join(single)}")
    record = GoldRecord(
        doc_id=first.doc_id, text_sha256=first.gold.text_sha256, segments=first.gold.segments,
        entities=tuple(sorted_entities(entities)), facts=tuple(facts),
        status="annotated" if single else "adjudicated",
        provenance=first.gold.provenance, catalogue_version=catalogue.version,
        scope=_scope(ordered, covered), notes=tuple(notes),
    )
    return DocumentAdjudication(first.doc_id, who, record, tuple(disputes))


def _resolved(doc: DocumentAdjudication, resolution: GoldDocument, name: str,
              catalogue: Catalogue) -> DocumentAdjudication:
    g = resolution.gold
    record = replace(
        doc.record,
        entities=tuple(replace(e, source="adjudicated", score=None)
                       for e in sorted_entities(g.entities)),
        facts=tuple(replace(f, source="adjudicated", score=None) for f in g.facts),
        scope=g.scope or doc.record.scope, catalogue_version=catalogue.version,
        notes=(f"adjudicated by {name} from the sets of {', '.join(doc.annotators)}",),
    )
    return replace(doc, record=record, resolved_by=name)


def _order(entries: Iterable[QueueEntry], catalogue: Catalogue) -> tuple[QueueEntry, ...]:
    rank = {name: i for i, name in enumerate(catalogue.names())}
    return tuple(sorted(entries, key=lambda e: (-e.priority, rank.get(e.field, len(rank)),
                                                e.doc_id)))


def adjudicate(gold_dir: str | Path, *, catalogue: Catalogue | None = None,
               resolved_by: str | None = None, write: bool = True, overwrite: bool = False,
               overwrite_adjudicated: bool = False, single: bool = False) -> AdjudicationReport:
    """Merge the annotation sets of ``gold_dir`` and (with ``write``) save complete documents.

    ``resolved_by`` names a reviewer's set that settles a document's disputes
    (it is not counted as an annotator). An existing ``gold.json`` is replaced
    only with ``overwrite``, an adjudicated one only with ``overwrite_adjudicated``
    as well; otherwise the document is skipped and the report says why. With
    ``single``, a document annotated by one set only gets that set as its gold
    (status ``annotated``: nobody checked it); without it such documents are skipped.
    """
    cat = catalogue or load_catalogue()
    root = resolve_gold_dir(gold_dir)  # gold/ means gold/filings, as for every reader
    sets = load_annotation_sets(root)
    if not sets:
        raise FilingkitError("no annotation sets (<doc_id>/annotations/<who>.json) found",
                             file=root)
    docs: list[DocumentAdjudication] = []
    skipped: list[tuple[str, str]] = []
    for doc_id, by_who in sets.items():
        resolution = by_who.get(resolved_by) if resolved_by else None
        annotators = {w: gd for w, gd in by_who.items() if w != resolved_by}
        if len(annotators) == 1 and single and resolution is None:
            ((who, only),) = annotators.items()
            record = replace(only.gold, status="annotated", annotator=None,
                             notes=(*only.gold.notes, f"gold from the single annotation set of {who}"))
            docs.append(DocumentAdjudication(doc_id, (who,), record, ()))
            continue
        if len(annotators) < 2:
            skipped.append((doc_id, f"{len(annotators)} annotation set(s); two are needed "
                                    "(or --single to take a lone set as gold)"))
            continue
        doc = merge_document(annotators, cat)
        if resolution is not None and resolved_by is not None:
            doc = _resolved(doc, resolution, resolved_by, cat)
        docs.append(doc)
    queue = _order((e for d in docs if not d.complete for e in d.disputes), cat)
    written: list[str] = []
    unchanged: list[str] = []
    for d in docs:
        if not d.complete:
            skipped.append((d.doc_id, f"{len(d.disputes)} disputed field(s) in the queue"))
            continue
        if not write:
            continue
        gd = sets[d.doc_id][d.annotators[0]]
        target = root / d.doc_id / GOLD_FILE
        if target.exists() and read_json(target) == json.loads(dumps(gold_to_json(d.record))):
            unchanged.append(str(target))
            continue
        try:
            written.append(str(save_gold(root, gd.document, d.record, overwrite=overwrite,
                                         overwrite_adjudicated=overwrite_adjudicated)))
        except OverwriteRefused as exc:
            skipped.append((d.doc_id, exc.reason))
    return AdjudicationReport(tuple(docs), queue, tuple(written), tuple(unchanged),
                              tuple(skipped))


def write_queue(path: str | Path, report: AdjudicationReport) -> Path:
    """Write the disagreement queue as JSON, atomically."""
    return write_json_atomic(path, report.queue_dict())


def review_tasks(report: AdjudicationReport, gold_dir: str | Path,
                 schema: LabelingSchema) -> list[dict[str, Any]]:
    """Label Studio review tasks for the documents with open disputes.

    Each task shows the agreed merge as the pre-selected prediction (model
    version ``adjudication:agreed``: set it as the project's model version) and
    each annotator's set as another prediction (``annotator:<name>``); the
    queue entries of the document are in ``data.disputes``.
    """
    sets = load_annotation_sets(gold_dir)
    tasks: list[dict[str, Any]] = []
    for d in report.documents:
        if d.complete:
            continue
        doc = sets[d.doc_id][d.annotators[0]].document
        data = document_data(doc)
        data["disputes"] = [e.to_dict() for e in d.disputes]
        preds = [(AGREED_MODEL_VERSION, d.record.annotations)]
        preds += [(f"annotator:{w}", sets[d.doc_id][w].gold.annotations) for w in d.annotators]
        predictions = []
        for version, ann in preds:
            try:
                result = to_results(ann, doc.text, schema)
            except ValueError as exc:
                raise FilingkitError(f"{d.doc_id}: {version}: {exc}") from None
            predictions.append({"model_version": version, "result": result})
        tasks.append({"data": data, "predictions": predictions})
    return tasks


def entry_values(entry: QueueEntry) -> list[Any]:
    """The disputed values of an entry (for display)."""
    return [d.value for d in entry.disputed]


__all__ = [
    "AGREED_MODEL_VERSION",
    "AdjudicationReport",
    "DisputedValue",
    "DocumentAdjudication",
    "QueueEntry",
    "adjudicate",
    "entry_values",
    "fact_values",
    "merge_document",
    "review_tasks",
    "write_queue",
]
