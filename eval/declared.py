"""Declared fields: score what an extractor claims to produce, name the rest.

A predictions header (``filingkit.records.PredictionsHeader``) lists the
fields its extractor declares. The evaluator scores those only; a field the
gold has but the extractor never claims is reported as *not declared*, with
its gold support, instead of an F1 of 0 that says nothing about the extractor.
Without a header every field counts as declared (files of older versions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from filingkit.catalogue import Catalogue, FieldSpec, did_you_mean
from filingkit.eval.inputs import EvaluationError, GoldItem
from filingkit.records import PredictionsHeader


def split_declared(cat: Catalogue, specs: Sequence[FieldSpec], header: PredictionsHeader | None,
                   *, file: str | None = None) -> tuple[list[FieldSpec], list[FieldSpec]]:
    """``specs`` split into (declared, not declared) by ``header``; all declared without one.

    A declared name the catalogue lacks, or a header written for another
    catalogue, is an error naming the predictions file.
    """
    if header is None:
        return list(specs), []
    if header.catalogue_name != cat.name:
        raise EvaluationError(
            f"the predictions were made for catalogue {header.catalogue_name!r}, "
            f"not {cat.name!r}", file=file,
            hint="score them with that catalogue (--catalogue FILE)")
    for name in header.fields:
        if name not in cat:
            raise EvaluationError(
                f"predictions header: declared field is not in the catalogue"
                f"{did_you_mean(name, cat.names())}", file=file, field=name)
    declared = set(header.fields)
    return ([s for s in specs if s.name in declared],
            [s for s in specs if s.name not in declared])


def undeclared_counts(items: Sequence[GoldItem], specs: Sequence[FieldSpec]) -> dict[str, int]:
    """Gold support of each field in ``specs`` (additive over batches of documents).

    Support is the number of gold entities or facts of the field, counted where
    the field is in a document's scope, as ``support`` of a scored field is.
    """
    support: Counter[str] = Counter()
    for spec in specs:
        for g in items:
            if not g.in_scope(spec):
                continue
            if spec.kind == "entity":
                support[spec.name] += sum(1 for e in g.annotations.entities
                                          if e.label == spec.name)
            else:
                support[spec.name] += sum(1 for f in g.annotations.facts
                                          if f.field == spec.name)
    return dict(support)


def not_declared_entries(specs: Sequence[FieldSpec], support: Mapping[str, int]
                         ) -> dict[str, dict[str, Any]]:
    """The report's ``not_declared``: each field not declared that the gold has, with its
    group and support."""
    return {s.name: {"group": s.group, "support": support.get(s.name, 0)}
            for s in specs if support.get(s.name, 0) > 0}


def not_declared_support(items: Sequence[GoldItem],
                         specs: Sequence[FieldSpec]) -> dict[str, dict[str, Any]]:
    """Per field not declared that the gold has (in scope, at least one item): group, support."""
    return not_declared_entries(specs, undeclared_counts(items, specs))


def comparable_fields(cat: Catalogue, fields: Sequence[str] | None,
                      headers: Sequence[PredictionsHeader | None], *,
                      files: Sequence[str | None] = ()) -> tuple[list[str], list[list[FieldSpec]]]:
    """Fields every system declares (within ``fields``), and each system's fields the
    others declare but it does not: two systems are compared on what both claim.

    Unknown names in ``fields`` are kept, for ``evaluate`` to reject with its message.
    """
    wanted = list(fields) if fields is not None else list(cat.names())
    known = [cat[n] for n in wanted if n in cat]
    split = [split_declared(cat, known, h, file=files[i] if i < len(files) else None)
             for i, h in enumerate(headers)]
    claimed = [{s.name for s in d} for d, _ in split]
    ok = set.intersection(*claimed) if claimed else set()
    common = [n for n in wanted if n not in cat or n in ok]
    if wanted and not any(n in ok for n in wanted if n in cat):
        raise EvaluationError("the systems declare no field in common: nothing to compare",
                              hint="check the fields in each predictions header")
    others = [set().union(*(c for j, c in enumerate(claimed) if j != i))
              for i in range(len(claimed))]
    return common, [[s for s in nd if s.name in others[i]] for i, (_, nd) in enumerate(split)]
