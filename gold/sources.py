"""A gold filing's canonical text, rebuilt from the original files kept in ``source/``.

Every offset in a gold file refers to ``text.txt``. That text must be exactly
what ``filingkit ingest`` makes of the original filing today, or a user who
extracts from the raw filing would be scored against shifted offsets. This
module rebuilds it so a test can hold the two together.
"""

from __future__ import annotations

from pathlib import Path

from filingkit.errors import GoldFormatError
from filingkit.gold.store import SOURCE_DIR
from filingkit.records import Document, GoldDocument, GoldRecord


def source_parts(folder: Path, record: GoldRecord) -> list[tuple[Path, str | None]]:
    """The filing's original files in ingestion order, each with its segment name.

    The main document comes first (name ``None``: ingestion names it); a
    separately filed exhibit is named after the segment recorded for its file.
    """
    prov = record.provenance
    names = [Path(p).name for p in prov.files] or [Path(prov.path).name]
    seg_names = {s.filename: s.name for s in record.segments[1:] if s.filename}
    parts = [(folder / SOURCE_DIR / n, None if i == 0 else seg_names.get(n))
             for i, n in enumerate(names)]
    missing = [str(f) for f, _ in parts if not f.is_file()]
    if missing:
        raise GoldFormatError(f"source files missing: {', '.join(missing)}",
                              file=str(folder / "gold.json"))
    return parts


def reingest(gold: GoldDocument) -> Document:
    """Ingest the filing's ``source/`` files the way ``gold add`` and ``ingest`` do."""
    from filingkit.ingest import ingest_file
    from filingkit.ingest.core import concat_results, ingest_with_marks

    parts = source_parts(Path(gold.path).parent, gold.gold)
    prov = gold.gold.provenance
    if len(parts) == 1:
        return ingest_file(parts[0][0], doc_id=gold.doc_id, provenance=prov)
    results = [ingest_with_marks(f, doc_id=gold.doc_id, provenance=prov, segment_name=name)
               for f, name in parts]
    return concat_results(gold.doc_id, results, prov).document
