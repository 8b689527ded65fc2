"""The gold corpus as a Hugging Face ``datasets.Dataset`` / ``DatasetDict``, and back.

One row per gold file (``kind`` "gold"), optionally one per annotation set
(``kind`` "annotation_set"), with explicit features (``dataset_features``):
the canonical text, its hash, its ``split`` (from the gold folder's
``splits.json``; ``train`` where the gold has none), the entities and facts as
lists of structs, the segments, the provenance and the record's metadata.
Entity labels and fact field names are ``ClassLabel`` features whose names come
from the catalogue, so ``features["entities"].feature["label"].names`` lists
them and models get integer ids, as ``datasets`` users expect.

``gold_dataset_dict`` groups the rows by split (``DatasetDict``: ``dev`` and
``test`` for the bundled gold). Saved as parquet (one file, or one file per
split in a folder; the features travel in the files' schema metadata, so
``datasets.load_dataset("parquet", data_files=...)`` gives the same columns to
users who never install filingkit) or with ``save_to_disk``. The token view
(``filingkit.gold.dataset_tokens``) is the same gold as ``tokens`` / ``ner_tags``.

Fact values are heterogeneous JSON (a string, a boolean, a number, or an object
of named arguments for records), which Arrow cannot hold in one typed column:
``facts[].value`` (and ``disagreements[].kept`` / ``.other``) is therefore the
value as a JSON string, ``json.loads`` gives it back. Everything else is typed.

A round trip gold -> dataset -> parquet -> gold gives byte-identical gold files.
``datasets`` (extra ``datasets``) is imported only when these functions run.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import FilingkitError
from filingkit.gold.store import (
    SPLITS_FILE,
    bundled_gold_dir,
    iter_annotation_files,
    iter_gold_files,
    load_gold_file,
    load_split,
    save_gold,
)
from filingkit.jsonio import read_json
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
DATASET_FORMAT_VERSION = 2  # 2: split column, ClassLabel entity labels and fact fields
UNSPLIT = "train"  # the split of every row when the gold folder has no splits.json
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


def dataset_features(catalogue: Catalogue | None = None) -> datasets.Features:
    """The explicit features of a gold dataset (see the module docstring for ``value``)."""
    ds = _datasets()
    cat = catalogue or load_catalogue()
    s, i64, f64 = ds.Value("string"), ds.Value("int64"), ds.Value("float64")
    span = {"start": i64, "end": i64, "text": s}
    labels = ds.ClassLabel(names=list(cat.entity_labels))
    fields = ds.ClassLabel(names=[f.name for f in cat.fact_fields])
    return ds.Features({
        "doc_id": s,
        "split": s,
        "kind": s,
        "format_version": ds.Value("int32"),
        "text": s,
        "text_sha256": s,
        "status": s,
        "annotator": s,
        "catalogue_version": s,
        "scope": [s],
        "segments": [{"name": s, "start": i64, "end": i64, "filename": s, "description": s}],
        "entities": [{"label": labels, "start": i64, "end": i64, "text": s, "source": s,
                      "score": f64}],
        "facts": [{"field": fields, "value": s, "evidence": [span], "source": s, "note": s,
                   "score": f64}],
        "provenance": {**{k: s for k in _PROVENANCE_KEYS}, "files": [s]},
        "disagreements": [{"field": s, "kept": s, "kept_source": s, "other": s,
                           "other_source": s, "note": s}],
        "notes": [s],
    })


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record_row(doc: GoldDocument, kind: Kind, split: str = UNSPLIT) -> dict[str, Any]:
    """One dataset row from a gold document (a gold file or an annotation set)."""
    g, p = doc.gold, doc.gold.provenance
    return {
        "doc_id": g.doc_id, "split": split, "kind": kind, "format_version": DATASET_FORMAT_VERSION,
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


def _names(feature: Any) -> list[str]:
    """The names of a ClassLabel inside a list-of-structs feature, e.g. entities' labels."""
    return list(feature.names)


def class_names(features: datasets.Features) -> tuple[list[str], list[str]]:
    """The entity label and fact field names a dataset's ClassLabel features encode."""
    return (_names(features["entities"].feature["label"]),
            _names(features["facts"].feature["field"]))


def _decode(value: Any, names: Sequence[str] | None, what: str, doc_id: Any) -> str:
    """A ClassLabel value as its name (rows read back from a dataset hold integers)."""
    if isinstance(value, str):
        return value
    if names is None or not isinstance(value, int) or not 0 <= value < len(names):
        raise FilingkitError(f"row {doc_id!r}: {what} {value!r} is not a known class")
    return names[value]


