"""``filingkit gold to-dataset`` / ``from-dataset``: gold as a Hugging Face dataset and back.

Registered by ``filingkit.gold.cli`` (``register(gold_subparsers)``). Cheap to
import: ``datasets`` is loaded by the handlers.
"""

from __future__ import annotations

import argparse
from typing import Any

from filingkit.errors import FilingkitError


def register(gsub: Any) -> None:
    """Add ``to-dataset`` and ``from-dataset`` to ``filingkit gold``."""
    p = gsub.add_parser(
        "to-dataset", help="gold as a Hugging Face dataset (parquet or disk)",
        description="Write the gold as a Hugging Face dataset with the gold folder's splits "
                    "(splits.json: dev, test). OUT ending in .parquet: one file, every row "
                    "with its split column; any other OUT: a folder with <split>.parquet "
                    "per split (--format parquet) or a DatasetDict (--format disk).")
    p.add_argument("dir", nargs="?", help="gold folder (default: the bundled gold)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="a .parquet file, or a folder (one file per split, or save_to_disk)")
    p.add_argument("--format", choices=("parquet", "disk"), default="parquet",
                   help="parquet (default) or datasets' save_to_disk folder")
    p.add_argument("--view", choices=("documents", "tokens"), default="documents",
                   help="documents: one row per gold file (default); tokens: tokens, BIO "
                        "ner_tags and offsets of every filing with full entity scope")
    p.add_argument("--include-annotation-sets", action="store_true",
                   help="also the per-annotator sets (rows with kind 'annotation_set'; "
                        "documents view only)")
    p.set_defaults(func=_to_dataset)

    p = gsub.add_parser(
        "from-dataset", help="a dataset written by to-dataset back into gold",
        description="Read a dataset written by to-dataset. The documents view becomes gold "
                    "files again (byte-identical); the token view becomes a predictions-format "
                    "JSONL file of its entities.")
    p.add_argument("dataset", help="parquet file, folder of <split>.parquet, or save_to_disk folder")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="gold folder (documents view) or JSONL file (token view)")
    p.add_argument("--overwrite", action="store_true", help="replace existing gold files")
    p.add_argument("--overwrite-adjudicated", action="store_true",
                   help="also replace adjudicated gold (with --overwrite)")
    p.set_defaults(func=_from_dataset)


def _to_dataset(args: argparse.Namespace) -> int:
    from filingkit.gold.dataset import gold_dataset_dict, gold_to_dataset, save_dataset
    from filingkit.gold.dataset_tokens import gold_token_dataset_dict

    if args.view == "tokens" and args.include_annotation_sets:
        raise FilingkitError("--include-annotation-sets goes with the documents view only")
    single = args.format == "parquet" and str(args.output).endswith(".parquet")
    ds: Any
    if args.view == "tokens":
        ds = gold_token_dataset_dict(args.dir)
        if single:
            import datasets
            ds = datasets.concatenate_datasets([ds[k] for k in sorted(ds)])
    elif single:
        ds = gold_to_dataset(args.dir, include_annotation_sets=args.include_annotation_sets)
    else:
        ds = gold_dataset_dict(args.dir, include_annotation_sets=args.include_annotation_sets)
    out = save_dataset(ds, args.output, format=args.format)
    sizes = {"all": ds.num_rows} if single else {k: v.num_rows for k, v in ds.items()}
    print(f"wrote {', '.join(f'{k}: {n} rows' for k, n in sizes.items())} to {out}")
    return 0


def _from_dataset(args: argparse.Namespace) -> int:
    from filingkit.gold.dataset import dataset_to_gold, load_dataset_file
    from filingkit.gold.dataset_tokens import token_rows_to_annotations
    from filingkit.serialize import write_predictions

    dataset = load_dataset_file(args.dataset)
    if "ner_tags" in dataset.features:
        preds = token_rows_to_annotations(dataset)
        write_predictions(args.output, preds)
        print(f"wrote the entities of {len(preds)} documents to {args.output}")
        return 0
    written = dataset_to_gold(dataset, args.output,
                              overwrite=args.overwrite,
                              overwrite_adjudicated=args.overwrite_adjudicated)
    print(f"wrote {len(written)} gold files to {args.output}")
    return 0
