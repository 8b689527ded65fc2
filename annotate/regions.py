"""Label Studio results <-> filingkit entities and facts, checked against the text.

A Label Studio annotation or prediction is a list of *results* ("regions"):
span labels, per-document choices / text / dates, and per-region argument
fields of record facts. ``to_results`` writes annotations as results (for
pre-annotations) and ``from_results`` reads them back, checking every region
on the way: known control and label, offsets inside the text, span text
re-derived from the text, values normalized by the catalogue. Nothing is
dropped silently: every region that cannot be read becomes a ``RegionIssue``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from filingkit.annotate.config import (
    ENTITY_CONTROL,
    OTHER_SUFFIX,
    RECORD_CONTROL,
    TEXT_OBJECT,
    Control,
    LabelingSchema,
    control_name,
)
from filingkit.catalogue import ArgSpec, FieldSpec
from filingkit.errors import NormalizationError
from filingkit.normalize import normalize
from filingkit.records import Annotations, Entity, Evidence, Fact

_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RegionIssue:
    """A region that could not be read: which one (index and id) and why."""

    index: int
    region_id: str
    control: str
    reason: str

    @property
    def where(self) -> str:
        """``region <index> (<id>) <control>``: enough to find it in the UI or the export."""
        ident = f"region {self.index}" + (f" ({self.region_id})" if self.region_id else "")
        return f"{ident} {self.control}"

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Entities and facts read from a list of results, and the regions that failed."""

    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    issues: tuple[RegionIssue, ...]


# ------------------------------------------------------------------ values as text


def format_arg(arg: ArgSpec, value: Any) -> str:
    """A normalized record argument as the text an annotator would type."""
    if arg.type == "period" and isinstance(value, Mapping):
        if "instant" in value:
            return str(value["instant"])
        return f"{value['start']}..{value['end']}"
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_arg(arg: ArgSpec, raw: str) -> Any:
    """Typed text of a record argument, ready for the field's normalizer.

    JSON objects are accepted for every argument (that is how money is
    exported); a period is ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD``;
    numbers and decimals keep their text (the normalizer parses them).
    """
    s = raw.strip()
    if s.startswith("{"):
        try:
            return json.loads(s)
        except json.JSONDecodeError as exc:
            raise NormalizationError(f"argument {arg.name}: invalid JSON: {exc.msg}") from None
    if arg.type == "period":
        if ".." in s:
            start, _, end = s.partition("..")
            return {"start": start.strip(), "end": end.strip()}
        return {"instant": s}
    return s


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# ------------------------------------------------------------------ to results


def _span_value(text: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end], "labels": [label]}


def to_results(annotations: Annotations, text: str, schema: LabelingSchema) -> list[dict[str, Any]]:
    """Entities and facts as Label Studio results (prediction or annotation bodies).

    A record fact becomes a region over its first evidence span with its
    arguments as per-region fields; a record fact without evidence has no
    place in the text and raises ``ValueError`` (the caller reports it).
    """
    cat = schema.catalogue
    out: list[dict[str, Any]] = []
    for i, e in enumerate(annotations.entities):
        res: dict[str, Any] = {
            "id": f"e{i}", "from_name": ENTITY_CONTROL, "to_name": TEXT_OBJECT, "type": "labels",
            "value": _span_value(text, e.start, e.end, e.label),
        }
        if e.score is not None:
            res["score"] = e.score
        out.append(res)
    scalar: dict[str, list[Any]] = {}
    for j, f in enumerate(annotations.facts):
        spec = cat.get(f.field)
        if spec is None or spec.kind != "fact":
            raise ValueError(f"fact {f.field!r} is not a fact field of the catalogue")
        if not spec.is_record:
            scalar.setdefault(f.field, []).append(f.value)
            continue
        if not f.evidence:
            raise ValueError(f"record fact {f.field} has no evidence span to attach it to")
        ev = f.evidence[0]
        rid = f"r{j}"
        out.append({"id": rid, "from_name": RECORD_CONTROL, "to_name": TEXT_OBJECT,
                    "type": "labels", "value": _span_value(text, ev.start, ev.end, f.field)})
        if not isinstance(f.value, Mapping):
            raise ValueError(f"record fact {f.field} has a value that is not an object")
        for arg in spec.args:
            if arg.name not in f.value:
                continue
            ctrl = schema.arg_control(f.field, arg.name)
            base = {"start": ev.start, "end": ev.end}
            if ctrl.result_type == "choices":
                value: dict[str, Any] = {**base, "choices": [format_arg(arg, f.value[arg.name])]}
            else:
                value = {**base, "text": [format_arg(arg, f.value[arg.name])]}
            out.append({"id": rid, "from_name": ctrl.name, "to_name": TEXT_OBJECT,
                        "type": ctrl.result_type, "value": value})
    for field, values in scalar.items():
        out.extend(_scalar_results(schema, cat[field], values))
    return out


