"""The catalogue loads, holds the fields issue 2 asks for, and rejects malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from filingkit.catalogue import load_catalogue, parse_catalogue
from filingkit.errors import CatalogueError

REQUIRED_ENTITIES = {"ORG", "PERSON", "LOCATION", "DATE", "MONEY", "PERCENT", "PHONE", "EMAIL",
                     "URL", "TICKER", "PRODUCT", "INDICATION"}
REQUIRED_FACTS = {
    "dei:DocumentType", "dei:DocumentPeriodEndDate", "dei:EntityRegistrantName",
    "dei:EntityIncorporationStateCountryCode", "dei:EntityFileNumber",
    "dei:EntityTaxIdentificationNumber", "dei:EntityAddressAddressLine1",
    "dei:EntityAddressCityOrTown", "dei:EntityAddressStateOrProvince",
    "dei:EntityAddressPostalZipCode", "dei:CityAreaCode", "dei:LocalPhoneNumber",
    "dei:TradingSymbol", "dei:SecurityExchangeName", "dei:WrittenCommunications",
    "dei:SolicitingMaterial", "dei:PreCommencementTenderOffer",
    "dei:PreCommencementIssuerTenderOffer", "dei:EntityEmergingGrowthCompany",
    "filing:Items", "filing:Exhibits", "filing:SignatoryName", "filing:SignatoryTitle",
    "filing:SignatureDate", "xbrl:Fact", "event:MilestonePayment", "event:ClinicalTrialStart",
    "event:LicenseAgreement",
}


def test_shipped_catalogue_has_required_fields() -> None:
    cat = load_catalogue()
    assert cat.version == "2"
    assert set(cat.entity_labels) == REQUIRED_ENTITIES
    assert {f.name for f in cat.fact_fields} >= REQUIRED_FACTS


def test_every_field_has_guideline_and_example() -> None:
    for spec in load_catalogue().fields:
        assert spec.guideline.strip(), spec.name
        assert spec.example.strip(), spec.name


@pytest.mark.parametrize(
    ("name", "cardinality"),
    [("dei:TradingSymbol", "many"), ("dei:SecurityExchangeName", "many"),
     ("filing:Items", "many"), ("dei:EntityRegistrantName", "one")],
)
def test_cardinalities(name: str, cardinality: str) -> None:
    assert load_catalogue()[name].cardinality == cardinality


def test_records_have_identifying_args() -> None:
    cat = load_catalogue()
    assert cat["xbrl:Fact"].identifying_args == ("concept", "period", "unit")
    assert cat["event:MilestonePayment"].identifying_args == ("amount",)


def test_unknown_field_suggests_a_name() -> None:
    with pytest.raises(CatalogueError, match="did you mean 'dei:EntityFileNumber'"):
        load_catalogue()["dei:EntityFileNumbr"]


def test_user_catalogue_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\nversion = "7"\n[[fields]]\nname = "ORG"\nkind = "entity"\n'
        'group = "entities"\ntype = "span"\ncardinality = "many"\nnormalizer = "text"\n'
        'match = "span"\nguideline = "orgs"\n',
        encoding="utf-8",
    )
    cat = load_catalogue(path)
    assert cat.version == "7"
    assert cat.entity_labels == ("ORG",)


BASE = ('name = "x"\nversion = "1"\n[[fields]]\nname = "F"\nkind = "fact"\ngroup = "cover"\n'
        'type = "code"\ncardinality = "one"\nnormalizer = "text"\nmatch = "exact"\n'
        'guideline = "g"\n')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("name = ", "invalid TOML", id="bad-toml"),
        pytest.param('name = "x"\nversion = "1"\n', "declares no fields", id="no-fields"),
        pytest.param(BASE.replace('kind = "fact"', 'kind = "thing"'), "kind", id="bad-kind"),
        pytest.param(BASE.replace('normalizer = "text"', 'normalizer = "txet"'),
                     "did you mean 'text'", id="bad-normalizer"),
        pytest.param(BASE.replace('match = "exact"', 'match = "fuzzy"'), "match rule",
                     id="bad-match"),
        pytest.param(BASE.replace('cardinality = "one"', 'cardinality = "two"'), "cardinality",
                     id="bad-cardinality"),
        pytest.param(BASE + "colour = 1\n", "unknown keys", id="unknown-key"),
        pytest.param(BASE + BASE.split("\n", 2)[2], "declared twice", id="duplicate"),
        pytest.param(BASE.replace('type = "code"', 'type = "span"'), "only entities",
                     id="fact-with-span"),
        pytest.param(BASE.replace('type = "code"', 'type = "record"'), "identifying",
                     id="record-without-id"),
        pytest.param(BASE.replace('guideline = "g"\n', ""), "missing key 'guideline'",
                     id="missing-guideline"),
    ],
)
def test_malformed_catalogue_names_field_and_reason(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message) as info:
        parse_catalogue(text, source="cat.toml")
    assert "cat.toml" in str(info.value)
