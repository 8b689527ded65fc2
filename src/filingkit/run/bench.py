"""``filingkit bench``: every extractor on a gold set, scored side by side.

It runs extractors and then the evaluator, so it lives in ``filingkit.run``,
above both (``filingkit.extractors`` never imports the evaluator).

For each extractor: its predictions on the gold documents, scored by
``filingkit.eval.evaluate`` on the fields it declares; throughput with
ingestion excluded (extraction from the canonical text) and included (the raw
``source/`` files ingested again with ``filingkit.ingest.ingest_file``, then
extraction); the peak of Python memory allocated while extracting. Trainable
extractors are always scored by document-level cross-validation
(``filingkit.extractors.cv``): a model is never scored on a document it
learnt from.

The result is a ``BenchReport``; ``to_dict()`` is the versioned JSON
(format ``filingkit-bench``), ``render_markdown`` and ``render_rich`` the
tables. Nothing here prints.
"""

from __future__ import annotations

import math
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filingkit import __version__
from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.extractors.cv import in_scope
from filingkit.extractors.errors import ExtractorError
from filingkit.records import Annotations, GoldDocument

BENCH_FORMAT = "filingkit-bench"
BENCH_VERSION = 1
DEFAULT_CV = 5
MISSING = "—"

ProgressFn = Callable[[str], None]


# ------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class Throughput:
    """Documents and megabytes per second, with ingestion excluded and included."""

    n_documents: int
    text_bytes: int
    extract_seconds: float
    source_bytes: int | None = None
    ingest_seconds: float | None = None

    @staticmethod
    def _rate(amount: float, seconds: float) -> float | None:
        return amount / seconds if seconds > 0 else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n_documents": self.n_documents,
            "text_bytes": self.text_bytes,
            "extract_seconds": round(self.extract_seconds, 6),
            "excluding_ingestion": {
                "docs_per_s": _round(self._rate(self.n_documents, self.extract_seconds)),
                "mb_per_s": _round(self._rate(self.text_bytes / 1e6, self.extract_seconds)),
            },
            "including_ingestion": None,
        }
        if self.ingest_seconds is not None and self.source_bytes is not None:
            total = self.ingest_seconds + self.extract_seconds
            out["ingest_seconds"] = round(self.ingest_seconds, 6)
            out["source_bytes"] = self.source_bytes
            out["including_ingestion"] = {
                "docs_per_s": _round(self._rate(self.n_documents, total)),
                "mb_per_s": _round(self._rate(self.source_bytes / 1e6, total)),
            }
        return out


def _round(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(x, nd)


@dataclass(frozen=True, slots=True)
class ExtractorRun:
    """One extractor's bench result."""

    name: str
    version: str
    fields: tuple[str, ...]
    mode: str  # "direct" or "cv"
    report: Mapping[str, Any]
    throughput: Throughput
    peak_memory_mb: float
    k: int | None = None
    fit_seconds: float | None = None
    n_documents: int = 0

    def field_metrics(self, name: str) -> Mapping[str, Any] | None:
        """P/R/F1 of one field, or None when the extractor does not declare it."""
        if name not in self.fields:
            return None
        metrics = self.report.get("fields", {}).get(name)
        return metrics if isinstance(metrics, Mapping) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "fields": list(self.fields),
            "mode": self.mode,
            "cv_k": self.k,
            "n_documents": self.n_documents,
            "fit_seconds": _round(self.fit_seconds, 4),
            "throughput": self.throughput.to_dict(),
            "peak_memory_mb": round(self.peak_memory_mb, 3),
            "report": dict(self.report),
        }