def _scalar_results(schema: LabelingSchema, spec: FieldSpec,
                    values: list[Any]) -> list[dict[str, Any]]:
    controls = schema.fact_controls(spec.name)
    main = controls[0]
    res: list[dict[str, Any]] = []

    def add(ctrl: Control, value: dict[str, Any]) -> None:
        res.append({"id": f"f-{ctrl.name}", "from_name": ctrl.name, "to_name": TEXT_OBJECT,
                    "type": ctrl.result_type, "value": value})

    texts = [_scalar_text(v) for v in values]
    if main.result_type == "choices":
        chosen = [t for t in texts if t in main.values]
        others = [t for t in texts if t not in main.values]
        if chosen:
            add(main, {"choices": chosen})
        if others:
            other = schema.control(control_name(spec.name) + OTHER_SUFFIX)
            if other is None:
                raise ValueError(f"{spec.name}: {others} not among the choices {main.values}")
            add(other, {"text": others})
    elif main.result_type == "datetime":
        if len(texts) != 1:
            raise ValueError(f"{spec.name}: a date control holds one value, got {len(texts)}")
        add(main, {"datetime": texts[0]})
    else:
        add(main, {"text": texts})
    return res


# ------------------------------------------------------------------ from results


def _collapse(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _check_span(value: Mapping[str, Any], text: str, *, strict_text: bool) -> str | None:
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) \
            or isinstance(end, bool):
        return f"offsets must be integers, got start={start!r} end={end!r}"
    if not 0 <= start < end:
        return f"span [{start}, {end}) is empty or negative"
    if end > len(text):
        return f"span [{start}, {end}) ends past the text ({len(text)} characters)"
    recorded = value.get("text")
    if isinstance(recorded, str):
        actual = text[start:end]
        if recorded != actual and (strict_text or _collapse(recorded) != _collapse(actual)):
            return f"span text {recorded!r} is not text[{start}:{end}] = {actual!r}"
    return None


