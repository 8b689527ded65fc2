"""The one place where records become JSON and JSON becomes records.

Gold files (one JSON object per filing) and the predictions format (JSONL, one
object per document) are both read and written here. Parsing is structural:
types and required keys. Meaning (labels against the catalogue, offsets against
the text, normalized values) is checked by ``filingkit.gold.validate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from filingkit.errors import GoldFormatError
from filingkit.jsonio import write_jsonl_atomic
from filingkit.records import (
    Annotations,
    Disagreement,
    Entity,
    Evidence,
    Fact,
    GoldRecord,
    Provenance,
    Segment,
)

GOLD_FORMAT = "filingkit-gold"
GOLD_FORMAT_VERSION = 1
PREDICTIONS_FORMAT_VERSION = 1


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ()}


# ------------------------------------------------------------------ to JSON


def entity_to_json(e: Entity, *, with_source: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"label": e.label, "start": e.start, "end": e.end}
    if e.text is not None:
        out["text"] = e.text
    if with_source:
        out["source"] = e.source
    if e.score is not None:
        out["score"] = e.score
    return out


def evidence_to_json(ev: Evidence) -> dict[str, Any]:
    return _drop_none({"start": ev.start, "end": ev.end, "text": ev.text})


def fact_to_json(f: Fact, *, with_source: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"field": f.field, "value": f.value}
    if f.evidence:
        out["evidence"] = [evidence_to_json(ev) for ev in f.evidence]
    if with_source:
        out["source"] = f.source
    if f.note:
        out["note"] = f.note
    if f.score is not None:
        out["score"] = f.score
    return out


def segment_to_json(s: Segment) -> dict[str, Any]:
    return _drop_none(
        {"name": s.name, "start": s.start, "end": s.end, "filename": s.filename,
         "description": s.description}
    )


def provenance_to_json(p: Provenance) -> dict[str, Any]:
    out = _drop_none(
        {
            "kind": p.kind, "path": p.path, "repo": p.repo, "commit": p.commit,
            "accession": p.accession, "company": p.company, "cik": p.cik, "form": p.form,
            "filing_date": p.filing_date, "format": p.format, "license_note": p.license_note,
        }
    )
    if p.files:
        out["files"] = list(p.files)
    return out


def disagreement_to_json(d: Disagreement) -> dict[str, Any]:
    return {
        "field": d.field, "kept": d.kept, "kept_source": d.kept_source,
        "other": d.other, "other_source": d.other_source, "note": d.note,
    }


def gold_to_json(g: GoldRecord, *, catalogue_name: str = "filingkit-8k") -> dict[str, Any]:
    """A gold record as the JSON object of a gold file (schema: ``gold/schema``)."""
    out: dict[str, Any] = {
        "format": GOLD_FORMAT,
        "format_version": GOLD_FORMAT_VERSION,
        "catalogue": {"name": catalogue_name, "version": g.catalogue_version},
        "doc_id": g.doc_id,
        "text_sha256": g.text_sha256,
        "status": g.status,
        "scope": list(g.scope),
        "provenance": provenance_to_json(g.provenance),
        "segments": [segment_to_json(s) for s in g.segments],
        "entities": [entity_to_json(e) for e in sorted_entities(g.entities)],
        "facts": [fact_to_json(f) for f in g.facts],
    }
    if g.annotator:
        out["annotator"] = g.annotator
    if g.disagreements:
        out["disagreements"] = [disagreement_to_json(d) for d in g.disagreements]
    if g.notes:
        out["notes"] = list(g.notes)
    return out


def sorted_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Entities in reading order: by start, then end, then label."""
    return sorted(entities, key=lambda e: (e.start, e.end, e.label))


def annotations_to_json(a: Annotations, *, extractor: str | None = None) -> dict[str, Any]:
    """One line of the predictions format."""
    out: dict[str, Any] = {
        "doc_id": a.doc_id,
        "entities": [entity_to_json(e, with_source=False) for e in sorted_entities(a.entities)],
        "facts": [fact_to_json(f, with_source=False) for f in a.facts],
    }
    if extractor:
        out["extractor"] = extractor
    return out


# ------------------------------------------------------------------ from JSON


def _req(obj: Mapping[str, Any], key: str, typ: type | tuple[type, ...], where: str,
         file: str | None) -> Any:
    if key not in obj:
        raise GoldFormatError(f"{where}: missing key {key!r}", file=file)
    val = obj[key]
    if isinstance(val, bool) and typ is int:
        raise GoldFormatError(f"{where}: {key} must be an integer, got a boolean", file=file)
    if not isinstance(val, typ):
        tname = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
        raise GoldFormatError(f"{where}: {key} must be {tname}, got {type(val).__name__}",
                              file=file)
    return val


def entity_from_json(obj: Mapping[str, Any], *, where: str = "entity",
                     file: str | None = None, default_source: str = "manual") -> Entity:
    if not isinstance(obj, Mapping):
        raise GoldFormatError(f"{where}: must be an object", file=file)
    return Entity(
        label=_req(obj, "label", str, where, file),
        start=_req(obj, "start", int, where, file),
        end=_req(obj, "end", int, where, file),
        text=obj.get("text"),
        source=obj.get("source", default_source),
        score=obj.get("score"),
    )


def evidence_from_json(obj: Mapping[str, Any], *, where: str, file: str | None) -> Evidence:
    if not isinstance(obj, Mapping):
        raise GoldFormatError(f"{where}: must be an object", file=file)
    return Evidence(
        start=_req(obj, "start", int, where, file),
        end=_req(obj, "end", int, where, file),
        text=obj.get("text"),
    )


