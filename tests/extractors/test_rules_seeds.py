"""The ``rules`` extractor over the full texts of the five seed filings (ImmunoGen 8-Ks).

The seeds are plain text read as UTF-8 with CRLF -> LF (what ingestion does to
them). Expected values follow the catalogue guidelines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from filingkit.extractors.rules import RulesExtractor
from filingkit.records import Annotations, Document

GOLD_FILINGS = Path(__file__).resolve().parents[2] / "gold" / "filings"


class _Seeds:
    """The seed files as kept byte for byte in the bundled gold (gold/filings/<stem>/source/)."""

    def __truediv__(self, name: str) -> Path:
        return GOLD_FILINGS / Path(name).stem / "source" / name


SEEDS = _Seeds()

EX = RulesExtractor()

COMMON = {
    "dei:DocumentType": ["8-K"],
    "dei:EntityRegistrantName": ["ImmunoGen, Inc."],
    "dei:EntityIncorporationStateCountryCode": ["MA"],
    "dei:EntityFileNumber": ["000-17999"],
    "dei:EntityTaxIdentificationNumber": ["04-2726691"],
    "dei:EntityAddressAddressLine1": ["128 Sidney Street"],
    "dei:EntityAddressCityOrTown": ["Cambridge"],
    "dei:EntityAddressStateOrProvince": ["MA"],
    "dei:EntityAddressPostalZipCode": ["02139"],
    "dei:CityAreaCode": ["617"],
    "dei:LocalPhoneNumber": ["995-2500"],
    "dei:WrittenCommunications": [False],
    "dei:SolicitingMaterial": [False],
    "dei:PreCommencementTenderOffer": [False],
    "dei:PreCommencementIssuerTenderOffer": [False],
    "filing:Exhibits": ["99.1"],
}
MILLION = {"unit": "USD", "decimals": -6}

EXPECTED: dict[str, dict[str, list[Any]]] = {
    "000_1829aaabe4e2c628.txt": {
        "dei:DocumentPeriodEndDate": ["2005-03-15"],
        "filing:Items": ["8.01", "9.01"],
        "filing:SignatoryName": ["Karleen M. Oberton"],
        "filing:SignatoryTitle": [
            "Senior Corporate Controller (Principal Accounting and Financial Officer)"],
        "filing:SignatureDate": ["2005-03-17"],
        "event:MilestonePayment": [{"amount": {"value": 2000000, **MILLION},
                                    "payer": "sanofi-aventis", "product": "huMy9-6-DM4"}],
        "event:ClinicalTrialStart": [{"product": "huMy9-6-DM4",
                                      "indication": "acute myeloid leukemia",
                                      "sponsor": "sanofi-aventis"}],
    },
    "001_1276105b6f14edc9.txt": {
        "dei:DocumentPeriodEndDate": ["2005-09-06"],
        "filing:Items": ["8.01", "9.01"],
        "filing:SignatoryName": ["Karleen M. Oberton"],
        "filing:SignatoryTitle": ["Senior Corporate Controller (Principal Accounting Officer)"],
        "event:ClinicalTrialStart": [{"product": "huN901-DM1", "indication": "multiple myeloma",
                                      "phase": "I", "sponsor": "ImmunoGen"}],
    },
    "002_35968dba8423dc4d.txt": {
        "dei:DocumentPeriodEndDate": ["2007-10-17"],
        "filing:Items": ["8.01", "9.01"],
        "filing:SignatoryName": ["Daniel M. Junius"],
        "filing:SignatureDate": ["2007-10-17"],
        "event:MilestonePayment": [{"amount": {"value": 1000000, **MILLION},
                                    "payer": "sanofi-aventis", "product": "SAR3419"}],
    },
    "003_2a7bfae9952e9373.txt": {
        "dei:DocumentPeriodEndDate": ["2005-11-14"],
        "filing:Items": ["8.01", "9.01"],
        "filing:SignatureDate": ["2005-11-14"],
        "event:MilestonePayment": [],
        "event:LicenseAgreement": [],
    },
    "004_8b91588b6efecd58.txt": {
        "dei:DocumentPeriodEndDate": ["2004-11-04"],
        "filing:Items": ["2.02", "9.01"],
        "filing:SignatoryName": ["Christopher U. Missling"],
        "filing:SignatoryTitle": [
            "Chief Financial Officer and Vice President, Finance and Treasurer"],
        "filing:SignatureDate": ["2004-11-04"],
        "event:LicenseAgreement": [{"licensee": "Biogen Idec", "licensor": "ImmunoGen",
                                    "upfront_amount": {"value": 1000000, **MILLION},
                                    "potential_milestones": {"value": 42000000, **MILLION}}],
    },
}


def _run(name: str) -> tuple[Document, Annotations]:
    text = (SEEDS / name).read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(doc_id=name, text=text)
    return doc, EX.extract(doc)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_facts(name: str) -> None:
    _, ann = _run(name)
    got: dict[str, list[Any]] = {}
    for f in ann.facts:
        got.setdefault(f.field, []).append(f.value)
    for field, values in {**COMMON, **EXPECTED[name]}.items():
        assert got.get(field, []) == values, field


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_evidence_and_entities_are_grounded(name: str) -> None:
    doc, ann = _run(name)
    for f in ann.facts:
        assert f.evidence, f.field
        for ev in f.evidence:
            assert 0 <= ev.start < ev.end <= len(doc.text)
            assert doc.text[ev.start:ev.end] == ev.text
    for e in ann.entities:
        assert doc.text[e.start:e.end] == e.text
        assert e.text == e.text.strip()
    labels = {e.label for e in ann.entities}
    assert {"ORG", "TICKER", "LOCATION", "PERSON"} <= labels


def test_seed_entities() -> None:
    _, ann = _run("000_1829aaabe4e2c628.txt")
    by_label: dict[str, set[str]] = {}
    for e in ann.entities:
        by_label.setdefault(e.label, set()).add(str(e.text))
    assert {"ImmunoGen, Inc.", "ImmunoGen", "Nasdaq"} <= by_label["ORG"]
    assert "ImmunoGen's" not in by_label["ORG"]
    assert {"Karleen M. Oberton", "Mitchel Sayare", "Carol Hausner"} <= by_label["PERSON"]
    assert "Mitchel Sayare, Ph.D." not in by_label["PERSON"]
    assert {"CAMBRIDGE", "MA", "Cambridge"} <= by_label["LOCATION"]
    assert by_label["TICKER"] == {"IMGN"}


def test_seed_financials() -> None:
    _, ann = _run("004_8b91588b6efecd58.txt")
    recs = [f.value for f in ann.facts if f.field == "xbrl:Fact"]
    q = {"start": "2004-07-01", "end": "2004-09-30"}
    revenues = sorted((r["value"], r["decimals"]) for r in recs
                      if r["concept"] == "us-gaap:Revenues" and r["period"] == q)
    # the table value and the prose value are both reported, each at its precision
    assert revenues == [(9000000, -5), (9006000, -3)]