class _Reader:
    """Accumulates entities, facts and issues while reading one result list."""

    def __init__(self, text: str, schema: LabelingSchema, source: str, strict_text: bool):
        self.text = text
        self.schema = schema
        self.source = source
        self.strict_text = strict_text
        self.entities: list[Entity] = []
        self.facts: list[Fact] = []
        self.issues: list[RegionIssue] = []
        self.scalar: dict[str, list[tuple[int, str, Any]]] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def issue(self, index: int, res: Mapping[str, Any], reason: str) -> None:
        self.issues.append(RegionIssue(index, str(res.get("id", "")),
                                       str(res.get("from_name", "?")), reason))

    def read(self, index: int, res: Any) -> None:
        if not isinstance(res, Mapping):
            self.issues.append(RegionIssue(index, "", "?", "a result must be an object"))
            return
        if res.get("type") == "relation":
            self.issue(index, res, "relations are not part of this labeling config")
            return
        name = res.get("from_name")
        ctrl = self.schema.control(name) if isinstance(name, str) else None
        if ctrl is None:
            self.issue(index, res, "unknown control (not in the labeling config)")
            return
        if res.get("to_name") != TEXT_OBJECT:
            self.issue(index, res, f"to_name {res.get('to_name')!r} is not {TEXT_OBJECT!r}")
            return
        if res.get("type") != ctrl.result_type:
            self.issue(index, res, f"type {res.get('type')!r}, control expects "
                                   f"{ctrl.result_type!r}")
            return
        value = res.get("value")
        if not isinstance(value, Mapping):
            self.issue(index, res, "value must be an object")
            return
        if ctrl.result_type == "labels":
            self._span(index, res, ctrl, value)
        elif ctrl.per_region:
            self._arg(index, res, ctrl, value)
        else:
            self._scalar(index, res, ctrl, value)

    def _values(self, index: int, res: Mapping[str, Any], ctrl: Control,
                value: Mapping[str, Any]) -> list[str] | None:
        key = {"choices": "choices", "textarea": "text", "datetime": "datetime"}[ctrl.result_type]
        raw = value.get(key)
        if ctrl.result_type == "datetime":
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            self.issue(index, res, f"value.{key} must be a list of strings")
            return None
        if ctrl.result_type == "choices":
            bad = [v for v in raw if v not in ctrl.values]
            if bad:
                self.issue(index, res, f"choices {bad} are not offered by the config")
                return None
            return list(raw)
        # text areas: one value per line; blank lines are not values
        return [line.strip() for v in raw for line in v.splitlines() if line.strip()]

    def _span(self, index: int, res: Mapping[str, Any], ctrl: Control,
              value: Mapping[str, Any]) -> None:
        problem = _check_span(value, self.text, strict_text=self.strict_text)
        if problem:
            self.issue(index, res, problem)
            return
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            self.issue(index, res, f"a span carries exactly one label, got {labels!r}")
            return
        label = labels[0]
        if label not in ctrl.values:
            self.issue(index, res, f"label {label!r} is not in the config's {ctrl.name} labels")
            return
        start, end = int(value["start"]), int(value["end"])
        if ctrl.name == ENTITY_CONTROL:
            self.entities.append(Entity(label, start, end, self.text[start:end], self.source))
        else:
            rid = str(res.get("id", f"#{index}"))
            rec = self.records.setdefault(rid, {"args": {}, "index": index, "res": res})
            rec.update(field=label, start=start, end=end)

    def _arg(self, index: int, res: Mapping[str, Any], ctrl: Control,
             value: Mapping[str, Any]) -> None:
        values = self._values(index, res, ctrl, value)
        if values is None:
            return
        if len(values) > 1:
            self.issue(index, res, f"argument {ctrl.arg} holds one value, got {values}")
            return
        rid = str(res.get("id", f"#{index}"))
        rec = self.records.setdefault(rid, {"args": {}, "index": index, "res": res})
        rec.setdefault("arg_fields", set()).add(ctrl.field)
        if values:
            rec["args"][ctrl.arg] = values[0]

    def _scalar(self, index: int, res: Mapping[str, Any], ctrl: Control,
                value: Mapping[str, Any]) -> None:
        values = self._values(index, res, ctrl, value)
        if values is None or ctrl.field is None:
            return
        bucket = self.scalar.setdefault(ctrl.field, [])
        bucket.extend((index, str(res.get("id", "")), v) for v in values)

    def finish(self) -> ReadResult:
        cat = self.schema.catalogue
        for field, items in self.scalar.items():
            spec = cat[field]
            normal: list[Any] = []
            for index, rid, raw in items:
                try:
                    normal.append(normalize(spec.normalizer, raw))
                except NormalizationError as exc:
                    self.issues.append(RegionIssue(index, rid, control_name(field),
                                                   f"value {raw!r}: {exc.reason}"))
            if len(normal) > 1 and not spec.many:
                self.issues.append(RegionIssue(items[0][0], items[0][1], control_name(field),
                                               f"cardinality one, got {len(normal)} values"))
                continue
            for value in normal:
                self.facts.append(Fact(field, value, source=self.source))
        for rid, rec in self.records.items():
            self._finish_record(rid, rec)
        self._dedupe_entities()
        return ReadResult(tuple(self.entities), tuple(self.facts), tuple(self.issues))

    def _finish_record(self, rid: str, rec: dict[str, Any]) -> None:
        index, res = rec["index"], rec["res"]
        field = rec.get("field")
        if field is None:
            self.issue(index, res, "argument fields without a record region")
            return
        stray = rec.get("arg_fields", set()) - {field}
        if stray:
            self.issue(index, res, f"arguments of {sorted(stray)} on a {field} region")
            return
        spec = self.schema.catalogue[field]
        missing = [a.name for a in spec.args if a.required and a.name not in rec["args"]]
        if missing:
            self.issue(index, res, f"{field}: required arguments missing: {missing}")
            return
        try:
            raw = {name: parse_arg(spec.arg(name), text) for name, text in rec["args"].items()}
            value = normalize(spec.normalizer, raw)
        except NormalizationError as exc:
            self.issue(index, res, f"{field}: {exc.reason}")
            return
        start, end = rec["start"], rec["end"]
        self.facts.append(Fact(field, value, (Evidence(start, end, self.text[start:end]),),
                               source=self.source))

    def _dedupe_entities(self) -> None:
        seen: Counter[tuple[str, int, int]] = Counter()
        kept: list[Entity] = []
        for e in self.entities:
            key = (e.label, e.start, e.end)
            seen[key] += 1
            if seen[key] == 1:
                kept.append(e)
            else:
                self.issues.append(RegionIssue(-1, "", ENTITY_CONTROL,
                                               f"{e.label} [{e.start}, {e.end}) labelled twice; "
                                               "kept once"))
        self.entities = kept


def from_results(results: Sequence[Any], text: str, schema: LabelingSchema, *,
                 source: str, strict_text: bool = False) -> ReadResult:
    """Read Label Studio results against the text they annotate.

    ``strict_text`` requires ``value.text`` to equal ``text[start:end]``
    exactly (what we write); otherwise a whitespace-collapsed ``value.text``
    is accepted, since Label Studio may fold white space in it, and the span
    text is always re-derived from the text.
    """
    reader = _Reader(text, schema, source, strict_text)
    if not isinstance(results, Sequence) or isinstance(results, str):
        return ReadResult((), (), (RegionIssue(-1, "", "?", "result must be a list"),))
    for i, res in enumerate(results):
        reader.read(i, res)
    return reader.finish()
