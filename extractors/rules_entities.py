"""Entity rules where rules are reliable: ORG, PERSON, LOCATION, TICKER.

- ORG: every occurrence of the registrant's name (as printed on the cover, and
  its short form without the legal suffix, possessive 's left out); names
  ending in a legal form (Inc., Corp., LLC, Ltd., plc...); exchanges named in a
  ticker parenthesis ("Nasdaq" in "(Nasdaq: IMGN)"); a few agencies.
- PERSON: the signatory and every later mention of a person found here;
  "Name, Title" (quotes' speakers, contact lines), "said Name"; "Dr./Mr./Ms.
  Surname" for a known surname (the honorific is left out).
- LOCATION: the cover address (city, state, zip) and state of incorporation;
  the press-release dateline ("CAMBRIDGE, MA, March 17, 2005" -> CAMBRIDGE,
  MA); "City, ST 02139" address lines (city, state and zip); "City, State"
  pairs with a US state name or code; country names outside organization names.
- TICKER: "(Nasdaq: IMGN)", "NYSE: TSN" and the symbols of the cover's 12(b) table.
"""

from __future__ import annotations

import re

from filingkit.extractors.rules_common import MONTHS, Ctx, Sink, find_all
from filingkit.normalize import US_STATES

_LEGAL = (r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|LLC|L\.L\.C\.|Ltd\.?|Limited|plc|PLC|"
          r"L\.P\.|LP|N\.A\.|AG|S\.A\.|N\.V\.|GmbH|Co\.|Company|Bancorp|Holdings)")
LEGAL_TAIL_RE = re.compile(rf",?\s+{_LEGAL}$", re.I)
_CAPWORD = r"(?:[A-Z][\w&'’\-]*\.?|&|of|and|de|du)"
SUFFIXED_RE = re.compile(
    rf"(?<![\w.])((?:[A-Z][\w&'’\-]*\.?)(?:\s+{_CAPWORD}){{0,4}},?\s+"
    rf"(?:Inc\.|Incorporated|Corp\.|Corporation|LLC|L\.L\.C\.|Ltd\.|Limited|plc|PLC|L\.P\.|N\.A\.|"
    rf"AG|S\.A\.|N\.V\.|GmbH))(?![\w])"
)
_LEAD_STOP = frozenset({"On", "In", "The", "A", "An", "And", "Of", "For", "With", "By", "At", "To",
                        "Although", "While", "Whereas", "Because", "Since", "Unless", "Upon",
                        "After", "Before", "During", "Please", "Neither", "Nor",
                        "From", "As", "This", "Its", "That", "Our", "Each", "Both", "If", "When",
                        "Under", "Between", "Among", "Contact", "Contacts", "Media", "Investors",
                        "Exhibit", "Press", "Release", "Item", "ITEM", "Dated", "Date", "Name",
                        "Title", "By:", "Signature", "SIGNATURE", "SIGNATURES", "Registrant",
                        "About", "ABOUT", "Copy", "Copyright", "Announces", "Reports", "Via",
                        "Including", "Acquisition", "Agreement", "Shares", "Stock", "Common"})
_DOC_WORDS = frozenset({"Presentation", "Transcript", "Copy", "Form", "By-Laws", "Bylaws",
                        "Release", "Certificate", "Articles", "Letter", "Press", "Agreement",
                        "Plan", "Amendment", "Investor", "Statement", "Statements", "Report",
                        "Subsidiaries", "Shareholders", "Stockholders", "Board", "Directors",
                        "Consent", "Opinion", "Indenture", "Notes", "Merger", "Chairman",
                        "President", "Officer", "Director", "Accounting", "Executive", "Chief",
                        "Vice", "Secretary", "Treasurer", "Counsel", "International", "Member"})
AGENCY_RE = re.compile(r"\b(?:Securities\s+and\s+Exchange\s+Commission|SECURITIES\s+AND\s+EXCHANGE\s+"
                       r"COMMISSION|Food\s+and\s+Drug\s+Administration|Internal\s+Revenue\s+Service|"
                       r"Federal\s+Reserve(?:\s+Board|\s+Bank(?:\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?)?|"
                       r"New\s+York\s+Stock\s+Exchange|(?:Nasdaq|NASDAQ)\s+Stock\s+Market(?:,?\s+LLC)?|"
                       r"Nasdaq\s+Global\s+(?:Select\s+)?Market)\b")
