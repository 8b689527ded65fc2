"""``filingkit gold migrate``: rewrite gold of an older catalogue version in the current one.

Registered by ``filingkit.gold.cli``. Cheap to import: the work is in ``filingkit.gold.migrate``.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(gsub: Any) -> None:
    """Add ``migrate`` to ``filingkit gold``."""
    p = gsub.add_parser(
        "migrate", help="rewrite gold files of an older catalogue version (checked, atomic)")
    p.add_argument("dir", nargs="?", help="gold folder (default: the bundled gold)")
    p.add_argument("--dry-run", action="store_true",
                   help="check and list what would change, write nothing")
    p.add_argument("--catalogue", help="field catalogue file (default: the shipped one)")
    p.set_defaults(func=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.gold.migrate import migrate_gold_dir
    from filingkit.gold.store import bundled_gold_dir

    root = args.dir or bundled_gold_dir()
    cat = load_catalogue(args.catalogue)
    # a file that would not validate raises FilingkitError: src/filingkit/cli.py maps it to 2
    done = migrate_gold_dir(root, cat, dry_run=args.dry_run)
    verb = "would migrate" if args.dry_run else "migrated"
    for m in done:
        print(f"{verb.upper()} {m.path}: v{m.from_version} -> v{m.to_version}, "
              f"{m.changed_values} values renormalized")
    print(f"{len(done)} files {verb} to catalogue v{cat.version} (gold folder {root})")
    return 0
