"""``filingkit gold ...``: validate, stats (more commands register here as they land)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    gold = sub.add_parser("gold", help="validate, count and convert gold annotations")
    gsub = gold.add_subparsers(dest="gold_command", metavar="SUBCOMMAND")
    gold.set_defaults(func=lambda a: (gold.print_help(sys.stderr), 2)[1])

    p = gsub.add_parser("validate", help="check gold files: schema, catalogue, offsets, text hash")
    p.add_argument("dir", nargs="?", help="gold folder (default: the bundled gold)")
    p.add_argument("--catalogue", help="field catalogue file (default: the shipped one)")
    p.set_defaults(func=_validate)

    p = gsub.add_parser("stats", help="counts per field, per source, per status")
    p.add_argument("dir", nargs="?", help="gold folder (default: the bundled gold)")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_stats)

    p = gsub.add_parser("schema", help="print the gold JSON Schema generated from the catalogue")
    p.add_argument("--catalogue", help="field catalogue file")
    p.set_defaults(func=_schema)

    _register_more(gsub)


def _register_more(gsub: Any) -> None:
    """Sub-commands contributed by other gold modules (ixbrl, header, dataset)."""
    import importlib

    for name in ("filingkit.gold.cli_sources", "filingkit.gold.cli_dataset",
                 "filingkit.gold.cli_migrate"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(gsub)


def _validate(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.gold.store import (
        bundled_gold_dir,
        iter_annotation_files,
        iter_gold_files,
        no_gold_error,
        resolve_gold_dir,
    )
    from filingkit.gold.validate import validate_gold_dir

    root = resolve_gold_dir(args.dir or bundled_gold_dir())
    cat = load_catalogue(args.catalogue)
    n = len(list(iter_gold_files(root))) + len(list(iter_annotation_files(root)))
    if n == 0:
        raise no_gold_error(args.dir or root)
    problems = validate_gold_dir(root, cat)
    for p in problems:
        print(f"INVALID {p}")
    bad = len({p.file for p in problems})
    print(f"{n} gold files checked, {n - bad} valid, {bad} invalid ({len(problems)} problems)")
    return 1 if problems else 0


def _stats(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from filingkit.catalogue import load_catalogue
    from filingkit.gold.stats import gold_stats
    from filingkit.gold.store import load_gold_dir

    cat = load_catalogue(args.catalogue)
    st = gold_stats(load_gold_dir(args.dir), cat)
    if args.json:
        print(json.dumps(st.to_dict(), indent=2, sort_keys=True))
        return 0
    console = Console()
    console.print(f"[bold]{st.documents}[/] documents, {st.characters:,} characters")
    for title, data in (("status", st.by_status), ("source", st.by_source),
                        ("scope (documents annotated for)", st.documents_by_scope),
                        ("format", st.by_format), ("decade", st.by_decade)):
        console.print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in data.items()))
    table = Table(title="values per field")
    table.add_column("field")
    table.add_column("group")
    table.add_column("values", justify="right")
    table.add_column("documents", justify="right")
    for spec in cat.fields:
        table.add_row(spec.name, spec.group, str(st.by_field.get(spec.name, 0)),
                      str(st.documents_by_field.get(spec.name, 0)))
    console.print(table)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.gold.schema import gold_schema

    print(json.dumps(gold_schema(load_catalogue(args.catalogue)), indent=2, sort_keys=True))
    return 0
