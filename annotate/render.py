"""Agreement reports as markdown or rich tables (presentation only, no computation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from filingkit.annotate.agreement import AgreementReport
    from filingkit.annotate.matching import Counts


def fmt(value: float | None) -> str:
    """A ratio with three decimals, or an en dash when it is undefined."""
    return "–" if value is None else f"{value:.3f}"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _counts_cells(c: Counts | None) -> list[str]:
    if c is None:
        return ["–", "–", "–", "–"]
    return [fmt(c.f1), str(c.tp), str(c.fp), str(c.fn)]


def field_rows(report: AgreementReport) -> list[list[str]]:
    """One row per field: F1 (strict / overlap or exact), counts, kappa, alpha."""
    rows = []
    for f in report.fields:
        main = f.counts.get("strict") or f.counts.get("exact")
        overlap = f.counts.get("overlap")
        rows.append([f.field, f.group, *_counts_cells(main),
                     fmt(overlap.f1) if overlap else "",
                     fmt(f.kappa) if f.n_units else "", fmt(f.alpha) if f.n_units else "",
                     str(f.n_documents)])
    return rows


FIELD_HEADER = ("field", "group", "F1", "tp", "fp", "fn", "F1 overlap", "kappa", "alpha",
                "docs")
OVERALL_LABELS = {"entities_strict": "entities (strict)",
                  "entities_overlap": "entities (overlap)", "facts": "facts"}


def agreement_markdown(report: AgreementReport) -> str:
    """The report as markdown: overall, fields, annotator pairs, documents."""
    lines = [f"# Inter-annotator agreement: {report.gold}", "",
             f"{report.n_documents} documents with two or more annotation sets; annotators: "
             f"{', '.join(report.annotators)}.", ""]
    if report.single:
        lines += [f"Not compared (one set only): {', '.join(report.single)}.", ""]
    lines += ["## Overall", ""]
    lines += _md_table(["measure", "F1", "tp", "fp", "fn"],
                       [[OVERALL_LABELS[k], *_counts_cells(c)] for k, c in report.overall.items()])
    lines += ["", "## Fields", ""]
    lines += _md_table(FIELD_HEADER, field_rows(report))
    lines += ["", "## Annotator pairs", ""]
    lines += _md_table(
        ["pair", "docs", "entities F1 (strict)", "entities F1 (overlap)", "facts F1"],
        [[f"{p.first} / {p.second}", str(p.n_documents),
          *(fmt(p.overall[k].f1) for k in OVERALL_LABELS)] for p in report.pairs])
    lines += ["", "## Documents", ""]
    lines += _md_table(
        ["document", "annotators", "entities F1 (strict)", "entities F1 (overlap)", "facts F1"],
        [[d.doc_id, ", ".join(d.annotators), *(fmt(d.overall[k].f1) for k in OVERALL_LABELS)]
         for d in report.documents])
    return "\n".join(lines) + "\n"


def agreement_tables(report: AgreementReport) -> list[Table]:
    """The report as rich tables, for the terminal."""
    from rich.table import Table

    overall = Table(title=f"Agreement: {report.n_documents} documents, "
                          f"{len(report.annotators)} annotators")
    for col in ("measure", "F1", "tp", "fp", "fn"):
        overall.add_column(col, justify="left" if col == "measure" else "right")
    for k, c in report.overall.items():
        overall.add_row(OVERALL_LABELS[k], *_counts_cells(c))
    fields = Table(title="Per field (pairwise, micro over pairs and documents)")
    for col in FIELD_HEADER:
        fields.add_column(col, justify="left" if col in ("field", "group") else "right")
    for row in field_rows(report):
        fields.add_row(*row)
    pairs = Table(title="Per annotator pair")
    for col in ("pair", "docs", "entities strict", "entities overlap", "facts"):
        pairs.add_column(col, justify="left" if col == "pair" else "right")
    for p in report.pairs:
        pairs.add_row(f"{p.first} / {p.second}", str(p.n_documents),
                      *(fmt(p.overall[k].f1) for k in OVERALL_LABELS))
    docs = Table(title="Per document")
    for col in ("document", "annotators", "entities strict", "entities overlap", "facts"):
        docs.add_column(col, justify="left" if col in ("document", "annotators") else "right")
    for d in report.documents:
        docs.add_row(d.doc_id, ", ".join(d.annotators),
                     *(fmt(d.overall[k].f1) for k in OVERALL_LABELS))
    return [overall, fields, pairs, docs]
