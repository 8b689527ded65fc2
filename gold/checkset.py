"""Machine check sets: gold folders built from the filers' inline XBRL, split by doc-id hash.

The bundled ``gold/pool-ixbrl/filings`` was made from every inline-XBRL filing
of the corpus pool (manifest ``format`` = ``ixbrl``), with the project's own
commands, then split here::

    filingkit gold add --corpus-dir CORPUS --subset pool --no-sources \\
        -o gold/pool-ixbrl/filings $(python -m filingkit.gold.checkset ids CORPUS)
    filingkit gold from-ixbrl gold/pool-ixbrl/filings/*/
    python -m filingkit.gold.checkset splits gold/pool-ixbrl/filings

Nobody read these filings to make the gold: every fact is a ``dei:`` tag the
filer wrote (source ``ixbrl``). The split rule is the curated gold's: the parity
of ``int(sha256(doc_id))``, even -> ``test``, odd -> ``dev``, so a filing's split
never depends on which other filings are in the folder.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from filingkit.jsonio import write_json_atomic

SPLIT_RULE = "each filing by the parity of int(sha256(doc_id)): even -> test, odd -> dev"
PURPOSE = ("machine check set from the filers' dei tags: rules may look at 'dev' misses; "
           "'test' is held out: scored only, its texts never read while writing rules")


def split_of(doc_id: str) -> str:
    """``test`` for an even sha256 of the id, ``dev`` for an odd one."""
    return "test" if int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 \
        else "dev"


def splits_for(doc_ids: Iterable[str]) -> dict[str, Any]:
    """The ``splits.json`` object for these ids (sorted, deterministic)."""
    out: dict[str, list[str]] = {"dev": [], "test": []}
    for i in sorted(set(doc_ids)):
        out[split_of(i)].append(i)
    return {"format": "filingkit-splits", "purpose": PURPOSE, "rule": SPLIT_RULE,
            "splits": out}


def write_splits(gold_dir: str | Path) -> Path:
    """Write ``<gold_dir>/splits.json`` for every ``<id>/gold.json`` folder in it."""
    from filingkit.gold.store import SPLITS_FILE, iter_gold_files

    root = Path(gold_dir)
    ids = [p.parent.name for p in iter_gold_files(root)]
    return write_json_atomic(root / SPLITS_FILE, splits_for(ids))


def ixbrl_ids(corpus_dir: str | Path, subset: str = "pool") -> list[str]:
    """Manifest ids of the corpus ``subset``'s inline-XBRL filings, sorted."""
    from filingkit.gold.curated import read_manifest

    rows = read_manifest(corpus_dir)
    return sorted(i for i, r in rows.items()
                  if r.get("subset") == subset and r.get("format") == "ixbrl")


def main(argv: Sequence[str] | None = None) -> int:
    """``ids CORPUS [SUBSET]`` prints the ids; ``splits GOLD_DIR`` writes splits.json."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] == "ids":
        print("\n".join(ixbrl_ids(args[1], *(args[2:3] or ["pool"]))))
        return 0
    if len(args) == 2 and args[0] == "splits":
        path = write_splits(args[1])
        got = json.loads(path.read_text(encoding="utf-8"))["splits"]
        print(f"wrote {path}: dev {len(got['dev'])}, test {len(got['test'])}")
        return 0
    print("usage: python -m filingkit.gold.checkset ids CORPUS [SUBSET] | splits GOLD_DIR",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
