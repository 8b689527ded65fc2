"""Development check of the ``rules`` extractor on the corpus *pool* (never the curated set).

The pool's inline-XBRL filings carry ``dei:`` cover facts tagged by the filer
(``ix:nonNumeric name="dei:..."``): machine truth, independent of any extractor.
This script ingests each pool ixbrl filing, reads those tags (applying the
``format`` transforms: ballot boxes, state and exchange names, dates), runs the
rules and prints per-field precision / recall / accuracy. It also measures
throughput: rules alone, and ingestion + rules, over the whole pool.

    .venv/bin/python benchmarks/rules_dev_check.py [--errors] [--limit N] [--json OUT]

The curated set (``corpus/curated``) is the gold test set: this script refuses
to read it.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from filingkit.catalogue import load_catalogue
from filingkit.errors import FilingkitError
from filingkit.extractors.rules import RulesExtractor
from filingkit.normalize import name_key, normalize
from filingkit.records import Document

CORPUS = Path("/work/shared/corpus")

# dei fields the rules emit and the truth can check
CHECKED = (
    "dei:DocumentType", "dei:DocumentPeriodEndDate", "dei:EntityRegistrantName",
    "dei:EntityIncorporationStateCountryCode", "dei:EntityFileNumber",
    "dei:EntityTaxIdentificationNumber", "dei:EntityAddressAddressLine1",
    "dei:EntityAddressCityOrTown", "dei:EntityAddressStateOrProvince",
    "dei:EntityAddressPostalZipCode", "dei:CityAreaCode", "dei:LocalPhoneNumber",
    "dei:TradingSymbol", "dei:SecurityExchangeName", "dei:WrittenCommunications",
    "dei:SolicitingMaterial", "dei:PreCommencementTenderOffer",
    "dei:PreCommencementIssuerTenderOffer", "dei:EntityEmergingGrowthCompany",
)

_IX_RE = re.compile(r"<ix:nonNumeric\b([^>]*)>(.*?)</ix:nonNumeric>", re.S | re.I)
_ATTR_RE = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
_TAG_RE = re.compile(r"<[^>]+>")


def _transform(fmt: str, raw: str) -> str | bool:
    fmt = fmt.split(":")[-1].lower()
    if fmt == "boolballotbox":
        return raw.strip() in {"☒", "☑", "x", "X", "þ", "ý"}
    if fmt in {"booleanfalse", "fixed-false"}:
        return False
    if fmt in {"booleantrue", "fixed-true"}:
        return True
    return raw


def ixbrl_truth(raw_html: str) -> dict[str, list[Any]]:
    """The dei facts of an inline-XBRL cover, normalized; the first registrant's context only."""
    cat = load_catalogue()
    out: dict[str, list[Any]] = defaultdict(list)
    contexts: dict[str, str] = {}
    for m in _IX_RE.finditer(raw_html):
        attrs = dict(_ATTR_RE.findall(m[1]))
        name = attrs.get("name", "")
        if not name.startswith("dei:") or name not in cat:
            continue
        ctx = attrs.get("contextRef", "")
        # combined filings: keep the first context seen per field (first registrant)
        if name in contexts and contexts[name] != ctx and not cat[name].many:
            continue
        contexts.setdefault(name, ctx)
        raw = html.unescape(_TAG_RE.sub(" ", m[2]))
        raw = re.sub(r"\s+", " ", raw).strip()
        value: Any = _transform(attrs.get("format", ""), raw)
        try:
            value = normalize(cat[name].normalizer, value)
        except FilingkitError:
            continue
        if not cat[name].many and out.get(name):
            continue
        out[name].append(value)
    return out


def load_document(path: Path, doc_id: str) -> Document:
    """Canonical document via filingkit.ingest; a throwaway inscriptis fallback before it exists."""
    try:
        from filingkit.ingest import ingest_file
    except ImportError:
        ingest_file = None
    if ingest_file is not None:
        return ingest_file(path, doc_id=doc_id)
    import inscriptis
    from inscriptis.model.config import ParserConfig

    raw = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    text = inscriptis.get_text(raw, ParserConfig(display_links=False))
    return Document(doc_id=doc_id, text=text, source_format="html")