_AGENCY_PREFIX_RE = re.compile(r"(?:\bUNITED\s+STATES|\bUnited\s+States|\bU\.S\.)\s+$")
_AGENCY_NEEDLES = ("Securities and Exchange Commission", "SECURITIES AND EXCHANGE COMMISSION",
                   "Food and Drug Administration", "Internal Revenue Service", "Federal Reserve",
                   "New York Stock Exchange", "Nasdaq Stock Market", "NASDAQ Stock Market",
                   "Nasdaq Global")
TICKER_RE = re.compile(
    r"\b((?:NASDAQ|Nasdaq)(?:[ \-]?(?:GS|GM|CM|NM))?|NYSE(?:\s+American|\s+MKT|\s+Arca)?|AMEX|Amex|"
    r"OTCBB|OTC|TSX)\s*[:\-]\s*([A-Z]{1,5}(?:\.[A-Z]{1,2})?)(?![\w])"
)
_TITLE_WORDS = (r"(?:Chairman|Chairwoman|Chair|Chief|President|CEO|CFO|COO|Vice|Senior|Executive|"
                r"Director|Treasurer|Secretary|General\s+Counsel|Founder|Co-founder|Head|Managing|"
                r"Principal|Partner|Controller|Manager|Analyst|Investor|Professor|Leader)")
_NAME = (r"([A-Z][a-z]+(?:[ \t]+[A-Z]\.){0,2}(?:[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
         r"(?:,?[ \t]+(?:Jr\.|Sr\.|III|II))?)")
NAME_TITLE_RE = re.compile(rf"{_NAME}(?:,\s+(?:Ph\.D\.|M\.D\.|CFA|CPA|Esq\.))?,\s+(?:the\s+)?"
                           rf"(?:[A-Z][\w'’]*['’]s\s+)?{_TITLE_WORDS}")
