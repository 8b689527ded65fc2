"""Fact scoring over a corpus: per document and field, match values and count.

Every scored fact in scope is normalized once (memoized: filings repeat
values) and flattened into rows ``(doc, field, fact, value)``. Fields whose
rule gives a hashable key (``exact``, ``name``) are matched for the whole
corpus in one pass of multiset intersection on ``(doc, field, key)``; fields
that need pairwise comparison (``numeric`` within precision, ``record``) go
through ``facts.match_field`` document by document. Counts per
``(doc, field)`` then come from ``bincount``.

Record fields also yield counts of records identified (matched on their
identifying arguments) and per argument; a record counts as a true positive
of the field only when it is whole (every scored argument agrees). Name fields
are also counted under the strict rule (``names_strict``), and facts predicted
with evidence are scored for grounding: value right and evidence overlapping
the gold evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from filingkit.catalogue import FieldSpec
from filingkit.errors import NormalizationError
from filingkit.eval.facts import (
    canonical,
    match_field,
    name_match_key,
    record_agreement,
    scored_args,
)
from filingkit.eval.inputs import GoldItem, fact_context
from filingkit.eval.metrics import Counts
from filingkit.eval.report import ErrorItem, RecordScore
from filingkit.normalize import normalize
from filingkit.records import Annotations, Fact

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
Row = tuple[int, int, Fact, Any, Hashable | None]  # doc, field, fact, value, match key


@dataclass(frozen=True)
class FactScores:
    """Per-(document, field) counts and the record, grounding and strict-name tallies."""

    counts: FloatArray  # (n_docs, n_fields, 3): tp, fp, fn
    records: dict[str, RecordScore]
    grounding: dict[str, tuple[int, int, int]]  # every field: hits, predicted, gold with evidence
    names_strict: dict[str, Counts]
    errors: list[ErrorItem]
    invalid: dict[str, int]  # predicted values that fail the field's normalizer


def grounding_counts(raw: dict[str, tuple[int, int, int]]) -> dict[str, Counts]:
    """The report's ``grounding``: fields where any prediction carries evidence."""
    return {k: Counts(h, p - h, g - h) for k, (h, p, g) in raw.items() if p}


class CheckedNormalizer:
    """The field's normalizer, memoized, telling whether the value could be normalized.

    A value that fails is kept as it is (it then simply fails to match), and is
    counted (``invalid_values``): an extractor that emits garbage shows.
    """

    def __init__(self) -> None:
        self._memo: dict[str, dict[Hashable, tuple[Any, bool]]] = {}

    def memo_for(self, spec: FieldSpec) -> dict[Hashable, tuple[Any, bool]]:
        return self._memo.setdefault(spec.normalizer, {})

    def compute(self, spec: FieldSpec, value: Any) -> tuple[Any, bool]:
        try:
            return normalize(spec.normalizer, value), True
        except (NormalizationError, TypeError, ValueError, KeyError):
            return value, False

    def __call__(self, spec: FieldSpec, value: Any) -> tuple[Any, bool]:
        if isinstance(value, dict | list):
            return self.compute(spec, value)
        memo = self.memo_for(spec)
        key = canonical(value)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = self.compute(spec, value)
        return hit


def _rows(anns: Sequence[Annotations], index: dict[str, int], facts: Sequence[FieldSpec],
          scope: list[list[bool]], norm: CheckedNormalizer, keys: _Keys,
          invalid: list[int] | None = None) -> list[Row]:
    """Flatten the scored, in-scope facts to ``(doc, field, fact, value, key)`` rows.

    ``invalid[u]`` (when given) counts the values of field ``u`` that fail normalization.
    """
    out: list[Row] = []
    key = keys.key
    memos = [norm.memo_for(s) for s in facts]
    for d, a in enumerate(anns):
        in_scope = scope[d]
        for f in a.facts:
            u = index.get(f.field)
            if u is None or not in_scope[u]:
                continue
            raw = f.value
            if type(raw) is str:  # the hot path: a memoized string (str is its own key)
                hit = memos[u].get(raw)
                v, ok = norm(facts[u], raw) if hit is None else hit
            else:
                v, ok = norm(facts[u], raw)
            if not ok and invalid is not None:
                invalid[u] += 1
            out.append((d, u, f, v, key(u, v)))
    return out


class _Keys:
    """Memoized match keys of the hashable rules (``None`` for pairwise rules)."""

    def __init__(self, facts: Sequence[FieldSpec], *, strict: bool, names_only: bool) -> None:
        self.rules = [s.match for s in facts]
        self.strict = strict
        self.names_only = names_only
        self.memo: dict[str, str] = {}

    def key(self, u: int, v: Any) -> Hashable | None:
        rule = self.rules[u]
        if rule == "name":
            if not isinstance(v, str):
                return name_match_key(v, strict=self.strict)
            k = self.memo.get(v)
            if k is None:
                k = self.memo[v] = name_match_key(v, strict=self.strict)
            return k
        if rule == "exact" and not self.names_only:
            return canonical(v)
        return None


