"""Fixtures for the extractor tests: a small gold corpus made of real 8-K snippets.

The texts are excerpts of the seed filings (ImmunoGen 8-Ks, 2004-2007), copied
verbatim, markdown artifacts (``\\$``, ``**``) included. Gold entities are
written as (label, printed string) pairs and located in the text, so each
document's annotations are explicit and readable here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

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

COVER = """UNITED STATES SECURITIES AND EXCHANGE COMMISSION

Washington, D.C. 20549

FORM 8-K

CURRENT REPORT

Date of Report (Date of earliest event reported): {date}

ImmunoGen, Inc.

(Exact name of registrant as specified in its charter)

{idline}

128 Sidney Street, Cambridge, MA 02139

(Address of principal executive offices) (Zip Code)

Registrant's telephone number, including area code: (617) 995-2500

"""

IDLINES = (
    "Massachusetts\t0-17999\t04-2726691\n(State or other\t(Commission\t(IRS Employer\n"
    "jurisdiction of\tFile Number)\tIdentification No.)\nincorporation)\t\t",
    "Massachusetts (State or other jurisdiction of\n\nincorporation)\n\n"
    "0-17999 (Commission File Number) **04-2726691** (IRS Employer Identification No.)",
    "Massachusetts\n(State or other jurisdiction of incorporation)\n\n0-17999\n\n"
    "(Commission File Number)\n\n04-2726691\n\n(IRS Employer Identification No.)",
)

BODIES = (
    # seed 000
    ("March 15, 2005",
     "ITEM 8.01 — OTHER EVENTS\n\nOn March 17, 2005, ImmunoGen, Inc. issued a press release to "
     "announce that the sanofi-aventis Group has initiated clinical testing with huMy9-6-DM4. "
     "This event triggers a \\$2 million milestone payment to ImmunoGen.\n\n"
     "CAMBRIDGE, MA, March 17, 2005 — ImmunoGen, Inc. (Nasdaq: IMGN) today announced the "
     "milestone.\n\nContacts:\n\nCarol Hausner\nTel: (617) 995-2500\ninfo@immunogen.com\n\n"
     "Tony Loke\nTel: (917) 322-2164\ntloke@rxir.com\n"),
    # seed 001
    ("September 6, 2005",
     "ITEM 8.01 – OTHER EVENTS\n\nOn September 7, 2005, ImmunoGen, Inc. (Nasdaq: IMGN) issued a "
     "press release to announce the initiation of patient dosing with its huN901-DM1 compound, "
     "for the treatment of multiple myeloma.\n\nFAX: (617) 995-2510\n\ninfo@immunogen.com\n"),
    # seed 002
    ("October 17, 2007",
     "ITEM 8.01 OTHER EVENTS\n\nOn October 17, 2007, ImmunoGen, Inc. (Nasdaq: IMGN), issued a "
     "press release. This event triggers a \\$1 million milestone payment to ImmunoGen.\n\n"
     "Kathryn Morris\n(845) 635-9828\nKathryn@kmorrispr.com\n"),
    # seed 003
    ("November 14, 2005",
     "ITEM 8.01 - OTHER EVENTS\n\nOn November 14, 2005, ImmunoGen, Inc. (Nasdaq: IMGN) issued a "
     "press release. More information is available at www.aacr.org.\n\n"
     "Tel: (917) 322-2164\ntloke@rxir.com\n"),
    # seed 004
    ("November 4, 2004",
     "ITEM 2.02 RESULTS OF OPERATION AND FINANCIAL CONDITION\n\nCAMBRIDGE, MA, November 4, 2004 "
     "– ImmunoGen, Inc. (Nasdaq: IMGN) today announced financial results for the three-month "
     "period ended September 30, 2004. The Company reported a net loss of \\$2.5 million, or "
     "\\$0.06 per basic and diluted share, compared to a net loss of \\$4.1 million.\n\n"
     "The call also may be heard on ImmunoGen's website, http://www.immunogen.com.\n"),
    # seed 004, later paragraph
    ("November 4, 2004",
     "ITEM 2.02 RESULTS OF OPERATION\n\nAs of September 30, 2004, ImmunoGen had approximately "
     "\\$95.0 million in cash and marketable securities. This compares to \\$94.6 million as of "
     "June 30, 2004. ImmunoGen receives an upfront payment of \\$1 million.\n\n"
     "Net Loss\t\\$\t(2,471)\t\\$\t(4,126)\n"),
)

# Gold entities per document: (label, printed string); every occurrence is labelled.
ENTITY_TERMS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("DATE", "March 15, 2005"), ("DATE", "March 17, 2005"), ("MONEY", "$2 million"),
     ("TICKER", "IMGN"), ("PHONE", "(617) 995-2500"), ("PHONE", "(917) 322-2164"),
     ("EMAIL", "info@immunogen.com"), ("EMAIL", "tloke@rxir.com"), ("ORG", "ImmunoGen, Inc."),
     ("PERSON", "Carol Hausner"), ("PERSON", "Tony Loke"), ("PRODUCT", "huMy9-6-DM4"),
     ("LOCATION", "CAMBRIDGE"), ("LOCATION", "Cambridge")),
    (("DATE", "September 6, 2005"), ("DATE", "September 7, 2005"), ("TICKER", "IMGN"),
     ("PHONE", "(617) 995-2500"), ("PHONE", "(617) 995-2510"), ("EMAIL", "info@immunogen.com"),
     ("ORG", "ImmunoGen, Inc."), ("PRODUCT", "huN901-DM1"), ("INDICATION", "multiple myeloma"),
     ("LOCATION", "Cambridge")),
    (("DATE", "October 17, 2007"), ("MONEY", "$1 million"), ("TICKER", "IMGN"),
     ("PHONE", "(617) 995-2500"), ("PHONE", "(845) 635-9828"),
     ("EMAIL", "Kathryn@kmorrispr.com"), ("ORG", "ImmunoGen, Inc."),
     ("PERSON", "Kathryn Morris"), ("LOCATION", "Cambridge")),
    (("DATE", "November 14, 2005"), ("TICKER", "IMGN"), ("PHONE", "(617) 995-2500"),
     ("PHONE", "(917) 322-2164"), ("EMAIL", "tloke@rxir.com"), ("URL", "www.aacr.org"),
     ("ORG", "ImmunoGen, Inc."), ("LOCATION", "Cambridge")),
    (("DATE", "November 4, 2004"), ("DATE", "September 30, 2004"), ("MONEY", "$2.5 million"),
     ("MONEY", "$0.06"), ("MONEY", "$4.1 million"), ("TICKER", "IMGN"),
     ("PHONE", "(617) 995-2500"), ("URL", "http://www.immunogen.com"),
     ("ORG", "ImmunoGen, Inc."), ("LOCATION", "CAMBRIDGE"), ("LOCATION", "Cambridge")),
    (("DATE", "November 4, 2004"), ("DATE", "September 30, 2004"), ("DATE", "June 30, 2004"),
     ("MONEY", "$95.0 million"), ("MONEY", "$94.6 million"), ("MONEY", "$1 million"),
     ("MONEY", "$\t(2,471)"), ("MONEY", "$\t(4,126)"), ("PHONE", "(617) 995-2500"),
     ("ORG", "ImmunoGen, Inc."), ("LOCATION", "Cambridge")),
)

COVER_FACTS = {
    "dei:EntityFileNumber": ("0-17999", "0-17999"),
    "dei:EntityTaxIdentificationNumber": ("04-2726691", "04-2726691"),
    "dei:CityAreaCode": ("617", "617"),
    "dei:LocalPhoneNumber": ("995-2500", "995-2500"),
    "dei:EntityAddressPostalZipCode": ("02139", "02139"),
}


def corpus_text(i: int) -> str:
    """The text of corpus document ``i`` (0..5)."""
    date, body = BODIES[i]
    return COVER.format(date=date, idline=IDLINES[i % len(IDLINES)]) + body


def locate(text: str, terms: Sequence[tuple[str, str]]) -> list[Entity]:
    """Every occurrence of each term as an entity, longest terms first, never overlapping."""
    taken: list[tuple[int, int]] = []
    out: list[Entity] = []
    for label, term in sorted(terms, key=lambda t: -len(t[1])):
        for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append(Entity(label, s, e, text[s:e]))
    return sorted(out, key=lambda x: (x.start, x.end, x.label))


def corpus_document(i: int) -> tuple[Document, GoldRecord]:
    """Document ``i`` and its gold record (scope: entities and cover)."""
    text = corpus_text(i)
    doc_id = f"doc{i}"
    prov = Provenance(kind="user", path=f"{doc_id}.txt", format="text")
    doc = Document(doc_id, text, (Segment("8-K", 0, len(text)),), prov)
    facts = []
    for field, (printed, value) in COVER_FACTS.items():
        start = text.index(printed) if field != "dei:LocalPhoneNumber" else text.index("995-2500")
        if field == "dei:CityAreaCode":
            start = text.index("(617)") + 1
        facts.append(Fact(field, value, (Evidence(start, start + len(printed)),)))
    record = GoldRecord(
        doc_id=doc_id, text_sha256=sha256_text(text), segments=doc.segments,
        entities=tuple(locate(text, ENTITY_TERMS[i])), facts=tuple(facts),
        status="annotated", provenance=prov, catalogue_version="1",
        scope=("entities", "dei:EntityFileNumber", "dei:EntityTaxIdentificationNumber",
               "dei:CityAreaCode", "dei:LocalPhoneNumber", "dei:EntityAddressPostalZipCode"),
    )
    return doc, record


def build_gold_dir(root: Path, n: int = len(BODIES), *, with_source: bool = True) -> Path:
    """A gold folder of the first ``n`` corpus documents, each with its raw ``source/`` file."""
    from filingkit.gold.store import save_gold

    for i in range(n):
        doc, record = corpus_document(i)
        save_gold(root, doc, record)
        if with_source:
            src = root / doc.doc_id / "source"
            src.mkdir(parents=True, exist_ok=True)
            (src / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def corpus() -> list[tuple[Document, GoldRecord]]:
    """The six corpus documents with their gold (frozen records: safe to share)."""
    return [corpus_document(i) for i in range(len(BODIES))]


@pytest.fixture
def corpus_gold_dir(tmp_path: Path) -> Path:
    """A gold folder with the six corpus documents."""
    return build_gold_dir(tmp_path / "gold")


@pytest.fixture(scope="session")
def gold_dir_builder() -> Callable[..., Path]:
    """``build_gold_dir`` as a fixture."""
    return build_gold_dir