def fact_from_json(obj: Mapping[str, Any], *, where: str = "fact", file: str | None = None,
                   default_source: str = "manual") -> Fact:
    if not isinstance(obj, Mapping):
        raise GoldFormatError(f"{where}: must be an object", file=file)
    field = _req(obj, "field", str, where, file)
    if "value" not in obj:
        raise GoldFormatError(f"{where} ({field}): missing key 'value'", file=file)
    evidence = tuple(
        evidence_from_json(ev, where=f"{where} ({field}) evidence[{i}]", file=file)
        for i, ev in enumerate(obj.get("evidence", ()))
    )
    return Fact(
        field=field,
        value=obj["value"],
        evidence=evidence,
        source=obj.get("source", default_source),
        note=obj.get("note"),
        score=obj.get("score"),
    )


def segment_from_json(obj: Mapping[str, Any], *, where: str, file: str | None) -> Segment:
    return Segment(
        name=_req(obj, "name", str, where, file),
        start=_req(obj, "start", int, where, file),
        end=_req(obj, "end", int, where, file),
        filename=obj.get("filename"),
        description=obj.get("description"),
    )


def provenance_from_json(obj: Mapping[str, Any], *, file: str | None = None) -> Provenance:
    if not isinstance(obj, Mapping):
        raise GoldFormatError("provenance must be an object", file=file)
    return Provenance(
        kind=_req(obj, "kind", str, "provenance", file),
        path=_req(obj, "path", str, "provenance", file),
        repo=obj.get("repo"), commit=obj.get("commit"), accession=obj.get("accession"),
        company=obj.get("company"), cik=obj.get("cik"), form=obj.get("form"),
        filing_date=obj.get("filing_date"), format=obj.get("format"),
        license_note=obj.get("license_note"), files=tuple(obj.get("files", ())),
    )


def gold_from_json(obj: Mapping[str, Any], *, file: str | None = None) -> GoldRecord:
    """A gold file's object as a record (structure only; see ``gold.validate``)."""
    if not isinstance(obj, Mapping):
        raise GoldFormatError("a gold file holds one JSON object", file=file)
    if obj.get("format") != GOLD_FORMAT:
        raise GoldFormatError(f"not a filingkit gold file (format {obj.get('format')!r})",
                              file=file)
    cat = obj.get("catalogue") or {}
    return GoldRecord(
        doc_id=_req(obj, "doc_id", str, "gold", file),
        text_sha256=_req(obj, "text_sha256", str, "gold", file),
        segments=tuple(
            segment_from_json(s, where=f"segments[{i}]", file=file)
            for i, s in enumerate(_req(obj, "segments", list, "gold", file))
        ),
        entities=tuple(
            entity_from_json(e, where=f"entities[{i}]", file=file)
            for i, e in enumerate(_req(obj, "entities", list, "gold", file))
        ),
        facts=tuple(
            fact_from_json(f, where=f"facts[{i}]", file=file)
            for i, f in enumerate(_req(obj, "facts", list, "gold", file))
        ),
        status=_req(obj, "status", str, "gold", file),
        provenance=provenance_from_json(_req(obj, "provenance", dict, "gold", file), file=file),
        catalogue_version=str(cat.get("version", "")),
        annotator=obj.get("annotator"),
        scope=tuple(obj.get("scope", ())),
        disagreements=tuple(
            Disagreement(
                field=d["field"], kept=d.get("kept"), kept_source=d.get("kept_source", ""),
                other=d.get("other"), other_source=d.get("other_source", ""),
                note=d.get("note", ""),
            )
            for d in obj.get("disagreements", ())
        ),
        notes=tuple(obj.get("notes", ())),
    )


def annotations_from_json(obj: Mapping[str, Any], *, where: str = "document",
                          file: str | None = None) -> Annotations:
    """One predictions-format object as annotations."""
    if not isinstance(obj, Mapping):
        raise GoldFormatError(f"{where}: must be an object", file=file)
    doc_id = _req(obj, "doc_id", str, where, file)
    ents = obj.get("entities", [])
    facts = obj.get("facts", [])
    if not isinstance(ents, list) or not isinstance(facts, list):
        raise GoldFormatError(f"{where} ({doc_id}): entities and facts must be lists", file=file)
    return Annotations(
        doc_id=doc_id,
        entities=tuple(
            entity_from_json(e, where=f"{where} ({doc_id}) entities[{i}]", file=file,
                             default_source="prediction")
            for i, e in enumerate(ents)
        ),
        facts=tuple(
            fact_from_json(f, where=f"{where} ({doc_id}) facts[{i}]", file=file,
                           default_source="prediction")
            for i, f in enumerate(facts)
        ),
    )


def read_predictions(path: str | Path) -> list[Annotations]:
    """Read a predictions JSONL file (or a folder of shards) as records.

    Decoding and every structural check are those of the evaluator's fast
    reader (``filingkit.eval.reader``): a header line is skipped; bad JSON, a
    line that is not an object, a missing ``doc_id``, a non-integer offset, an
    empty, inverted or negative span and a document given twice are a
    ``GoldFormatError`` naming the file and the line.
    """
    from filingkit.eval.stream import read_annotations

    return read_annotations(path)


def write_predictions(path: str | Path, predictions: Iterable[Annotations], *,
                      extractor: str | None = None) -> Path:
    """Write predictions JSONL atomically, one document per line, in the given order."""
    return write_jsonl_atomic(path, (annotations_to_json(a, extractor=extractor)
                                     for a in predictions))


def iter_predictions_json(predictions: Iterable[Annotations]) -> Iterator[dict[str, Any]]:
    for a in predictions:
        yield annotations_to_json(a)
