"""``filingkit gate``: check a report against a baseline; ``filingkit gate baseline update``.

It lives above the evaluator and the extractors because ``--extractor`` runs
extractors on gold first (``filingkit.run.gate``); the gate itself is
``filingkit.eval.gate``.

Exit codes: 0 the gate passed (or the baseline was written), 1 a regression
(or an update refused because it would lower the baseline), 2 bad input
(missing file, unknown field, a metric absent from the report), the last
raised as ``FilingkitError`` and mapped in ``filingkit.cli``.

This module stays cheap to import: the gate, numpy and the evaluator are
imported inside the handlers.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def register(sub: Any) -> None:
    """Add ``gate`` (and ``gate baseline update``) to the ``filingkit`` sub-commands."""
    p = sub.add_parser(
        "gate",
        help="fail CI when scores regress against a committed baseline",
        description="Check an evaluation report (or extractors run on gold) against a baseline "
                    "file. Exit 0 pass, 1 regression, 2 bad input.",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--report", help="evaluation report JSON (filingkit eval --format json)")
    src.add_argument("--extractor", action="append", metavar="NAME",
                     help="run this registered extractor on --gold and gate its scores "
                          "(repeatable; fields must not overlap)")
    p.add_argument("--gold", help="gold folder for --extractor (default: the bundled gold)")
    p.add_argument("--save-report", metavar="PATH",
                   help="with --extractor: also write the evaluation report JSON here")
    p.add_argument("--baseline", help="baseline JSON file (format filingkit-baseline)")
    _add_gate_options(p)
    p.add_argument("--junit", metavar="PATH", help="write JUnit XML (one test case per metric)")
    p.add_argument("--markdown", metavar="PATH", help="write a Markdown summary")
    p.add_argument("--json", metavar="PATH", help="write the gate result as JSON")
    p.add_argument("--github", action=argparse.BooleanOptionalAction, default=None,
                   help="print GitHub Actions annotations (default: when GITHUB_ACTIONS=true); "
                        "the Markdown summary is appended to $GITHUB_STEP_SUMMARY when set")
    p.set_defaults(func=_run_gate)

    gsub = p.add_subparsers(dest="gate_command", metavar="SUBCOMMAND")
    b = gsub.add_parser("baseline", help="create or update a baseline file")
    bsub = b.add_subparsers(dest="baseline_command", metavar="ACTION")
    b.set_defaults(func=lambda a: (b.print_help(sys.stderr), EXIT_BAD_INPUT)[1])
    u = bsub.add_parser(
        "update",
        help="write the baseline from a report, showing the diff",
        description="Record a report's values in the baseline (rules are kept; a new file gets "
                    "default rules). Refuses to lower a recorded value unless --allow-lower.",
    )
    usrc = u.add_mutually_exclusive_group(required=True)
    usrc.add_argument("--report", dest="update_report", metavar="REPORT",
                      help="evaluation report JSON")
    usrc.add_argument("--extractor", dest="update_extractor", action="append", metavar="NAME",
                      help="run this registered extractor on --gold and record its scores")
    u.add_argument("--gold", dest="update_gold", metavar="GOLD",
                   help="gold folder for --extractor (default: the bundled gold)")
    u.add_argument("--baseline", dest="update_baseline", required=True, metavar="BASELINE",
                   help="baseline JSON file to create or update")
    u.add_argument("--allow-lower", action="store_true",
                   help="accept values worse than the recorded ones (lowering the baseline)")
    u.add_argument("--dry-run", action="store_true", help="show the diff, write nothing")
    u.add_argument("--no-documents", action="store_true",
                   help="do not copy per-document counts (drops are then judged strictly)")
    u.add_argument("--max-drop", type=float, default=None,
                   help="for a new baseline: the tolerated F1 drop of its default rules "
                        "(default 0.02)")
    u.set_defaults(func=_run_update)


def _add_gate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="judge every drop against its tolerance alone (no noise check)")
    p.add_argument("--n-resamples", type=int, default=None, metavar="N",
                   help="bootstrap resamples for the noise check (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--confidence", type=float, default=None, metavar="LEVEL",
                   help="confidence level of the noise check's interval (default 0.95)")


def _run_gate(args: argparse.Namespace) -> int:
    from filingkit.errors import FilingkitError
    from filingkit.eval.baseline import load_baseline
    from filingkit.eval.ci_formats import (
        render_github,
        render_junit,
        render_markdown,
        render_table,
    )
    from filingkit.eval.gate import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, gate
    from filingkit.jsonio import write_json_atomic, write_text_atomic

    if not args.baseline:
        raise FilingkitError("--baseline is required",
                             hint="filingkit gate --report REPORT.json --baseline BASELINE.json")
    if not args.extractor and (args.gold or args.save_report):
        raise FilingkitError("--gold and --save-report go with --extractor, not --report")
    baseline = load_baseline(args.baseline)  # first: fail fast before running extractors
    if args.report:
        from filingkit.eval.report import read_report_json

        report_path = args.report
        report = read_report_json(args.report)
    elif args.extractor:
        from filingkit.run.gate import evaluate_extractors

        report = evaluate_extractors(args.extractor, args.gold, seed=args.seed)
        report_path = args.save_report or f"<{'+'.join(args.extractor)} on {args.gold or 'bundled gold'}>"
        if args.save_report:
            write_json_atomic(args.save_report, report)
    else:
        raise FilingkitError("give --report REPORT.json or --extractor NAME",
                             hint="filingkit gate --report REPORT.json --baseline BASELINE.json")
    result = gate(
        report, baseline, strict=args.strict,
        n_resamples=DEFAULT_RESAMPLES if args.n_resamples is None else args.n_resamples,
        seed=args.seed,
        confidence=DEFAULT_CONFIDENCE if args.confidence is None else args.confidence,
        report_path=str(report_path),
    )
    sys.stdout.write(render_table(result))
    github = args.github if args.github is not None else os.environ.get("GITHUB_ACTIONS") == "true"
    if github:
        sys.stdout.write(render_github(result, file=args.baseline))
    if args.junit:
        write_text_atomic(args.junit, render_junit(result))
    if args.json:
        write_json_atomic(args.json, result.to_dict())
    markdown = render_markdown(result)
    if args.markdown:
        write_text_atomic(args.markdown, markdown)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with Path(summary).open("a", encoding="utf-8") as handle:  # appended, as GitHub expects
            handle.write(markdown)
    return EXIT_OK if result.passed else EXIT_FAILED


def _run_update(args: argparse.Namespace) -> int:
    from filingkit import __version__
    from filingkit.eval.baseline import (
        DEFAULT_MAX_DROP,
        format_changes,
        load_baseline,
        update_baseline,
    )
    from filingkit.jsonio import write_json_atomic

    target = Path(args.update_baseline)
    if args.update_report:
        from filingkit.eval.report import read_report_json

        report_path = args.update_report
        report = read_report_json(args.update_report)
    else:
        from filingkit.run.gate import evaluate_extractors

        report = evaluate_extractors(args.update_extractor, args.update_gold)
        report_path = f"<{'+'.join(args.update_extractor)} on {args.update_gold or 'bundled gold'}>"
    old = load_baseline(target) if target.exists() else None
    if old is not None and args.max_drop is not None:
        print("note: --max-drop only shapes the default rules of a new baseline; "
              "the existing rules are kept", file=sys.stderr)
    upd = update_baseline(
        report, old, created_by=f"filingkit {__version__}", report_path=report_path,
        include_documents=not args.no_documents,
        max_drop=args.max_drop if args.max_drop is not None else DEFAULT_MAX_DROP,
    )
    lines = format_changes(upd.changes) or ["no value changes"]
    lowered = upd.lowered
    refused = bool(lowered) and not args.allow_lower
    if not refused and not args.dry_run:  # write before printing: a closed pipe must not lose it
        write_json_atomic(target, upd.baseline.to_dict())
    if upd.created:
        print(f"new baseline {target} with {len(upd.baseline.rules)} rule(s)")
    print("\n".join(lines))
    if refused:
        print(f"REFUSED: {len(lowered)} recorded value(s) would get worse (marked LOWER); "
              f"{target} left unchanged", file=sys.stderr)
        print("TIP: fix the regression, or pass --allow-lower to accept it into the baseline",
              file=sys.stderr)
        return EXIT_FAILED
    if args.dry_run:
        print("dry run: nothing written")
        return EXIT_OK
    lowered_note = f", {len(lowered)} lowered (--allow-lower)" if lowered else ""
    print(f"wrote {target}: {len(upd.changes)} value change(s){lowered_note}")
    return EXIT_OK
