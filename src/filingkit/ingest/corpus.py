"""Filings of a corpus described by a ``manifest.jsonl`` (one JSON object per filing).

A manifest row (see the corpus README) gives ``id``, ``company``, ``cik``,
``accession``, ``form``, ``filing_date``, ``format``, ``files`` (``path`` relative to
the corpus folder, ``role``: ``raw_full_submission``, ``raw_main_doc``, ``EX-99.1``...)
and where the files came from: ``source_repo``, ``source_path``, ``commit``,
``license_note``. ``provenance_from_row`` keeps all of that in a ``Provenance``
(``kind="corpus"``) and ``ingest_row`` ingests the filing under the row's ``id``:
a filing of several html files becomes one document, the main document first,
then the exhibits in manifest order, each its own segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError, IngestError
from filingkit.ingest.core import IngestResult, concat_results, ingest_with_marks
from filingkit.jsonio import iter_jsonl
from filingkit.records import Document, Provenance

MAIN_ROLES: tuple[str, ...] = ("raw_full_submission", "raw_main_doc")


def _opt_str(row: Mapping[str, Any], key: str) -> str | None:
    value = row.get(key)
    return str(value) if value not in (None, "") else None


def provenance_from_row(row: Mapping[str, Any]) -> Provenance:
    """The ``Provenance`` (``kind="corpus"``) of a manifest row."""
    files = row.get("files") or []
    return Provenance(
        kind="corpus",
        path=str(row.get("source_path") or ""),
        repo=_opt_str(row, "source_repo"),
        commit=_opt_str(row, "commit"),
        accession=_opt_str(row, "accession"),
        company=_opt_str(row, "company"),
        cik=_opt_str(row, "cik"),
        form=_opt_str(row, "form"),
        filing_date=_opt_str(row, "filing_date"),
        format=_opt_str(row, "format"),
        license_note=_opt_str(row, "license_note"),
        files=tuple(str(f["path"]) for f in files if isinstance(f, Mapping) and "path" in f),
    )


def _ordered_files(row: Mapping[str, Any], where: str) -> list[Mapping[str, Any]]:
    files = [f for f in row.get("files") or [] if isinstance(f, Mapping) and f.get("path")]
    if not files:
        raise IngestError("manifest row lists no files", file=where)
    main = [f for f in files if f.get("role") in MAIN_ROLES]
    rest = [f for f in files if f.get("role") not in MAIN_ROLES]
    return main + rest


def ingest_row_with_marks(row: Mapping[str, Any], corpus_root: str | Path) -> IngestResult:
    """Ingest one manifest row's filing; also returns the inline XBRL marks."""
    root = Path(corpus_root)
    doc_id = str(row.get("id") or row.get("accession") or "")
    where = f"{root / 'manifest.jsonl'} (id {doc_id or '?'})"
    if not doc_id:
        raise IngestError("manifest row has no id", file=where)
    provenance = provenance_from_row(row)
    files = _ordered_files(row, where)
    results: list[IngestResult] = []
    for f in files:
        role = str(f.get("role") or "")
        name = None if role in MAIN_ROLES else role or None
        results.append(ingest_with_marks(root / str(f["path"]), doc_id=doc_id,
                                         provenance=provenance, segment_name=name))
    if len(results) == 1:
        return results[0]
    return concat_results(doc_id, results, provenance)


def ingest_row(row: Mapping[str, Any], corpus_root: str | Path) -> Document:
    """Ingest one manifest row's filing into a ``Document`` with corpus provenance."""
    return ingest_row_with_marks(row, corpus_root).document


def read_manifest(path: str | Path) -> Iterator[dict[str, Any]]:
    """The rows of a ``manifest.jsonl``, in file order."""
    for lineno, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise FilingkitError(f"line {lineno}: a manifest row is a JSON object", file=path)
        yield obj


def iter_corpus(
    manifest: str | Path, *, ids: Iterable[str] | None = None
) -> Iterator[tuple[str, Document | IngestError]]:
    """Ingest the filings of a manifest (all, or those whose id is in ``ids``).

    Yields ``(id, Document)`` or ``(id, IngestError)`` and goes on past a broken filing.
    """
    root = Path(manifest).parent
    wanted = set(ids) if ids is not None else None
    for row in read_manifest(manifest):
        row_id = str(row.get("id", ""))
        if wanted is not None and row_id not in wanted:
            continue
        try:
            yield row_id, ingest_row(row, root)
        except IngestError as exc:
            yield row_id, exc
