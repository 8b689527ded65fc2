"""The JSON Schema (draft 2020-12) of gold files, generated from the field catalogue.

The schema pins the structure (keys, types, offsets as non-negative integers)
and, per catalogue field, the label or fact name and the shape of its value.
A copy is committed as ``gold/schema/gold.schema.json`` for users who validate
without filingkit; a test keeps it equal to what this module generates.
"""

from __future__ import annotations

from typing import Any

from filingkit.catalogue import ArgSpec, Catalogue, FieldSpec
from filingkit.records import STATUSES
from filingkit.serialize import GOLD_FORMAT, GOLD_FORMAT_VERSION

SCHEMA_ID = "https://filingkit.invalid/schema/gold-v1.json"

_SPAN = {
    "type": "object",
    "required": ["start", "end"],
    "properties": {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 1},
        "text": {"type": "string"},
    },
    "additionalProperties": False,
}

_DECIMALS = {"oneOf": [{"type": "integer"}, {"const": "INF"}]}
_MONEY = {
    "type": "object",
    "required": ["value", "unit", "decimals"],
    "properties": {
        "value": {"type": "number"},
        "unit": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "decimals": _DECIMALS,
    },
    "additionalProperties": False,
}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_PERIOD = {
    "oneOf": [
        {"type": "object", "required": ["instant"], "properties": {"instant": _DATE},
         "additionalProperties": False},
        {"type": "object", "required": ["start", "end"],
         "properties": {"start": _DATE, "end": _DATE}, "additionalProperties": False},
    ]
}


def _scalar_schema(type_: str, choices: tuple[str, ...] = ()) -> dict[str, Any]:
    if choices:
        return {"enum": list(choices)}
    if type_ == "bool":
        return {"type": "boolean"}
    if type_ == "date":
        return dict(_DATE)
    if type_ == "number":
        return {"type": "number"}
    if type_ == "money":
        return _MONEY
    if type_ == "period":
        return _PERIOD
    if type_ == "decimals":
        return _DECIMALS
    return {"type": "string", "minLength": 1}


def _arg_schema(arg: ArgSpec) -> dict[str, Any]:
    return _scalar_schema(arg.type, arg.choices)


def _value_schema(spec: FieldSpec) -> dict[str, Any]:
    if spec.is_record:
        return {
            "type": "object",
            "required": [a.name for a in spec.args if a.required],
            "properties": {a.name: _arg_schema(a) for a in spec.args},
            "additionalProperties": False,
        }
    return _scalar_schema(spec.type, spec.choices)


def _fact_schema(spec: FieldSpec) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["field", "value", "source"],
        "properties": {
            "field": {"const": spec.name},
            "value": _value_schema(spec),
            "evidence": {"type": "array", "items": {"$ref": "#/$defs/span"}},
            "source": {"$ref": "#/$defs/source"},
            "note": {"type": "string"},
            "score": {"type": "number"},
        },
        "additionalProperties": False,
    }


def gold_schema(catalogue: Catalogue) -> dict[str, Any]:
    """The gold-file JSON Schema for ``catalogue``."""
    facts = catalogue.fact_fields
    groups = sorted({f.group for f in catalogue.fields})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"filingkit gold file ({catalogue.name} catalogue v{catalogue.version})",
        "type": "object",
        "required": [
            "format", "format_version", "catalogue", "doc_id", "text_sha256", "status",
            "scope", "provenance", "segments", "entities", "facts",
        ],
        "properties": {
            "format": {"const": GOLD_FORMAT},
            "format_version": {"const": GOLD_FORMAT_VERSION},
            "catalogue": {
                "type": "object",
                "required": ["name", "version"],
                "properties": {"name": {"type": "string"}, "version": {"const": catalogue.version}},
                "additionalProperties": False,
            },
            "doc_id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"},
            "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "status": {"enum": list(STATUSES)},
            "annotator": {"type": "string", "minLength": 1},
            "scope": {
                "type": "array",
                "items": {"enum": groups + list(catalogue.names())},
                "uniqueItems": True,
                "minItems": 1,
            },
            "provenance": {
                "type": "object",
                "required": ["kind", "path"],
                "properties": {
                    "kind": {"enum": ["seed", "corpus", "user"]},
                    "path": {"type": "string", "minLength": 1},
                    "repo": {"type": "string"}, "commit": {"type": "string"},
                    "accession": {"type": "string"}, "company": {"type": "string"},
                    "cik": {"type": "string"}, "form": {"type": "string"},
                    "filing_date": {"type": "string"}, "format": {"type": "string"},
                    "license_note": {"type": "string"},
                    "files": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": False,
            },
            "segments": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["name", "start", "end"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        "start": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 1},
                        "filename": {"type": "string"},
                        "description": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
            "entities": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["label", "start", "end", "text", "source"],
                    "properties": {
                        "label": {"enum": list(catalogue.entity_labels)},
                        "start": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 1},
                        "text": {"type": "string", "minLength": 1},
                        "source": {"$ref": "#/$defs/source"},
                        "score": {"type": "number"},
                    },
                    "additionalProperties": False,
                },
            },
            "facts": {
                "type": "array",
                "items": {"oneOf": [_fact_schema(f) for f in facts]} if facts else {},
            },
            "disagreements": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "kept", "kept_source", "other", "other_source"],
                    "properties": {
                        "field": {"type": "string"}, "kept": {}, "kept_source": {"type": "string"},
                        "other": {}, "other_source": {"type": "string"}, "note": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
            "notes": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": False,
        "$defs": {
            "span": _SPAN,
            "source": {
                "type": "string",
                "pattern": r"^(manual|ixbrl|sgml-header|adjudicated|labelstudio:.+)$",
            },
        },
    }
