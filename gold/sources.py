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
from filingkit.records import Document, GoldDocument


def source_files(gold: GoldDocument) -> list[Path]:
    """The filing's original files in ingestion order: the main document, then exhibits."""
    folder = Path(gold.path).parent / SOURCE_DIR
    names = [Path(p).name for p in gold.gold.provenance.files] or [gold.gold.provenance.path]
    files = [folder / n for n in names]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise GoldFormatError(f"source files missing: {', '.join(missing)}", file=gold.path)
    return files


def reingest(gold: GoldDocument) -> Document:
    """Ingest the filing's ``source/`` files the way ``gold add`` and ``ingest`` do."""
    from filingkit.ingest import ingest_file
    from filingkit.ingest.core import concat_results, ingest_with_marks

    files = source_files(gold)
    prov = gold.gold.provenance
    if len(files) == 1:
        return ingest_file(files[0], doc_id=gold.doc_id, provenance=prov)
    # separately filed exhibits are named after the segment recorded for their file
    seg_names = {s.filename: s.name for s in gold.gold.segments[1:] if s.filename}
    results = [
        ingest_with_marks(f, doc_id=gold.doc_id, provenance=prov,
                          segment_name=None if i == 0 else seg_names.get(f.name))
        for i, f in enumerate(files)
    ]
    return concat_results(gold.doc_id, results, prov).document
