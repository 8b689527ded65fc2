"""Fact values: normalized by the catalogue's rule, matched one-to-one per document.

Each field is compared by its catalogue ``match`` rule, on values first passed
through its ``normalizer`` (gold and predictions are stored normalized; doing it
again here is idempotent and forgives a prediction written as printed):

- ``exact``: equal normal forms (dates as ISO, codes such as state, exchange,
  EIN, file number and phone in their normal form, booleans exactly: ``True`` is
  not ``1``).
- ``name``: equal ``filingkit.normalize.name_key`` (case, accents and
  punctuation ignored); the strict variant compares the normalized name as is.
- ``numeric``: same unit and equal values once both are rounded to the coarser
  of the two precisions (XBRL ``decimals``; ``INF`` is exact). This is XBRL's
  consistency rule: "$9.0 million" (decimals -5) matches 9,012,000 (decimals -3).
- ``record``: records match on their identifying arguments; among candidates
  the pair agreeing on more other arguments wins. Arguments of type
  ``decimals`` describe precision, not content, and are not scored.

Multi-valued fields are multisets: each value counts, and true positives are
the size of a maximum one-to-one matching (for hashable keys, the multiset
intersection). All functions are pure.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import numpy as np

from filingkit.catalogue import ArgSpec, FieldSpec
from filingkit.errors import NormalizationError
from filingkit.normalize import name_key, normalize

INF = "INF"


def normalized(spec: FieldSpec, value: Any) -> Any:
    """The value through the field's normalizer, or unchanged when it cannot be normalized."""
    try:
        return normalize(spec.normalizer, value)
    except (NormalizationError, TypeError, ValueError, KeyError):
        return value


def canonical(value: Any) -> Hashable:
    """A hashable, type-aware key for a JSON value: ``true`` differs from ``1``.

    Strings are their own key; numbers compare by value (1 == 1.0); objects
    and arrays by their canonical JSON text.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ("bool", value)
    if isinstance(value, int | float):
        return ("num", value)
    return ("json", json.dumps(value, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":")))


class Normalizer:
    """``normalized`` with a memo per (normalizer, scalar value): filings repeat values."""

    def __init__(self) -> None:
        self._memo: dict[str, dict[Hashable, Any]] = {}

    def memo_for(self, spec: FieldSpec) -> dict[Hashable, Any]:
        """The memo of one normalizer (callers on hot paths look strings up in it directly)."""
        return self._memo.setdefault(spec.normalizer, {})

    def __call__(self, spec: FieldSpec, value: Any) -> Any:
        if isinstance(value, dict | list):
            return normalized(spec, value)
        memo = self._memo.get(spec.normalizer)
        if memo is None:
            memo = self._memo[spec.normalizer] = {}
        key = canonical(value)
        try:
            return memo[key]
        except KeyError:
            out = memo[key] = normalized(spec, value)
            return out


def name_match_key(value: Any, *, strict: bool = False) -> str:
    """Lenient (``name_key``) or strict (the normalized string) key of a name."""
    if not isinstance(value, str):
        return repr(canonical(value))
    return value if strict else name_key(value)


# ------------------------------------------------------------------ numbers


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _precision(decimals: Any) -> float:
    """XBRL decimals as a number; ``INF`` (or missing) is infinitely precise."""
    if decimals is None or decimals == INF or isinstance(decimals, bool):
        return float("inf")
    try:
        return float(int(decimals))
    except (TypeError, ValueError):
        return float("inf")


def numbers_match(a: Any, b: Any, *, decimals_a: Any = INF, decimals_b: Any = INF) -> bool:
    """Two numbers agree when equal after rounding both to the coarser precision.

    Rounding is half-to-even, at ``decimals`` digits after the point (negative:
    tens, thousands, millions). With both precisions ``INF`` the values must be
    equal exactly.
    """
    da, db = _decimal(a), _decimal(b)
    if da is None or db is None:
        return da is None and db is None and a == b
    coarse = min(_precision(decimals_a), _precision(decimals_b))
    if coarse == float("inf"):
        return da == db
    quantum = Decimal(1).scaleb(-int(coarse))
    return da.quantize(quantum, ROUND_HALF_EVEN) == db.quantize(quantum, ROUND_HALF_EVEN)


def money_match(a: Any, b: Any) -> bool:
    """Money (``{"value", "unit", "decimals"}``) or plain numbers, within precision."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.get("unit") == b.get("unit") and numbers_match(
            a.get("value"), b.get("value"),
            decimals_a=a.get("decimals", INF), decimals_b=b.get("decimals", INF),
        )
    if isinstance(a, dict) or isinstance(b, dict):
        return False
    return numbers_match(a, b)


# ------------------------------------------------------------------ arguments of records


def arg_match(arg: ArgSpec, a: Any, b: Any, *, decimals_a: Any = INF, decimals_b: Any = INF,
              strict_names: bool = False) -> bool:
    """Whether two values of one record argument agree, by the argument's type."""
    if arg.type == "name":
        return name_match_key(a, strict=strict_names) == name_match_key(b, strict=strict_names)
    if arg.type == "money":
        return money_match(a, b)
    if arg.type == "number":
        return numbers_match(a, b, decimals_a=decimals_a, decimals_b=decimals_b)
    return bool(canonical(a) == canonical(b))


