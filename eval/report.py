"""The evaluation report: frozen records and their JSON (format ``filingkit-report`` v1).

``Report.to_dict()`` is the documented, versioned report JSON (see
docs/architecture.md and docs/evaluation.md); keys may be added in a later
version 1 report, never renamed. The report also keeps the per-document count
array it was computed from (``doc_counts``, not serialized), so comparisons
and resampling can reuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from filingkit.eval.metrics import Counts, Macro
from filingkit.eval.spans import SchemeCounts
from filingkit.eval.stats import Interval

REPORT_FORMAT = "filingkit-report"
REPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Score:
    """Counts of one unit (a field, a group, the micro average) with their interval."""

    counts: Counts
    group: str | None = None
    ci: Interval | None = None

    @property
    def precision(self) -> float:
        return self.counts.precision

    @property
    def recall(self) -> float:
        return self.counts.recall

    @property
    def f1(self) -> float:
        return self.counts.f1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.group is not None:
            out["group"] = self.group
        out.update(self.counts.to_dict())
        if self.ci is not None:
            out["ci"] = self.ci.to_dict()
        return out


@dataclass(frozen=True, slots=True)
class SchemeResult:
    """One entity scheme: label-agnostic totals and each label matched on its own."""

    overall: SchemeCounts
    labels: Mapping[str, SchemeCounts]

    def to_dict(self) -> dict[str, Any]:
        return {"overall": self.overall.to_dict(),
                "labels": {k: v.to_dict() for k, v in self.labels.items()}}


@dataclass(frozen=True, slots=True)
class RecordScore:
    """A record field: whole records, records identified, and each argument."""

    whole: Counts
    identified: Counts
    args: Mapping[str, Counts]

    def to_dict(self) -> dict[str, Any]:
        return {"whole": self.whole.to_dict(), "identified": self.identified.to_dict(),
                "args": {k: v.to_dict() for k, v in self.args.items()}}


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """One document: counts per field in scope there, their micro and macro averages."""

    fields: Mapping[str, Counts]
    micro: Counts
    macro: Macro

    def to_dict(self) -> dict[str, Any]:
        return {"fields": {k: v.counts_dict() for k, v in self.fields.items()},
                "micro": self.micro.to_dict(), "macro": self.macro.to_dict()}


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """A false positive or false negative, with where it is and the text around it.

    ``partial`` marks a pair that earned half credit (scheme ``partial``);
    ``other`` is the value or span it was paired with, when there was one (an
    INC or PAR pair, a record matched on its identifying arguments).
    """

    doc_id: str
    field: str
    kind: str  # "fp" or "fn"
    value: Any = None
    start: int | None = None
    end: int | None = None
    context: str = ""
    partial: bool = False
    other: Any = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"doc_id": self.doc_id, "field": self.field, "kind": self.kind}
        if self.value is not None:
            out["value"] = self.value
        if self.start is not None:
            out["start"] = self.start
            out["end"] = self.end
        out["context"] = self.context
        if self.partial:
            out["partial"] = True
        if self.other is not None:
            out["other"] = self.other
        return out


@dataclass(frozen=True)
class Report:
    """The result of ``filingkit.eval.evaluate``; ``to_dict()`` is the report JSON."""

    created_by: str
    catalogue: tuple[str, str]  # name, version
    gold: str
    predictions: str
    system: str
    scheme: str
    n_documents: int
    fields: Mapping[str, Score]
    groups: Mapping[str, Score]
    micro: Score
    macro: Macro
    schemes: Mapping[str, SchemeResult]
    records: Mapping[str, RecordScore]
    grounding: Mapping[str, Counts]
    names_strict: Mapping[str, Counts]
    documents: Mapping[str, DocumentScore]
    errors: tuple[ErrorItem, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    # Error items of each field left out of ``errors`` (all of them are in ``errors_file``).
    errors_omitted: Mapping[str, int] = field(default_factory=dict)
    errors_file: str | None = None
    # Predicted values, per fact field, that its normalizer rejects (a warning).
    invalid_values: Mapping[str, int] = field(default_factory=dict)
    # Mean over documents (with any item) of each document's micro P, R, F1.
    document_macro: Macro = field(default_factory=lambda: Macro(0.0, 0.0, 0.0, 0))
    # Not serialized: per-document counts (n_docs, n_units, 3) and the unit names.
    doc_ids: tuple[str, ...] = field(default=(), repr=False, compare=False)
    units: tuple[str, ...] = field(default=(), repr=False, compare=False)
    doc_counts: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.zeros((0, 0, 3)), repr=False, compare=False
    )

    def to_dict(self) -> dict[str, Any]:
        """The report JSON, format ``filingkit-report`` version 1."""
        return {
            "format": REPORT_FORMAT,
            "version": REPORT_VERSION,
            "created_by": self.created_by,
            "catalogue": {"name": self.catalogue[0], "version": self.catalogue[1]},
            "gold": self.gold,
            "predictions": self.predictions,
            "system": self.system,
            "scheme": self.scheme,
            "settings": dict(self.settings),
            "n_documents": self.n_documents,
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "groups": {k: v.to_dict() for k, v in self.groups.items()},
            "micro": self.micro.to_dict(),
            "macro": self.macro.to_dict(),
            "schemes": {k: v.to_dict() for k, v in self.schemes.items()},
            "records": {k: v.to_dict() for k, v in self.records.items()},
            "grounding": {k: v.to_dict() for k, v in self.grounding.items()},
            "names_strict": {k: v.to_dict() for k, v in self.names_strict.items()},
            "document_macro": self.document_macro.to_dict(unit="n_documents"),
            "documents": {k: v.to_dict() for k, v in self.documents.items()},
            "errors": [e.to_dict() for e in self.errors],
            "errors_omitted": dict(self.errors_omitted),
            "errors_file": self.errors_file,
            "invalid_values": dict(self.invalid_values),
        }


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot encode {type(obj).__name__} in a report")


def encode_json(data: Any) -> bytes:
    """Canonical report JSON (sorted keys, two-space indent, UTF-8, trailing newline).

    The same content as ``filingkit.jsonio.dumps``, encoded by msgspec (several
    times faster on reports with many documents); a NaN, which JSON has no
    word for, becomes ``null``.
    """
    import msgspec

    raw = msgspec.json.encode(data, order="sorted", enc_hook=_enc_hook)
    return msgspec.json.format(raw, indent=2) + b"\n"