def row_record(row: Mapping[str, Any], *, names: tuple[list[str], list[str]] | None = None
               ) -> tuple[Document, GoldRecord, Kind]:
    """The document and gold record of one dataset row (inverse of ``record_row``).

    ``names`` (``class_names(dataset.features)``) decodes integer class ids; rows
    holding label names need none.
    """
    labels, fields = names if names is not None else (None, None)
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
        entities=tuple(Entity(_decode(e["label"], labels, "entity label", row["doc_id"]),
                              e["start"], e["end"], e["text"], e["source"], e["score"])
                       for e in row["entities"]),
        facts=tuple(Fact(_decode(f["field"], fields, "fact field", row["doc_id"]),
                         json.loads(f["value"]),
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


def split_of_documents(gold_dir: str | Path) -> dict[str, str]:
    """Each document id's split from ``<gold>/splits.json``; empty when there is none."""
    root = Path(gold_dir)
    if not (root / SPLITS_FILE).is_file():
        return {}
    names = read_json(root / SPLITS_FILE).get("splits", {})
    return {doc_id: name for name in sorted(names) for doc_id in load_split(root, name)}


def gold_rows(gold_dir: str | Path | None = None, *, include_annotation_sets: bool = False
              ) -> list[dict[str, Any]]:
    """The rows of the gold dataset, in gold order, each with its split."""
    root = bundled_gold_dir() if gold_dir is None else Path(gold_dir)
    splits = split_of_documents(root)
    rows = [record_row(doc, kind, splits.get(doc.doc_id, UNSPLIT))
            for doc, kind in _gold_documents(root, include_annotation_sets)]
    if not rows:
        raise FilingkitError("no gold files found", file=root)
    return rows


def gold_to_dataset(gold_dir: str | Path | None = None, *,
                    include_annotation_sets: bool = False,
                    catalogue: Catalogue | None = None) -> datasets.Dataset:
    """The gold files (and optionally the annotation sets) of a folder as one dataset."""
    ds = _datasets()
    rows = gold_rows(gold_dir, include_annotation_sets=include_annotation_sets)
    return ds.Dataset.from_list(rows, features=dataset_features(catalogue))


def by_split(rows: Sequence[Mapping[str, Any]], features: datasets.Features
             ) -> datasets.DatasetDict:
    """Rows grouped into a ``DatasetDict`` by their ``split``, splits in sorted order."""
    ds = _datasets()
    names = sorted({str(r["split"]) for r in rows})
    return ds.DatasetDict({
        name: ds.Dataset.from_list([dict(r) for r in rows if r["split"] == name],
                                   features=features)
        for name in names
    })


def gold_dataset_dict(gold_dir: str | Path | None = None, *,
                      include_annotation_sets: bool = False,
                      catalogue: Catalogue | None = None) -> datasets.DatasetDict:
    """The gold as a ``DatasetDict`` with the gold folder's splits (``dev``, ``test``)."""
    rows = gold_rows(gold_dir, include_annotation_sets=include_annotation_sets)
    return by_split(rows, dataset_features(catalogue))


def _replace_dir(tmp: Path, out: Path) -> None:
    """Put the folder ``tmp`` at ``out``, replacing what was there only once ``tmp`` is complete."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old)


def save_dataset(dataset: datasets.Dataset | datasets.DatasetDict, path: str | Path, *,
                 format: SaveFormat = "parquet") -> Path:
    """Save as parquet or as a ``save_to_disk`` folder, atomically.

    A ``Dataset`` in parquet is one file; a ``DatasetDict`` in parquet is a folder
    with one ``<split>.parquet`` per split, which ``datasets.load_dataset("parquet",
    data_files={"dev": "DIR/dev.parquet", "test": "DIR/test.parquet"})`` reads back with
    the same split names.
    """
    ds = _datasets()
    out = Path(path)
    if format not in ("parquet", "disk"):
        raise FilingkitError(f"unknown dataset format {format!r}; use parquet or disk")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if format == "parquet" and isinstance(dataset, ds.Dataset):
        dataset.to_parquet(str(tmp))
        tmp.replace(out)  # atomic: a crash never leaves half a parquet file
        return out
    if format == "parquet":
        tmp.mkdir()
        for name, part in dataset.items():
            part.to_parquet(str(tmp / f"{name}.parquet"))
    else:
        dataset.save_to_disk(str(tmp))
    _replace_dir(tmp, out)
    return out


def load_dataset_file(path: str | Path) -> datasets.Dataset:
    """A dataset saved by ``save_dataset`` as one ``Dataset`` (every row keeps its
    ``split``): a parquet file, a folder of ``<split>.parquet`` files, or a
    ``save_to_disk`` folder of a ``Dataset`` or ``DatasetDict``."""
    ds = _datasets()
    p = Path(path)
    if p.is_dir():
        parts = sorted(p.glob("*.parquet"))
        if parts:
            return ds.concatenate_datasets([ds.Dataset.from_parquet(str(x)) for x in parts])
        loaded = ds.load_from_disk(str(p))
        if isinstance(loaded, ds.DatasetDict):
            return ds.concatenate_datasets([loaded[k] for k in sorted(loaded)])
        return loaded
    if not p.is_file():
        raise FilingkitError("no such dataset file or folder", file=p)
    return ds.Dataset.from_parquet(str(p))


def dataset_to_gold(dataset: datasets.Dataset | Iterable[Mapping[str, Any]],
                    gold_dir: str | Path, *,
                    overwrite: bool = False, overwrite_adjudicated: bool = False) -> list[Path]:
    """Write every row back as a gold file (or annotation set) with its text.

    Existing files are replaced only as ``save_gold`` allows (``overwrite``,
    ``overwrite_adjudicated``); a refusal stops the write with the file named.
    Integer class ids are decoded with the dataset's own features.
    """
    features = getattr(dataset, "features", None)
    if features is not None and "ner_tags" in features:
        raise FilingkitError("this is the token view of the gold; it holds entities only",
                             hint="read it with filingkit.gold.dataset_tokens.token_rows_to_annotations")
    names = class_names(features) if features is not None else None
    written = []
    for row in dataset:
        document, record, kind = row_record(row, names=names)
        written.append(save_gold(gold_dir, document, record,
                                 annotator_set=kind == "annotation_set", overwrite=overwrite,
                                 overwrite_adjudicated=overwrite_adjudicated))
    return written


__all__ = [
    "by_split", "class_names", "dataset_features", "dataset_to_gold", "gold_dataset_dict",
    "gold_rows", "gold_to_dataset", "load_dataset_file", "record_row", "row_record",
    "save_dataset", "split_of_documents",
]
