"""``filingkit gold to-dataset`` / ``from-dataset``: gold as a Hugging Face dataset and back.

Registered by ``filingkit.gold.cli`` (``register(gold_subparsers)``). Cheap to
import: ``datasets`` is loaded by the handlers.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(gsub: Any) -> None:
    """Add ``to-dataset`` and ``from-dataset`` to ``filingkit gold``."""
    p = gsub.add_parser("to-dataset", help="gold as a Hugging Face dataset (parquet or disk)")
    p.add_argument("dir", nargs="?", help="gold folder (default: the bundled gold)")
    p.add_argument("-o", "--output", required=True,
                   help="parquet file, or folder with --format disk")
    p.add_argument("--format", choices=("parquet", "disk"), default="parquet",
                   help="parquet file (default) or datasets' save_to_disk folder")
    p.add_argument("--include-annotation-sets", action="store_true",
                   help="also the per-annotator sets (rows with kind 'annotation_set')")
    p.set_defaults(func=_to_dataset)

    p = gsub.add_parser("from-dataset", help="a dataset written by to-dataset back into gold")
    p.add_argument("dataset", help="parquet file or save_to_disk folder")
    p.add_argument("-o", "--output", required=True, metavar="GOLD_DIR", help="gold folder")
    p.add_argument("--overwrite", action="store_true", help="replace existing gold files")
    p.add_argument("--overwrite-adjudicated", action="store_true",
                   help="also replace adjudicated gold (with --overwrite)")
    p.set_defaults(func=_from_dataset)


def _to_dataset(args: argparse.Namespace) -> int:
    from filingkit.gold.dataset import gold_to_dataset, save_dataset

    ds = gold_to_dataset(args.dir, include_annotation_sets=args.include_annotation_sets)
    out = save_dataset(ds, args.output, format=args.format)
    print(f"wrote {ds.num_rows} rows to {out}")
    return 0


def _from_dataset(args: argparse.Namespace) -> int:
    from filingkit.gold.dataset import dataset_to_gold, load_dataset_file

    written = dataset_to_gold(load_dataset_file(args.dataset), args.output,
                              overwrite=args.overwrite,
                              overwrite_adjudicated=args.overwrite_adjudicated)
    print(f"wrote {len(written)} gold files to {args.output}")
    return 0
