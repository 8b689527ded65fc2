"""Event rules for the seed event types: milestone payments, clinical trial starts,
license agreements.

Sentence-level patterns with a trigger ("triggers a $2 million milestone
payment", "has initiated clinical testing", "licensed the right to use") and
arguments read from the same sentence or its neighbours (payer / sponsor: the
subject of the trigger sentence; product: a compound code such as huMy9-6-DM4
or SAR3419; indication: "for the treatment of multiple myeloma"). Forward
looking sentences (expects, plans, will) are skipped: the guideline wants events
that happened. A record repeated in the 8-K body and its press release is
emitted once, with the most complete set of arguments.
"""

from __future__ import annotations

import re
from typing import Any

from filingkit.extractors.rules_common import Ctx, Sink, find_all, sentence_at
from filingkit.extractors.rules_entities import short_name

_I = re.I

MONEY = r"\$\s?\d+(?:[.,]\d+)*(?:\s+(?:million|billion|thousand))?"
FORWARD_RE = re.compile(r"\b(?:expects?|expected|plans?|planned|will|anticipates?|may|could|"
                        r"intends?|potential(?:ly)?|future)\b", _I)

MILESTONE_RE = re.compile(
    rf"\b(?:trigger(?:s|ed)?|earn(?:s|ed)?|receiv(?:e|es|ed)|achiev(?:es|ed))\s+(?:a|an|the)\s+"
    rf"({MONEY})\s+milestone\s+payment(?:\s+(?:to|from)\s+([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?))?",
    _I,
)
TRIAL_RE = re.compile(
    r"\b(?:has\s+|have\s+)?(?:initiated|initiation\s+of|began|begun|started|commenced|"
    r"advanced\s+[^.]{0,80}?\binto)\s+(?:the\s+)?[^.]{0,80}?(?:clinical\s+(?:testing|trials?|"
    r"study|studies|development)|patient\s+dosing|dosing\s+of\s+(?:the\s+)?first\s+patient)",
    _I,
)
LICENSE_RE = re.compile(
    r"(?P<licensee>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})\s+(?:has\s+)?(?:licensed|in-licensed)\s+"
    r"the\s+rights?\s+to\s+(?:use|develop)\s+(?:(?P<licensor>[A-Z][\w\-]*)['’]s\s+)?", 0
)
SUBJECT_RE = re.compile(
    r"(?:the\s+)?(?P<org>[A-Za-z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2}?)(?:\s+Group)?\s+(?:has|have)\s+"
    r"(?:initiated|advanced|begun|started|commenced|dosed)", 0
)
PRODUCT_RE = re.compile(
    r"(?<![\w\-])((?:hu|anti-)?[A-Za-z]{1,6}\d[\w]*(?:-[\w]+){0,3}|[A-Z]{1,4}-[A-Z]{1,3}\d\w*)"
    r"(?![\w\-])"
)
_NOT_PRODUCT = re.compile(r"^(?:CD\d+|anti-|DM\d|CFR|Form|Rule|Item|I{1,3}|Q\d|FY\d|10-[KQ]|8-K|"
                          r"\d)", _I)
INDICATION_RE = re.compile(
    r"\b(?:for|of|with|in|treat(?:ing)?)\s+(?:the\s+treatment\s+of\s+)?(?:patients\s+with\s+)?"
    r"(?:relapsed\s+or\s+refractory\s+)?((?:[A-Za-z][\w'’\-]*\s+){0,3}?(?-i:leukemia|lymphoma|"
    r"myeloma|cancers?|carcinoma|tumors?|disease|syndrome|sarcoma|melanoma|malignanc(?:y|ies)))"
    r"(?![\w\-])",
    _I,
)
PHASE_RE = re.compile(r"\bPhase\s+(I{1,3}V?(?:/I{1,3})?|[1-4](?:/[1-4])?)(?![\w/])")
UPFRONT_RE = re.compile(rf"(?:upfront|up-front|initial)\s+(?:license\s+)?(?:payment|fee)\s+of\s+"
                        rf"({MONEY})|({MONEY})\s+(?:upfront|up-front|in\s+an\s+upfront)", _I)
