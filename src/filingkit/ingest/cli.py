"""``filingkit ingest``: filings to ``OUT_DIR/<doc_id>/{text.txt, document.json}``.

Cheap to import: the ingestion code and rich are imported inside the handler.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add the ``ingest`` sub-command."""
    p = subparsers.add_parser(
        "ingest",
        help="turn filings (text, html, inline XBRL, EDGAR SGML) into canonical documents",
        description=(
            "Ingest filings into OUT_DIR/<doc_id>/text.txt (canonical text) and "
            "OUT_DIR/<doc_id>/document.json (segments, provenance, format, sha256). "
            "Folders are searched recursively (.txt .nc .htm .html .md .xhtml). Broken files "
            "are listed at the end; the exit code is 1 if any failed."
        ),
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="filing files or folders")
    p.add_argument("-o", "--out", required=True, type=Path, metavar="OUT_DIR",
                   help="output folder (created if missing)")
    p.add_argument("--manifest", type=Path, default=None,
                   help="ingest the filings of a corpus manifest.jsonl (with their provenance)")
    p.add_argument("--ids", nargs="+", default=None, metavar="ID",
                   help="with --manifest: only these filing ids")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Ingest every path (and manifest row); write results; report failures."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from filingkit.errors import IngestError
    from filingkit.ingest.core import expand_paths, ingest_file
    from filingkit.ingest.corpus import ingest_row, read_manifest
    from filingkit.ingest.store import write_ingested
    from filingkit.records import Document

    if not args.paths and args.manifest is None:
        print("ERROR: give at least one PATH or --manifest", file=sys.stderr)
        return EXIT_BAD_INPUT
    for p in args.paths:
        if not p.exists():
            print(f"ERROR: {p}: no such file or folder", file=sys.stderr)
            return EXIT_BAD_INPUT

    jobs: list[tuple[str, Any]] = [(str(p), p) for p in expand_paths(args.paths)]
    if args.manifest is not None:
        wanted = set(args.ids) if args.ids else None
        root = args.manifest.parent
        for row in read_manifest(args.manifest):
            if wanted is None or str(row.get("id")) in wanted:
                jobs.append((f"{args.manifest} id {row.get('id')}", (row, root)))

    console = Console(stderr=True)
    failures: list[tuple[str, str]] = []
    written: dict[str, str] = {}
    with Progress(
        TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[name]}"), console=console, transient=True,
        disable=args.no_progress,
    ) as progress:
        task = progress.add_task("ingest", total=len(jobs), name="")
        for label, job in jobs:
            progress.update(task, name=Path(label).name[:40])
            try:
                doc: Document = ingest_file(job) if isinstance(job, Path) else ingest_row(*job)
                if doc.doc_id in written and written[doc.doc_id] != label:
                    raise IngestError(
                        f"doc_id {doc.doc_id} already written from {written[doc.doc_id]} "
                        "(a filing of several files? ingest it with --manifest)",
                        file=label)
                write_ingested(args.out, doc)
                written[doc.doc_id] = label
            except IngestError as exc:
                failures.append((label, exc.reason))
            except (ValueError, RecursionError, MemoryError) as exc:
                failures.append((label, f"cannot convert: {type(exc).__name__}: {exc}"))
            progress.advance(task)
    print(f"ingested {len(written)} of {len(jobs)} filings into {args.out}", file=sys.stderr)
    if failures:
        print(f"{len(failures)} failed:", file=sys.stderr)
        for label, reason in failures:
            print(f"  {label}: {reason}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
