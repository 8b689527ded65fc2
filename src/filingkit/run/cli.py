"""``filingkit extract`` (the corpus runner) and ``filingkit bench``.

A thin layer: parse, call ``filingkit.run`` and map results to exit codes
(0 ok, 1 some filings failed, 2 bad input via ``FilingkitError`` in
``filingkit.cli``). Importing this module is cheap; the runner, rich and
Dask are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
SHOWN_FAILURES = 20


def register(sub: Any) -> None:
    """Add ``extract`` and ``bench`` to the ``filingkit`` parser, and the engine flags to
    ``ingest`` (registered before this module by ``filingkit.ingest.cli``)."""
    _extend_ingest(sub)
    p = sub.add_parser(
        "extract", help="run an extractor on filings (one core, a process pool or Dask)",
        description="Run an extractor over filings and write predictions: one JSONL file "
                    "(-o preds.jsonl), or a folder of shards with _manifest.json and "
                    "_errors.jsonl (-o DIR/). The output is the same whatever the engine: "
                    "documents in input order. Exit 0 ok, 1 some filings failed, 2 bad input.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="filings (text, html, inline XBRL, SGML .txt/.nc), folders, globs, "
                        "manifests (.jsonl/.csv with a path column, or the corpus format), "
                        "fsspec URLs (file://, s3://, memory://...)")
    p.add_argument("--extractor", "-e", required=True, help="extractor name (NAME or NAME@VERSION)")
    p.add_argument("--gold", metavar="DIR", help="run on a gold folder's canonical texts instead")
    p.add_argument("--split", metavar="NAME", help="with --gold: only this split (dev, test)")
    p.add_argument("--model", metavar="PATH", help="a saved model for a trainable extractor")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="constructor option (VALUE parsed as JSON when it can be); repeatable")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="predictions JSONL file, or DIR/ (trailing slash) for shards")
    _add_engine_flags(p, "extraction")
    p.add_argument("--resume", action="store_true",
                   help="with -o DIR/: keep the complete shards of an interrupted run, redo the rest")
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                   help="shard format for -o DIR/ (default jsonl)")
    p.add_argument("--batch-mb", type=float, default=8.0, metavar="MB",
                   help="raw filing megabytes per task and shard (default 8)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=_extract)

    p = sub.add_parser("bench", help="score every extractor on gold, side by side, with speed")
    p.add_argument("--extractors", metavar="A,B", help="comma-separated (default: all registered)")
    p.add_argument("--gold", metavar="DIR", help="gold folder (default: the bundled gold)")
    p.add_argument("--split", metavar="NAME",
                   help="only the documents of this split of the gold's splits.json (dev, test)")
    p.add_argument("--cv", type=int, default=5, metavar="K",
                   help="folds for trainable extractors (default 5, fewer if fewer documents)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resamples", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for the confidence intervals (default 1000)")
    p.add_argument("--json", metavar="OUT", help="also write the bench JSON here")
    p.add_argument("--html", metavar="FILE",
                   help="also write the bench as a self-contained HTML page (charts, tables)")
    p.add_argument("--format", choices=("table", "json", "md"), default="table")
    p.set_defaults(func=_bench)


def _add_engine_flags(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help=f"worker processes for {what} (default 1); with --engine dask and no "
                        "--scheduler, the size of the LocalCluster")
    p.add_argument("--engine", choices=("local", "dask"), default=None,
                   help="local (this machine's processes, the default) or dask")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="join an existing Dask cluster (tcp://host:8786); implies --engine dask")


def _extend_ingest(sub: Any) -> None:
    ingest = getattr(sub, "choices", {}).get("ingest")
    if ingest is None:
        return
    _add_engine_flags(ingest, "ingestion")
    one_core = ingest.get_default("func")

    def handler(args: argparse.Namespace) -> int:
        if args.jobs == 1 and not args.engine and not args.scheduler:
            return int(one_core(args))
        return _ingest_parallel(args)
    ingest.set_defaults(func=handler)


def _ingest_parallel(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from filingkit.errors import FilingkitError
    from filingkit.run.ingest import run_ingest
    from filingkit.run.inputs import expand_inputs

    if not args.paths and args.manifest is None:
        raise FilingkitError("give at least one PATH or --manifest")
    for p in args.paths:
        if not p.exists():
            raise FilingkitError("no such file or folder", file=p)
    filings = expand_inputs([str(p) for p in args.paths])
    if args.manifest is not None:
        wanted = set(args.ids) if args.ids else None
        filings += [f for f in expand_inputs([str(args.manifest)])
                    if wanted is None or f.doc_id in wanted]
    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), console=_stderr(),
                  transient=True, disable=args.no_progress) as bar:
        task = bar.add_task("ingest", total=len(filings))
        summary = run_ingest(filings, args.out, jobs=args.jobs,
                             engine=args.engine or ("dask" if args.scheduler else "local"),
                             scheduler=args.scheduler,
                             progress=lambda done, total: bar.update(task, completed=done))
    print(f"ingested {summary.written} of {summary.total} filings into {args.out}",
          file=sys.stderr)
    if summary.failures:
        print(f"{len(summary.failures)} failed:", file=sys.stderr)
        for label, reason in summary.failures:
            print(f"  {label}: {reason}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def _extract(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from filingkit.errors import FilingkitError
    from filingkit.extractors.cli import parse_options
    from filingkit.run.inputs import gold_filings
    from filingkit.run.runner import run_extract
    from filingkit.run.tasks import ExtractorSpec, read_model_files

    engine = args.engine or ("dask" if args.scheduler else "local")
    if args.model:  # check the model where the user put it, so errors name their path
        from filingkit.run.tasks import check_model

        check_model(args.extractor, args.model, parse_options(args.option))
    spec = ExtractorSpec(args.extractor, parse_options(args.option),
                         read_model_files(args.model) if args.model else None,
                         Path(args.model).name if args.model and Path(args.model).is_file()
                         else None)
    filings = None
    if args.gold:
        from filingkit.gold.store import load_gold_dir

        if args.paths:
            raise FilingkitError("give filings (PATH...) or --gold DIR, not both")
        filings = gold_filings([g.document for g in load_gold_dir(args.gold, split=args.split)],
                               args.gold)
    elif not args.paths:
        raise FilingkitError("give filings to extract from (PATH...) or --gold DIR")
    if args.batch_mb <= 0:
        raise FilingkitError(f"--batch-mb must be positive, got {args.batch_mb}")
    err = _stderr()
    with Progress(TextColumn(f"extract ({args.extractor})"), BarColumn(),
                  TextColumn("{task.fields[files]} filings"),
                  TextColumn("{task.completed:,.1f}/{task.total:,.1f} MB"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True,
                  disable=args.no_progress) as bar:
        task = bar.add_task("extract", total=0, files="0/?")

        def progress(total_f: int, total_b: int, done_f: int, done_b: int) -> None:
            bar.update(task, total=total_b / 1e6, completed=done_b / 1e6,
                       files=f"{done_f:,}/{total_f:,}")

        summary = run_extract(args.paths, args.output, spec, filings=filings, jobs=args.jobs,
                              engine=engine, scheduler=args.scheduler,
                              batch_bytes=max(1, int(args.batch_mb * 1e6)), resume=args.resume,
                              shard_format=args.format, progress=progress)
    err.print(f"{summary.n_documents} documents -> {args.output}", highlight=False)
    if summary.skipped_batches:
        err.print(f"resumed: {summary.skipped_batches} of {summary.n_batches} shards were "
                  "complete and kept", highlight=False)
    for rec in summary.errors[:SHOWN_FAILURES]:
        err.print(f"FAILED {rec['path']} ({rec['stage']}): {rec['reason']}", highlight=False,
                  markup=False)
    if summary.n_errors > SHOWN_FAILURES:
        where = (f"{args.output.rstrip('/')}/_errors.jsonl" if summary.n_batches and
                 Path(args.output).is_dir() else "the list above")
        err.print(f"... and {summary.n_errors - SHOWN_FAILURES} more (see {where})",
                  highlight=False)
    if summary.n_errors:
        err.print(f"{summary.n_errors} of {summary.n_filings} failed", highlight=False)
        return EXIT_FAILED
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from filingkit.jsonio import dumps, write_json_atomic
    from filingkit.run.bench import render_markdown, render_rich, run_bench

    names = ([n.strip() for n in args.extractors.split(",") if n.strip()]
             if args.extractors else None)
    err = _stderr()
    report = run_bench(names, gold_dir=args.gold, cv=args.cv, seed=args.seed,
                       n_resamples=args.resamples, split=args.split,
                       progress=lambda msg: err.print(f"[dim]{msg}[/dim]"))
    data = report.to_dict()
    if args.json:
        write_json_atomic(args.json, data)
    if args.html:
        from filingkit.eval.html_bench import render_bench_html
        from filingkit.jsonio import write_text_atomic

        write_text_atomic(args.html, render_bench_html(data))
    if args.format == "json":
        sys.stdout.write(dumps(data))
    elif args.format == "md":
        sys.stdout.write(render_markdown(report))
    else:
        from rich.console import Console
        from rich.measure import Measurement

        out = Console(soft_wrap=False)
        wide = out.options.update_width(10_000)

        def need(items: list[Any]) -> int:
            return max(Measurement.get(out, wide, item).maximum for item in items)

        items = render_rich(report)
        if need(items) > out.width and out.is_terminal:
            items = render_rich(report, f1_only=True)  # a narrow terminal: F1 only
        if need(items) > out.width:  # never truncate a number: widen past the terminal
            out = Console(soft_wrap=False, width=need(items))
        for item in items:
            out.print(item)
    return EXIT_OK
