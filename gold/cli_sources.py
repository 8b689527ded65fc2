"""``filingkit gold add | from-ixbrl | from-header``: gold from the corpus and machine sources.

Kept cheap to import: the work is imported inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(gsub: Any) -> None:
    p = gsub.add_parser(
        "add", help="copy corpus filings into the gold folder with text and a draft gold.json")
    p.add_argument("ids", nargs="*", metavar="ID", help="manifest ids (accession numbers)")
    p.add_argument("--corpus-dir", required=True, help="corpus folder with manifest.jsonl")
    p.add_argument("--all", action="store_true", help="every filing of --subset")
    p.add_argument("--subset", default="curated", help="manifest subset for --all (curated)")
    p.add_argument("-o", "--gold-dir", default=None,
                   help="gold folder (default: the bundled gold/filings)")
    p.add_argument("--no-sources", action="store_true",
                   help="do not read inline XBRL and header facts into the draft")
    p.add_argument("--catalogue", help="field catalogue file")
    p.set_defaults(func=_add)

    for name, source, what in (
        ("from-ixbrl", "ixbrl", "cover facts from inline XBRL (ix: dei tags)"),
        ("from-header", "sgml-header", "cover facts and items from the SGML header"),
    ):
        p = gsub.add_parser(name, help=f"read {what}")
        p.add_argument("paths", nargs="+", metavar="PATH",
                       help="filing files, or gold folders <gold>/<id>/ (updated in place)")
        p.add_argument("-o", "--gold-dir", default=None,
                       help="update <GOLD_DIR>/<id>/gold.json for filing files "
                            "(without it, facts are printed as JSON)")
        p.add_argument("--adjudicated", action="store_true",
                       help="also update adjudicated gold: disagreements and notes only")
        p.add_argument("--catalogue", help="field catalogue file")
        p.set_defaults(func=_from_source, source=source)


def _gold_dir(arg: str | None) -> Path:
    from filingkit.gold.store import bundled_gold_dir, gold_dir_for_writing

    return gold_dir_for_writing(arg) if arg else bundled_gold_dir()


def _add(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.errors import FilingkitError
    from filingkit.gold.curated import add_corpus_filing, read_manifest

    cat = load_catalogue(args.catalogue)
    rows = read_manifest(args.corpus_dir)
    ids = ([i for i, r in rows.items() if r.get("subset") == args.subset] if args.all
           else list(args.ids))
    if not ids:
        print("ERROR: give manifest ids or --all", file=sys.stderr)
        return 2
    unknown = [i for i in ids if i not in rows]
    if unknown:
        print(f"ERROR: not in the manifest: {', '.join(unknown)}", file=sys.stderr)
        return 2
    gold = _gold_dir(args.gold_dir)
    failed = 0
    counts = {"added": 0, "kept": 0}
    for i in ids:
        try:
            res = add_corpus_filing(args.corpus_dir, rows[i], gold, catalogue=cat,
                                    with_sources=not args.no_sources)
        except FilingkitError as exc:
            failed += 1
            print(f"ERROR {i}: {exc.message}", file=sys.stderr)
            if exc.hint:
                print(f"TIP: {exc.hint}", file=sys.stderr)
            continue
        counts[res.action] += 1
        if res.action == "added":
            print(f"ADDED {i}: {res.n_facts} facts")
        else:
            print(f"KEPT {i}: {res.message}")
    print(f"{counts['added']} added, {counts['kept']} kept as they were, {failed} failed "
          f"(gold folder {gold})")
    return 2 if failed else 0


def _from_source(args: argparse.Namespace) -> int:
    from filingkit.catalogue import load_catalogue
    from filingkit.errors import FilingkitError
    from filingkit.gold.curated import (
        header_source_facts,
        ixbrl_source_facts,
        update_folder,
    )
    from filingkit.gold.store import GOLD_FILE
    from filingkit.serialize import disagreement_to_json, fact_to_json

    cat = load_catalogue(args.catalogue)
    failed = 0
    for raw in args.paths:
        path = Path(raw)
        try:
            if path.is_dir() and (path / GOLD_FILE).exists():
                folder = path
            elif path.is_file() and args.gold_dir:
                folder = _gold_dir(args.gold_dir) / _doc_id_of(path)
                if not (folder / GOLD_FILE).exists():
                    raise FilingkitError(
                        f"no gold folder {folder}", file=path,
                        hint="create it first: filingkit gold add, or give the gold folder")
            elif path.is_file():
                if args.source == "ixbrl":
                    # evidence offsets are in the text `filingkit ingest` gives for this file
                    from filingkit.ingest import ingest_file

                    got = ixbrl_source_facts(path, ingest_file(path).text, cat)
                else:
                    got = header_source_facts(path, cat)
                if got is None:
                    raise FilingkitError(f"no {args.source} facts in this file", file=path)
                print(json.dumps({"path": str(path),
                                  "facts": [fact_to_json(f) for f in got.facts],
                                  "notes": list(got.notes)}, ensure_ascii=False))
                continue
            else:
                raise FilingkitError("not a filing file or a gold folder", file=path)
            record, got = update_folder(folder, args.source, cat, adjudicated=args.adjudicated)
            if got is None:
                print(f"SKIP {folder.name}: no {args.source} facts in its source")
                continue
            mine = [f for f in record.facts if f.source == args.source]
            dis = [d for d in record.disagreements
                   if args.source in (d.other_source, d.kept_source)]
            print(f"OK {folder.name}: {len(got.facts)} {args.source} facts read, {len(mine)} "
                  f"kept, {len(dis)} disagreements")
            for d in dis:
                print("  DISAGREE " + json.dumps(disagreement_to_json(d), ensure_ascii=False))
        except FilingkitError as exc:
            failed += 1
            print(f"ERROR {raw}: {exc.message}", file=sys.stderr)
    return 2 if failed else 0


def _doc_id_of(path: Path) -> str:
    """Accession number of a filing file (header or file name), else the file stem."""
    import re

    from filingkit.gold.header import is_sgml, parse_sgml_header

    data = path.read_bytes()
    if is_sgml(data):
        acc = parse_sgml_header(data, file=str(path)).accession_number
        if acc:
            return str(acc)
    hit = re.search(r"\d{10}-\d{2}-\d{6}", path.name)
    return hit.group(0) if hit else path.stem
