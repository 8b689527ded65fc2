"""``filingkit eval`` and ``filingkit compare``: parse arguments, call the library, write.

Import is cheap (argparse only); the evaluator loads inside the handlers.
``--gold`` is a gold folder (``<doc_id>/gold.json`` + ``text.txt``; scope and
text known) or a predictions-format JSONL (everything in scope, no text);
``--pred`` is a predictions-format JSONL. Exit codes follow ``filingkit.cli``:
0 done, 2 bad input (raised as ``FilingkitError`` and reported there).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SCHEME_CHOICES = ("strict", "exact", "partial", "type")
FORMATS = ("table", "json", "md", "html")
DEFAULT_MAX_ERRORS = 20


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", required=True, metavar="G",
                   help="gold folder, or a predictions-format JSONL used as gold")
    p.add_argument("--split", metavar="NAME",
                   help="only this split of the gold folder's splits.json (dev, test)")
    p.add_argument("--scheme", choices=SCHEME_CHOICES, default="strict",
                   help="entity scheme behind fields, groups, micro and macro (default strict)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (atomically), not stdout")
    p.add_argument("--fields", metavar="NAMES",
                   help="comma-separated field names to score (default: all in the catalogue)")
    p.add_argument("--catalogue", metavar="FILE", help="a catalogue TOML instead of the shipped one")
    p.add_argument("--min-overlap", type=float, metavar="SHARE",
                   help="share of the gold span an inexact match must cover, in (0, 1]")
    p.add_argument("--strict-names", action="store_true",
                   help="match names exactly (after normalization), not case/punctuation-blind")
    p.add_argument("--n-resamples", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for intervals and tests (0: none; default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--ignore-unknown-docs", action="store_true",
                   help="skip predicted documents that are not in gold instead of failing")
    p.add_argument("--strict-values", action="store_true",
                   help="a predicted value its field cannot normalize is an error (exit 2), "
                        "not a counted warning")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="score batches of documents here (local) or on a dask.distributed "
                        "cluster (dask); the numbers are the same")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler's address (default: "
                        "$DASK_SCHEDULER_ADDRESS, else a local cluster)")
    p.add_argument("--batch-docs", type=int, default=None, metavar="N",
                   help="documents scored per batch (default 500)")


def register(subparsers: Any) -> None:
    """Add the ``eval`` and ``compare`` sub-commands."""
    p = subparsers.add_parser(
        "eval", help="score predictions against gold",
        description="Score a predictions JSONL against gold: entities under four schemes, "
                    "facts by their catalogue rules, with bootstrap confidence intervals.")
    _common(p)
    p.add_argument("--pred", required=True, metavar="P",
                   help="predictions-format JSONL, or a folder of shards (part-*.jsonl / "
                        "part-*.parquet, as `filingkit extract -o DIR/` writes)")
    p.add_argument("--only-predicted", action="store_true",
                   help="score only the gold documents that have a prediction (default: a gold "
                        "document without one counts as entirely missed)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--max-errors", type=int, default=None, metavar="N",
                   help="error items kept in the report per field (default 20, html: all; "
                        "the rest are counted in errors_omitted)")
    p.add_argument("--errors", metavar="FILE",
                   help="write every error item (false positive or negative, in context) to "
                        "this JSONL, atomically")
    p.set_defaults(func=run_eval)

    c = subparsers.add_parser(
        "compare", help="compare two prediction sets on the same gold",
        description="Per-field F1 difference (second --pred minus first) with a paired "
                    "bootstrap interval, an approximate-randomization p-value and "
                    "Benjamini-Hochberg q-values.")
    _common(c)
    c.add_argument("--pred", required=True, action="append", metavar="P",
                   help="predictions JSONL or shard folder; give exactly two")
    c.add_argument("--format", choices=FORMATS, default="table",
                   help="output format (html: charts of both systems and the differences)")
    c.add_argument("--alpha", type=float, default=0.05, help="false discovery rate (0.05)")
    c.set_defaults(func=run_compare)


def load_gold(path: str | Path, split: str | None = None) -> list[Any]:
    """A gold folder as ``GoldDocument``s (optionally one split), or a JSONL file as
    ``Annotations``."""
    from filingkit.errors import FilingkitError

    p = Path(path)
    if p.is_dir():
        from filingkit.gold.store import load_gold_dir

        return list(load_gold_dir(p, split=split))
    if p.suffix == ".jsonl":
        from filingkit.serialize import read_predictions

        return list(read_predictions(p))
    if not p.exists():
        raise FilingkitError("no such gold folder or file", file=p)
    raise FilingkitError("gold must be a folder or a .jsonl file", file=p,
                         hint="pass the gold folder (with <doc_id>/gold.json) or a predictions "
                              "JSONL")


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The options ``evaluate_paths`` shares between ``eval`` and ``compare``."""
    import os

    from filingkit.eval.stream import BATCH_DOCS

    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    scheduler = args.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    return {
        "catalogue": args.catalogue, "fields": fields, "scheme": args.scheme,
        "n_resamples": args.n_resamples, "seed": args.seed, "min_overlap": args.min_overlap,
        "strict_names": args.strict_names, "ignore_unknown_documents": args.ignore_unknown_docs,
        "split": args.split, "strict_values": args.strict_values, "engine": args.engine,
        "scheduler": scheduler if args.engine == "dask" else None,
        "batch_docs": args.batch_docs or BATCH_DOCS, "progress": sys.stderr.isatty(),
    }