def _pair_by_key(gold: Sequence[Row], pred: Sequence[Row]) -> list[tuple[int, int]]:
    """Multiset intersection on (doc, field, key); rows whose key is None are skipped."""
    free: dict[tuple[int, int, Hashable], list[int]] = defaultdict(list)
    for i, (d, u, _, _, k) in enumerate(gold):
        if k is not None:
            free[(d, u, k)].append(i)
    pairs = []
    for j, (d, u, _, _, k) in enumerate(pred):
        if k is None:
            continue
        waiting = free.get((d, u, k))
        if waiting:
            pairs.append((waiting.pop(0), j))
    return pairs


def _per_field(rows: list[Row], n_fields: int, keep: Callable[[Row], bool]) -> list[int]:
    out = [0] * n_fields
    for r in rows:
        if keep(r):
            out[r[1]] += 1
    return out


def _overlaps(a: Fact, b: Fact) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a.evidence for y in b.evidence)


def score_facts(items: Sequence[GoldItem], preds: Sequence[Annotations],
                facts: Sequence[FieldSpec], scope: BoolArray, *,
                strict_names: bool = False,
                normalizer: CheckedNormalizer | None = None) -> FactScores:
    """Score every fact field in every document where it is in scope.

    ``scope[d, u]`` says whether field ``u`` is in scope in document ``d``.
    """
    n_docs, n_fields = len(items), len(facts)
    index = {s.name: u for u, s in enumerate(facts)}
    norm = normalizer or CheckedNormalizer()
    scope_rows = scope.tolist()
    keys = _Keys(facts, strict=strict_names, names_only=False)
    invalid = [0] * n_fields
    gold = _rows([g.annotations for g in items], index, facts, scope_rows, norm, keys)
    pred = _rows(preds, index, facts, scope_rows, norm, keys, invalid)
    matched = _pair_by_key(gold, pred)
    whole = list(matched)  # true positives (for records: whole records only)
    errors: list[ErrorItem] = []
    tally = _RecordTally()
    by_cell_g: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_cell_p: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (d, u, _, _, k) in enumerate(gold):
        if k is None:
            by_cell_g[(d, u)].append(i)
    for j, (d, u, _, _, k) in enumerate(pred):
        if k is None:
            by_cell_p[(d, u)].append(j)
    for cell in sorted(by_cell_g.keys() | by_cell_p.keys()):
        gi, pj = by_cell_g.get(cell, []), by_cell_p.get(cell, [])
        spec = facts[cell[1]]
        fm = match_field(spec, [gold[i][3] for i in gi], [pred[j][3] for j in pj],
                         strict_names=strict_names)
        pairs = [(gi[a], pj[b]) for a, b in fm.pairs]
        matched += pairs
        if spec.is_record:
            whole += tally.add(items, spec, gold, pred, pairs, gi, pj, strict_names, errors)
        else:
            whole += pairs

    used_g = {i for i, _ in matched}
    used_p = {j for _, j in matched}
    errors += [_error(items[r[0]], facts[r[1]], r[2], r[3], "fn")
               for i, r in enumerate(gold) if i not in used_g]
    errors += [_error(items[r[0]], facts[r[1]], r[2], r[3], "fp")
               for j, r in enumerate(pred) if j not in used_p]

    cells = n_docs * n_fields
    g_cell = np.array([r[0] * n_fields + r[1] for r in gold], dtype=np.int64)
    p_cell = np.array([r[0] * n_fields + r[1] for r in pred], dtype=np.int64)
    tp = np.bincount(g_cell[[i for i, _ in whole]] if whole else np.zeros(0, np.int64),
                     minlength=cells).astype(np.float64)
    n_g = np.bincount(g_cell, minlength=cells).astype(np.float64)
    n_p = np.bincount(p_cell, minlength=cells).astype(np.float64)
    counts = np.stack([tp, n_p - tp, n_g - tp], axis=-1).reshape(n_docs, n_fields, 3)

    return FactScores(
        counts,
        tally.records(facts),
        _grounding(facts, gold, pred, whole),
        _names_strict(facts, gold, pred, whole if strict_names else
                      _strict_name_pairs(facts, gold, pred)),
        errors,
        {facts[u].name: n for u, n in enumerate(invalid) if n},
    )


