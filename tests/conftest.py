"""Shared fixtures: a small, valid gold folder built from real seed text."""

from __future__ import annotations

from pathlib import Path

import pytest

from filingkit.catalogue import load_catalogue
from filingkit.records import (
    Document,
    Entity,
    Evidence,
    Fact,
    GoldRecord,
    Provenance,
    Segment,
    sha256_text,
)

REPO = Path(__file__).resolve().parents[1]

# The first lines of seed 000 (ImmunoGen, 2005), verbatim.
COVER = (
    "FORM 8-K\n\nCURRENT REPORT\n\n"
    "Date of Report (Date of earliest event reported): March 15, 2005\n\n"
    "ImmunoGen, Inc.\n\n(Exact name of registrant as specified in its charter)\n\n"
    "Massachusetts\t0-17999\t04-2726691\n"
)


def make_gold(text: str = COVER, doc_id: str = "doc1") -> tuple[Document, GoldRecord]:
    """A valid (document, gold record) pair over ``text``."""
    def span(s: str) -> tuple[int, int]:
        i = text.index(s)
        return i, i + len(s)

    ds, de = span("March 15, 2005")
    os_, oe = span("ImmunoGen, Inc.")
    ls, le = span("Massachusetts")
    doc = Document(doc_id=doc_id, text=text, segments=(Segment("8-K", 0, len(text)),),
                   provenance=Provenance(kind="user", path="cover.txt", format="text"))
    record = GoldRecord(
        doc_id=doc_id,
        text_sha256=sha256_text(text),
        segments=doc.segments,
        entities=(
            Entity("DATE", ds, de, text[ds:de]),
            Entity("ORG", os_, oe, text[os_:oe]),
            Entity("LOCATION", ls, le, text[ls:le]),
        ),
        facts=(
            Fact("dei:DocumentPeriodEndDate", "2005-03-15",
                 (Evidence(ds, de, text[ds:de]),)),
            Fact("dei:EntityRegistrantName", "ImmunoGen, Inc.", (Evidence(os_, oe),)),
            Fact("dei:EntityIncorporationStateCountryCode", "MA"),
            Fact("dei:EntityFileNumber", "000-17999"),
        ),
        status="annotated",
        provenance=doc.provenance,  # type: ignore[arg-type]
        catalogue_version=load_catalogue().version,
        scope=("entities", "cover"),
    )
    return doc, record


@pytest.fixture
def small_gold_dir(tmp_path: Path) -> Path:
    """A gold folder with one valid filing."""
    from filingkit.gold.store import save_gold

    doc, record = make_gold()
    root = tmp_path / "gold"
    save_gold(root, doc, record)
    return root


@pytest.fixture
def gold_factory():  # type: ignore[no-untyped-def]
    """``make_gold`` as a fixture, so test modules need not import conftest."""
    return make_gold
