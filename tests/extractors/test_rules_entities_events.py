"""Entity and event rules of the ``rules`` extractor, on real snippets (seeds and pool
filings, named in comments)."""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.extractors.rules import RulesExtractor
from filingkit.records import Document

EX = RulesExtractor()


def entities(text: str, label: str) -> list[str]:
    ann = EX.extract(Document(doc_id="t", text=text))
    return [str(e.text) for e in ann.entities if e.label == label]


def events(text: str, field: str) -> list[dict[str, Any]]:
    ann = EX.extract(Document(doc_id="t", text=text))
    return [f.value for f in ann.facts if f.field == field]


TICKER_CASES = [
    # seed 000
    ("CAMBRIDGE, MA, March 17, 2005 — ImmunoGen, Inc. (Nasdaq: IMGN) today announced", ["IMGN"]),
    # pool 0001125282-04-002113 (Asta Funding 2004)
    ("ENGLEWOOD CLIFFS, NJ, May 12, 2004 -- Asta Funding, Inc., (NASDAQ: ASFI), a", ["ASFI"]),
    # pool 0000939057-08-000507 (Horizon Financial 2008)
    ("BELLINGHAM, Wash., Dec. 22, 2008 -- Horizon Financial Corp. (NasdaqGS:HRZB) today", ["HRZB"]),
    # pool 0000939057-09-000022 (Horizon Financial 2009)
    ("BELLINGHAM, WA, Jan. 29, 2009 -- Horizon Financial Corp. (Nasdaq GS: HRZB) the", ["HRZB"]),
]


@pytest.mark.parametrize(("text", "expected"), TICKER_CASES)
def test_ticker(text: str, expected: list[str]) -> None:
    assert entities(text, "TICKER") == expected


DATELINE_CASES = [
    ("CAMBRIDGE, MA, March 17, 2005 — ImmunoGen, Inc. (Nasdaq: IMGN) today announced",
     ["CAMBRIDGE", "MA"]),                                                      # seed 000
    ("CAMBRIDGE, MA September 7, 2005 – ImmunoGen, Inc. (Nasdaq: IMGN) today announced",
     ["CAMBRIDGE", "MA"]),                                                      # seed 001
    ("BELLINGHAM, Wash., April 24, 2008 -- Horizon Financial Corp. (NASDAQ:HRZB)",
     ["BELLINGHAM", "Wash."]),                                   # pool 0000939057-08-000121
    ("        MINNEAPOLIS...JANUARY 3, 2001...Stockwalk Group, Inc. (Nasdaq: STOK),",
     ["MINNEAPOLIS"]),                                           # pool 0000950124-01-000024
    ("ENGLEWOOD CLIFFS, NJ, May 12, 2004 -- Asta Funding, Inc., (NASDAQ: ASFI), a",
     ["ENGLEWOOD CLIFFS", "NJ"]),                                # pool 0001125282-04-002113
    # an address line: city and state, not the zip (seed 000 letterhead)
    ("ImmunoGen, Inc.\n\n128 Sidney Street, Cambridge, MA 02139\n\nContacts:",
     ["Cambridge", "MA"]),
]


@pytest.mark.parametrize(("text", "expected"), DATELINE_CASES)
def test_location_dateline_and_address(text: str, expected: list[str]) -> None:
    assert entities(text, "LOCATION") == expected


def test_org_suffixed_names_and_no_possessive() -> None:
    # seed 000
    text = ("Centocor (a wholly-owned subsidiary of Johnson & Johnson), Biogen Idec, Genentech, "
            "sanofi-aventis, Millennium Pharmaceuticals, Inc., Boehringer Ingelheim, and Abgenix "
            "have licensed the right to develop or test TAP compounds.\n\nAbout ImmunoGen, Inc.\n")
    orgs = entities(text, "ORG")
    assert "Millennium Pharmaceuticals, Inc." in orgs
    assert "ImmunoGen, Inc." in orgs
    assert "About ImmunoGen, Inc." not in orgs


def test_person_name_title_and_honorific() -> None:
    # seed 004
    text = ('Mitchel Sayare, Ph.D., Chairman and CEO, commented, "During this quarter, we '
            'operated at cash flow breakeven."\n\nDr. Sayare continued, "We also continue to '
            'strengthen our internal infrastructure."\n')
    assert entities(text, "PERSON") == ["Mitchel Sayare", "Sayare"]


def test_person_contact_lines() -> None:
    # seed 000
    text = ("Contacts:\n\nInvestors\nCarol Hausner\nExecutive Director, Investor Relations and\n"
            "Corporate Communications\nTel: (617) 995-2500\n")
    assert entities(text, "PERSON") == ["Carol Hausner"]


MILLION = {"unit": "USD", "decimals": -6}


def test_milestone_payment() -> None:
    # seed 002
    text = ("On October 17, 2007, ImmunoGen, Inc. (Nasdaq: IMGN), issued a press release to "
            "announce that sanofi-aventis has advanced the Tumor-Activated Prodrug (TAP) compound, "
            "SAR3419, into Phase I clinical testing. This event triggers a \\$1 million milestone "
            "payment to ImmunoGen.\n")
    assert events(text, "event:MilestonePayment") == [
        {"amount": {"value": 1000000, **MILLION}, "payer": "sanofi-aventis", "product": "SAR3419"}]
    assert events(text, "event:ClinicalTrialStart") == [
        {"product": "SAR3419", "phase": "I", "sponsor": "sanofi-aventis"}]


def test_potential_milestones_are_not_a_milestone_payment() -> None:
    # seed 002
    text = ("For each compound in this collaboration, ImmunoGen is entitled to receive milestone "
            "payments that could potentially total \\$21.5 to \\$30 million, plus royalties on "
            "sales.\n")
    assert events(text, "event:MilestonePayment") == []
    assert events(text, "event:LicenseAgreement") == []


def test_planned_trial_is_not_a_trial_start() -> None:
    # seed 004
    text = ("ImmunoGen expects to initiate Phase I clinical testing with huC242-DM4 in "
            "mid-2005.\n")
    assert events(text, "event:ClinicalTrialStart") == []


def test_license_agreement() -> None:
    # seed 004
    text = ("In October 2004, Biogen Idec licensed the right to use ImmunoGen's TAP technology to "
            "develop novel anticancer therapeutics. The agreement allows Biogen Idec to use "
            "ImmunoGen's maytansinoid TAP technology. ImmunoGen receives an upfront payment of "
            "\\$1 million, potentially up to an additional \\$42 million if certain "
            "predetermined milestones are met, and royalties on the sales.\n")
    assert events(text, "event:LicenseAgreement") == [
        {"licensee": "Biogen Idec", "licensor": "ImmunoGen",
         "upfront_amount": {"value": 1000000, **MILLION},
         "potential_milestones": {"value": 42000000, **MILLION}}]