@dataclass(frozen=True, slots=True)
class BenchReport:
    """All extractors' results on one gold set."""

    gold: str
    catalogue: tuple[str, str]
    n_documents: int
    runs: tuple[ExtractorRun, ...]
    cv: int
    seed: int
    skipped: Mapping[str, str] = field(default_factory=dict)
    ingest: Mapping[str, Any] = field(default_factory=dict)

    def declared_fields(self, catalogue: Catalogue | None = None) -> list[str]:
        """Fields any extractor declares, in catalogue order."""
        cat = catalogue or load_catalogue()
        declared = {f for run in self.runs for f in run.fields}
        return [f for f in cat.names() if f in declared]

    def table_fields(self, catalogue: Catalogue | None = None) -> list[str]:
        """Declared fields that the gold scores (in scope somewhere), in catalogue order."""
        return [f for f in self.declared_fields(catalogue)
                if any(run.field_metrics(f) is not None for run in self.runs)]

    def unscored_fields(self, catalogue: Catalogue | None = None) -> list[str]:
        """Declared fields that no gold document has in scope: nothing to score them on."""
        shown = set(self.table_fields(catalogue))
        return [f for f in self.declared_fields(catalogue) if f not in shown]

    def best(self) -> dict[str, list[str]]:
        """For each field, the extractor(s) with the highest F1 (none when every F1 is 0)."""
        out: dict[str, list[str]] = {}
        for name in self.table_fields():
            scores = {}
            for run in self.runs:
                m = run.field_metrics(name)
                if m is not None and _finite(m.get("f1")):
                    scores[run.name] = float(m["f1"])
            top = max(scores.values(), default=0.0)
            if top > 0:
                out[name] = sorted(n for n, s in scores.items() if s == top)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": BENCH_FORMAT,
            "version": BENCH_VERSION,
            "created_by": f"filingkit {__version__}",
            "catalogue": {"name": self.catalogue[0], "version": self.catalogue[1]},
            "gold": self.gold,
            "n_documents": self.n_documents,
            "cv": {"k": self.cv, "seed": self.seed},
            "ingest": dict(self.ingest),
            "process_max_rss_mb": round(_max_rss_mb(), 1),
            "extractors": {run.name: run.to_dict() for run in self.runs},
            "best": self.best(),
            "skipped": dict(self.skipped),
        }


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _max_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1e6 if sys.platform == "darwin" else rss / 1e3


# ------------------------------------------------------------------ scope and ingestion


@dataclass(frozen=True, slots=True)
class IngestTiming:
    """Time to ingest the raw ``source/`` files of the gold filings again."""

    seconds: float
    source_bytes: int
    n_documents: int
    failures: tuple[str, ...]
    note: str = ""
    #: doc_id -> (seconds, source bytes), so a run on a subset adds exactly its own cost
    per_document: Mapping[str, tuple[float, int]] = field(default_factory=dict)

    def cost(self, doc_ids: Sequence[str]) -> tuple[float, int] | None:
        """(seconds, bytes) to ingest these documents; None when one has no source."""
        if any(d not in self.per_document for d in doc_ids):
            return None
        return (sum(self.per_document[d][0] for d in doc_ids),
                sum(self.per_document[d][1] for d in doc_ids))

    def to_dict(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 6), "source_bytes": self.source_bytes,
                "n_documents": self.n_documents, "failures": list(self.failures),
                "note": self.note}


def time_ingestion(gold: Sequence[GoldDocument]) -> IngestTiming | None:
    """Ingest each gold filing's ``source/`` files into its canonical document (as
    ``gold add`` does); None when no filing has any.

    The time is per document and is added to each extractor's extraction time
    for the "ingestion included" throughput.
    """
    from filingkit.errors import GoldFormatError
    from filingkit.gold.sources import reingest, source_parts

    per_doc: dict[str, tuple[float, int]] = {}
    failures: list[str] = []
    for g in gold:
        if not g.path:
            continue
        try:
            parts = source_parts(Path(g.path).parent, g.gold)
        except GoldFormatError:
            continue  # no original files kept: counted in the note below
        t0 = time.perf_counter()
        try:
            reingest(g)
        except Exception as exc:  # timing goes on; the failure is reported
            failures.append(f"{g.doc_id}: {exc}")
        per_doc[g.doc_id] = (time.perf_counter() - t0, sum(f.stat().st_size for f, _ in parts))
    if not per_doc:
        return None
    n = len(per_doc)
    note = "" if n == len(gold) else f"{len(gold) - n} of {len(gold)} filings have no source/"
    return IngestTiming(sum(v[0] for v in per_doc.values()), sum(v[1] for v in per_doc.values()),
                        n, tuple(failures), note, per_doc)


