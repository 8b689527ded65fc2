"""The evaluation report: frozen records and their JSON (format ``filingkit-report`` v1).

``Report.to_dict()`` is the documented, versioned report JSON (see
docs/architecture.md and docs/evaluation.md); keys may be added in a later
version 1 report, never renamed. The report also keeps the per-document count
array it was computed from (``doc_counts``, not serialized), so comparisons
and resampling can reuse it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
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


class DocumentTable(Mapping[str, DocumentScore]):
    """The report's ``documents`` from the per-document count array, without an object per
    cell: entries are built when asked for, and ``to_json`` writes them all in bulk.

    ``mask[d, u]`` says whether field ``u`` is listed for document ``d`` (in scope
    there, reported, with any item).
    """

    def __init__(self, doc_ids: Sequence[str], counts: npt.NDArray[np.float64],
                 mask: npt.NDArray[np.bool_], units: Sequence[str]) -> None:
        from filingkit.eval.metrics import prf_arrays

        self.doc_ids = list(doc_ids)
        self.row = {d: i for i, d in enumerate(self.doc_ids)}
        self.counts = counts
        self.mask = mask
        self.units = list(units)
        cells = np.where(mask[..., None], counts, 0.0)
        self.micro = cells.sum(axis=1)  # integers or halves: exact in any order
        p, r, f = prf_arrays(counts[..., 0], counts[..., 1], counts[..., 2])
        self._macro: list[Macro] = []
        for prow, rrow, frow, mrow in zip(p.tolist(), r.tolist(), f.tolist(), mask.tolist(),
                                          strict=True):
            at = [u for u, ok in enumerate(mrow) if ok]
            n = len(at)
            self._macro.append(Macro(sum(prow[u] for u in at) / n, sum(rrow[u] for u in at) / n,
                                     sum(frow[u] for u in at) / n, n) if n else
                               Macro(0.0, 0.0, 0.0, 0))

    def __getitem__(self, doc_id: str) -> DocumentScore:
        d = self.row[doc_id]
        fields = {self.units[u]: Counts(*self.counts[d, u].tolist())
                  for u in np.flatnonzero(self.mask[d]).tolist()}
        return DocumentScore(fields, Counts(*self.micro[d].tolist()), self._macro[d])

    def __iter__(self) -> Iterator[str]:
        return iter(self.doc_ids)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def document_macro(self) -> Macro:
        """Mean over documents with any item of each document's micro P, R, F1."""
        from filingkit.eval.metrics import prf_arrays

        m = self.micro
        p, r, f = prf_arrays(m[:, 0], m[:, 1], m[:, 2])
        keep = (m != 0).any(axis=1)
        n = int(keep.sum())
        if not n:
            return Macro(0.0, 0.0, 0.0, 0)
        return Macro(sum(p[keep].tolist()) / n, sum(r[keep].tolist()) / n,
                     sum(f[keep].tolist()) / n, n)

    def to_json(self) -> dict[str, Any]:
        """Every entry as ``DocumentScore.to_dict`` gives it."""
        from filingkit.eval.metrics import prf_arrays

        def nums(a: npt.NDArray[np.float64]) -> list[Any]:
            if np.all(a == np.floor(a)):
                out: list[Any] = a.astype(np.int64).tolist()
                return out
            return [int(x) if float(x).is_integer() else float(x) for x in a.ravel().tolist()]

        n, u = self.mask.shape
        cells = nums(self.counts.reshape(-1)) if n else []
        micro = nums(self.micro.reshape(-1)) if n else []
        mp, mr, mf = (x.tolist() for x in prf_arrays(self.micro[:, 0], self.micro[:, 1],
                                                      self.micro[:, 2]))
        out: dict[str, Any] = {}
        units = self.units
        for d, (doc_id, mrow) in enumerate(zip(self.doc_ids, self.mask.tolist(), strict=True)):
            base = d * u * 3
            fields = {units[k]: {"tp": cells[base + 3 * k], "fp": cells[base + 3 * k + 1],
                                 "fn": cells[base + 3 * k + 2]}
                      for k, ok in enumerate(mrow) if ok}
            tp, fp, fn = micro[3 * d: 3 * d + 3]
            sup = self.micro[d, 0] + self.micro[d, 2]
            out[doc_id] = {
                "fields": fields,
                "micro": {"precision": mp[d], "recall": mr[d], "f1": mf[d], "tp": tp,
                          "fp": fp, "fn": fn,
                          "support": int(sup) if float(sup).is_integer() else float(sup)},
                "macro": self._macro[d].to_dict(),
            }
        return out


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
    # The predictions header's declared fields (None: no header, everything declared),
    # the fields the gold has that are not declared ({FIELD: {"group", "support"}}),
    # and the extractor that made the predictions ({"name", "version"}) when known.
    declared: tuple[str, ...] | None = None
    not_declared: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    extractor: Mapping[str, str] | None = None
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
            "documents": (self.documents.to_json() if isinstance(self.documents, DocumentTable)
                          else {k: v.to_dict() for k, v in self.documents.items()}),
            "errors": [e.to_dict() for e in self.errors],
            "extractor": None if self.extractor is None else dict(self.extractor),
            "declared": None if self.declared is None else list(self.declared),
            "not_declared": {k: dict(v) for k, v in self.not_declared.items()},
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


def read_report_json(path: str | Path) -> Any:
    """A report (or any JSON file ``gate`` and ``compare`` read), decoded by msgspec.

    A missing file or invalid JSON is a ``FilingkitError`` naming the file (and, for
    invalid JSON, the line and column: ``jsonio.read_json`` reads it again to say where).
    """
    import msgspec

    from filingkit.errors import FilingkitError
    from filingkit.jsonio import read_json

    p = Path(path)
    try:
        return msgspec.json.decode(p.read_bytes())
    except FileNotFoundError:
        raise FilingkitError("no such file", file=p) from None
    except IsADirectoryError:
        raise FilingkitError("is a folder, not a JSON file", file=p) from None
    except RecursionError:
        raise FilingkitError("JSON nested too deeply to read", file=p) from None
    except msgspec.DecodeError as exc:
        read_json(p)  # the standard parser names the line, column and encoding problem
        raise FilingkitError(f"invalid JSON: {exc}", file=p) from None
