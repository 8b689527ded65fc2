"""Inter-annotator agreement over the annotation sets of a gold folder.

The Community edition of Label Studio computes no agreement, so it is done
here, on any sets in the gold layout (``<gold>/<doc_id>/annotations/<who>.json``),
whether imported from Label Studio or written by hand.

What is measured, and where each measure applies:

- **Pairwise F1** (every field): for each pair of annotators and each document
  both annotated, the shared values count as ``tp`` and the others as ``fp``
  / ``fn``; F1 = 2tp / (2tp + fp + fn) is symmetric in the two annotators.
  Entities are compared ``strict`` (same label and boundaries) and ``overlap``
  (same label, shared characters), facts by the catalogue's matching rule
  (``name_key`` for names). Counts are summed over pairs and documents (micro).
- **Cohen's kappa** (per pair) and **Krippendorff's alpha** (nominal, all
  annotators at once, missing values allowed) only for categorical facts,
  where "not marked" is a decision with a known chance rate: check boxes
  (true / false / left out per document), closed-choice fields (document type,
  exchanges) and code lists (items, exhibits, trading symbols), each code a
  present/absent decision per document over the codes the catalogue offers or
  any annotator used. A field's ``kappa`` is the mean of its pairwise kappas
  (Light's kappa). They do not apply to spans and free-text facts, whose
  negatives cannot be counted; F1 is the standard measure there.

Ratios with a zero denominator (nothing to compare, no variation) are ``None``.
"""

from __future__ import annotations

import importlib
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from filingkit.annotate.matching import Counts, canonical, compare, fact_values, in_scope, shared_fields
from filingkit.catalogue import Catalogue, FieldSpec, load_catalogue
from filingkit.errors import FilingkitError
from filingkit.gold.store import iter_annotation_files, load_gold_file, resolve_gold_dir
from filingkit.records import GoldDocument

AGREEMENT_FORMAT = "filingkit-agreement"
AGREEMENT_VERSION = 1
ABSENT = "<absent>"


# ------------------------------------------------------------------ loading


def load_annotation_sets(gold_dir: str | Path, *, exclude: Iterable[str] = ()
                         ) -> dict[str, dict[str, GoldDocument]]:
    """Annotation sets of a gold folder: ``{doc_id: {annotator: set}}``, sorted.

    The annotator is the set's ``annotator`` (the file name when it has none);
    names in ``exclude`` (an adjudicator's set, say) are left out.
    """
    root = resolve_gold_dir(gold_dir)
    if not root.is_dir():
        raise FilingkitError("not a gold folder", file=root)
    skip = set(exclude)
    out: dict[str, dict[str, GoldDocument]] = {}
    for path in iter_annotation_files(root):
        doc = load_gold_file(path)
        who = doc.gold.annotator or path.stem
        if who in skip:
            continue
        sets = out.setdefault(doc.doc_id, {})
        if who in sets:
            raise FilingkitError(f"annotator {who!r} has two sets for {doc.doc_id}", file=path)
        sets[who] = doc
    return {d: dict(sorted(s.items())) for d, s in sorted(out.items())}


# ------------------------------------------------------------------ chance-corrected


def is_categorical(spec: FieldSpec) -> bool:
    """Facts whose values are decisions from a countable set (kappa and alpha apply)."""
    return spec.kind == "fact" and not spec.is_record and (
        spec.type == "bool" or bool(spec.choices) or (spec.type == "code" and spec.many))


def categorical_units(spec: FieldSpec, sets: Mapping[str, Mapping[str, GoldDocument]],
                      universe: Sequence[str]) -> dict[tuple[str, str], dict[str, str]]:
    """``{(doc_id, unit): {annotator: category}}`` of one categorical field.

    A one-value field has one unit per document (category: the value or
    ``<absent>``); a many-value field one unit per document and code
    (category: ``present`` / ``absent``).
    """
    units: dict[tuple[str, str], dict[str, str]] = {}
    for doc_id, by_who in sets.items():
        for who, gd in by_who.items():
            if not in_scope(gd.gold.scope, spec):
                continue
            values = [canonical(v) for v in fact_values(gd.gold.annotations, spec.name)]
            if spec.many:
                have = set(values)
                for code in universe:
                    units.setdefault((doc_id, code), {})[who] = \
                        "present" if code in have else "absent"
            else:
                units.setdefault((doc_id, ""), {})[who] = values[0] if values else ABSENT
    return units


def _require(module: str) -> Any:
    """A module of the ``annotate`` extra (scikit-learn, krippendorff), or how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise FilingkitError(f"agreement needs {module.split('.')[0]}, which is not installed",
                             hint="pip install 'filingkit[annotate]'") from exc


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two annotators' categories over the same units
    (scikit-learn's ``cohen_kappa_score``); ``None`` when chance agreement is 1
    (no variation) or there are no units, where scikit-learn would warn and give NaN."""
    if not first or len(first) != len(second) or len(set(first) | set(second)) < 2:
        return None
    cohen_kappa_score = _require("sklearn.metrics").cohen_kappa_score
    value = float(cohen_kappa_score(list(first), list(second)))
    return None if math.isnan(value) else value