# ------------------------------------------------------------------ running


PEAK_SAMPLE = 5


def _peak_extract_mb(extract: Callable[[Any], Annotations], docs: Sequence[Any]) -> float:
    """Peak Python allocations (MB) while extracting the largest documents.

    Documents are extracted one at a time, so the peak is reached on the
    largest ones; tracing only the ``PEAK_SAMPLE`` largest keeps tracemalloc's
    slowdown off the rest. Memory allocated by C libraries (CRFsuite) is not
    traced; the process-wide maximum RSS is reported beside it.
    """
    sample = sorted(docs, key=lambda d: (-len(d.text), d.doc_id))[:PEAK_SAMPLE]
    tracemalloc.start()
    try:
        for d in sample:
            extract(d)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def _evaluate(gold: Sequence[GoldDocument], preds: Sequence[Annotations], fields: Sequence[str],
              *, catalogue: Catalogue, n_resamples: int, seed: int, system: str,
              gold_name: str) -> dict[str, Any]:
    from filingkit.eval import evaluate

    report = evaluate(list(gold), list(preds), catalogue=catalogue, fields=tuple(fields),
                      n_resamples=n_resamples, seed=seed, gold_name=gold_name,
                      predictions_name=system)
    return report.to_dict()


def _is_trainable(extractor: Any) -> bool:
    return callable(getattr(extractor, "fit", None))


def run_extractor(
    extractor: Any,
    gold: Sequence[GoldDocument],
    *,
    catalogue: Catalogue,
    cv: int = DEFAULT_CV,
    seed: int = 0,
    n_resamples: int = 1000,
    ingest: IngestTiming | None = None,
    gold_name: str = "<memory>",
) -> ExtractorRun:
    """Score one extractor on ``gold``: directly, or by cross-validation when trainable.

    A trainable extractor is always cross-validated on the documents whose
    scope covers its fields, with ``min(cv, n)`` folds.
    """
    from filingkit.extractors.cv import cross_val_predict

    fields = tuple(extractor.fields)
    unknown = [f for f in fields if f not in catalogue]
    if unknown:
        raise ExtractorError(f"extractor {extractor.name!r} declares fields not in the "
                             f"catalogue: {unknown}")
    if _is_trainable(extractor):
        docs = [g for g in gold if in_scope(g.gold, fields, catalogue)]
        if len(docs) < 2:
            raise ExtractorError(
                f"{extractor.name}: cross-validation needs at least 2 gold documents whose "
                f"scope covers its fields, found {len(docs)}",
                hint="annotate more documents with scope 'entities', or leave the extractor "
                     "out with --extractors",
            )
        k = min(cv, len(docs))
        res = cross_val_predict(extractor, [g.document for g in docs],
                                [g.gold.annotations for g in docs], k=k, seed=seed)
        preds: Sequence[Annotations] = res.predictions
        extract_s, fit_s, mode = res.predict_seconds, res.fit_seconds, "cv"
        last = res.models[-1]
        peak = _peak_extract_mb(last.extract, [g.document for g in docs])
    else:
        docs = list(gold)
        if docs:  # warm-up, untimed: lazy imports and pattern caches are a one-off cost
            extractor.extract(docs[0].document)
        t0 = time.perf_counter()
        preds = [extractor.extract(g.document) for g in docs]
        extract_s, fit_s, mode, k = time.perf_counter() - t0, None, "direct", None
        peak = _peak_extract_mb(extractor.extract, [g.document for g in docs])
    n = len(docs)
    text_bytes = sum(len(g.document.text.encode("utf-8")) for g in docs)
    thr = Throughput(n, text_bytes, extract_s)
    cost = ingest.cost([g.doc_id for g in docs]) if ingest is not None else None
    if cost is not None:  # ingestion of exactly the documents this run extracted
        thr = Throughput(n, text_bytes, extract_s, cost[1], cost[0])
    system = f"{extractor.name}@{extractor.version}" + (f" (cv k={k})" if mode == "cv" else "")
    report = _evaluate(docs, preds, fields, catalogue=catalogue, n_resamples=n_resamples,
                       seed=seed, system=system, gold_name=gold_name)
    return ExtractorRun(name=str(extractor.name), version=str(extractor.version), fields=fields,
                        mode=mode, report=report, throughput=thr, peak_memory_mb=peak, k=k,
                        fit_seconds=fit_s, n_documents=n)


