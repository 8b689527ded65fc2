"""Extractor speed: steady-state extraction throughput, and CRF training time by corpus size.

Usage (from the repository root)::

    .venv/bin/python benchmarks/extract_bench.py [--gold DIR] [--repeat N] [--train-docs 5,10,20]

Extraction: every registered extractor (the CRF first trained on the gold documents with
entity scope) runs over every canonical text of the gold folder ``--repeat`` times after
one untimed warm-up document; reported as documents/s and MB/s of text (best of the
repeats, which is the least disturbed by other load on the machine).

Training: the CRF is fitted on the first N entity-scoped gold documents, cycled when the
gold has fewer (copies under new ids: the time depends on the tokens, not on novelty).
This is the figure behind "training takes seconds on about twenty documents".

Scores are not measured here: ``filingkit bench`` does that.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from typing import Any

from filingkit.extractors.ml import CrfExtractor
from filingkit.extractors.registry import extractor_names, get_extractor
from filingkit.gold.store import load_gold_dir
from filingkit.records import GoldDocument


def _entity_docs(gold: list[GoldDocument]) -> list[GoldDocument]:
    return [g for g in gold if "entities" in g.gold.scope]


def time_extraction(gold: list[GoldDocument], repeat: int) -> dict[str, Any]:
    """Best-of-``repeat`` documents/s and MB/s of every registered extractor."""
    docs = [g.document for g in gold]
    size_mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    out: dict[str, Any] = {}
    for name in extractor_names():
        ext: Any = get_extractor(name)
        if callable(getattr(ext, "fit", None)):
            train = _entity_docs(gold)
            ext.fit([g.document for g in train], [g.gold.annotations for g in train])
        ext.extract(docs[0])  # warm-up: lazy imports, caches
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            for d in docs:
                ext.extract(d)
            best = min(best, time.perf_counter() - t0)
        out[name] = {"docs_per_s": round(len(docs) / best, 2),
                     "mb_per_s": round(size_mb / best, 3), "seconds": round(best, 4)}
    return out


def time_training(gold: list[GoldDocument], sizes: list[int]) -> dict[str, Any]:
    """CRF fit seconds for each training-set size."""
    base = _entity_docs(gold)
    if not base:
        return {}
    out: dict[str, Any] = {}
    for n in sizes:
        picked = [base[i % len(base)] for i in range(n)]
        docs = [replace(g.document, doc_id=f"{g.doc_id}#{i}") for i, g in enumerate(picked)]
        anns = [replace(g.gold.annotations, doc_id=d.doc_id) for g, d in zip(picked, docs,
                                                                             strict=True)]
        t0 = time.perf_counter()
        CrfExtractor().fit(docs, anns)
        tokens = sum(len(d.text.split()) for d in docs)
        out[str(n)] = {"seconds": round(time.perf_counter() - t0, 2), "words": tokens}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", help="gold folder (default: the bundled gold)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--train-docs", default="5,10,20",
                        help="comma-separated training-set sizes for the CRF")
    args = parser.parse_args()
    gold = load_gold_dir(args.gold)
    result = {
        "n_documents": len(gold),
        "extraction": time_extraction(gold, args.repeat),
        "training": time_training(gold, [int(x) for x in args.train_docs.split(",") if x]),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
