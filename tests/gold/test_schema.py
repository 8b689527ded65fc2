"""The committed gold JSON Schema equals the one generated from the shipped catalogue."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema

from filingkit.catalogue import load_catalogue
from filingkit.gold.schema import gold_schema


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(gold_schema(load_catalogue()))


def test_committed_schema_is_current() -> None:
    committed = json.loads(
        (resources.files("filingkit.gold") / "schema" / "gold.schema.json").read_text("utf-8")
    )
    assert committed == gold_schema(load_catalogue()), (
        "regenerate with: filingkit gold schema > gold/schema/gold.schema.json"
    )


def test_schema_lists_every_catalogue_field() -> None:
    cat = load_catalogue()
    schema = gold_schema(cat)
    labels = schema["properties"]["entities"]["items"]["properties"]["label"]["enum"]
    assert labels == list(cat.entity_labels)
    facts = {alt["properties"]["field"]["const"]
             for alt in schema["properties"]["facts"]["items"]["oneOf"]}
    assert facts == {f.name for f in cat.fact_fields}
