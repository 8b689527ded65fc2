"""The regex extractor: one table of real snippets per label, cover facts per layout."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filingkit.extractors.regex import Candidate, RegexExtractor, resolve_overlaps
from filingkit.records import Document

# (snippet, label, expected span texts of that label). Snippets are from the seed filings
# unless marked otherwise; markdown artifacts are kept as the converted text prints them.
ENTITY_CASES = [
    # ---- DATE
    pytest.param("On March 17, 2005, ImmunoGen, Inc. issued", "DATE", ["March 17, 2005"],
                 id="date-mdy"),
    pytest.param("Date of Report (Date of earliest event reported): September 6, 2005", "DATE",
                 ["September 6, 2005"], id="date-cover"),
    pytest.param("MARCH 17, 2005", "DATE", ["MARCH 17, 2005"], id="date-upper"),
    pytest.param("on 17 March 2005 and 3/17/2005", "DATE", ["17 March 2005", "3/17/2005"],
                 id="date-dmy-numeric"),
    pytest.param("received from Aventis in July 2003 continues", "DATE", ["July 2003"],
                 id="date-month-year"),
    pytest.param("Reports First Quarter Fiscal Year 2005 Financial Results", "DATE",
                 ["First Quarter Fiscal Year 2005"], id="date-quarter-fiscal-year"),
    pytest.param("Other income for the first quarter of 2005 was", "DATE",
                 ["the first quarter of 2005"], id="date-quarter-of"),
    pytest.param("The first quarter 2005 revenues include", "DATE", ["first quarter 2005"],
                 id="date-quarter-no-article"),
    pytest.param("the first quarter of the Company's 2005 fiscal year. For", "DATE",
                 ["the first quarter of the Company's 2005 fiscal year"], id="date-quarter-company"),
    pytest.param("guidance for the third quarter of fiscal 2005 and fiscal 2004", "DATE",
                 ["the third quarter of fiscal 2005", "fiscal 2004"], id="date-fiscal"),
    pytest.param("Q3 2005 and FY2006", "DATE", ["Q3 2005", "FY2006"], id="date-q-fy"),
    pytest.param("patient dosing expected to begin in early 2005. testing in mid-2005.", "DATE",
                 ["early 2005", "mid-2005"], id="date-early-mid"),
    pytest.param("the fiscal year ended June 30, 2004 and 2003", "DATE",
                 ["June 30, 2004", "2003"], id="date-bare-year"),
    pytest.param("PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934", "DATE",
                 [], id="date-not-act-of"),
    pytest.param("Washington, D.C. 20549; file 0-17999; (617) 995-2004", "DATE", [],
                 id="date-not-in-numbers"),
    # ---- MONEY
    pytest.param("This event triggers a \\$2 million milestone payment", "MONEY", ["$2 million"],
                 id="money-escaped-dollar"),
    pytest.param("net loss of \\$2.5 million, or \\$0.06 per basic and diluted share", "MONEY",
                 ["$2.5 million", "$0.06"], id="money-scale-and-cents"),
    pytest.param("compared to \\$1.9 million and \\$646,000, respectively", "MONEY",
                 ["$1.9 million", "$646,000"], id="money-thousands-separator"),
    pytest.param("Net Loss\t\\$\t(2,471)\t\\$\t(4,126)", "MONEY", ["$\t(2,471)", "$\t(4,126)"],
                 id="money-table-parentheses"),
    pytest.param("Cash and marketable securities\t\\$ 95,020\t\\$\t94,610", "MONEY",
                 ["$ 95,020", "$\t94,610"], id="money-table"),
    pytest.param("a payment of 2,000,000 dollars and US$5 billion", "MONEY",
                 ["2,000,000 dollars", "US$5 billion"], id="money-word-and-us-dollar"),
    pytest.param("Other assets\t23,230\t\t28,020", "MONEY", [], id="money-not-bare-numbers"),
    # ---- PERCENT
    pytest.param("an increase of 15% and 3.5 percent", "PERCENT", ["15%", "3.5 percent"],
                 id="percent"),
    # ---- PHONE (phonenumbers' matcher)
    pytest.param("Tel: (617) 995-2500\ninfo@immunogen.com", "PHONE", ["(617) 995-2500"],
                 id="phone-parens"),
    pytest.param("dial 913-981-4900. No passcode is required; call 719-457-0820 and provide "
                 "passcode 613045.", "PHONE", ["913-981-4900", "719-457-0820"], id="phone-dashes"),
    pytest.param("TEL: (617) 995-2500 FAX: (617) 995-2510", "PHONE",
                 ["(617) 995-2500", "(617) 995-2510"], id="phone-tel-fax"),
    pytest.param("Identification No. 04-2726691, zip 02139-4239", "PHONE", [],
                 id="phone-not-ein-or-zip"),
    pytest.param("call (123) 456-7890 now", "PHONE", [], id="phone-invalid-area-code"),
    # ---- EMAIL
    pytest.param("Tel: (917) 322-2164\ntloke@rxir.com", "EMAIL", ["tloke@rxir.com"], id="email"),
    pytest.param("write to mailto:john\\_doe@example.com.", "EMAIL", ["john\\_doe@example.com"],
                 id="email-markdown-underscore"),
    # ---- URL
    pytest.param("ImmunoGen's website, http://www.immunogen.com. Following", "URL",
                 ["http://www.immunogen.com"], id="url-scheme-trailing-dot"),
    pytest.param("visit www.aacr.org, or (www.sec.gov)", "URL", ["www.aacr.org", "www.sec.gov"],
                 id="url-www"),
    pytest.param("info@immunogen.com", "URL", [], id="url-not-email-domain"),
    # ---- TICKER: the symbol alone
    pytest.param("ImmunoGen, Inc. (Nasdaq: IMGN) today announced", "TICKER", ["IMGN"],
                 id="ticker-nasdaq"),
    pytest.param("(NYSE: ABC; TSX: ABC.B)", "TICKER", ["ABC", "ABC.B"], id="ticker-two"),
    pytest.param("trades under the ticker symbol \"IMGN\"", "TICKER", ["IMGN"], id="ticker-symbol"),
    pytest.param("listed on the Nasdaq National Market", "TICKER", [], id="ticker-no-colon"),
]


@pytest.mark.parametrize(("text", "label", "expected"), ENTITY_CASES)
def test_entity_table(text: str, label: str, expected: list[str]) -> None:
    found = [e for e in RegexExtractor().find_entities(text) if e.label == label]
    assert [e.text for e in found] == expected
    for e in found:
        assert text[e.start:e.end] == e.text


def test_money_span_starts_at_the_sign_not_the_markdown_escape() -> None:
    text = "triggers a \\$2 million milestone"
    (money,) = [e for e in RegexExtractor().find_entities(text) if e.label == "MONEY"]
    assert text[money.start] == "$"
    assert text[money.start - 1] == "\\"


def test_phone_uses_libphonenumber() -> None:
    """Validity comes from phonenumbers: the same shape with a real area code is kept."""
    import phonenumbers

    assert not phonenumbers.is_valid_number(phonenumbers.parse("(123) 456-7890", "US"))
    found = RegexExtractor().find_entities("call (617) 456-7890 now")
    assert [(e.label, e.text) for e in found] == [("PHONE", "(617) 456-7890")]


def test_phone_region_option_changes_the_default_region() -> None:
    text = "Tel: 020 7946 0018"
    assert not [e for e in RegexExtractor().find_entities(text) if e.label == "PHONE"]
    gb = RegexExtractor(phone_region="GB").find_entities(text)
    assert [e.text for e in gb if e.label == "PHONE"] == ["020 7946 0018"]


# ---------------------------------------------------------------- cover facts

COVER_TAB = (
    "FORM 8-K\n\nDate of Report (Date of earliest event reported): March 15, 2005\n\n"
    "ImmunoGen, Inc.\n\n(Exact name of registrant as specified in its charter)\n\n"
    "Massachusetts\t0-17999\t04-2726691\n(State or other\t(Commission\t(IRS Employer\n"
    "jurisdiction of\tFile Number)\tIdentification No.)\nincorporation)\t\t\n\n"
    "128 Sidney Street, Cambridge, MA 02139\n\n"
    "(Address of principal executive offices) (Zip Code)\n\n"
    "Registrant's telephone number, including area code: (617) 995-2500\n\n"
    "ITEM 8.01 — OTHER EVENTS\n\nCall 913-981-4900. File 0-99999 is not ours.\n"
)
COVER_INLINE = (
    "Massachusetts (State or other jurisdiction of incorporation) **0-17999** (Commission File "
    "Number) **04-2726691** (IRS Employer Identification No.)\n\n"
    "128 Sidney Street, Cambridge, MA 02139-4239\n\n"
    "(Address of principal executive offices) (Zip Code)\n\n"
    "Registrant's telephone number, including area code: (617) 995-2500\n"
)
# an html cover as ingested: values on their own lines, the phone broken over lines
COVER_HTML = (
    "Delaware\n001-41234\n85-1234567\n(State or other jurisdiction of incorporation)\n"
    "(Commission File Number)\n(IRS Employer Identification No.)\n"
    "44370 Old Warm Springs Blvd. Fremont, CA 94538\n"
    "(Address of principal executive offices) (Zip Code)\n"
    "Registrant’s telephone number, including area code: (\n972\n)\n934-4700\n"
)

FACT_CASES = [
    pytest.param(COVER_TAB, {
        "dei:EntityFileNumber": "000-17999", "dei:EntityTaxIdentificationNumber": "04-2726691",
        "dei:CityAreaCode": "617", "dei:LocalPhoneNumber": "995-2500",
        "dei:EntityAddressPostalZipCode": "02139"}, id="tab-layout"),
    pytest.param(COVER_INLINE, {
        "dei:EntityFileNumber": "000-17999", "dei:EntityTaxIdentificationNumber": "04-2726691",
        "dei:CityAreaCode": "617", "dei:LocalPhoneNumber": "995-2500",
        "dei:EntityAddressPostalZipCode": "02139-4239"}, id="inline-bold-layout"),
    pytest.param(COVER_HTML, {
        "dei:EntityFileNumber": "001-41234", "dei:EntityTaxIdentificationNumber": "85-1234567",
        "dei:CityAreaCode": "972", "dei:LocalPhoneNumber": "934-4700",
        "dei:EntityAddressPostalZipCode": "94538"}, id="html-lines-street-number"),
]


@pytest.mark.parametrize(("text", "expected"), FACT_CASES)
def test_cover_facts(text: str, expected: dict[str, str]) -> None:
    facts = RegexExtractor().find_facts(text)
    assert {f.field: f.value for f in facts} == expected
    for f in facts:
        (ev,) = f.evidence
        assert text[ev.start:ev.end] == ev.text
        assert "*" not in ev.text  # markdown bold stays outside the evidence


def test_cover_facts_evidence_points_at_digits() -> None:
    facts = {f.field: f for f in RegexExtractor().find_facts(COVER_TAB)}
    assert facts["dei:CityAreaCode"].evidence[0].text == "617"
    assert facts["dei:LocalPhoneNumber"].evidence[0].text == "995-2500"
    assert facts["dei:EntityAddressPostalZipCode"].evidence[0].text == "02139"


def test_ein_is_checked_with_stdnum() -> None:
    """00- is no IRS campus prefix: python-stdnum rejects it, so no EIN is read."""
    from stdnum.us import ein

    assert not ein.is_valid("00-1234567")
    text = COVER_INLINE.replace("04-2726691", "00-1234567")
    fields = {f.field for f in RegexExtractor().find_facts(text)}
    assert "dei:EntityTaxIdentificationNumber" not in fields
    assert "dei:EntityFileNumber" in fields


def test_no_cover_no_facts() -> None:
    text = "ImmunoGen (Nasdaq: IMGN) reported revenue of \\$9.0 million. Call (617) 995-2500."
    assert RegexExtractor().find_facts(text) == []


def test_cover_ends_at_first_item() -> None:
    text = "ITEM 8.01 OTHER EVENTS\n\n" + COVER_TAB
    assert RegexExtractor().find_facts(text) == []


# ---------------------------------------------------------------- overlaps


def test_resolve_overlaps_is_order_independent() -> None:
    cands = [Candidate("DATE", 10, 14, 6), Candidate("PHONE", 0, 14, 0),
             Candidate("MONEY", 20, 30, 3), Candidate("PERCENT", 25, 35, 4),
             Candidate("URL", 40, 45, 2), Candidate("EMAIL", 40, 45, 1)]
    results = {tuple(resolve_overlaps(p)) for p in itertools.permutations(cands)}
    assert len(results) == 1
    (kept,) = results
    assert [(c.label, c.start, c.end) for c in kept] == [
        ("PHONE", 0, 14), ("MONEY", 20, 30), ("EMAIL", 40, 45)]


def test_extract_on_document() -> None:
    doc = Document("d", COVER_TAB)
    ann = RegexExtractor().extract(doc)
    assert ann.doc_id == "d"
    assert {e.label for e in ann.entities} >= {"DATE", "PHONE"}
    assert len(ann.facts) == 5


# pieces that make the patterns fire, glued at random: windows must never change a match
_PIECES = ["$", "\\$", "2", "1,000", ".5", " million", " dollars", "%", " percent", "@", "x.com",
           "info", "March", " 17", ", ", "2005", "fiscal ", "the first quarter of ", "Q3 ", "mid-",
           "(Nasdaq: ", "IMGN", ")", "www.", "http://", " ", "\n", "\t", "-", "(617) 995-2500",
           "Act of ", "USD", "(", "9"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_windowed_search_equals_full_scan(text: str) -> None:
    ext = RegexExtractor()
    windowed = resolve_overlaps(ext._entity_candidates(text))
    full = resolve_overlaps(ext._entity_candidates(text, windowed=False))
    assert windowed == full