POTENTIAL_RE = re.compile(rf"up\s+to\s+(?:an\s+additional\s+)?({MONEY})[^.]{{0,60}}?milestone", _I)


def _money(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace(",", ",")).strip()


def _clean_org(raw: str) -> str:
    raw = re.sub(r"^(?:the|The)\s+", "", raw.strip())
    return re.sub(r"\s+Group$", "", raw)


def _products(s: str) -> list[re.Match[str]]:
    out = []
    for m in PRODUCT_RE.finditer(s):
        tok = m[1]
        if _NOT_PRODUCT.match(tok) or len(tok) < 4 or not re.search(r"[A-Za-z]", tok):
            continue
        if re.fullmatch(r"\d+[A-Za-z]*", tok):
            continue
        out.append(m)
    return out


def _best_product(*sents: str) -> str | None:
    for s in sents:
        prods = _products(s)
        if prods:
            return max(prods, key=lambda m: len(m[1]))[1]
    return None


def event_rules(ctx: Ctx, sink: Sink) -> None:
    """Emit event:MilestonePayment, event:ClinicalTrialStart and event:LicenseAgreement."""
    # markdown-escaped dollar signs read as plain ones (same length: offsets unchanged)
    text = ctx.text.replace("\\$", " $")
    if "ilestone" not in text and "clinical" not in text and "licens" not in text:
        return
    hits = find_all(text, ("milestone", "clinical", "dosing", "licens", "Licens", "Clinical"))
    sents: list[tuple[int, int]] = []
    for i in hits:
        if sents and sents[-1][0] <= i < sents[-1][1]:
            continue
        sents.append(sentence_at(text, i))
    records: dict[str, dict[str, tuple[dict[str, Any], list[tuple[int, int]]]]] = {
        "event:MilestonePayment": {}, "event:ClinicalTrialStart": {},
        "event:LicenseAgreement": {},
    }
    registrant = short_name(ctx.registrant) if ctx.registrant else None
    for s, e in sents:
        sent = text[s:e]
        ps, pe = sentence_at(text, max(0, s - 2))
        prev = text[ps:pe] if pe <= s else ""
        nxt = text[e : e + 700]
        if "milestone" in sent:
            for m in MILESTONE_RE.finditer(sent):
                if FORWARD_RE.search(sent[: m.start()]):
                    continue
                rec: dict[str, Any] = {"amount": _money(m[1])}
                subj = SUBJECT_RE.search(sent) or SUBJECT_RE.search(prev)
                if subj:
                    rec["payer"] = _clean_org(subj["org"])
                elif m[2] and sent[m.start(2) - 5 : m.start(2)].strip().lower() == "from":
                    rec["payer"] = m[2]
                prod = _best_product(sent, prev)
                if prod:
                    rec["product"] = prod
                _keep(records["event:MilestonePayment"], rec["amount"], rec,
                      [(s + m.start(1), s + m.end(1))])
        if ("clinical" in sent or "dosing" in sent) and not FORWARD_RE.search(sent):
            for m in TRIAL_RE.finditer(sent):
                prod = _best_product(sent)
                if not prod:
                    continue
                rec = {"product": prod}
                ind = INDICATION_RE.search(sent) or INDICATION_RE.search(nxt)
                if ind:
                    rec["indication"] = re.sub(r"\s+", " ", ind[1]).strip()
                ph = PHASE_RE.search(sent) or PHASE_RE.search(nxt)
                if ph:
                    rec["phase"] = ph[1]
                subj = SUBJECT_RE.search(sent)
                if subj and subj["org"].lower() not in {"it", "which", "that", "company"}:
                    rec["sponsor"] = _clean_org(subj["org"])
                elif registrant and re.search(r"\b(?:its|our)\b", sent):
                    rec["sponsor"] = registrant
                pm = re.search(re.escape(prod), sent)
                span = (s + pm.start(), s + pm.end()) if pm else (s + m.start(), s + m.end())
                _keep(records["event:ClinicalTrialStart"], prod.lower(), rec, [span])
        if "licens" in sent:
            for m in LICENSE_RE.finditer(sent):
                window = sent + " " + nxt
                up = UPFRONT_RE.search(window)
                if not up:
                    continue
                licensee = _clean_org(re.sub(r"^(?:In|On|During)\s+\w+(?:\s+\d{4})?,?\s*", "",
                                             m["licensee"]))
                licensee = re.sub(r"^(?:[A-Z][a-z]+\s+\d{4},?\s*)", "", licensee)
                rec = {"licensee": licensee, "upfront_amount": _money(up[1] or up[2])}
                if m["licensor"]:
                    rec["licensor"] = m["licensor"]
                elif registrant:
                    rec["licensor"] = registrant
                pot = POTENTIAL_RE.search(window)
                if pot:
                    rec["potential_milestones"] = _money(pot[1])
                _keep(records["event:LicenseAgreement"], licensee.lower(), rec,
                      [(s + m.start("licensee") + m["licensee"].find(licensee),
                        s + m.start("licensee") + m["licensee"].find(licensee) + len(licensee))])
    if "ilestone" in text:
        _milestone_tables(text, records["event:MilestonePayment"])
    for field, recs in records.items():
        for rec, spans in recs.values():
            sink.fact(field, rec, spans, ctx.text)


