"""``filingkit extractors list`` and ``train``.

``extract`` (the corpus runner) and ``bench`` (extractors scored by the
evaluator) live in ``filingkit.run.cli``, above this area.

A thin layer: parse, call ``filingkit.extractors`` and map results to exit
codes (0 ok, 1 some documents failed, 2 bad input via ``FilingkitError``).
Importing this module is cheap; heavy imports happen inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
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

    p = sub.add_parser("train", help="fit a trainable extractor on gold and save the model")
    p.add_argument("--extractor", "-e", default="ml", help="trainable extractor (default: ml)")
    p.add_argument("--gold", metavar="DIR", help="gold folder (default: the bundled gold)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("-o", "--output", required=True, metavar="MODEL_DIR")
    p.set_defaults(func=_train)


# ------------------------------------------------------------------ helpers


def parse_options(pairs: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` constructor options, each VALUE parsed as JSON when it can be."""
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


def _train(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.extractors.cv import in_scope
    from filingkit.extractors.errors import ExtractorError
    from filingkit.extractors.registry import get_extractor
    from filingkit.gold.store import load_gold_dir

    extractor: Any = get_extractor(args.extractor, **parse_options(args.option))
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