def _same(field: str, a: Any, b: Any) -> bool:
    if field in {"dei:EntityRegistrantName", "dei:EntityAddressAddressLine1",
                 "dei:EntityAddressCityOrTown"}:
        same: bool = name_key(str(a)) == name_key(str(b))
        return same
    return bool(a == b)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--errors", action="store_true", help="print every disagreement")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", help="write the figures as JSON here")
    args = ap.parse_args(argv)

    manifest = [json.loads(line) for line in (CORPUS / "manifest.jsonl").open()]
    pool = [m for m in manifest if m["subset"] == "pool"]
    assert all("curated" not in f["path"] for m in pool for f in m["files"])
    ex = RulesExtractor()
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n_docs = 0
    for m in pool:
        if m["format"] != "ixbrl":
            continue
        if args.limit and n_docs >= args.limit:
            break
        path = CORPUS / m["files"][0]["path"]
        truth = ixbrl_truth(path.read_text(encoding="utf-8", errors="replace"))
        doc = load_document(path, m["id"])
        pred: dict[str, list[Any]] = defaultdict(list)
        for f in ex.extract(doc).facts:
            pred[f.field].append(f.value)
        n_docs += 1
        for field in CHECKED:
            t, p = list(truth.get(field, [])), list(pred.get(field, []))
            st = stats[field]
            st["truth"] += len(t)
            st["pred"] += len(p)
            for v in p:
                hit = next((i for i, tv in enumerate(t) if _same(field, v, tv)), None)
                if hit is not None:
                    st["tp"] += 1
                    t.pop(hit)
                elif args.errors:
                    print(f"FP {m['id']} {field}: {v!r} truth={truth.get(field)}")
            if args.errors and t:
                print(f"FN {m['id']} {field}: truth={t} pred={pred.get(field)}")
    print(f"\npool ixbrl filings: {n_docs}\n")
    print(f"{'field':45s} {'truth':>5s} {'pred':>5s} {'tp':>5s} {'prec':>6s} {'recall':>6s}")
    figures: dict[str, Any] = {"n_documents": n_docs, "fields": {}}
    tot: dict[str, int] = defaultdict(int)
    for field in CHECKED:
        st = stats[field]
        prec = st["tp"] / st["pred"] if st["pred"] else 0.0
        rec = st["tp"] / st["truth"] if st["truth"] else 0.0
        for k in ("truth", "pred", "tp"):
            tot[k] += st[k]
        figures["fields"][field] = {"truth": st["truth"], "pred": st["pred"], "tp": st["tp"],
                                    "precision": round(prec, 3), "recall": round(rec, 3)}
        print(f"{field:45s} {st['truth']:5d} {st['pred']:5d} {st['tp']:5d} {prec:6.3f} {rec:6.3f}")
    prec = tot["tp"] / tot["pred"] if tot["pred"] else 0.0
    rec = tot["tp"] / tot["truth"] if tot["truth"] else 0.0
    print(f"{'micro':45s} {tot['truth']:5d} {tot['pred']:5d} {tot['tp']:5d} {prec:6.3f} {rec:6.3f}")
    figures["micro"] = {"precision": round(prec, 3), "recall": round(rec, 3)}
    figures["throughput"] = throughput(pool, ex)
    print("\nthroughput:", json.dumps(figures["throughput"]))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n")
    return 0


def throughput(pool: list[dict[str, Any]], ex: RulesExtractor) -> dict[str, Any]:
    """MB/s per core (CPU time) of rules alone (MB of canonical text) and of ingest + rules
    (MB of raw input files)."""
    docs = []
    raw_bytes = 0
    t0 = time.process_time()
    for m in pool:
        path = CORPUS / m["files"][0]["path"]
        raw_bytes += path.stat().st_size
        try:
            docs.append(load_document(path, m["id"]))
        except FilingkitError as exc:
            print("ingest failed:", m["id"], exc, file=sys.stderr)
    t_ingest = time.process_time() - t0
    text_bytes = sum(len(d.text.encode("utf-8")) for d in docs)
    t1 = time.process_time()
    for d in docs:
        ex.extract(d)
    t_rules = time.process_time() - t1
    return {
        "documents": len(docs),
        "raw_mb": round(raw_bytes / 1e6, 2),
        "text_mb": round(text_bytes / 1e6, 2),
        "rules_s": round(t_rules, 2),
        "rules_mb_per_s_text": round(text_bytes / 1e6 / t_rules, 2),
        "ingest_s": round(t_ingest, 2),
        "ingest_plus_rules_mb_per_s_raw": round(raw_bytes / 1e6 / (t_ingest + t_rules), 2),
    }


if __name__ == "__main__":
    raise SystemExit(main())
