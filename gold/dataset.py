"""The gold corpus as a Hugging Face ``datasets.Dataset``, and back.

One row per gold file (``kind`` "gold"), optionally one per annotation set
(``kind`` "annotation_set"), with explicit features (``dataset_features``):
the canonical text, its hash, the entities and facts as lists of structs, the
segments, the provenance and the record's metadata. Saved as parquet (the
features travel in the file's schema metadata, so
``datasets.load_dataset("parquet", data_files=...)`` gives the same columns to
users who never install filingkit) or with ``save_to_disk``.

Fact values are heterogeneous JSON (a string, a boolean, a number, or an object
of named arguments for records), which Arrow cannot hold in one typed column:
``facts[].value`` (and ``disagreements[].kept`` / ``.other``) is therefore the
value as a JSON string, ``json.loads`` gives it back. Everything else is typed.

A round trip gold -> dataset -> parquet -> gold gives byte-identical gold files.
``datasets`` (extra ``datasets``) is imported only when these functions run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from filingkit.errors import FilingkitError
from filingkit.gold.store import (
    bundled_gold_dir,
    iter_annotation_files,
    iter_gold_files,
    load_gold_file,
    save_gold,
)
from filingkit.records import (
    Disagreement,
    Document,
    Entity,
    Evidence,
    Fact,
    GoldDocument,
    GoldRecord,
    Provenance,
    Segment,
)

if TYPE_CHECKING:
    import datasets

INSTALL_HINT = "pip install 'filingkit[datasets]'"
DATASET_FORMAT_VERSION = 1
Kind = Literal["gold", "annotation_set"]
SaveFormat = Literal["parquet", "disk"]

_PROVENANCE_KEYS = ("kind", "path", "repo", "commit", "accession", "company", "cik", "form",
                    "filing_date", "format", "license_note")


def _datasets() -> Any:
    try:
        import datasets
    except ImportError as exc:
        raise FilingkitError("the Hugging Face datasets library is not installed",
                             hint=INSTALL_HINT) from exc
    return datasets


def dataset_features() -> datasets.Features:
    """The explicit features of a gold dataset (see the module docstring for ``value``)."""
    ds = _datasets()
    s, i64, f64 = ds.Value("string"), ds.Value("int64"), ds.Value("float64")
    span = {"start": i64, "end": i64, "text": s}
    return ds.Features({
        "doc_id": s,
        "kind": s,
        "format_version": ds.Value("int32"),
        "text": s,
        "text_sha256": s,
        "status": s,
        "annotator": s,
        "catalogue_version": s,
        "scope": [s],
        "segments": [{"name": s, "start": i64, "end": i64, "filename": s, "description": s}],
        "entities": [{"label": s, "start": i64, "end": i64, "text": s, "source": s,
                      "score": f64}],
        "facts": [{"field": s, "value": s, "evidence": [span], "source": s, "note": s,
                   "score": f64}],
        "provenance": {**{k: s for k in _PROVENANCE_KEYS}, "files": [s]},
        "disagreements": [{"field": s, "kept": s, "kept_source": s, "other": s,
                           "other_source": s, "note": s}],
        "notes": [s],
    })


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record_row(doc: GoldDocument, kind: Kind) -> dict[str, Any]:
    """One dataset row from a gold document (a gold file or an annotation set)."""
    g, p = doc.gold, doc.gold.provenance
    return {
        "doc_id": g.doc_id, "kind": kind, "format_version": DATASET_FORMAT_VERSION,
        "text": doc.document.text, "text_sha256": g.text_sha256, "status": g.status,
        "annotator": g.annotator, "catalogue_version": g.catalogue_version,
        "scope": list(g.scope),
        "segments": [{"name": x.name, "start": x.start, "end": x.end, "filename": x.filename,
                      "description": x.description} for x in g.segments],
        "entities": [{"label": e.label, "start": e.start, "end": e.end, "text": e.text,
                      "source": e.source, "score": e.score} for e in g.entities],
        "facts": [{"field": f.field, "value": _json(f.value),
                   "evidence": [{"start": v.start, "end": v.end, "text": v.text}
                                for v in f.evidence],
                   "source": f.source, "note": f.note, "score": f.score} for f in g.facts],
        "provenance": {**{k: getattr(p, k) for k in _PROVENANCE_KEYS}, "files": list(p.files)},
        "disagreements": [{"field": d.field, "kept": _json(d.kept), "kept_source": d.kept_source,
                           "other": _json(d.other), "other_source": d.other_source,
                           "note": d.note} for d in g.disagreements],
        "notes": list(g.notes),
    }


def row_record(row: Mapping[str, Any]) -> tuple[Document, GoldRecord, Kind]:
    """The document and gold record of one dataset row (inverse of ``record_row``)."""
    if row.get("format_version") != DATASET_FORMAT_VERSION:
        raise FilingkitError(f"row {row.get('doc_id')!r}: dataset format version "
                             f"{row.get('format_version')!r}, expected {DATASET_FORMAT_VERSION}")
    kind = row["kind"]
    if kind not in ("gold", "annotation_set"):
        raise FilingkitError(f"row {row.get('doc_id')!r}: unknown kind {kind!r}")
    prov = row["provenance"]
    provenance = Provenance(**{k: prov[k] for k in _PROVENANCE_KEYS},
                            files=tuple(prov["files"] or ()))
    segments = tuple(Segment(x["name"], x["start"], x["end"], x["filename"], x["description"])
                     for x in row["segments"])
    record = GoldRecord(
        doc_id=row["doc_id"], text_sha256=row["text_sha256"], segments=segments,
        entities=tuple(Entity(e["label"], e["start"], e["end"], e["text"], e["source"],
                              e["score"]) for e in row["entities"]),
        facts=tuple(Fact(f["field"], json.loads(f["value"]),
                         tuple(Evidence(v["start"], v["end"], v["text"]) for v in f["evidence"]),
                         f["source"], f["note"], f["score"]) for f in row["facts"]),
        status=row["status"], provenance=provenance,
        catalogue_version=row["catalogue_version"], annotator=row["annotator"],
        scope=tuple(row["scope"]),
        disagreements=tuple(Disagreement(d["field"], json.loads(d["kept"]), d["kept_source"],
                                         json.loads(d["other"]), d["other_source"], d["note"])
                            for d in row["disagreements"]),
        notes=tuple(row["notes"]),
    )
    document = Document(doc_id=record.doc_id, text=row["text"], segments=segments,
                        provenance=provenance, source_format=provenance.format or "text")
    return document, record, kind


def _gold_documents(gold_dir: Path, include_annotation_sets: bool
                    ) -> Iterable[tuple[GoldDocument, Kind]]:
    for path in iter_gold_files(gold_dir):
        yield load_gold_file(path), "gold"
    if include_annotation_sets:
        for path in iter_annotation_files(gold_dir):
            yield load_gold_file(path), "annotation_set"


def gold_to_dataset(gold_dir: str | Path | None = None, *,
                    include_annotation_sets: bool = False) -> datasets.Dataset:
    """The gold files (and optionally the annotation sets) of a folder as a dataset."""
    ds = _datasets()
    root = bundled_gold_dir() if gold_dir is None else Path(gold_dir)
    rows = [record_row(doc, kind) for doc, kind in _gold_documents(root, include_annotation_sets)]
    if not rows:
        raise FilingkitError("no gold files found", file=root)
    return ds.Dataset.from_list(rows, features=dataset_features())


def save_dataset(dataset: datasets.Dataset, path: str | Path, *,
                 format: SaveFormat = "parquet") -> Path:
    """Save as one parquet file, or as a ``save_to_disk`` folder."""
    out = Path(path)
    if format == "parquet":
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        dataset.to_parquet(str(tmp))
        tmp.replace(out)  # atomic: a crash never leaves half a parquet file
    elif format == "disk":
        dataset.save_to_disk(str(out))
    else:
        raise FilingkitError(f"unknown dataset format {format!r}; use parquet or disk")
    return out


def load_dataset_file(path: str | Path) -> datasets.Dataset:
    """A dataset saved by ``save_dataset``: a parquet file or a ``save_to_disk`` folder."""
    ds = _datasets()
    p = Path(path)
    if p.is_dir():
        return ds.load_from_disk(str(p))
    if not p.is_file():
        raise FilingkitError("no such dataset file or folder", file=p)
    return ds.Dataset.from_parquet(str(p), features=dataset_features())


def dataset_to_gold(dataset: Iterable[Mapping[str, Any]], gold_dir: str | Path, *,
                    overwrite: bool = False, overwrite_adjudicated: bool = False) -> list[Path]:
    """Write every row back as a gold file (or annotation set) with its text.

    Existing files are replaced only as ``save_gold`` allows (``overwrite``,
    ``overwrite_adjudicated``); a refusal stops the write with the file named.
    """
    written = []
    for row in dataset:
        document, record, kind = row_record(row)
        written.append(save_gold(gold_dir, document, record,
                                 annotator_set=kind == "annotation_set", overwrite=overwrite,
                                 overwrite_adjudicated=overwrite_adjudicated))
    return written


__all__ = [
    "dataset_features", "dataset_to_gold", "gold_to_dataset", "load_dataset_file",
    "record_row", "row_record", "save_dataset",
]