def run_bench(
    extractors: Sequence[str] | None = None,
    *,
    gold_dir: str | Path | None = None,
    cv: int = DEFAULT_CV,
    seed: int = 0,
    n_resamples: int = 1000,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    progress: ProgressFn | None = None,
    split: str | None = None,
) -> BenchReport:
    """Run extractors (default: every registered one) on a gold folder (default: the bundled gold).

    Extractors named explicitly must run; in the default set, one that cannot
    be built or cross-validated is skipped and listed in ``skipped`` with the
    reason, so the bundled benchmark always prints. ``split`` restricts the gold
    to a named split of its ``splits.json`` (the bundled gold: ``dev``, ``test``).
    """
    from filingkit.extractors.registry import extractor_names, get_extractor
    from filingkit.gold.store import bundled_gold_dir, load_gold_dir

    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise ExtractorError(f"--cv must be an integer >= 2, got {cv!r}")
    explicit = extractors is not None
    names = list(extractors) if extractors is not None else extractor_names()
    if not names:
        raise ExtractorError("no extractors to run", hint="see `filingkit extractors list`")
    root = Path(gold_dir) if gold_dir is not None else bundled_gold_dir()
    gold = load_gold_dir(root, split=split)
    catalogue = load_catalogue()
    say = progress or (lambda _msg: None)
    say(f"ingesting {len(gold)} source filings")
    ingest = time_ingestion(gold)
    runs: list[ExtractorRun] = []
    skipped: dict[str, str] = {}
    for name in names:
        say(f"running {name}")
        try:
            extractor = get_extractor(name, **dict((options or {}).get(name, {})))
            runs.append(run_extractor(extractor, gold, catalogue=catalogue, cv=cv, seed=seed,
                                      n_resamples=n_resamples, ingest=ingest,
                                      gold_name=str(root)))
        except ExtractorError as exc:
            if explicit:
                raise
            skipped[name] = exc.reason
        except Exception as exc:  # a broken plugin must not take the default bench down
            if explicit:
                raise
            skipped[name] = f"{type(exc).__name__}: {exc}"
    return BenchReport(
        gold=str(root), catalogue=(catalogue.name, catalogue.version), n_documents=len(gold),
        runs=tuple(runs), cv=cv, seed=seed, skipped=skipped,
        ingest=ingest.to_dict() if ingest else {"note": "no source/ files to ingest"},
    )


# ------------------------------------------------------------------ rendering


def _fmt(x: Any) -> str:
    return f"{float(x):.2f}" if _finite(x) else "n/a"


def _cell(run: ExtractorRun, name: str, best: Mapping[str, list[str]]) -> str:
    if name not in run.fields:
        return MISSING
    m = run.field_metrics(name)
    if m is None:
        return "n/a"
    mark = " *" if run.name in best.get(name, ()) else "  "
    return f"{_fmt(m.get('precision'))} {_fmt(m.get('recall'))} {_fmt(m.get('f1'))}{mark}"


def _support(report: BenchReport, name: str) -> str:
    for run in report.runs:
        m = run.field_metrics(name)
        if m is not None and "support" in m:
            return str(m["support"])
    return MISSING