DEGREE_RE = re.compile(rf"{_NAME},\s+(?:M\.?D\.?|Ph\.?\s?D\.?)(?![\w])")
SAID_RE = re.compile(rf"\b(?:said|says|commented|stated|noted|added)\s+{_NAME}(?![\w])")
NAME_SAID_RE = re.compile(rf"{_NAME}\s+(?:said|commented|stated|noted|added)\b")
PERSON_CUE_RE = re.compile(
    rf"{_NAME}(?:(?:,\s+(?:Ph\.?\s?D\.?|M\.?D\.?|CFA|CPA|Esq\.)(?![\w]))|(?:,\s+(?:the\s+)?"
    rf"(?:[A-Z][\w'’]*['’]s\s+)?{_TITLE_WORDS})|\s+(?:said|commented|stated|noted|added)\b)"
    rf"|\b(?:said|says|commented|stated|noted|added|elected|appointed|named|Names|Appoints|"
    rf"Elects|welcomed?|welcomes)\s+{_NAME}(?![\w])"
)
HONORIFIC_RE = re.compile(r"\b(?:Dr|Mr|Ms|Mrs|Prof)\.\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
CONTACT_RE = re.compile(r"(?i:contacts?|for\s+(?:more|further)\s+information)\s*:?")
CONTACT_NAME_RE = re.compile(rf"(?m)^[ \t]*{_NAME}(?=[ \t]*(?:\(|,|$|\t|\s{{2,}}))")
_NOT_PERSON_WORDS = frozenset({"Street", "Road", "Avenue", "Inc", "Corporation", "Company", "Group",
                               "Communications", "Relations", "Investor", "Investors", "Media",
                               "Press", "Release", "Financial", "Officer", "Director", "Senior",
                               "Executive", "Vice", "President", "Chief", "Corporate", "Public",
                               "Affairs", "Market", "Stock", "Exchange", "Securities", "Act",
                               "Washington", "Commission", "Results", "Holdings", "Bank", "Capital",
                               "Partners", "International", "Technologies", "Systems", "Foods",
                               "Industries", "United", "States", "New", "North", "South", "East",
                               "West", "Global", "Report", "Form", "Current", "Board", "Directors",
                               "Fiscal", "Quarter", "Year", "First", "Second", "Third", "Fourth",
                               "Contact", "Contacts", "Email", "Phone", "Tel", "Fax", "The",
                               "Immediate", "For", "Date", "Dated", "Name", "Title", "Exhibit",
                               "Agreement", "Letter", "Plan", "Merger", "Amendment", "Solutions",
                               "Funding", "Clinical", "Networks", "Corp", "Ltd", "Acquisition",
                               "Services", "Products", "Company's", "Chairman", "Notes", "Credit",
                               "Facility", "Annual", "Meeting", "Operations"})

_STATE_NAMES = sorted(US_STATES, key=len, reverse=True)
_STATE_NAME_ALT = "|".join(re.escape(s.title()).replace(r"\ ", r"\s+") for s in _STATE_NAMES)
_CODES = "|".join(sorted(set(US_STATES.values())))
_ABBR = (r"(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|"
         r"Mont|Neb|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Tex|Vt|Va|"
         r"Wash|W\.Va|Wis|Wyo|D\.C)\.")
_CITY = r"([A-Z][A-Za-z.'’\-]*(?:[ \t][A-Z][A-Za-z.'’\-]*){0,2})"
DATELINE_RE = re.compile(
    rf"(?m)^[ \t\-—–*]{{0,8}}(?<![A-Za-z]){_CITY}(?:,[ \t]*({_CODES}|{_ABBR}|{_STATE_NAME_ALT}|"
    rf"[A-Z][A-Za-z]+))?[ \t]{{0,3}}(?:,|\.{{2,3}}|[-—–])?[ \t]{{0,3}}\(?(?i:{MONTHS})\.?[ \t]+\d{{1,2}}"
)
ADDRESS_CITY_RE = re.compile(
    rf"(?<![\w]){_CITY},?[ \t]+({_CODES}|{_STATE_NAME_ALT}|{_ABBR})[ \t,]+(\d{{5}}(?:-\d{{4}})?)(?!\d)"
)
ZIP_ANCHOR_RE = re.compile(r"(?<![\d\-])\d{5}(?:-\d{4})?(?![\d\-])")
CITY_STATE_RE = re.compile(rf"(?<![\w])(?:in|of|at|near|from)\s+{_CITY},[ \t]+({_CODES}|"
                           rf"{_STATE_NAME_ALT}|{_ABBR})(?![\w])")
STATE_AFTER_COMMA_RE = re.compile(rf",[ \t]+(?:{_CODES}|{_STATE_NAME_ALT}|{_ABBR})(?![\w])")
COUNTRY_RE = re.compile(r"(?:United\s+States(?:\s+of\s+America)?|United\s+Kingdom|USA|Canada|"
                        r"China|Japan|Germany|France|Israel|India|Mexico|Taiwan|Switzerland|"
                        r"Australia|Ireland|Netherlands|Europe|Asia|America)(?![\w\-])")
_LAW_AFTER_RE = re.compile(r"\s+(?:Securities|Patent|Department|Government|Treasury|District|"
                           r"Bankruptcy|Court|Congress|Senate|Postal|Dollars?)\b|\s+(?:[A-Z][a-z]+\s+){1,3}"
                           r"Act\b")
_COUNTRY_NEEDLES = ("United States", "United Kingdom", "USA", "Canada", "China", "Japan", "Germany",
                    "France", "Israel", "India", "Mexico", "Taiwan", "Switzerland", "Australia",
                    "Ireland", "Netherlands", "Europe", "Asia", "America")
_NOT_DATELINE = re.compile(r"\b(?:ENDED|ENDING|MONTHS?|YEARS?|WEEKS?|QUARTER|AS\s+OF|DATED?|"
                           r"Ended|Months|Year|Quarter|Dated?)\b")
_STREET_TAIL = re.compile(r"^.*\b(?:Road|Street|Avenue|Parkway|Boulevard|Drive|Lane|Way|Place|"
                          r"Court|Circle|Highway|Plaza|Square|Suite\s+\w+|Floor|Blvd\.?|Rd\.|St\.|"
                          r"Ave\.|Dr\.|Pkwy\.?|Hwy\.?)\s+")
_NOT_CITY = re.compile(r"^(?:Inc|Corp|Suite|Street|Road|Avenue|Box|Floor|The|Item|Exhibit|Form|"
                       r"Date|Section|Rule|Act|Company|Registrant|Nasdaq|NYSE)\b", re.I)


def short_name(name: str) -> str:
    """The registrant's name without its legal form: "ImmunoGen, Inc." -> "ImmunoGen"."""
    return LEGAL_TAIL_RE.sub("", name).strip(" ,")


def entity_rules(ctx: Ctx, sink: Sink) -> None:
    """Emit ORG, PERSON, LOCATION and TICKER entities."""
    text = ctx.text
    _persons(ctx, sink, text)
    _orgs(ctx, sink, text)
    _locations(ctx, sink, text)
    _tickers(ctx, sink, text)


_OCC_CACHE: dict[tuple[tuple[str, ...], bool], tuple[re.Pattern[str], tuple[str, ...]]] = {}


def _occurrences(text: str, *phrases: str, ignore_case: bool = False,
                 low: str | None = None) -> list[tuple[int, int]]:
    """Every occurrence of any of ``phrases`` as whole words: anchored on each phrase's first
    word (``str.find``, on the lower-cased text when ``ignore_case``), then matched there."""
    key = (tuple(sorted({p for p in phrases if len(p) >= 3})), ignore_case)
    if not key[0]:
        return []
    cached = _OCC_CACHE.get(key)
    if cached is None:
        bodies = sorted({re.escape(p).replace(r"\ ", r"\s+") for p in key[0]}, key=len,
                        reverse=True)
        rx = re.compile(rf"(?<![\w@./\-])(?:{'|'.join(bodies)})(?![\w@\-]|\.[A-Za-z])",
                        re.I if ignore_case else 0)
        firsts = {p.split()[0] for p in key[0]}
        cached = (rx, tuple(f.lower() for f in firsts) if ignore_case else tuple(firsts))
        if len(_OCC_CACHE) > 256:
            _OCC_CACHE.clear()
        _OCC_CACHE[key] = cached
    rx, anchors = cached
    hay = text
    if ignore_case:
        hay = low if low is not None else text.lower()
        if len(hay) != len(text):  # a character whose lower case is longer: plain scan
            return [(m.start(), m.end()) for m in rx.finditer(text)]
    out: list[tuple[int, int]] = []
    last = -1
    for i in find_all(hay, anchors):
        if i < last:
            continue
        m = rx.match(text, i)
        if m:
            out.append((m.start(), m.end()))
            last = m.end()
    return out


def _orgs(ctx: Ctx, sink: Sink, text: str) -> None:
    spans: list[tuple[int, int]] = []
    persons = {e.text for e in sink.entities if e.label == "PERSON" and e.text}
    reg = ctx.registrant
    if reg:
        spans += [(s, e) for s, e in _occurrences(text, reg, ignore_case=True) if text[s].isupper()]
        short = short_name(reg)
        if short != reg and len(short) >= 4:
            covered: set[int] = set()
            for s, e in spans:
                covered.update(range(s, e))
            for s, e in _occurrences(text, short, ignore_case=True):
                if s not in covered and text[s].isupper() and not _STREET_AFTER_RE.match(text, e):
                    spans.append((s, e))
        people = bytearray(len(text) + 1)
        for ent in sink.entities:
            if ent.label == "PERSON":
                people[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
        for f in sink.facts:  # a ticker in the 12(b) table is not the company
            if f.field == "dei:TradingSymbol":
                for ev in f.evidence:
                    people[ev.start : ev.end] = b"\x01" * (ev.end - ev.start)
        spans += [(s, e) for s, e in _alias_spans(text, short)
                  if people.find(1, s, e) == -1]  # not "John Tyson", not the ticker
    for m in _suffixed(text):
        s, e = m.start(1), m.end(1)
        nl = text.rfind("\n", s, e)
        if nl != -1 and "\t" not in text[nl:e]:  # a name on its own line below a heading
            s = nl + 1
        words = text[s:e].split()
        while words and (words[0].rstrip(",.:") in _LEAD_STOP or words[0][0].islower()
                         or any(words[0] == p.split()[0] and " ".join(words).startswith(p)
                                for p in persons)):
            if any(" ".join(words).startswith(p) for p in persons):
                p = next(p for p in persons if " ".join(words).startswith(p))
                n = len(p.split())
                if len(words) <= n:
                    words = []
                    break
                s = text.index(words[n], s)
                words = words[n:]
                continue
            s = text.index(words[1], s + len(words[0])) if len(words) > 1 else e
            words = words[1:]
        if len(words) < 2 or "\n" in text[s:e] or re.search(r"\t| {2,}", text[s:e]):
            continue
        of = re.match(r"(?:[A-Z][\w\-]*\s+){1,3}of\s+", text[s:e])
        if of and any(w in _DOC_WORDS or len(w) <= 2 for w in of[0].split()[:-1]):
            s += of.end()
        dot = re.search(r"[a-z]{3,}\.\s+(?=[A-Z])", text[s:e])
        if dot:  # "Exchange. Online Brokerage Solutions, Inc.": a sentence ends inside
            s += dot.end()
        if len(text[s:e].split()) < 2:
            continue
        spans.append((s, e))
    for i in find_all(text, _AGENCY_NEEDLES):
        am = AGENCY_RE.match(text, i)
        if am:
            pre = _AGENCY_PREFIX_RE.search(text, max(0, i - 40), i)
            if am[0][:6].lower() == "nasdaq" and text[max(0, i - 4) : i] == "The ":
                pre = re.search(r"The $", text[: i])  # "The Nasdaq Stock Market LLC"
            spans.append((pre.start() if pre else am.start(), am.end()))
    for i in find_all(text, ("SEC", "FDA", "IRS")):
        if (i == 0 or not text[i - 1].isalnum()) and not text[i + 3 : i + 4].isalnum() \
                and not text.startswith(" Employer", i + 3):
            spans.append((i, i + 3))
    for m in TICKER_RE.finditer(text):
        if re.match(r"NASDAQ|Nasdaq|NYSE|AMEX|Amex", m[1]):
            spans.append((m.start(1), m.end(1)))
    _add_non_overlapping(sink, "ORG", spans, text)


_STREET_AFTER_RE = re.compile(r"\s+(?:Parkway|Street|Road|Avenue|Drive|Boulevard|Way|Plaza|Center|"
                              r"Place|Lane|Court)\b")
_ALIAS_STOP = frozenset({"union", "first", "general", "american", "national", "united", "new",
                         "international", "west", "east", "north", "south", "great", "global",
                         "standard", "central", "pacific", "southern", "northern", "western",
                         "eastern", "capital", "home", "royal", "public", "state", "federal", "city",
                         "bank", "the", "old", "continental", "atlantic", "mutual",
                         "community", "peoples", "citizens", "security", "investors", "financial",
                         "advanced", "applied", "digital", "data", "energy", "health", "medical"})


def _alias_spans(text: str, short: str) -> list[tuple[int, int]]:
    """The first word of a several-word registrant name used alone ("Asta" for Asta Funding,
    "ABVC" for ABVC BioPharma), when it is distinctive and printed alone at least twice."""
    words = [w.strip(",.") for w in short.split()]
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) < 2 or len(words[0]) < 4 or words[0].lower() in _ALIAS_STOP \
            or not words[0].isalpha():
        return []
    first = words[0]
    rest = re.escape(words[1])
    forms = {first.upper(), first.title()}
    out = []
    for s, e in _occurrences(text, *forms):
        if re.match(rf"[\s,]+{rest}", text[e : e + 40], re.I) or _STREET_AFTER_RE.match(text, e) \
                or re.search(r"[:\-]\s*$", text[max(0, s - 3) : s]):  # "(NASDAQ: ABVC)": a ticker
            continue
        out.append((s, e))
    return out if len(out) >= 2 else []


_SUFFIX_NEEDLES = (" Inc.", " Incorporated", " Corp.", " Corporation", " LLC", " L.L.C.", " Ltd.",
                   " Limited", " plc", " PLC", " L.P.", " N.A.", " AG", " S.A.", " N.V.", " GmbH")


def _suffixed(text: str) -> list[re.Match[str]]:
    """Legal-form names, found from their suffix backwards (no scan of every capital letter)."""
    out: list[re.Match[str]] = []
    last_end = -1
    for i in find_all(text, _SUFFIX_NEEDLES):
        if i < last_end:
            continue
        m = None
        for m in SUFFIXED_RE.finditer(text, max(0, i - 90), min(len(text), i + 16)):
            if m.end(1) > i:
                break
        if m is not None and m.start(1) < i < m.end(1):
            out.append(m)
            last_end = m.end(1)
    return out


def _add_non_overlapping(sink: Sink, label: str, spans: list[tuple[int, int]], text: str) -> None:
    """Add spans, longest first, skipping any that overlaps one already kept (linear check)."""
    if not spans:
        return
    taken = bytearray(len(text) + 1)
    for ent in sink.entities:
        if ent.label == label:
            taken[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
    for s, e in sorted(set(spans), key=lambda t: (-(t[1] - t[0]), t[0])):
        if taken.find(1, s, e) != -1:
            continue
        taken[s:e] = b"\x01" * (e - s)
        sink.entity(label, s, e, text)


def _persons(ctx: Ctx, sink: Sink, text: str) -> None:
    names: set[str] = set()
    spans: list[tuple[int, int]] = []
    if ctx.signatory and len(ctx.signatory.split()) >= 2:
        names.add(ctx.signatory)
    reg_key = (ctx.registrant or "").lower()
    for m in _person_cues(text):
        name = re.sub(r"\s+", " ", m[1] or m[2])
        if _plausible_person(name) and name.lower() not in reg_key:
            names.add(name)
    for ci in find_all(text, ("Contact", "CONTACT", "For more information",
                              "For further information", "FOR MORE INFORMATION")):
        for m in CONTACT_NAME_RE.finditer(text, ci, min(len(text), ci + 600)):
            if _plausible_person(m[1]):
                names.add(re.sub(r"\s+", " ", m[1]))
    surnames: set[str] = set()
    # the span of a name leaves out a generational suffix ("James R. Arnold, Jr." -> ...Arnold)
    names = {re.sub(r",?\s+(?:Jr\.|Sr\.|III|II)$", "", n) for n in names}
    spans += _occurrences(text, *names, *(n.upper() for n in names))
    for n in names:
        parts = re.sub(r",?\s+(?:Jr\.|Sr\.|III|II)$", "", n).split()
        if len(parts) >= 2:
            surnames.add(parts[-1])
    if surnames:
        for i in find_all(text, ("Dr. ", "Mr. ", "Ms. ", "Mrs. ", "Prof. ")):
            hm = HONORIFIC_RE.match(text, i)
            if hm and hm[1] in surnames:
                spans.append((hm.start(1), hm.end(1)))
    _add_non_overlapping(sink, "PERSON", spans, text)


_CUE_ANCHOR_RE = re.compile(rf",[ \t]+(?:Ph\.?\s?D|M\.?D|CFA|CPA|Esq|the[ \t]|[A-Z][\w'’]*['’]s[ \t]|"
                            rf"{_TITLE_WORDS})")
_SAID_NEEDLES = (" said", " says", " commented", " stated", " noted", " added", " elected",
                 " appointed", " named", " Names", " Appoints", " Elects", " welcome")


def _person_cues(text: str) -> list[re.Match[str]]:
    """Matches of PERSON_CUE_RE, searched only around their cue words (", Chairman", "said")."""
    anchors = [m.start() for m in _CUE_ANCHOR_RE.finditer(text)]
    anchors += find_all(text, _SAID_NEEDLES)
    anchors.sort()
    out: list[re.Match[str]] = []
    last = -1
    for i in anchors:
        if i < last:
            continue
        for m in PERSON_CUE_RE.finditer(text, max(0, i - 70), min(len(text), i + 80)):
            if m.start() <= i + 1 <= m.end() + 1 and m.start() >= last:
                out.append(m)
                last = m.end()
                break
    return out


def _plausible_person(name: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’\-]*", name)
    if len(words) < 2 or any(w in _NOT_PERSON_WORDS for w in words):
        return False
    return not any(w.upper() == w and len(w) > 2 for w in words)


def _locations(ctx: Ctx, sink: Sink, text: str) -> None:
    spans: list[tuple[int, int]] = []
    # the cover's address: city and state as read by the cover rules
    for f in sink.facts:
        if f.field in ("dei:EntityAddressCityOrTown", "dei:EntityAddressStateOrProvince",
                       "dei:EntityAddressPostalZipCode", "dei:EntityIncorporationStateCountryCode"):
            for ev in f.evidence:
                spans.append((ev.start, ev.end))
    for m in DATELINE_RE.finditer(text):
        if _NOT_CITY.match(m[1]) or len(m[1]) < 3 or _NOT_DATELINE.search(m[1]):
            continue
        if m[2] is None and not re.search(r",|\.\.|[-—–]", text[m.end(1) : m.end()]) \
                and not m[1].endswith(".."):
            continue
        if m[2] is None and not m[1].isupper():
            continue  # "March 17, 2005" alone, or a sentence start
        if m[2] is not None and not re.fullmatch(rf"{_CODES}|{_ABBR}|{_STATE_NAME_ALT}|[A-Z]+",
                                                 m[2], re.I):
            continue
        if re.fullmatch(MONTHS, m[1].strip(), re.I):
            continue
        city_end = m.end(1)
        if m[1].endswith(".."):  # "MINNEAPOLIS...JANUARY 3, 2001"
            city_end = m.start(1) + len(m[1].rstrip("."))
        spans.append((m.start(1), city_end))
        if m[2]:
            spans.append((m.start(2), m.end(2)))
    # "City, ST 02139": anchored on the zip code, read backwards over a short window
    found: list[re.Match[str]] = []
    for z in ZIP_ANCHOR_RE.finditer(text):
        w0 = max(0, z.start() - 70)
        hits = list(ADDRESS_CITY_RE.finditer(text, w0, z.end()))
        if hits and hits[-1].end() == z.end():
            found.append(hits[-1])
    for sm in STATE_AFTER_COMMA_RE.finditer(text):
        cm = CITY_STATE_RE.search(text, max(0, sm.start() - 45), sm.end())
        if cm is not None and cm.end() == sm.end():
            found.append(cm)
    for m in found:
        if True:
            city = m[1]
            if _NOT_CITY.match(city):
                continue
            # "1 Wayside Road Burlington, MA": the street runs into the city
            st = _STREET_TAIL.match(city) or re.match(r".*['’]s\s+", city)
            cs = m.start(1) + (st.end() if st else 0)
            if cs >= m.end(1):
                continue
            spans.append((cs, m.end(1)))
            spans.append((m.start(2), m.end(2)))
            if m.re is ADDRESS_CITY_RE:
                spans.append((m.start(3), m.end(3)))  # the zip of an address line
    # countries named as places (not inside an organization's name)
    org_spans = [(e.start, e.end) for e in sink.entities if e.label == "ORG"]
    for i in find_all(text, _COUNTRY_NEEDLES):
        cm = COUNTRY_RE.match(text, i)
        if cm and not _LAW_AFTER_RE.match(text, cm.end()) and \
                not any(s < cm.end() and cm.start() < e for s, e in org_spans):
            spans.append((cm.start(), cm.end()))
    _add_non_overlapping(sink, "LOCATION", spans, text)


def _tickers(ctx: Ctx, sink: Sink, text: str) -> None:
    spans: list[tuple[int, int]] = []
    for m in TICKER_RE.finditer(text):
        spans.append((m.start(2), m.end(2)))
    for f in sink.facts:
        if f.field == "dei:TradingSymbol":
            spans += [(ev.start, ev.end) for ev in f.evidence]
    _add_non_overlapping(sink, "TICKER", spans, text)
