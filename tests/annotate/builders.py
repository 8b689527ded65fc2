"""Builders of the annotate tests: real filing text and two annotators' readings.

The filing is seed 000 (ImmunoGen, 8-K of March 2005), copied into
``tests/data/labelstudio/filing-000.txt``. Annotators A and B agree on most
values and differ on a few, chosen so that every kind of disagreement occurs
once: a missing entity, an extra entity, a boundary difference (overlap but
not strict), a check box, a missing item code, and a name written differently
that the catalogue's ``name_key`` rule still matches.
"""

from __future__ import annotations

from pathlib import Path

from filingkit.catalogue import load_catalogue
from filingkit.gold.store import save_gold
from filingkit.records import (
    Annotations,
    Document,
    Entity,
    Evidence,
    Fact,
    GoldRecord,
    Provenance,
    Segment,
    sha256_text,
)

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "labelstudio"
DOC_ID = "seed-000"
FILING_TEXT = (DATA / "filing-000.txt").read_bytes().decode("utf-8")
SCOPE = ("entities", "cover", "structure", "events")


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def ent(text: str, label: str, needle: str, nth: int = 0, source: str = "manual") -> Entity:
    s, e = span(text, needle, nth)
    return Entity(label, s, e, text[s:e], source)


def document(text: str = FILING_TEXT, doc_id: str = DOC_ID) -> Document:
    return Document(doc_id=doc_id, text=text, segments=(Segment("8-K", 0, len(text)),),
                    provenance=Provenance(kind="seed", path="000_1829aaabe4e2c628.txt",
                                          format="text"))


def milestone(text: str) -> Fact:
    s, e = span(text, "$2 million milestone payment")
    return Fact("event:MilestonePayment",
                {"amount": {"value": 2000000, "unit": "USD", "decimals": -6},
                 "payer": "sanofi-aventis", "product": "huMy9-6-DM4"},
                (Evidence(s, e, text[s:e]),))


def annotations_a(text: str = FILING_TEXT, doc_id: str = DOC_ID) -> Annotations:
    """Annotator A: the reference reading."""
    return Annotations(doc_id, (
        ent(text, "DATE", "March 15, 2005"),
        ent(text, "ORG", "ImmunoGen, Inc."),
        ent(text, "PERSON", "Karleen M. Oberton"),
        ent(text, "LOCATION", "Cambridge"),
        ent(text, "PRODUCT", "huMy9-6-DM4"),
        ent(text, "INDICATION", "acute myeloid leukemia"),
        ent(text, "MONEY", "$2 million"),
    ), (
        Fact("dei:DocumentType", "8-K"),
        Fact("dei:EntityRegistrantName", "ImmunoGen, Inc."),
        Fact("dei:EntityIncorporationStateCountryCode", "MA"),
        Fact("dei:EntityFileNumber", "000-17999"),
        Fact("dei:WrittenCommunications", False),
        Fact("filing:Items", "8.01"),
        Fact("filing:Items", "9.01"),
        Fact("filing:Exhibits", "99.1"),
        Fact("filing:SignatoryName", "Karleen M. Oberton"),
        Fact("dei:DocumentPeriodEndDate", "2005-03-15"),
        milestone(text),
    ))


def annotations_b(text: str = FILING_TEXT, doc_id: str = DOC_ID) -> Annotations:
    """Annotator B: misses PERSON, adds an ORG, cuts INDICATION short, ticks a box,
    misses item 9.01 and writes the registrant's name in capitals."""
    return Annotations(doc_id, (
        ent(text, "DATE", "March 15, 2005"),
        ent(text, "ORG", "ImmunoGen, Inc."),
        ent(text, "ORG", "sanofi-aventis Group"),
        ent(text, "LOCATION", "Cambridge"),
        ent(text, "PRODUCT", "huMy9-6-DM4"),
        ent(text, "INDICATION", "myeloid leukemia"),
        ent(text, "MONEY", "$2 million"),
    ), (
        Fact("dei:DocumentType", "8-K"),
        Fact("dei:EntityRegistrantName", "IMMUNOGEN INC"),
        Fact("dei:EntityIncorporationStateCountryCode", "MA"),
        Fact("dei:EntityFileNumber", "000-17999"),
        Fact("dei:WrittenCommunications", True),
        Fact("filing:Items", "8.01"),
        Fact("filing:Exhibits", "99.1"),
        Fact("filing:SignatoryName", "Karleen M. Oberton"),
        Fact("dei:DocumentPeriodEndDate", "2005-03-15"),
        milestone(text),
    ))


def write_set(gold_dir: Path, doc: Document, ann: Annotations, who: str,
              scope: tuple[str, ...] = SCOPE) -> Path:
    """Save ``ann`` as ``who``'s annotation set of ``doc`` (the hand-made layout)."""
    source = f"labelstudio:{who}"
    record = GoldRecord(
        doc_id=doc.doc_id, text_sha256=sha256_text(doc.text), segments=doc.segments,
        entities=tuple(e.__class__(e.label, e.start, e.end, e.text, source)
                       for e in ann.entities),
        facts=tuple(f.__class__(f.field, f.value, f.evidence, source) for f in ann.facts),
        status="annotated", provenance=doc.provenance or Provenance("user", doc.doc_id),
        catalogue_version=load_catalogue().version, annotator=who, scope=scope,
    )
    return save_gold(gold_dir, doc, record, annotator_set=True)
