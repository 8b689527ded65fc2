"""The labeling config: generated from the catalogue, valid for the SDK's LabelInterface."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from label_studio_sdk.label_interface.interface import LabelInterface

from filingkit.annotate.config import (
    ENTITY_CONTROL,
    RECORD_CONTROL,
    build_labeling_schema,
    control_name,
    labeling_config,
    labeling_schema,
)
from filingkit.catalogue import load_catalogue, parse_catalogue


def test_config_is_valid_for_label_interface() -> None:
    li = LabelInterface(labeling_config())
    li.validate()  # raises on an invalid config
    names = {c.name for c in labeling_schema().controls}
    assert names == set(li._controls)


def test_every_catalogue_field_has_a_control() -> None:
    cat = load_catalogue()
    schema = labeling_schema(cat)
    entity = schema.control(ENTITY_CONTROL)
    assert entity is not None and entity.values == cat.entity_labels
    records = schema.control(RECORD_CONTROL)
    assert records is not None
    for spec in cat.fact_fields:
        if spec.is_record:
            assert spec.name in records.values
            for arg in spec.args:
                ctrl = schema.arg_control(spec.name, arg.name)
                assert ctrl.per_region
        else:
            assert schema.fact_controls(spec.name), spec.name


@pytest.mark.parametrize(
    ("field", "tag"),
    [
        pytest.param("dei:WrittenCommunications", "Choices", id="check-box"),
        pytest.param("dei:SecurityExchangeName", "Choices", id="exchanges"),
        pytest.param("filing:Items", "Choices", id="items"),
        pytest.param("filing:Exhibits", "Choices", id="exhibits"),
        pytest.param("dei:DocumentPeriodEndDate", "DateTime", id="date"),
        pytest.param("dei:EntityRegistrantName", "TextArea", id="name"),
    ],
)
def test_control_kinds(field: str, tag: str) -> None:
    assert labeling_schema().fact_controls(field)[0].tag == tag


def test_guidelines_are_hints() -> None:
    root = ET.fromstring(labeling_config())
    org = root.find(".//Labels[@name='label']/Label[@value='ORG']")
    assert org is not None
    assert org.get("hint", "").startswith(load_catalogue()["ORG"].guideline)


def test_record_arguments_show_for_their_region_only() -> None:
    root = ET.fromstring(labeling_config())
    views = root.findall(".//View[@visibleWhen='region-selected']")
    assert {v.get("whenLabelValue") for v in views} == {
        s.name for s in load_catalogue().fact_fields if s.is_record}
    for v in views:
        for control in v.findall("TextArea") + v.findall("Choices"):
            assert control.get("perRegion") == "true"


def test_a_user_catalogue_gives_its_own_config() -> None:
    cat = parse_catalogue(
        'name = "mini"\nversion = "7"\n'
        '[[fields]]\nname = "ACME"\nkind = "entity"\ngroup = "entities"\ntype = "span"\n'
        'cardinality = "many"\nnormalizer = "text"\nmatch = "span"\nguideline = "g"\n'
        '[[fields]]\nname = "x:Flag"\nkind = "fact"\ngroup = "cover"\ntype = "bool"\n'
        'cardinality = "one"\nnormalizer = "bool"\nmatch = "exact"\nguideline = "h"\n')
    schema = build_labeling_schema(cat)
    LabelInterface(schema.xml).validate()
    assert {c.name for c in schema.controls} == {ENTITY_CONTROL, control_name("x:Flag")}
    assert schema.control(RECORD_CONTROL) is None


def test_control_names_are_identifiers() -> None:
    assert control_name("dei:DocumentType") == "dei_DocumentType"
    assert control_name("xbrl:Fact", "period") == "xbrl_Fact__period"