def _emit(text: str, output: str | None) -> None:
    if output:
        from filingkit.jsonio import write_text_atomic

        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)


def only_predicted(gold: list[Any], preds: Sequence[Any], where: str | Path) -> list[Any]:
    """The gold documents that have a prediction: for scoring a subset of the gold
    (otherwise a gold document without prediction counts as entirely missed)."""
    from filingkit.errors import FilingkitError

    wanted = {p.doc_id for p in preds}
    kept = [g for g in gold if g.doc_id in wanted]
    if not kept:
        raise FilingkitError("no predicted document is in the gold", file=where,
                             hint="check the doc_id of the predictions")
    return kept


def run_eval(args: argparse.Namespace) -> int:
    """Handler of ``filingkit eval``: streams the files through ``evaluate_paths``."""
    from filingkit.errors import FilingkitError
    from filingkit.eval.stream import evaluate_paths

    max_errors = args.max_errors
    if max_errors is not None and max_errors < 0:
        raise FilingkitError(f"--max-errors must be >= 0, got {max_errors}")
    if max_errors is None and args.format != "html":  # the HTML page marks every error
        max_errors = DEFAULT_MAX_ERRORS
    report = evaluate_paths(args.gold, args.pred, only_predicted=args.only_predicted,
                            max_errors=max_errors, errors_file=args.errors,
                            **_options(args))
    if args.only_predicted:
        print(f"scored the {report.n_documents} gold documents the predictions cover",
              file=sys.stderr)
    if args.format == "json":
        from filingkit.eval.report import encode_json

        data = encode_json(report.to_dict())  # bytes, written as they are (no str copy)
        if args.output:
            from filingkit.jsonio import write_bytes_atomic

            write_bytes_atomic(args.output, data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    if args.format == "md":
        from filingkit.eval.render import render_markdown

        text = render_markdown(report)
    elif args.format == "html":
        from filingkit.eval.render import render_html
        from filingkit.eval.stream import read_annotations
        from filingkit.records import GoldDocument

        gold = load_gold(args.gold, args.split)
        wanted = set(report.doc_ids)
        gold = [g for g in gold if g.doc_id in wanted]
        texts = {g.doc_id: g.document.text for g in gold if isinstance(g, GoldDocument)}
        anns = [g.gold.annotations if isinstance(g, GoldDocument) else g for g in gold]
        text = render_html(report, texts=texts, gold=anns, predictions=read_annotations(args.pred))
    else:
        from filingkit.eval.render import render_table

        text = render_table(report)
    _emit(text, args.output)
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Handler of ``filingkit compare``."""
    from filingkit.catalogue import load_catalogue
    from filingkit.errors import FilingkitError
    from filingkit.eval.compare import compare_reports
    from filingkit.eval.declared import comparable_fields
    from filingkit.eval.stream import evaluate_paths
    from filingkit.serialize import read_predictions_header

    if len(args.pred) != 2:
        raise FilingkitError(f"compare needs exactly two --pred files, got {len(args.pred)}",
                             hint="filingkit compare --gold G --pred A.jsonl --pred B.jsonl")
    names = (Path(args.pred[0]).stem, Path(args.pred[1]).stem)
    if names[0] == names[1]:
        names = (args.pred[0], args.pred[1])
    opts = _options(args)
    # both systems are scored on the fields both declare (their predictions headers)
    headers = [read_predictions_header(p) for p in args.pred]
    cat = load_catalogue(args.catalogue)
    shared, undeclared = comparable_fields(cat, opts["fields"], headers, files=args.pred)
    if any(h is not None for h in headers):
        opts["fields"] = shared
    a, b = (evaluate_paths(args.gold, p, system=n, max_errors=0, **opts)
            for p, n in zip(args.pred, names, strict=True))
    missing: dict[str, Any] = {"a": {}, "b": {}}
    for side, p, nd in zip("ab", args.pred, undeclared, strict=True):
        if nd:  # gold fields only the other system declares: their support, unscored
            extra = {**opts, "fields": [*shared, *(s.name for s in nd)], "n_resamples": 0}
            missing[side] = dict(evaluate_paths(args.gold, p, max_errors=0, **extra).not_declared)
    cmp = compare_reports(a, b, n_resamples=args.n_resamples, seed=args.seed,
                          alpha=args.alpha, not_declared=missing)
    if args.format == "json":
        from filingkit.eval.report import encode_json

        text = encode_json(cmp.to_dict()).decode("utf-8")
    elif args.format == "md":
        from filingkit.eval.render import render_comparison_markdown

        text = render_comparison_markdown(cmp)
    elif args.format == "html":
        from filingkit.eval.html_compare import render_comparison_html

        text = render_comparison_html(cmp)
    else:
        from filingkit.eval.render import render_comparison_table

        text = render_comparison_table(cmp)
    _emit(text, args.output)
    return 0