def _strict_name_pairs(facts: Sequence[FieldSpec], gold: list[Row],
                       pred: list[Row]) -> list[tuple[int, int]]:
    """Matching of the name fields under the strict rule."""
    keys = _Keys(facts, strict=True, names_only=True)
    is_name = [s.match == "name" for s in facts]

    def rekey(rows: list[Row]) -> tuple[list[Row], list[int]]:
        at = [i for i, r in enumerate(rows) if is_name[r[1]]]
        return [(d, u, f, v, keys.key(u, v)) for d, u, f, v, _ in (rows[i] for i in at)], at

    g_rows, g_at = rekey(gold)
    p_rows, p_at = rekey(pred)
    return [(g_at[i], p_at[j]) for i, j in _pair_by_key(g_rows, p_rows)]


def _grounding(facts: Sequence[FieldSpec], gold: list[Row], pred: list[Row],
               whole: list[tuple[int, int]]) -> dict[str, tuple[int, int, int]]:
    """Per field: facts with the value right and evidence overlapping, predicted facts
    with evidence, gold facts with evidence (``grounding_counts`` keeps fields with any
    predicted evidence)."""
    n = len(facts)
    p_ev = _per_field(pred, n, lambda r: bool(r[2].evidence))
    g_ev = _per_field(gold, n, lambda r: bool(r[2].evidence))
    hit = [0] * n
    for i, j in whole:
        if _overlaps(gold[i][2], pred[j][2]):
            hit[gold[i][1]] += 1
    return {facts[u].name: (hit[u], p_ev[u], g_ev[u]) for u in range(n)
            if p_ev[u] or g_ev[u]}


def _names_strict(facts: Sequence[FieldSpec], gold: list[Row], pred: list[Row],
                  pairs: list[tuple[int, int]]) -> dict[str, Counts]:
    """Counts of the name fields under the strict rule (normalized names compared as is)."""
    n = len(facts)
    is_name = [s.match == "name" for s in facts]
    n_g = _per_field(gold, n, lambda r: is_name[r[1]])
    n_p = _per_field(pred, n, lambda r: is_name[r[1]])
    tp = [0] * n
    for i, _ in pairs:
        if is_name[gold[i][1]]:
            tp[gold[i][1]] += 1
    return {facts[u].name: Counts(tp[u], n_p[u] - tp[u], n_g[u] - tp[u])
            for u in range(n) if is_name[u] and (n_g[u] or n_p[u])}


def _error(g: GoldItem, spec: FieldSpec, fact: Fact, value: Any, kind: str,
           other: Any = None) -> ErrorItem:
    start, end, ctx = fact_context(g.text, fact)
    return ErrorItem(g.doc_id, spec.name, kind, value, start, end, ctx, False, other)


class _RecordTally:
    """Accumulates record fields: identified, whole, per argument (frozen at the end)."""

    def __init__(self) -> None:
        self.whole: dict[str, Counts] = defaultdict(Counts)
        self.ident: dict[str, Counts] = defaultdict(Counts)
        self.args: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))

    def add(self, items: Sequence[GoldItem], spec: FieldSpec, gold: list[Row],
            pred: list[Row], pairs: list[tuple[int, int]], gi: list[int], pj: list[int],
            strict_names: bool, errors: list[ErrorItem]) -> list[tuple[int, int]]:
        """Tally one (document, record field) cell; return the pairs that are whole."""
        name = spec.name
        self.ident[name] += Counts(len(pairs), len(pj) - len(pairs), len(gi) - len(pairs))
        good = []
        for i, j in pairs:
            gv, pv = gold[i][3], pred[j][3]
            _, agree = record_agreement(spec, gv, pv, strict_names=strict_names)
            if all(v is not False for v in agree.values()):
                good.append((i, j))
            else:  # identified, but some argument is wrong: both sides are errors
                doc = items[gold[i][0]]
                errors.append(_error(doc, spec, gold[i][2], gv, "fn", pv))
                errors.append(_error(doc, spec, pred[j][2], pv, "fp", gv))
            for arg, ok in agree.items():
                if ok is True:
                    self.args[name][arg] += Counts(1, 0, 0)
                elif ok is False:
                    self.args[name][arg] += Counts(0, int(arg in pv), int(arg in gv))
        paired_g = {i for i, _ in pairs}
        paired_p = {j for _, j in pairs}
        for rows, idx, paired, unit in ((gold, gi, paired_g, Counts(0, 0, 1)),
                                        (pred, pj, paired_p, Counts(0, 1, 0))):
            for k in idx:
                value = rows[k][3]
                if k in paired or not isinstance(value, dict):
                    continue
                for a in scored_args(spec):
                    if a.name in value:
                        self.args[name][a.name] += unit
        self.whole[name] += Counts(len(good), len(pj) - len(good), len(gi) - len(good))
        return good

    def records(self, facts: Sequence[FieldSpec]) -> dict[str, RecordScore]:
        return {
            s.name: RecordScore(self.whole[s.name], self.ident[s.name],
                                {a.name: self.args[s.name][a.name] for a in scored_args(s)})
            for s in facts if s.is_record and s.name in self.whole
        }
