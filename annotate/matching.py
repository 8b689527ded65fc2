"""Comparing two annotation sets field by field, with the evaluator's matching rules.

Agreement, adjudication and the annotation queue all ask the same question:
which entities and fact values do two sets share? The answer comes from
``filingkit.eval`` so that annotators are compared exactly as systems are
scored: entities by optimal one-to-one span matching (``strict``: same label
and boundaries; ``overlap``: same label, at least one shared character, the
``type`` scheme of the evaluator), facts by the catalogue's matching rule
(``name_key`` for names, numeric tolerance for money, identifying arguments
for records). F1 between two annotators is symmetric: swapping them swaps
precision and recall.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from filingkit.catalogue import Catalogue, FieldSpec
from filingkit.eval.facts import match_field
from filingkit.eval.spans import SpanArrays, evaluate_spans
from filingkit.records import Annotations, Entity


@dataclass(frozen=True, slots=True)
class Counts:
    """Additive agreement counts: ``tp`` shared, ``fp`` only in the second set, ``fn`` only
    in the first."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn

    @property
    def f1(self) -> float | None:
        """``2tp / (2tp + fp + fn)``; ``None`` when neither set has anything to compare."""
        den = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / den if den else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


SCHEMES: tuple[str, ...] = ("strict", "overlap")


def canonical(value: Any) -> str:
    """A type-preserving text key of a JSON value (``true`` differs from ``1``), for
    grouping and display; matching itself follows the catalogue's rule."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entity_counts(first: Sequence[Entity], second: Sequence[Entity],
                  labels: Sequence[str]) -> dict[str, dict[str, Counts]]:
    """Per label, ``{"strict": Counts, "overlap": Counts}`` between two sets of one document.

    Labels outside ``labels`` are ignored (the caller restricts to the scope).
    """
    index = {label: i for i, label in enumerate(labels)}
    a = [e for e in first if e.label in index]
    b = [e for e in second if e.label in index]

    def arrays(ents: Sequence[Entity]) -> SpanArrays:
        return SpanArrays.build([0] * len(ents), [e.start for e in ents],
                                [e.end for e in ents], [index[e.label] for e in ents])

    ev = evaluate_spans(arrays(a), arrays(b))
    out: dict[str, dict[str, Counts]] = {label: {} for label in labels}
    schemes: tuple[tuple[str, Literal["strict", "type"]], ...] = (
        ("strict", "strict"), ("overlap", "type"))
    for scheme, internal in schemes:
        for label, c in zip(labels, ev.label_counts(internal, len(labels)), strict=True):
            out[label][scheme] = Counts(c.cor, c.actual - c.cor, c.possible - c.cor)
    return out


def fact_values(annotations: Annotations, field: str) -> list[Any]:
    """The values of one fact field in a set, in order."""
    return [f.value for f in annotations.facts if f.field == field]


def fact_counts(spec: FieldSpec, first: Sequence[Any], second: Sequence[Any]) -> Counts:
    """Shared and unshared values of one fact field between two sets of one document."""
    m = match_field(spec, list(first), list(second))
    return Counts(m.tp, m.fp, m.fn)


def fact_pairs(spec: FieldSpec, first: Sequence[Any],
               second: Sequence[Any]) -> tuple[tuple[int, int], ...]:
    """Index pairs of matching values (optimal one-to-one matching)."""
    return match_field(spec, list(first), list(second)).pairs


def in_scope(scope: Sequence[str], spec: FieldSpec) -> bool:
    """A field is in a set's scope when its name or group is listed; an empty scope
    means the set annotates every field (hand-made sets often omit it)."""
    return not scope or spec.name in scope or spec.group in scope


def shared_fields(catalogue: Catalogue, scopes: Sequence[Sequence[str]]) -> tuple[FieldSpec, ...]:
    """The catalogue fields in every given scope, in catalogue order."""
    return tuple(s for s in catalogue.fields if all(in_scope(sc, s) for sc in scopes))


def compare(first: Annotations, second: Annotations,
            fields: Sequence[FieldSpec]) -> Mapping[str, dict[str, Counts]]:
    """Per field, counts between two sets of one document: ``strict`` and ``overlap`` for
    entity labels, ``exact`` (the catalogue's rule) for facts."""
    labels = [s.name for s in fields if s.kind == "entity"]
    out: dict[str, dict[str, Counts]] = {}
    if labels:
        out.update(entity_counts(first.entities, second.entities, labels))
    for spec in fields:
        if spec.kind == "fact":
            out[spec.name] = {"exact": fact_counts(spec, fact_values(first, spec.name),
                                                   fact_values(second, spec.name))}
    return out