def scored_args(spec: FieldSpec) -> tuple[ArgSpec, ...]:
    """The arguments of a record field that are scored (all but ``decimals``)."""
    return tuple(a for a in spec.args if a.type != "decimals")


def _decimals_of(spec: FieldSpec, record: Any) -> Any:
    for a in spec.args:
        if a.type == "decimals" and isinstance(record, dict):
            return record.get(a.name, INF)
    return INF


def record_agreement(spec: FieldSpec, g: Any, p: Any, *,
                     strict_names: bool = False) -> tuple[bool, dict[str, bool | None]]:
    """Do two records match on their identifying args; and, per scored arg, do they agree?

    Per argument: ``True`` both present and equal, ``False`` present on either
    side and not equal (or present on one side only), ``None`` absent on both.
    """
    gd = g if isinstance(g, dict) else {}
    pd = p if isinstance(p, dict) else {}
    dg, dp = _decimals_of(spec, gd), _decimals_of(spec, pd)
    agree: dict[str, bool | None] = {}
    for arg in scored_args(spec):
        if arg.name not in gd and arg.name not in pd:
            agree[arg.name] = None
        elif arg.name not in gd or arg.name not in pd:
            agree[arg.name] = False
        else:
            agree[arg.name] = arg_match(arg, gd[arg.name], pd[arg.name], decimals_a=dg,
                                        decimals_b=dp, strict_names=strict_names)
    identified = all(agree.get(n) is True for n in spec.identifying_args)
    return identified, agree


# ------------------------------------------------------------------ matching


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """The optimal matching of one field in one document (indices into the value lists)."""

    pairs: tuple[tuple[int, int], ...]
    n_gold: int
    n_pred: int

    @property
    def tp(self) -> int:
        return len(self.pairs)

    @property
    def fp(self) -> int:
        return self.n_pred - len(self.pairs)

    @property
    def fn(self) -> int:
        return self.n_gold - len(self.pairs)

    def unmatched_gold(self) -> list[int]:
        used = {g for g, _ in self.pairs}
        return [i for i in range(self.n_gold) if i not in used]

    def unmatched_pred(self) -> list[int]:
        used = {p for _, p in self.pairs}
        return [i for i in range(self.n_pred) if i not in used]


def match_by_key(gold_keys: Sequence[Hashable], pred_keys: Sequence[Hashable]) -> FieldMatch:
    """Multiset intersection of hashable keys, pairing equal keys in list order."""
    if len(gold_keys) == 1 and len(pred_keys) == 1:  # the common case, without a dict
        pair = ((0, 0),) if gold_keys[0] == pred_keys[0] else ()
        return FieldMatch(pair, 1, 1)
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for i, k in enumerate(gold_keys):
        by_key[k].append(i)
    pairs: list[tuple[int, int]] = []
    for j, k in enumerate(pred_keys):
        free = by_key.get(k)
        if free:
            pairs.append((free.pop(0), j))
    return FieldMatch(tuple(sorted(pairs)), len(gold_keys), len(pred_keys))


def match_by_weight(n_gold: int, n_pred: int,
                    weight: Callable[[int, int], float]) -> FieldMatch:
    """Maximum-weight one-to-one matching; ``weight <= 0`` means the pair cannot match."""
    if n_gold == 0 or n_pred == 0:
        return FieldMatch((), n_gold, n_pred)
    if n_gold == 1 and n_pred == 1:
        return FieldMatch(((0, 0),) if weight(0, 0) > 0 else (), 1, 1)
    w = np.array([[weight(i, j) for j in range(n_pred)] for i in range(n_gold)], dtype=float)
    if n_gold == 1 or n_pred == 1:
        flat = int(np.argmax(w))
        i, j = divmod(flat, n_pred)
        return FieldMatch(((i, j),) if w[i, j] > 0 else (), n_gold, n_pred)
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(w, maximize=True)
    pairs = tuple(sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True)
                         if w[r, c] > 0))
    return FieldMatch(pairs, n_gold, n_pred)


def match_field(spec: FieldSpec, gold: Sequence[Any], pred: Sequence[Any], *,
                strict_names: bool = False) -> FieldMatch:
    """Match one field's (normalized) gold and predicted values in one document."""
    if spec.match == "numeric":
        return match_by_weight(len(gold), len(pred),
                               lambda i, j: 1.0 if money_match(gold[i], pred[j]) else 0.0)
    if spec.match == "record":
        return match_records(spec, gold, pred, strict_names=strict_names)
    if spec.match == "name":
        return match_by_key([name_match_key(v, strict=strict_names) for v in gold],
                            [name_match_key(v, strict=strict_names) for v in pred])
    return match_by_key([canonical(v) for v in gold], [canonical(v) for v in pred])


def match_records(spec: FieldSpec, gold: Sequence[Any], pred: Sequence[Any], *,
                  strict_names: bool = False) -> FieldMatch:
    """Pair records that agree on every identifying argument, preferring fuller agreement."""
    n_args = len(scored_args(spec))
    table = [[record_agreement(spec, g, p, strict_names=strict_names) for p in pred]
             for g in gold]

    def weight(i: int, j: int) -> float:
        identified, agree = table[i][j]
        if not identified:
            return 0.0
        return float(n_args + 1) + sum(1 for v in agree.values() if v is True)

    return match_by_weight(len(gold), len(pred), weight)
