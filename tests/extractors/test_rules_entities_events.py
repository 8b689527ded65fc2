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
    # an address line: city, state and zip (the catalogue's LOCATION guideline; seed 000
    # letterhead)
    ("ImmunoGen, Inc.\n\n128 Sidney Street, Cambridge, MA 02139\n\nContacts:",
     ["Cambridge", "MA", "02139"]),
    # a street abbreviation before the city (dev 0001213900-25-032135, ABVC cover)
    ("(IRS Employer Identification No.)\n\n44370 Old Warm Springs Blvd. Fremont, CA 94538\n",
     ["Fremont", "CA", "94538"]),
    # a possessive before the city (dev 0000950117-94-000182, Union Camp 1994)
    ("One of the six paper machines at Union Camp's Savannah, Ga., kraft paper and board mill",
     ["Savannah", "Ga."]),
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


# dev seeds and curated dev filings: the cover's agency line, acronyms, the registrant's
# distinctive first word, countries, names
ENTITY_CASES = [
    # seed 000 cover: the whole agency name is one ORG; "20549" is the zip of its address
    ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n", "ORG",
     ["UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION"]),
    ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n", "LOCATION",
     ["Washington", "D.C.", "20549"]),
    # dev 0001193125-19-191922 (Oracle 2019): "U.S." belongs to the name; SEC is an ORG
    ("is contained in our U.S. Securities and Exchange Commission (\u201cSEC\u201d) filings", "ORG",
     ["U.S. Securities and Exchange Commission", "SEC"]),
    # IRS in the cover label is not an organization (seed 000)
    ("(Commission File Number) (IRS Employer Identification No.)", "ORG", []),
    # dev 0001213900-25-032135 (ABVC 2025): the 12(b) exchange with its article and form
    ("Common Stock, par value $0.001 per share\tABVC\tThe Nasdaq Stock Market LLC\n", "ORG",
     ["The Nasdaq Stock Market LLC"]),
    # dev 0001193125-19-191922: a country; not in the name of a law (dev ABVC)
    ("Department for International Trade in the United Kingdom from September 2017", "LOCATION",
     ["United Kingdom"]),
    ("have not been registered under the United States Securities Act of 1933, as amended",
     "LOCATION", []),
    # dev 0001193125-19-191922: "elected Name" is a person cue; "Mrs. Surname" follows
    ("unanimously elected Rona Fairhead to serve as a director. On July 3, 2019, Mrs. Fairhead "
     "accepted the appointment", "PERSON", ["Rona Fairhead", "Fairhead"]),
]


@pytest.mark.parametrize(("text", "label", "expected"), ENTITY_CASES)
def test_entity_cases(text: str, label: str, expected: list[str]) -> None:
    assert entities(text, label) == expected


def test_registrant_short_forms_and_first_word() -> None:
    # dev 0001125282-04-000379 (Asta Funding, February 2004): the cover name in capitals, its
    # short form in running text, and "Asta" alone
    text = ("ASTA FUNDING, INC.\n(Exact name of registrant as specified in its charter)\n\n"
            "Item 12. Results of Operations and Financial Condition.\n\n"
            "Gary Stern, CEO of Asta Funding, said the first quarter revenue increase\n"
            "reflects the Company's significant portfolio acquisition activity.\n\n"
            "receivables. Asta generates revenues and earnings primarily through the purchase\n"
            "communications, including that Asta may not be able to purchase consumer\n")
    assert entities(text, "ORG") == ["ASTA FUNDING, INC.", "Asta Funding", "Asta", "Asta"]


def test_person_without_generational_suffix() -> None:
    # dev 0000950135-07-000506 (Nuance, February 2007), signature block
    text = ("Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant "
            "has duly caused this report to be\n\nNUANCE COMMUNICATIONS, INC.\n"
            "Date: February 5, 2007\tBy:\t/s/ James R. Arnold, Jr.\nJames R. Arnold, Jr.\n"
            "Chief Financial Officer\n")
    assert entities(text, "PERSON") == ["James R. Arnold", "James R. Arnold"]


# dev 0001213900-25-032135 (ABVC BioPharma, April 2025), verbatim: milestone payments collected,
# one row per partner
ABVC_MILESTONES = (
    'Remaining Licensing Milestone Income Provides Strong Revenue Visibility\n'
    '\n'
    'Partner\tProgram\tCash Collected\tRemaining Milestone Potential\n'
    'AiBtl BioPharma Inc.\tCNS (MDD & ADHD)\t$200,000\t$6,800,000\n'
    'ForSeeCon Eye Corporation\tOphthalmology (Vitargus®)\t$296,000\t$6,704,000\n'
    'OncoX BioPharma Inc.\tOncology\t$200,000\t$4,800,000\n'
    'Total\t$702,000\t$18,298,000\n'
    '\n'
)


def test_milestone_table_one_payment_per_partner() -> None:
    recs = events(ABVC_MILESTONES, "event:MilestonePayment")
    got = sorted((r["payer"], r["amount"]["value"], r.get("product")) for r in recs)
    assert got == [("AiBtl BioPharma", 200000, None), ("ForSeeCon Eye", 296000, "Vitargus"),
                   ("OncoX BioPharma", 200000, None)]
    # the remaining potential is not a payment; the total row is not a partner
    assert all(r["amount"]["value"] < 1000000 for r in recs)
