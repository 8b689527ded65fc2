"""The one place where records become JSON and JSON becomes records.

Gold files (one JSON object per filing) and the predictions format (JSONL, one
object per document) are both read and written here. Parsing is structural:
types and required keys. Meaning (labels against the catalogue, offsets against
the text, normalized values) is checked by ``filingkit.gold.validate``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from filingkit.errors import GoldFormatError
from filingkit.jsonio import read_json, write_jsonl_atomic
from filingkit.records import (
    STATUSES,
    Annotations,
    Disagreement,
    Entity,
    Evidence,
    Fact,
    GoldRecord,
    PredictionsHeader,
    Provenance,
    Segment,
)

GOLD_FORMAT = "filingkit-gold"
GOLD_FORMAT_VERSION = 1
PREDICTIONS_FORMAT = "filingkit-predictions"
PREDICTIONS_FORMAT_VERSION = 1
MANIFEST_NAME = "_manifest.json"


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
    if not isinstance(obj, Mapping):
        raise GoldFormatError(f"{where}: must be an object", file=file)
    for key in ("filename", "description"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise GoldFormatError(f"{where}: {key} must be a string", file=file)
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
    for key in sorted(_PROVENANCE_KEYS - {"files"}):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise GoldFormatError(f"provenance: {key} must be a string", file=file)
    files = obj.get("files", ())
    if not isinstance(files, list | tuple) or not all(isinstance(f, str) for f in files):
        raise GoldFormatError("provenance: files must be a list of file names", file=file)
    return Provenance(
        kind=_req(obj, "kind", str, "provenance", file),
        path=_req(obj, "path", str, "provenance", file),
        repo=obj.get("repo"), commit=obj.get("commit"), accession=obj.get("accession"),
        company=obj.get("company"), cik=obj.get("cik"), form=obj.get("form"),
        filing_date=obj.get("filing_date"), format=obj.get("format"),
        license_note=obj.get("license_note"), files=tuple(obj.get("files", ())),
    )


GOLD_KEYS: frozenset[str] = frozenset(
    {"format", "format_version", "catalogue", "doc_id", "text_sha256", "status", "scope",
     "provenance", "segments", "entities", "facts", "annotator", "disagreements", "notes"})
_ENTITY_KEYS = frozenset({"label", "start", "end", "text", "source", "score"})
_FACT_KEYS = frozenset({"field", "value", "evidence", "source", "note", "score"})
_SPAN_KEYS = frozenset({"start", "end", "text"})
_SEGMENT_KEYS = frozenset({"name", "start", "end", "filename", "description"})
_PROVENANCE_KEYS = frozenset(
    {"kind", "path", "repo", "commit", "accession", "company", "cik", "form", "filing_date",
     "format", "license_note", "files"})
_DISAGREEMENT_KEYS = frozenset({"field", "kept", "kept_source", "other", "other_source", "note"})


class _GoldShape:
    """Structural checks of a gold object that the record constructors do not make.

    Every error names the file, the document, the field (entity label or fact
    name) where there is one, the JSON path and the reason, so a broken gold
    file is fixed without reading the code. Meaning (catalogue labels,
    normalized values, spans against the text) is checked elsewhere.
    """

    def __init__(self, obj: Mapping[str, Any], file: str | None) -> None:
        self.obj = obj
        self.file = file
        doc = obj.get("doc_id")
        self.doc = f"document {doc!r}: " if isinstance(doc, str) else ""

    def fail(self, where: str, reason: str, field: str | None = None) -> GoldFormatError:
        return GoldFormatError(f"{self.doc}{where}: {reason}", file=self.file, field=field)

    def keys(self, obj: Any, allowed: frozenset[str], where: str,
             field: str | None = None) -> Mapping[str, Any]:
        if not isinstance(obj, Mapping):
            raise self.fail(where, f"must be an object, got {type(obj).__name__}", field)
        unknown = sorted(str(k) for k in obj if k not in allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: "
                                   f"{', '.join(sorted(allowed))}", field)
        return obj

    def optional(self, obj: Mapping[str, Any], key: str, typ: type | tuple[type, ...],
                 where: str, field: str | None = None) -> None:
        val = obj.get(key)
        if val is None:
            return
        if isinstance(val, bool) and bool not in (typ if isinstance(typ, tuple) else (typ,)):
            raise self.fail(f"{where}.{key}", "must not be a boolean", field)
        if not isinstance(val, typ):
            raise self.fail(f"{where}.{key}", f"must be {_type_name(typ)}, got "
                                              f"{type(val).__name__}", field)

    def typed(self, obj: Mapping[str, Any], where: str, field: str | None,
              types: Mapping[str, type | tuple[type, ...]]) -> None:
        for key, typ in types.items():
            self.optional(obj, key, typ, where, field)

    def items(self, key: str) -> list[Any]:
        val = self.obj.get(key, [])
        if not isinstance(val, list):
            raise self.fail(key, f"must be a list, got {type(val).__name__}")
        return val

    def offsets(self, obj: Mapping[str, Any], where: str, field: str | None) -> None:
        for key in ("start", "end"):
            val = obj.get(key)
            if key in obj and (isinstance(val, bool) or not isinstance(val, int)):
                raise self.fail(f"{where}.{key}", f"offset must be an integer, got {val!r}"[:200],
                                field)
        start, end = obj.get("start"), obj.get("end")
        if isinstance(start, int) and isinstance(end, int) and not 0 <= start < end:
            raise self.fail(where, f"span [{start}, {end}) is "
                                   + ("negative" if start < 0 else "empty" if start == end
                                      else "inverted (end before start)"), field)

    def check(self) -> None:
        obj = self.obj
        self.keys(obj, GOLD_KEYS, "gold")
        if "format_version" in obj and obj["format_version"] != GOLD_FORMAT_VERSION:
            raise self.fail("format_version", f"{obj['format_version']!r} is not supported (this "
                                              f"filingkit reads version {GOLD_FORMAT_VERSION})")
        cat = obj.get("catalogue")
        if cat is not None:
            self.keys(cat, frozenset({"name", "version"}), "catalogue")
        for key in ("scope", "notes"):
            if not all(isinstance(x, str) for x in self.items(key)):
                raise self.fail(key, "must be a list of strings")
        self.optional(obj, "annotator", str, "gold")
        if "status" in obj and obj["status"] not in STATUSES:
            raise self.fail("status", f"{obj['status']!r} is not one of {', '.join(STATUSES)}")
        prov = obj.get("provenance")
        if prov is not None:
            self.keys(prov, _PROVENANCE_KEYS, "provenance")
            for key in sorted(_PROVENANCE_KEYS - {"files"}):
                self.optional(prov, key, str, "provenance")
            files = prov.get("files", [])
            if not isinstance(files, list) or not all(isinstance(x, str) for x in files):
                raise self.fail("provenance.files", "must be a list of file names")
        for i, seg in enumerate(self.items("segments")):
            where = f"segments[{i}]"
            self.keys(seg, _SEGMENT_KEYS, where)
            for key in ("filename", "description"):
                self.optional(seg, key, str, where)
            self.offsets(seg, where, None)
        for i, ent in enumerate(self.items("entities")):
            where, name = f"entities[{i}]", _name(ent, "label")
            self.keys(ent, _ENTITY_KEYS, where, name)
            self.typed(ent, where, name, {"text": str, "source": str, "score": (int, float)})
            self.offsets(ent, where, name)
        for i, fact in enumerate(self.items("facts")):
            where, name = f"facts[{i}]", _name(fact, "field")
            self.keys(fact, _FACT_KEYS, where, name)
            self.typed(fact, where, name, {"source": str, "note": str, "score": (int, float)})
            evidence = fact.get("evidence", [])
            if not isinstance(evidence, list):
                raise self.fail(f"{where}.evidence", "must be a list of spans", name)
            for j, ev in enumerate(evidence):
                self.keys(ev, _SPAN_KEYS, f"{where}.evidence[{j}]", name)
                self.optional(ev, "text", str, f"{where}.evidence[{j}]", name)
                self.offsets(ev, f"{where}.evidence[{j}]", name)
        for i, dis in enumerate(self.items("disagreements")):
            where = f"disagreements[{i}]"
            self.keys(dis, _DISAGREEMENT_KEYS, where)
            if not isinstance(dis.get("field"), str):
                raise self.fail(f"{where}.field", "must be a field name")
            for key in ("kept_source", "other_source", "note"):
                self.optional(dis, key, str, where)


def _name(obj: Any, key: str) -> str | None:
    val = obj.get(key) if isinstance(obj, Mapping) else None
    return val if isinstance(val, str) else None


def _type_name(typ: type | tuple[type, ...]) -> str:
    return typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)


def gold_from_json(obj: Mapping[str, Any], *, file: str | None = None) -> GoldRecord:
    """A gold file's object as a record (structure and types; meaning: ``gold.validate``).

    Anything malformed raises ``GoldFormatError`` naming the file, the
    document, the field and the JSON path; unknown keys are errors (a typo
    must not drop an annotation silently).
    """
    if not isinstance(obj, Mapping):
        raise GoldFormatError("a gold file holds one JSON object", file=file)
    if obj.get("format") != GOLD_FORMAT:
        raise GoldFormatError(f"not a filingkit gold file (format {obj.get('format')!r})"[:300],
                              file=file, hint=f'a gold file starts with "format": "{GOLD_FORMAT}"')
    shape = _GoldShape(obj, file)
    shape.check()
    cat = obj.get("catalogue") or {}
    where = f"{shape.doc}gold" if shape.doc else "gold"
    return GoldRecord(
        doc_id=_req(obj, "doc_id", str, "gold", file),
        text_sha256=_req(obj, "text_sha256", str, where, file),
        segments=tuple(
            segment_from_json(s, where=f"{shape.doc}segments[{i}]", file=file)
            for i, s in enumerate(_req(obj, "segments", list, where, file))
        ),
        entities=tuple(
            entity_from_json(e, where=f"{shape.doc}entities[{i}]", file=file)
            for i, e in enumerate(_req(obj, "entities", list, where, file))
        ),
        facts=tuple(
            fact_from_json(f, where=f"{shape.doc}facts[{i}]", file=file)
            for i, f in enumerate(_req(obj, "facts", list, where, file))
        ),
        status=_req(obj, "status", str, where, file),
        provenance=provenance_from_json(_req(obj, "provenance", dict, where, file), file=file),
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
                      extractor: str | None = None,
                      header: PredictionsHeader | None = None) -> Path:
    """Write predictions JSONL atomically, one document per line, in the given order.

    With ``header``, the first line is the header record (``header_to_json``).
    """
    rows: Iterable[dict[str, Any]] = (annotations_to_json(a, extractor=extractor)
                                      for a in predictions)
    if header is not None:
        rows = itertools.chain([header_to_json(header)], rows)
    return write_jsonl_atomic(path, rows)


# ------------------------------------------------------------------ predictions header


def is_predictions_header(obj: Any) -> bool:
    """True for a header record: ``"format": "filingkit-predictions"`` and no ``doc_id``."""
    return (isinstance(obj, Mapping) and obj.get("format") == PREDICTIONS_FORMAT
            and "doc_id" not in obj)


def header_to_json(h: PredictionsHeader) -> dict[str, Any]:
    """The header line of a predictions file (shared specification 1)."""
    return {
        "format": PREDICTIONS_FORMAT,
        "version": h.version,
        "extractor": {"name": h.extractor_name, "version": h.extractor_version},
        "fields": list(h.fields),
        "catalogue": {"name": h.catalogue_name, "version": h.catalogue_version},
    }


def header_from_json(obj: Mapping[str, Any], *, file: str | None = None,
                     where: str = "header") -> PredictionsHeader:
    """A header record, checked for structure (field names are checked by the evaluator)."""
    if not is_predictions_header(obj):
        raise GoldFormatError(f"{where}: not a predictions header (needs \"format\": "
                              f"{PREDICTIONS_FORMAT!r} and no doc_id)", file=file)
    version = _req(obj, "version", int, where, file)
    if version != PREDICTIONS_FORMAT_VERSION:
        raise GoldFormatError(f"{where}: predictions header version {version} is not "
                              f"supported (this filingkit reads {PREDICTIONS_FORMAT_VERSION})",
                              file=file, hint="upgrade filingkit")
    ext = _req(obj, "extractor", dict, where, file)
    fields = _req(obj, "fields", list, where, file)
    bad = [f for f in fields if not isinstance(f, str)]
    if bad:
        raise GoldFormatError(f"{where}: fields must be strings, got {bad[0]!r}", file=file)
    cat = obj.get("catalogue") or {}
    if not isinstance(cat, Mapping):
        raise GoldFormatError(f"{where}: catalogue must be an object", file=file)
    return PredictionsHeader(
        extractor_name=str(_req(ext, "name", str, f"{where} extractor", file)),
        extractor_version=str(ext.get("version", "")),
        fields=tuple(fields),
        catalogue_name=str(cat.get("name", "filingkit-8k")),
        catalogue_version=str(cat.get("version", "1")),
        version=version,
    )


def read_predictions_header(path: str | Path) -> PredictionsHeader | None:
    """The header of a predictions file or sharded folder, or None when it has none.

    A file: its first non-blank line, when that is a header record. A folder
    (``-o DIR/`` of ``filingkit extract``): ``"header"`` of ``_manifest.json``,
    else the header line of its first ``part-*.jsonl`` shard. Files without a
    header are still valid predictions: every field then counts as declared.
    """
    p = Path(path)
    if p.is_dir():
        shards = sorted(q for q in p.glob("part-*.jsonl") if q.is_file())
        if shards:  # every JSONL shard starts with the run's header line
            return read_predictions_header(shards[0])
        manifest = p / MANIFEST_NAME
        if manifest.is_file():
            data = read_json(manifest)
            head = data.get("header") if isinstance(data, Mapping) else None
            if head is None:
                return None
            if not isinstance(head, Mapping):
                raise GoldFormatError("manifest: header must be an object", file=str(manifest))
            return header_from_json(head, file=str(manifest), where="manifest header")
        return None
    try:
        with p.open("rb") as handle:
            lineno, obj = 0, None
            for lineno, raw in enumerate(handle, start=1):  # noqa: B007 (named in errors)
                if raw.strip():
                    obj = json.loads(raw)
                    break
            else:
                return None
    except (ValueError, UnicodeDecodeError):
        return None  # not a header; the predictions reader reports what is wrong with it
    except OSError as exc:
        raise GoldFormatError(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    if is_predictions_header(obj):
        return header_from_json(obj, file=str(p), where=f"line {lineno}")
    return None


def iter_predictions_json(predictions: Iterable[Annotations]) -> Iterator[dict[str, Any]]:
    for a in predictions:
        yield annotations_to_json(a)
