"""The Label Studio labeling config, generated from the field catalogue.

One function, ``labeling_schema``, turns the catalogue into both the XML config
annotators see and the table of its controls (``LabelingSchema.controls``) that
export and import use to map Label Studio regions back to catalogue fields, so
the config and its reading can never drift apart.

What annotators get:

- entity labels: one ``<Labels name="label">`` with a ``<Label>`` per catalogue
  entity label, the guideline as its hover hint;
- record facts (financial facts, events): one ``<Labels name="record">`` with a
  label per record field; the region is the fact's evidence and the record's
  arguments are per-region ``<TextArea>`` fields shown while the region is
  selected (``visibleWhen="region-selected"``);
- per-document facts: ``<Choices>`` for check boxes (true / false), for fields
  with a closed set of values (exchanges, document type) and for items and
  exhibits (the usual codes, plus a text box for the rare others);
  ``<DateTime only="date">`` for dates; ``<TextArea>`` for the rest (one value
  per line where the field takes many).

The XML is built with ElementTree, never by joining strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from filingkit.catalogue import Catalogue, FieldSpec, load_catalogue

ResultType = Literal["labels", "textarea", "choices", "datetime"]

TEXT_OBJECT = "text"
ENTITY_CONTROL = "label"
RECORD_CONTROL = "record"
#: the suffix of the free-text companion of a Choices control (items, exhibits)
OTHER_SUFFIX = "__other"

#: Form 8-K item codes since 23 August 2004 (SEC Form 8-K General Instructions B),
#: offered as check boxes; older filings use ``legacy:N``.
ITEM_CODES: tuple[str, ...] = (
    "1.01", "1.02", "1.03", "1.04", "1.05", "2.01", "2.02", "2.03", "2.04", "2.05", "2.06",
    "3.01", "3.02", "3.03", "4.01", "4.02", "5.01", "5.02", "5.03", "5.04", "5.05", "5.06",
    "5.07", "5.08", "6.01", "6.02", "6.03", "6.04", "6.05", "6.10", "7.01", "8.01", "9.01",
    *(f"legacy:{n}" for n in range(1, 13)),
)

#: Exhibit numbers common in 8-K filings (Regulation S-K Item 601), offered as check
#: boxes; any other number goes in the companion text box.
EXHIBIT_CODES: tuple[str, ...] = (
    "1.1", "2.1", "3.1", "3.2", "4.1", "5.1", "10.1", "10.2", "10.3", "16.1", "23.1",
    "99.1", "99.2", "99.3", "104",
)

#: Fields whose open value set is offered as check boxes (normalizer -> codes).
_CODE_LISTS: dict[str, tuple[str, ...]] = {"item": ITEM_CODES, "exhibit": EXHIBIT_CODES}

BOOL_CHOICES: tuple[str, ...] = ("true", "false")


@dataclass(frozen=True, slots=True)
class Control:
    """One control tag of the generated config and what it annotates.

    ``field`` is the catalogue field a result of this control gives a value for
    (``None`` for the entity ``Labels``, whose label is the field); ``arg`` is
    the record argument of a per-region control; ``values`` the labels or
    choices it allows (empty for free text and dates).
    """

    name: str
    tag: str
    result_type: ResultType
    field: str | None
    arg: str | None = None
    values: tuple[str, ...] = ()
    per_region: bool = False


@dataclass(frozen=True, slots=True)
class LabelingSchema:
    """The generated config and the controls it declares, looked up by name."""

    catalogue: Catalogue
    xml: str
    controls: tuple[Control, ...]

    def control(self, name: str) -> Control | None:
        """The control called ``name``, or ``None`` when the config has none."""
        for c in self.controls:
            if c.name == name:
                return c
        return None

    def fact_controls(self, field: str) -> tuple[Control, ...]:
        """The per-document controls of a scalar fact field, main control first."""
        return tuple(c for c in self.controls
                     if c.field == field and not c.per_region and c.result_type != "labels")

    def arg_control(self, field: str, arg: str) -> Control:
        """The per-region control of one record argument."""
        for c in self.controls:
            if c.field == field and c.arg == arg:
                return c
        raise KeyError(f"{field}.{arg}")


def control_name(field: str, arg: str | None = None) -> str:
    """A control name for a field (and argument): ``dei:DocumentType`` -> ``dei_DocumentType``.

    Names stay ASCII identifiers because Label Studio uses them in CSS
    selectors and export column names; the mapping back is the schema's table,
    not this function's inverse.
    """
    base = re.sub(r"[^A-Za-z0-9_]", "_", field)
    return f"{base}__{arg}" if arg else base


def _hint(spec: FieldSpec) -> str:
    parts = [spec.guideline]
    if spec.not_:
        parts.append(f"Not: {spec.not_}")
    if spec.example:
        parts.append(f"Example: {spec.example}")
    return " ".join(parts)


def _arg_placeholder(type_: str) -> str:
    return {
        "money": "amount as printed, e.g. $2 million",
        "period": "YYYY-MM-DD (instant) or YYYY-MM-DD..YYYY-MM-DD (duration)",
        "decimals": "integer (-6 for millions) or INF",
        "date": "YYYY-MM-DD or as printed",
        "number": "number as printed, e.g. 9.0 million",
        "bool": "true or false",
    }.get(type_, "as printed")


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v != ""})


def _fact_controls(view: ET.Element, spec: FieldSpec, out: list[Control]) -> None:
    """Append the per-document control(s) of one scalar fact field."""
    name = control_name(spec.name)
    _sub(view, "Header", value=f"{spec.name}", size="6")
    hint = _hint(spec)
    codes = spec.choices or _CODE_LISTS.get(spec.normalizer, ())
    if spec.type == "bool":
        choices = _sub(view, "Choices", name=name, toName=TEXT_OBJECT, choice="single",
                       showInline="true", hint=hint)
        for value in BOOL_CHOICES:
            _sub(choices, "Choice", value=value)
        out.append(Control(name, "Choices", "choices", spec.name, values=BOOL_CHOICES))
    elif codes:
        choices = _sub(view, "Choices", name=name, toName=TEXT_OBJECT,
                       choice="multiple" if spec.many else "single", showInline="true",
                       hint=hint)
        for value in codes:
            _sub(choices, "Choice", value=value)
        out.append(Control(name, "Choices", "choices", spec.name, values=codes))
        if not spec.choices:  # an open set: the rare other codes are typed
            other = name + OTHER_SUFFIX
            _sub(view, "TextArea", name=other, toName=TEXT_OBJECT, editable="true",
                 placeholder="other values, one per line", rows="1")
            out.append(Control(other, "TextArea", "textarea", spec.name))
    elif spec.type == "date":
        _sub(view, "DateTime", name=name, toName=TEXT_OBJECT, only="date", hint=hint)
        out.append(Control(name, "DateTime", "datetime", spec.name))
    else:
        attrs = {"maxSubmissions": "1"} if not spec.many else {}
        _sub(view, "TextArea", name=name, toName=TEXT_OBJECT, editable="true", rows="1",
             placeholder=("one value per line; " if spec.many else "") + spec.guideline[:120],
             hint=hint, **attrs)
        out.append(Control(name, "TextArea", "textarea", spec.name))


def _record_views(root: ET.Element, records: tuple[FieldSpec, ...], out: list[Control]) -> None:
    """Per-region argument boxes, shown while a region of that record label is selected."""
    for spec in records:
        view = _sub(root, "View", visibleWhen="region-selected", whenTagName=RECORD_CONTROL,
                    whenLabelValue=spec.name)
        _sub(view, "Header", value=f"{spec.name}: arguments of the selected region", size="5")
        for arg in spec.args:
            name = control_name(spec.name, arg.name)
            label = arg.name + (" (required)" if arg.required else "")
            _sub(view, "Header", value=label, size="6")
            if arg.choices:
                choices = _sub(view, "Choices", name=name, toName=TEXT_OBJECT, perRegion="true",
                               choice="single", showInline="true")
                for value in arg.choices:
                    _sub(choices, "Choice", value=value)
                out.append(Control(name, "Choices", "choices", spec.name, arg=arg.name,
                                   values=arg.choices, per_region=True))
            else:
                _sub(view, "TextArea", name=name, toName=TEXT_OBJECT, perRegion="true",
                     editable="true", maxSubmissions="1", rows="1",
                     placeholder=_arg_placeholder(arg.type))
                out.append(Control(name, "TextArea", "textarea", spec.name, arg=arg.name,
                                   per_region=True))


def build_labeling_schema(catalogue: Catalogue) -> LabelingSchema:
    """Build the config XML and its control table from a catalogue."""
    controls: list[Control] = []
    root = ET.Element("View")
    _sub(root, "Header", value="$doc_id")
    entity_specs = tuple(f for f in catalogue.fields if f.kind == "entity")
    records = tuple(f for f in catalogue.fact_fields if f.is_record)
    labels = _sub(root, "Labels", name=ENTITY_CONTROL, toName=TEXT_OBJECT, showInline="true")
    for spec in entity_specs:
        _sub(labels, "Label", value=spec.name, hint=_hint(spec))
    controls.append(Control(ENTITY_CONTROL, "Labels", "labels", None,
                            values=tuple(s.name for s in entity_specs)))
    if records:
        rlabels = _sub(root, "Labels", name=RECORD_CONTROL, toName=TEXT_OBJECT,
                       showInline="true")
        for spec in records:
            _sub(rlabels, "Label", value=spec.name, hint=_hint(spec), background="#999999")
        controls.append(Control(RECORD_CONTROL, "Labels", "labels", None,
                                values=tuple(s.name for s in records)))
    _sub(root, "Text", name=TEXT_OBJECT, value="$text", granularity="symbol")
    _record_views(root, records, controls)
    groups: dict[str, list[FieldSpec]] = {}
    for spec in catalogue.fact_fields:
        if not spec.is_record:
            groups.setdefault(spec.group, []).append(spec)
    for group, specs in groups.items():
        view = _sub(root, "View")
        _sub(view, "Header", value=f"Document facts: {group}", size="4")
        for spec in specs:
            _fact_controls(view, spec, controls)
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    return LabelingSchema(catalogue=catalogue, xml=xml, controls=tuple(controls))


@lru_cache(maxsize=8)
def labeling_schema(catalogue: Catalogue | None = None) -> LabelingSchema:
    """The labeling schema of a catalogue (the shipped one by default), cached."""
    return build_labeling_schema(catalogue or load_catalogue())


def labeling_config(catalogue: Catalogue | None = None) -> str:
    """The Label Studio labeling config XML of a catalogue."""
    return labeling_schema(catalogue).xml