_COLLECTED_RE = re.compile(r"^(?:cash\s+)?(?:collected|received|earned)(?:\s+to\s+date)?$", _I)
_TABLE_MONEY_RE = re.compile(r"^\$\s?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\$\s?\d+(?:\.\d+)?(?:\s+(?:million|"
                             r"billion))?$")


def _milestone_tables(text: str, store: dict[str, tuple[dict[str, Any], list[tuple[int, int]]]]
                      ) -> None:
    """A table of milestone payments received per partner: a tab-separated header naming
    milestones with a "Cash Collected" / "Received" column; one payment per partner row
    (payer: the partner's short name; product: a trademarked name in the row, "Vitargus®")."""
    for i in find_all(text, ("Collected", "collected", "Received", "received")):
        ls = text.rfind("\n", 0, i) + 1
        le = text.find("\n", i)
        le = len(text) if le == -1 else le
        header = text[ls:le]
        cells = header.split("\t")
        if len(cells) < 3 or "milestone" not in header.lower() or len(header) > 200:
            continue
        col = next((k for k, c in enumerate(cells) if _COLLECTED_RE.match(c.strip())), None)
        if col is None:
            continue
        pos = le + 1
        while pos < len(text):
            nl = text.find("\n", pos)
            nl = len(text) if nl == -1 else nl
            row = text[pos:nl]
            parts = row.split("\t")
            if not row.strip() or len(parts) != len(cells) or parts[0].strip().lower() == "total":
                break
            amount = parts[col].strip()
            payer = short_name(parts[0].strip())
            if _TABLE_MONEY_RE.match(amount) and payer and payer[0].isupper():
                rec: dict[str, Any] = {"amount": _money(amount), "payer": payer}
                tm = re.search(r"([A-Z][\w\-]+)®", row)
                if tm:
                    rec["product"] = tm[1]
                a = pos + sum(len(p) + 1 for p in parts[:col]) + parts[col].find(amount)
                _keep(store, f"{rec['amount']}|{payer.lower()}", rec, [(a, a + len(amount))])
            pos = nl + 1


def _keep(store: dict[str, tuple[dict[str, Any], list[tuple[int, int]]]], key: str,
          rec: dict[str, Any], spans: list[tuple[int, int]]) -> None:
    """Merge a record into the one with the same identifying key; more arguments win."""
    old = store.get(key)
    if old is None:
        store[key] = (rec, spans)
        return
    merged = dict(old[0])
    for k, v in rec.items():
        merged.setdefault(k, v)
    store[key] = (merged, old[1])
