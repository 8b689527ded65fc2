"""Every bundled gold text is exactly what ingestion makes of the filing's original files."""

from __future__ import annotations

import pytest

from filingkit.gold.sources import reingest
from filingkit.gold.store import bundled_gold_dir, load_gold_dir
from filingkit.records import GoldDocument

GOLD = load_gold_dir()
#: the machine check set (gold/pool-ixbrl/filings): its texts must match fresh ingests too
POOL_IXBRL_DIR = bundled_gold_dir().parent / "pool-ixbrl" / "filings"
POOL_IXBRL = load_gold_dir(POOL_IXBRL_DIR)


@pytest.mark.parametrize("gold", GOLD + POOL_IXBRL,
                         ids=[g.doc_id for g in GOLD] + [f"pool-ixbrl/{g.doc_id}" for g in POOL_IXBRL])
def test_gold_text_equals_fresh_ingest(gold: GoldDocument) -> None:
    doc = reingest(gold)
    assert doc.text == gold.document.text, (
        f"{gold.doc_id}: ingestion output changed; rebuild the text and re-anchor the gold"
    )
    if gold.gold.provenance.kind == "corpus":
        # plain-text seeds carry no document boundaries: their segments are read by the annotator
        assert [s.name for s in doc.segments] == [s.name for s in gold.gold.segments]


def test_bundled_gold_has_every_kind_of_source() -> None:
    kinds = {g.gold.provenance.kind for g in GOLD}
    formats = {g.gold.provenance.format for g in GOLD}
    assert kinds == {"seed", "corpus"}
    assert {"text", "html", "ixbrl", "sgml"} <= formats


def test_git_never_converts_gold_line_endings() -> None:
    """text.txt hashes, offsets and the byte-for-byte sources rely on git keeping bytes as
    committed (a core.autocrlf checkout would otherwise rewrite them)."""
    for folder in (bundled_gold_dir(), POOL_IXBRL_DIR):
        rules = (folder / ".gitattributes").read_text(encoding="utf-8").splitlines()
        assert "* -text" in rules