def krippendorff_alpha_nominal(units: Iterable[Mapping[str, str]]) -> float | None:
    """Krippendorff's alpha for nominal data (the ``krippendorff`` package), with any
    number of annotators and missing values; units with fewer than two values cannot
    be paired and do not count. ``None`` without pairable values or without variation.
    """
    rows = [dict(u) for u in units if len(u) >= 2]
    categories = sorted({v for u in rows for v in u.values()})
    if not rows or len(categories) < 2:
        return None
    coders = sorted({who for u in rows for who in u})
    code = {c: float(i) for i, c in enumerate(categories)}
    data = np.full((len(coders), len(rows)), np.nan)
    for j, unit in enumerate(rows):
        for who, category in unit.items():
            data[coders.index(who), j] = code[category]
    krippendorff = _require("krippendorff")
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(alpha) else alpha


# ------------------------------------------------------------------ report


@dataclass(frozen=True, slots=True)
class FieldAgreement:
    """Agreement on one field, pooled over annotator pairs and documents."""

    field: str
    group: str
    kind: str
    counts: Mapping[str, Counts]  # scheme -> counts: strict/overlap (entities), exact (facts)
    n_documents: int
    kappa: float | None = None
    alpha: float | None = None
    n_units: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "kind": self.kind, "n_documents": self.n_documents,
                **{s: c.to_dict() for s, c in self.counts.items()},
                "kappa": self.kappa, "alpha": self.alpha, "n_units": self.n_units}


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of one pair of annotators over the documents both annotated."""

    first: str
    second: str
    n_documents: int
    overall: Mapping[str, Counts]
    kappa: Mapping[str, float | None]
    fields: Mapping[str, Counts] = field(default_factory=dict)  # main scheme per field

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": [self.first, self.second], "n_documents": self.n_documents,
                **{k: c.to_dict() for k, c in self.overall.items()},
                "fields": {f: c.to_dict() for f, c in self.fields.items()},
                "kappa": dict(self.kappa)}


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    """Agreement on one document, pooled over its annotator pairs."""

    doc_id: str
    annotators: tuple[str, ...]
    overall: Mapping[str, Counts]
    fields: Mapping[str, Counts]  # main scheme per field (strict for entities)

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": list(self.annotators),
                **{k: c.to_dict() for k, c in self.overall.items()},
                "fields": {f: c.to_dict() for f, c in self.fields.items()}}


OVERALL_KEYS: tuple[str, ...] = ("entities_strict", "entities_overlap", "facts")


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Pairwise F1, kappa and alpha per field, overall, per pair and per document."""

    gold: str
    catalogue_name: str
    catalogue_version: str
    annotators: tuple[str, ...]
    n_documents: int
    overall: Mapping[str, Counts]
    fields: tuple[FieldAgreement, ...]
    pairs: tuple[PairAgreement, ...]
    documents: tuple[DocumentAgreement, ...]
    single: tuple[str, ...] = ()  # documents with one annotation set (not compared)

    def field(self, name: str) -> FieldAgreement:
        for f in self.fields:
            if f.field == name:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON (format ``filingkit-agreement``, version 1)."""
        return {
            "format": AGREEMENT_FORMAT, "version": AGREEMENT_VERSION, "gold": self.gold,
            "catalogue": {"name": self.catalogue_name, "version": self.catalogue_version},
            "annotators": list(self.annotators), "n_documents": self.n_documents,
            "single_annotator_documents": list(self.single),
            "overall": {k: c.to_dict() for k, c in self.overall.items()},
            "fields": {f.field: f.to_dict() for f in self.fields},
            "pairs": {f"{p.first} | {p.second}": p.to_dict() for p in self.pairs},
            "documents": {d.doc_id: d.to_dict() for d in self.documents},
        }

    def to_markdown(self) -> str:
        """Markdown tables: overall, per field, per pair, per document."""
        from filingkit.annotate.render import agreement_markdown

        return agreement_markdown(self)


def _main_scheme(spec: FieldSpec) -> str:
    return "strict" if spec.kind == "entity" else "exact"


def agreement(gold_dir: str | Path, *, catalogue: Catalogue | None = None,
              exclude: Iterable[str] = ()) -> AgreementReport:
    """Agreement between the annotators of the annotation sets in ``gold_dir``.

    Only documents with two or more sets are compared; a field is compared in a
    document only when it is in the scope of both sets of a pair.
    """
    cat = catalogue or load_catalogue()
    sets = load_annotation_sets(gold_dir, exclude=exclude)
    if not sets:
        raise FilingkitError("no annotation sets (<doc_id>/annotations/<who>.json) found",
                             file=gold_dir)
    multi = {d: s for d, s in sets.items() if len(s) >= 2}
    field_counts: dict[str, dict[str, Counts]] = {}
    field_docs: Counter[str] = Counter()
    pair_counts: dict[tuple[str, str], dict[str, Counts]] = {}
    pair_fields: dict[tuple[str, str], dict[str, Counts]] = {}
    pair_docs: Counter[tuple[str, str]] = Counter()
    documents: list[DocumentAgreement] = []
    for doc_id, by_who in multi.items():
        doc_overall = {k: Counts() for k in OVERALL_KEYS}
        doc_fields: dict[str, Counts] = {}
        seen_fields: set[str] = set()
        for a, b in itertools.combinations(sorted(by_who), 2):
            ga, gb = by_who[a].gold, by_who[b].gold
            compared = shared_fields(cat, [ga.scope, gb.scope])
            per_field = compare(ga.annotations, gb.annotations, compared)
            pair_docs[(a, b)] += 1
            pc = pair_counts.setdefault((a, b), {k: Counts() for k in OVERALL_KEYS})
            for spec in compared:
                counts = per_field[spec.name]
                seen_fields.add(spec.name)
                fc = field_counts.setdefault(spec.name, {})
                for scheme, c in counts.items():
                    fc[scheme] = fc.get(scheme, Counts()) + c
                main = counts[_main_scheme(spec)]
                doc_fields[spec.name] = doc_fields.get(spec.name, Counts()) + main
                pf = pair_fields.setdefault((a, b), {})
                pf[spec.name] = pf.get(spec.name, Counts()) + main
                keys = (("entities_strict", "strict"), ("entities_overlap", "overlap")) \
                    if spec.kind == "entity" else (("facts", "exact"),)
                for key, scheme in keys:
                    doc_overall[key] = doc_overall[key] + counts[scheme]
                    pc[key] = pc[key] + counts[scheme]
        for name in seen_fields:
            field_docs[name] += 1
        documents.append(DocumentAgreement(doc_id, tuple(sorted(by_who)), doc_overall,
                                           doc_fields))
    kappas, alphas, n_units = _chance_corrected(cat, multi)
    fields = tuple(
        FieldAgreement(
            field=spec.name, group=spec.group, kind=spec.kind,
            counts=field_counts.get(spec.name, {}), n_documents=field_docs[spec.name],
            kappa=_mean([k for (_, _, f), k in kappas.items() if f == spec.name]),
            alpha=alphas.get(spec.name), n_units=n_units.get(spec.name, 0),
        )
        for spec in cat.fields if spec.name in field_counts
    )
    pairs = tuple(
        PairAgreement(a, b, pair_docs[(a, b)], pair_counts[(a, b)],
                      {f: k for (pa, pb, f), k in kappas.items() if (pa, pb) == (a, b)},
                      pair_fields.get((a, b), {}))
        for a, b in sorted(pair_counts)
    )
    overall = {k: sum((d.overall[k] for d in documents), Counts()) for k in OVERALL_KEYS}
    annotators = tuple(sorted({w for s in sets.values() for w in s}))
    return AgreementReport(
        gold=str(gold_dir), catalogue_name=cat.name, catalogue_version=cat.version,
        annotators=annotators, n_documents=len(multi), overall=overall, fields=fields,
        pairs=pairs, documents=tuple(documents),
        single=tuple(d for d, s in sets.items() if len(s) < 2),
    )


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _chance_corrected(cat: Catalogue, sets: Mapping[str, Mapping[str, GoldDocument]]
                      ) -> tuple[dict[tuple[str, str, str], float | None], dict[str, float | None],
                                 dict[str, int]]:
    """Pairwise Cohen's kappa and Krippendorff's alpha of every categorical field."""
    kappas: dict[tuple[str, str, str], float | None] = {}
    alphas: dict[str, float | None] = {}
    n_units: dict[str, int] = {}
    for spec in cat.fact_fields:
        if not is_categorical(spec):
            continue
        universe: Sequence[str] = ()
        if spec.many:
            used = {canonical(f.value) for s in sets.values() for gd in s.values()
                    for f in gd.gold.facts if f.field == spec.name}
            offered = {canonical(c) for c in spec.choices}
            universe = sorted(used | offered)
        units = categorical_units(spec, sets, universe)
        if not units:
            continue
        n_units[spec.name] = len(units)
        alphas[spec.name] = krippendorff_alpha_nominal(units.values())
        coders = sorted({w for u in units.values() for w in u})
        for a, b in itertools.combinations(coders, 2):
            both = [u for u in units.values() if a in u and b in u]
            if both:
                kappas[(a, b, spec.name)] = cohen_kappa([u[a] for u in both],
                                                        [u[b] for u in both])
    return kappas, alphas, n_units
