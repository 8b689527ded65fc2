"""``filingkit extractors list``, ``extract``, ``train`` and ``bench``.

A thin layer: parse, call ``filingkit.extractors`` and map results to exit
codes (0 ok, 1 some documents failed, 2 bad input via ``FilingkitError``).
Importing this module is cheap; heavy imports happen inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1


def register(sub: Any) -> None:
    """Add the extractor commands to the ``filingkit`` parser."""
    ext = sub.add_parser("extractors", help="list the registered extractors")
    esub = ext.add_subparsers(dest="extractors_command", metavar="SUBCOMMAND")
    ext.set_defaults(func=lambda a: (ext.print_help(sys.stderr), 2)[1])
    p = esub.add_parser("list", help="registered extractors: name, version, fields, package")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_list)

    p = sub.add_parser("extract", help="run an extractor on filings, write predictions JSONL")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="filings (text, html, inline XBRL, SGML .txt/.nc) or folders")
    p.add_argument("--extractor", "-e", required=True, help="extractor name (NAME or NAME@VERSION)")
    p.add_argument("--gold", metavar="DIR", help="run on a gold folder's canonical texts instead")
    p.add_argument("--split", metavar="NAME", help="with --gold: only this split (dev, test)")
    p.add_argument("--model", metavar="PATH", help="a saved model for a trainable extractor")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="constructor option (VALUE parsed as JSON when it can be); repeatable")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="predictions JSONL")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=_extract)

    p = sub.add_parser("train", help="fit a trainable extractor on gold and save the model")
    p.add_argument("--extractor", "-e", default="ml", help="trainable extractor (default: ml)")
    p.add_argument("--gold", metavar="DIR", help="gold folder (default: the bundled gold)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("-o", "--output", required=True, metavar="MODEL_DIR")
    p.set_defaults(func=_train)

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


# ------------------------------------------------------------------ helpers


def _parse_options(pairs: Sequence[str]) -> dict[str, Any]:
    from filingkit.extractors.errors import ExtractorError

    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise ExtractorError(f"option {pair!r} is not KEY=VALUE")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def _build(name: str, model: str | None, options: dict[str, Any]) -> Any:
    from filingkit.extractors.errors import ExtractorError
    from filingkit.extractors.registry import extractor_class, get_extractor

    if model is None:
        return get_extractor(name, **options)
    cls = extractor_class(name)
    load = getattr(cls, "load", None)
    if not callable(load):
        raise ExtractorError(f"extractor {name!r} is not trainable: it takes no --model")
    return load(model, **options)


def _header(extractor: Any) -> Any:
    """The predictions header of an extractor's output: its name, version and declared
    fields in catalogue order (names the catalogue lacks last, for the evaluator to reject)."""
    from filingkit.catalogue import load_catalogue
    from filingkit.records import PredictionsHeader

    cat = load_catalogue()
    declared = [str(f) for f in extractor.fields]
    order = {name: i for i, name in enumerate(cat.names())}
    fields = sorted(dict.fromkeys(declared), key=lambda f: (order.get(f, len(order)), f))
    return PredictionsHeader(str(extractor.name), str(extractor.version), tuple(fields),
                             cat.name, cat.version)


# ------------------------------------------------------------------ handlers


def _list(args: argparse.Namespace) -> int:
    from filingkit.extractors.registry import available_extractors

    infos = available_extractors()
    if args.format == "json":
        rows = [{"name": i.name, "version": i.version, "fields": list(i.fields),
                 "distribution": i.distribution, "target": i.target, "error": i.error}
                for i in infos]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="filingkit extractors",
                  caption="all fields: filingkit extractors list --format json")
    for col in ("name", "version", "fields", "distribution"):
        table.add_column(col)
    for i in infos:
        names = ", ".join(i.fields)
        if len(names) > 60:
            names = names[:59] + "…"
        fields = (Text(f"broken: {i.error}", style="red") if i.error
                  else Text(f"{len(i.fields)}: {names}"))
        table.add_row(i.name, i.version or "?", fields, i.distribution)
    Console(soft_wrap=False).print(table)
    return EXIT_OK


def _documents(args: argparse.Namespace,
               failures: list[tuple[str, str]]) -> tuple[int, Iterator[tuple[str, Any]]]:
    """(count, iterator of (label, Document)); ingestion failures go to ``failures``."""
    from filingkit.errors import FilingkitError

    if args.gold:
        from filingkit.gold.store import load_gold_dir

        if args.paths:
            raise FilingkitError("give filings (PATH...) or --gold DIR, not both")

        docs = [g.document for g in load_gold_dir(args.gold, split=args.split)]
        return len(docs), ((d.doc_id, d) for d in docs)
    if not args.paths:
        raise FilingkitError("give filings to extract from (PATH...) or --gold DIR")
    from filingkit.ingest import expand_paths, iter_ingest

    files = expand_paths(args.paths)
    if not files:
        raise FilingkitError("no filings found in the given paths")

    def gen() -> Iterator[tuple[str, Any]]:
        for path, result in iter_ingest(files):
            if isinstance(result, Exception):
                failures.append((str(path), getattr(result, "reason", str(result))))
                yield str(path), None
            else:
                yield str(path), result

    return len(files), gen()


def _extract(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from filingkit.serialize import write_predictions

    extractor = _build(args.extractor, args.model, _parse_options(args.option))
    failures: list[tuple[str, str]] = []
    total, docs = _documents(args, failures)
    preds = []
    seen: set[str] = set()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=_stderr(), transient=True, disable=args.no_progress) as bar:
        task = bar.add_task(f"extract ({extractor.name})", total=total)
        for label, doc in docs:
            bar.advance(task)
            if doc is None:
                continue
            if doc.doc_id in seen:
                failures.append((label, f"document id {doc.doc_id!r} already extracted"))
                continue
            try:
                preds.append(extractor.extract(doc))
            except Exception as exc:  # one broken document must not stop the batch
                failures.append((label, f"{type(exc).__name__}: {exc}"))
                continue
            seen.add(doc.doc_id)
    write_predictions(args.output, preds, extractor=f"{extractor.name}@{extractor.version}",
                      header=_header(extractor))
    err = _stderr()
    err.print(f"{len(preds)} documents -> {args.output}", highlight=False)
    for label, reason in failures:
        err.print(f"FAILED {label}: {reason}", highlight=False, markup=False)
    if failures:
        err.print(f"{len(failures)} of {total} failed", highlight=False)
        return EXIT_FAILED
    return EXIT_OK


def _train(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.extractors.bench import in_scope
    from filingkit.extractors.errors import ExtractorError
    from filingkit.extractors.registry import get_extractor
    from filingkit.gold.store import load_gold_dir

    extractor: Any = get_extractor(args.extractor, **_parse_options(args.option))
    if not callable(getattr(extractor, "fit", None)):
        raise ExtractorError(f"extractor {args.extractor!r} is not trainable")
    cat = load_catalogue()
    gold = [g for g in load_gold_dir(args.gold) if in_scope(g.gold, extractor.fields, cat)]
    if not gold:
        raise ExtractorError("no gold document's scope covers the extractor's fields",
                             hint="annotate documents with scope 'entities'")
    extractor.fit([g.document for g in gold], [g.gold.annotations for g in gold])
    extractor.save(args.output)
    print(f"trained {extractor.name}@{extractor.version} on {len(gold)} documents "
          f"-> {Path(args.output)}", file=sys.stderr)
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from filingkit.extractors.bench import render_markdown, render_rich, run_bench
    from filingkit.jsonio import dumps, write_json_atomic

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
