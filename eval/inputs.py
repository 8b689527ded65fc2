"""The evaluator's inputs: gold documents with scope and text, paired with predictions.

Gold comes as ``GoldDocument`` (from a gold folder: its ``scope`` and canonical
text are known) or as ``Annotations`` (a predictions-format JSONL used as gold:
everything is in scope, there is no text). Predictions are ``Annotations``,
matched to gold by document id. Errors name the document and the field, and
suggest the closest valid name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from filingkit.catalogue import Catalogue, FieldSpec, did_you_mean
from filingkit.errors import FilingkitError
from filingkit.records import Annotations, Fact, GoldDocument

CONTEXT_CHARS = 60


class EvaluationError(FilingkitError):
    """The gold and predictions cannot be scored together as given."""


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One gold document as the evaluator needs it: annotations, scope, text."""

    doc_id: str
    annotations: Annotations
    scope: frozenset[str] | None  # None: everything is in scope
    text: str | None

    def in_scope(self, spec: FieldSpec) -> bool:
        """A field is scored here when it, or its group, was exhaustively annotated."""
        return self.scope is None or spec.name in self.scope or spec.group in self.scope


def gold_items(gold: Sequence[GoldDocument] | Sequence[Annotations]) -> list[GoldItem]:
    """Gold documents or annotations as ``GoldItem``; a document id given twice is an error."""
    items: list[GoldItem] = []
    seen: set[str] = set()
    for g in gold:
        if isinstance(g, GoldDocument):
            item = GoldItem(g.doc_id, g.gold.annotations, frozenset(g.gold.scope),
                            g.document.text)
        elif isinstance(g, Annotations):
            item = GoldItem(g.doc_id, g, None, None)
        else:
            raise EvaluationError(f"gold items are GoldDocument or Annotations, got "
                                  f"{type(g).__name__}")
        if item.doc_id in seen:
            raise EvaluationError(f"document {item.doc_id!r} appears twice in gold")
        seen.add(item.doc_id)
        items.append(item)
    return items


def pair_predictions(items: Sequence[GoldItem], predictions: Sequence[Annotations], *,
                     ignore_unknown: bool = False) -> list[Annotations]:
    """The prediction of each gold document, in gold order (empty when there is none).

    A document predicted twice is an error; so is a prediction for a document
    that gold does not have, unless ``ignore_unknown``.
    """
    by_id: dict[str, Annotations] = {}
    for p in predictions:
        if p.doc_id in by_id:
            raise EvaluationError(f"document {p.doc_id!r} is predicted twice")
        by_id[p.doc_id] = p
    known = {g.doc_id for g in items}
    unknown = sorted(set(by_id) - known)
    if unknown and not ignore_unknown:
        raise EvaluationError(
            f"{len(unknown)} predicted document(s) not in gold: {', '.join(unknown[:5])}"
            + (" ..." if len(unknown) > 5 else ""),
            hint="evaluate against the gold these predictions were made for, or pass "
                 "ignore_unknown_documents=True (--ignore-unknown-docs)")
    return [by_id.get(g.doc_id, Annotations(g.doc_id)) for g in items]


def check_names(cat: Catalogue, ann: Annotations, what: str) -> None:
    """Every entity label and fact field of ``ann`` is in the catalogue (never dropped silently)."""
    labels = set(cat.entity_labels)
    facts = {s.name for s in cat.fact_fields}
    for label in {e.label for e in ann.entities} - labels:
        raise EvaluationError(f"{what} {ann.doc_id!r}: unknown entity label"
                              f"{did_you_mean(label, cat.entity_labels)}", field=label)
    for name in {f.field for f in ann.facts} - facts:
        raise EvaluationError(f"{what} {ann.doc_id!r}: unknown fact field"
                              f"{did_you_mean(name, sorted(facts))}", field=name)


def context(text: str | None, start: int | None, end: int | None, *,
            width: int = CONTEXT_CHARS) -> str:
    """The text around ``[start, end)``, ``width`` characters each side, white space folded."""
    if not text or start is None or end is None:
        return ""
    lo, hi = max(0, start - width), min(len(text), end + width)
    piece = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")


def fact_context(text: str | None, fact: Fact) -> tuple[int | None, int | None, str]:
    """Where a fact is in the text: its first evidence, else the value's first occurrence.

    Only evidence gives offsets; a context found by searching for the value
    (normalized values often differ from the printed text) has none.
    """
    if fact.evidence:
        ev = fact.evidence[0]
        return ev.start, ev.end, context(text, ev.start, ev.end)
    if text and isinstance(fact.value, str) and len(fact.value) >= 2:
        # A guess, so only a whole-word occurrence counts ("MA" is not in "March").
        hit = re.search(rf"(?<!\w){re.escape(fact.value)}(?!\w)", text, re.IGNORECASE)
        if hit:
            return None, None, context(text, hit.start(), hit.end())
    return None, None, ""
