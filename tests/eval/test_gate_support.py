"""Helpers for the gate tests (no tests here): reports of the documented JSON shape.

The gate consumes report JSON (``filingkit-report`` v1, docs/architecture.md),
so most gate tests build reports from per-document counts here: every total is
derived from the counts, as the evaluator's are, which keeps fields, groups,
micro, macro and ``documents`` consistent. The other gate test modules load
it by path (in importlib mode test modules cannot import one another).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Counts = tuple[int, int, int]

#: Catalogue groups of the fields used in the synthetic reports.
GROUPS: dict[str, str] = {
    "ORG": "entities",
    "PERSON": "entities",
    "DATE": "entities",
    "dei:EntityRegistrantName": "cover",
    "dei:EntityFileNumber": "cover",
    "dei:DocumentPeriodEndDate": "cover",
}


def _metrics(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _block(tp: int, fp: int, fn: int) -> dict[str, Any]:
    return {**_metrics(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def make_report(
    docs: Mapping[str, Mapping[str, Counts]],
    *,
    scheme: str = "strict",
    groups: Mapping[str, str] = GROUPS,
    other_schemes: Mapping[str, Mapping[str, Counts]] | None = None,
    with_documents: bool = True,
) -> dict[str, Any]:
    """A report whose every number follows from per-document counts ``{doc: {field: counts}}``."""
    names = sorted({f for d in docs.values() for f in d})
    totals = {f: [0, 0, 0] for f in names}
    for d in docs.values():
        for f, c in d.items():
            for i in range(3):
                totals[f][i] += c[i]
    fields = {f: {"group": groups[f], **_block(*totals[f])} for f in names}
    by_group: dict[str, list[int]] = {}
    for f in names:
        g = by_group.setdefault(groups[f], [0, 0, 0])
        for i in range(3):
            g[i] += totals[f][i]
    micro = [sum(totals[f][i] for f in names) for i in range(3)]
    macro = {m: sum(fields[f][m] for f in names) / len(names) for m in ("precision", "recall",
                                                                         "f1")}
    report: dict[str, Any] = {
        "format": "filingkit-report", "version": 1, "created_by": "filingkit test",
        "catalogue": {"name": "filingkit-8k", "version": "1"}, "gold": "gold",
        "predictions": "pred.jsonl", "system": "test", "scheme": scheme,
        "n_documents": len(docs), "fields": fields,
        "groups": {g: _block(*c) for g, c in by_group.items()},
        "micro": _block(*micro), "macro": macro, "errors": [],
        "schemes": {},
    }
    for name, labels in (other_schemes or {}).items():
        overall = [sum(c[i] for c in labels.values()) for i in range(3)]
        report["schemes"][name] = {
            "overall": _metrics(*overall),
            "labels": {lab: _metrics(*c) for lab, c in labels.items()},
        }
    if with_documents:
        report["documents"] = {
            d: {"fields": {f: dict(zip(("tp", "fp", "fn"), c, strict=True))
                           for f, c in fc.items()},
                "micro": _metrics(*[sum(c[i] for c in fc.values()) for i in range(3)])}
            for d, fc in docs.items()
        }
    return report


def uniform_docs(n: int, per_doc: Mapping[str, Counts]) -> dict[str, dict[str, Counts]]:
    """``n`` documents with the same counts each."""
    return {f"doc{i:03d}": dict(per_doc) for i in range(n)}