def table_rows(report: BenchReport, *, f1_only: bool = False
               ) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the side-by-side table (P R F1 per extractor, best marked *).

    ``f1_only`` keeps only F1 per extractor, for narrow terminals.
    """
    best = report.best()
    what = "F1" if f1_only else "P R F1"
    header = ["field", "support"] + [f"{r.name} v{r.version} ({what})" for r in report.runs]
    rows = [[name, _support(report, name)] + [_cell(r, name, best) for r in report.runs]
            for name in report.table_fields()]
    micro = ["micro", ""]
    for r in report.runs:
        m = r.report.get("micro", {})
        micro.append(f"{_fmt(m.get('precision'))} {_fmt(m.get('recall'))} {_fmt(m.get('f1'))}  ")
    rows.append(micro)
    if f1_only:
        rows = [row[:2] + [c if c == MISSING or c == "n/a" or not c else c.split(" ", 2)[2]
                           for c in row[2:]] for row in rows]
    return header, rows


def perf_rows(report: BenchReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the throughput and memory table."""
    header = ["extractor", "mode", "docs", "docs/s", "MB/s", "docs/s\n+ingest", "MB/s\n+ingest",
              "fit s", "peak\nMB"]
    rows = []
    for r in report.runs:
        t = r.throughput.to_dict()
        inc = t["including_ingestion"] or {}
        rows.append([
            r.name, f"cv k={r.k}" if r.mode == "cv" else "direct", str(r.n_documents),
            _num(t["excluding_ingestion"]["docs_per_s"]), _num(t["excluding_ingestion"]["mb_per_s"]),
            _num(inc.get("docs_per_s")), _num(inc.get("mb_per_s")),
            _num(r.fit_seconds), f"{r.peak_memory_mb:.1f}",
        ])
    return header, rows


def _num(x: Any) -> str:
    if not _finite(x):
        return MISSING
    v = float(x)
    return f"{v:,.0f}" if v >= 100 else f"{v:.2f}"


def render_markdown(report: BenchReport) -> str:
    """The tables as GitHub markdown."""
    def md(header: list[str], rows: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(h.replace("\n", " ") for h in header) + " |",
                 "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return lines

    out = [f"Gold: `{report.gold}` ({report.n_documents} documents); "
           f"catalogue {report.catalogue[0]} v{report.catalogue[1]}; * = best F1 per field; "
           f"{MISSING} = field not declared by the extractor.", ""]
    out += md(*table_rows(report))
    out += ["", *md(*perf_rows(report))]
    unscored = report.unscored_fields()
    if unscored:
        out.append(f"\nNot scored (no gold in scope, no prediction): {', '.join(unscored)}")
    for name, reason in report.skipped.items():
        out.append(f"\nSkipped {name}: {reason}")
    return "\n".join(out) + "\n"


def render_rich(report: BenchReport, *, f1_only: bool = False) -> list[Any]:
    """Rich renderables (tables and notes) for a terminal; ``f1_only`` for narrow ones."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    header, rows = table_rows(report, f1_only=f1_only)
    table = Table(title=f"filingkit bench: {report.n_documents} gold documents "
                        f"({report.catalogue[0]} v{report.catalogue[1]})",
                  caption=f"{'F1 (a wider terminal shows P and R)' if f1_only else 'P R F1'} "
                          f"per field; * best F1; {MISSING} not declared",
                  box=box.SIMPLE_HEAD)
    for i, h in enumerate(header):
        table.add_column(h.replace(" (P R F1)", "\nP    R    F1   ").replace(" (F1)", "\nF1   "),
                         justify="left" if i == 0 else "right", no_wrap=True)
    for row in rows:
        styled = [Text(c, style="bold green") if c.endswith("*") else Text(c) for c in row]
        if row[0] == "micro":
            table.add_section()
        table.add_row(*styled)
    pheader, prows = perf_rows(report)
    perf = Table(title="throughput and peak Python memory",
                 caption="+ingest: the raw source/ files ingested again (MB of raw bytes)",
                 box=box.SIMPLE_HEAD, padding=(0, 1))
    for i, h in enumerate(pheader):
        perf.add_column(h, justify="left" if i == 0 else "right", no_wrap=True)
    for row in prows:
        perf.add_row(*row)
    out: list[Any] = [table, perf]
    unscored = report.unscored_fields()
    if unscored:
        out.append(Text(f"not scored (no gold in scope, no prediction): {', '.join(unscored)}",
                        style="dim"))
    for name, reason in report.skipped.items():
        out.append(Text(f"skipped {name}: {reason}", style="yellow"))
    return out
