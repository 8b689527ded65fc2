"""Normalizers: raw strings as printed in filings to the catalogue's normal forms.

Every function here is pure: the same input gives the same output, nothing is
read from disk or the environment. The catalogue names a normalizer per field
(``NORMALIZERS``); gold files, extractors and the evaluator all store and
compare normalized values, so "Massachusetts", "MASS." and "MA" are one value.

A value that cannot be normalized raises ``NormalizationError`` saying why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from filingkit.errors import NormalizationError

JSON = Any

# ------------------------------------------------------------------ text cleanup

_MARKDOWN = re.compile(r"\\(?=[$&*_#\[\]()])|\*\*|</?u>|</?b>|</?i>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def clean_text(raw: str) -> str:
    """Strip markdown and tag artifacts (``\\$``, ``**``, ``<u>``) and fold white space."""
    text = _MARKDOWN.sub("", unicodedata.normalize("NFKC", raw))
    return _SPACE.sub(" ", text).strip()


def text(raw: JSON) -> str:
    """Text as printed, artifacts removed and white space folded."""
    if not isinstance(raw, str):
        raise NormalizationError(f"expected text, got {type(raw).__name__}")
    return clean_text(raw)


def name(raw: JSON) -> str:
    """A name as printed (registrant, city, signatory): cleaned, case kept.

    Matching is done on ``name_key`` (case and punctuation ignored); the
    strict variant compares this normalized form exactly.
    """
    value = text(raw).strip(" ,;:")
    if not value:
        raise NormalizationError("empty name")
    return value


def name_key(value: str) -> str:
    """Case-, accent- and punctuation-insensitive key for lenient name matching."""
    folded = unicodedata.normalize("NFKD", clean_text(value)).casefold()
    folded = folded.replace("&", "and")
    return "".join(ch for ch in folded if ch.isalnum())


# ------------------------------------------------------------------ dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_MDY = re.compile(
    rf"^(?P<m>{_MONTH_RE})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}})$", re.I
)
_DATE_DMY = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})$", re.I
)
_DATE_DAY_OF = re.compile(
    rf"^(?:on\s+)?(?:this\s+|the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+(?P<m>{_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})$",
    re.I,
)
_DATE_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_DATE_US = re.compile(r"^(?P<m>\d{1,2})[/.-](?P<d>\d{1,2})[/.-](?P<y>\d{4}|\d{2})$")


def date_(raw: JSON) -> str:
    """A calendar day as ISO ``YYYY-MM-DD`` (March 15, 2005 / 03/15/2005 / 2005-03-15)."""
    if not isinstance(raw, str):
        raise NormalizationError(f"expected a date string, got {type(raw).__name__}")
    s = clean_text(raw).strip(" .,;:")
    s = _SPACE.sub(" ", s)
    y = m = d = None
    for pattern in (_DATE_MDY, _DATE_DMY, _DATE_DAY_OF, _DATE_ISO, _DATE_US):
        hit = pattern.match(s)
        if hit:
            ms = hit["m"]
            m = int(ms) if ms.isdigit() else _MONTHS[ms.lower()]
            d = int(hit["d"])
            y = int(hit["y"])
            if y < 100:
                y += 2000 if y < 50 else 1900
            break
    if y is None or m is None or d is None:
        raise NormalizationError(f"not a calendar date: {raw!r}")
    try:
        return date(y, m, d).isoformat()
    except ValueError as exc:
        raise NormalizationError(f"not a valid date: {raw!r} ({exc})") from None


# ------------------------------------------------------------------ codes

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR",
    "guam": "GU", "virgin islands": "VI", "u.s. virgin islands": "VI",
}
# EDGAR state/country codes for jurisdictions seen outside the US.
FOREIGN_CODES = {
    "alberta": "A0", "british columbia": "A1", "manitoba": "A2", "new brunswick": "A3",
    "newfoundland": "A4", "nova scotia": "A5", "ontario": "A6", "prince edward island": "A7",
    "quebec": "A8", "saskatchewan": "A9", "yukon": "B0", "canada": "Z4",
    "bermuda": "D0", "british virgin islands": "D8", "cayman islands": "E9",
    "france": "I0", "germany": "2M", "hong kong": "K3", "ireland": "L2", "israel": "L3",
    "japan": "M0", "luxembourg": "N4", "netherlands": "P7", "the netherlands": "P7",
    "marshall islands": "1T", "panama": "R1", "singapore": "U0", "switzerland": "V8",
    "united kingdom": "X0", "england": "X0", "england and wales": "X0", "australia": "C3",
    "china": "F4", "jersey": "Y9", "guernsey": "Y7", "bahamas": "C5", "liberia": "M3",
}
_STATE_ABBR = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
    "conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN",
    "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA",
    "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
    "nebr": "NE", "nev": "NV", "n.h": "NH", "n.j": "NJ", "n.m": "NM", "n.y": "NY",
    "n.c": "NC", "n.d": "ND", "okla": "OK", "ore": "OR", "oreg": "OR", "pa": "PA",
    "penn": "PA", "r.i": "RI", "s.c": "SC", "s.d": "SD", "tenn": "TN", "tex": "TX",
    "vt": "VT", "va": "VA", "wash": "WA", "w.va": "WV", "wis": "WI", "wisc": "WI",
    "wyo": "WY", "d.c": "DC",
}
_ALL_CODES = frozenset(US_STATES.values()) | frozenset(FOREIGN_CODES.values())


def state_code(raw: JSON) -> str:
    """A US state or EDGAR jurisdiction as its code: Massachusetts -> MA, Cayman Islands -> E9."""
    s = text(raw)
    key = re.sub(r"^(the\s+)?(state|commonwealth|province)\s+of\s+", "", s.lower()).strip(" .,")
    key = _SPACE.sub(" ", key)
    if key in US_STATES:
        return US_STATES[key]
    if key in FOREIGN_CODES:
        return FOREIGN_CODES[key]
    if key.rstrip(".") in _STATE_ABBR:
        return _STATE_ABBR[key.rstrip(".")]
    if s.upper() in _ALL_CODES:
        return s.upper()
    raise NormalizationError(f"unknown state or jurisdiction: {raw!r}")


#: widths of EDGAR's file-number parts: prefix, serial, sub-number ("001-06468", "333-46893-01")
FILE_NUMBER_WIDTHS = (3, 5, 2)
#: EDGAR's normal form: a three-digit prefix, a serial of at least five digits, an optional
#: sub-number of at least two (catalogue v2; v1 dropped every leading zero)
FILE_NUMBER_RE = re.compile(r"\d{3}-\d{5,8}(?:-\d{2,3})?")
_FILE_LABEL_PREFIX = re.compile(
    r"^(?:commission\s*file\s*(?:number|no\.?)|sec\s*file\s*(?:number|no\.?)|file\s*number"
    r"|file\s*no\.?|no\.)\s*:?\s*", re.I)


def file_number(raw: JSON) -> str:
    """Commission file number in EDGAR's normal form (catalogue v2).

    EDGAR (the SGML header's ``SEC FILE NUMBER``, the company records) writes a
    three-digit prefix and a five-digit serial, zero-padded, and a two-digit
    sub-number: ``0-17999`` -> ``000-17999``, ``1-6468`` -> ``001-06468``,
    ``33-70636`` -> ``033-70636``, ``333-46893-1`` -> ``333-46893-01``. Longer
    serials keep their digits as written (``333-123456``); other prefixes
    (``811-02699``, ``814-01074``, ``002-26720``) follow the same rule. Values then
    join with ``dei:EntityFileNumber`` tags and EDGAR data as they are.
    """
    s = text(raw).replace("\u2013", "-").replace("\u2014", "-").replace("\u2011", "-")
    s = _FILE_LABEL_PREFIX.sub("", s)
    s = re.sub(r"\s*-\s*", "-", s).strip()
    parts = s.split("-")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise NormalizationError(f"not a Commission file number: {raw!r}")
    if int(parts[0]) > 999:
        raise NormalizationError(f"a file-number prefix has at most three digits: {raw!r}")
    prefix = f"{int(parts[0]):03d}"
    out = [prefix] + [p.zfill(w) for p, w in zip(parts[1:], FILE_NUMBER_WIDTHS[1:], strict=False)]
    value = "-".join(out)
    if not FILE_NUMBER_RE.fullmatch(value):
        raise NormalizationError(f"not a Commission file number: {raw!r}")
    return value


def ein(raw: JSON) -> str:
    """IRS employer identification number as NN-NNNNNNN."""
    digits = re.sub(r"\D", "", text(raw))
    if len(digits) != 9:
        raise NormalizationError(f"an EIN has 9 digits, got {len(digits)}: {raw!r}")
    return f"{digits[:2]}-{digits[2:]}"


def zip_code(raw: JSON) -> str:
    """US zip code, 5 digits or ZIP+4 (NNNNN-NNNN); other postal codes as printed, upper case."""
    s = text(raw).upper()
    digits = re.sub(r"\D", "", s)
    if re.fullmatch(r"\d{5}(?:[- ]?\d{4})?", s):
        return digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"
    if s and re.fullmatch(r"[A-Z0-9][A-Z0-9 -]{1,9}", s):
        return s
    raise NormalizationError(f"not a postal code: {raw!r}")


def _phone_digits(raw: JSON) -> str:
    digits = re.sub(r"\D", "", text(raw))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def phone(raw: JSON) -> str:
    """A North American phone number as NNN-NNN-NNNN (others: digits only)."""
    digits = _phone_digits(raw)
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) < 7:
        raise NormalizationError(f"not a phone number: {raw!r}")
    return digits


def area_code(raw: JSON) -> str:
    """The area code: (617) -> 617; a full number gives its first three digits."""
    digits = _phone_digits(raw)
    if len(digits) in (3, 10):
        return digits[:3]
    raise NormalizationError(f"not an area code: {raw!r}")


def local_phone(raw: JSON) -> str:
    """The local number as NNN-NNNN; a full 10-digit number loses its area code."""
    digits = _phone_digits(raw)
    if len(digits) == 10:
        digits = digits[3:]
    if len(digits) == 7:
        return f"{digits[:3]}-{digits[3:]}"
    raise NormalizationError(f"not a local phone number: {raw!r}")


def ticker(raw: JSON) -> str:
    """A trading symbol, upper case, no exchange prefix: 'Nasdaq: IMGN' -> IMGN."""
    s = text(raw).upper()
    s = re.sub(r"^(NASDAQ|NYSE|AMEX|OTCBB|OTC)\s*[:-]\s*", "", s)
    s = s.strip(" ()")
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9.\-/ ]{0,14}", s):
        raise NormalizationError(f"not a trading symbol: {raw!r}")
    return s


_EXCHANGES: tuple[tuple[str, str], ...] = (
    (r"nyse\s*arca|archipelago", "NYSEArca"),
    (r"nyse\s*(american|mkt|amex)|american\s+stock\s+exchange|^amex$", "NYSEAMER"),
    (r"new\s+york\s+stock\s+exchange|^nyse\b", "NYSE"),
    (r"nasdaq|^nms$", "NASDAQ"),
    (r"cboe\s*bzx|bats", "CboeBZX"),
    (r"chicago\s+board\s+options|^cboe$", "CBOE"),
    (r"chicago\s+stock\s+exchange|^chx$", "CHX"),
    (r"investors\s+exchange|^iex$", "IEX"),
    (r"^box\b", "BOX"),
    (r"\bmiax\b", "MIAX"),
    (r"philadelphia|^phlx$", "PHLX"),
    (r"^none$|not\s+applicable|^n/?a$", "NONE"),
)


def exchange(raw: JSON) -> str:
    """An exchange name as its dei code: The Nasdaq Stock Market LLC -> NASDAQ."""
    s = text(raw)
    codes = {code.lower(): code for _, code in _EXCHANGES}
    if s.lower() in codes:
        return codes[s.lower()]
    low = s.lower()
    for pattern, code in _EXCHANGES:
        if re.search(pattern, low):
            return code
    raise NormalizationError(f"unknown exchange: {raw!r}")


_TRUE = {"true", "yes", "x", "[x]", "☒", "☑", "✓", "✔", "■", "þ", "1"}
_FALSE = {"false", "no", "o", "[ ]", "[]", "☐", "□", "¨", "", "0", "q", "|_|", "[_]"}


def bool_(raw: JSON) -> bool:
    """A check box or yes/no as a boolean: ☒, x, true -> True; ☐, o, false -> False."""
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        raise NormalizationError(f"expected a boolean or check mark, got {type(raw).__name__}")
    # check the glyph before NFKC: it decomposes ¨ into a space and a combining mark
    glyph = raw.strip()
    if glyph in _TRUE or glyph in _FALSE:
        return glyph in _TRUE
    s = clean_text(raw).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise NormalizationError(f"not a check mark or boolean: {raw!r}")


def document_type(raw: JSON) -> str:
    """The form type: 'FORM 8-K' -> 8-K, '8-K/A' kept."""
    s = text(raw).upper().replace("FORM", "").replace(" ", "")
    s = s.replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"^8K", "8-K", s)
    if not re.fullmatch(r"8-K(/A|12B|12G3|15D5)?", s):
        raise NormalizationError(f"not an 8-K form type: {raw!r}")
    return s


def item(raw: JSON) -> str:
    """An 8-K item code: 'Item 8.01' -> 8.01; 'legacy:5' kept; a bare 'Item 5' -> legacy:5."""
    s = text(raw)
    hit = re.fullmatch(r"(?i)legacy:\s*(\d{1,2})", s)
    if hit:
        return f"legacy:{int(hit[1])}"
    s = re.sub(r"(?i)^item\s*", "", s).strip(" .:-\u2014\u2013")
    hit = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", s)
    if hit:
        return f"{int(hit[1])}.{int(hit[2]):02d}"
    hit = re.fullmatch(r"(\d{1,2})", s)
    if hit:
        return f"legacy:{int(hit[1])}"
    raise NormalizationError(f"not an item code: {raw!r}")


def exhibit(raw: JSON) -> str:
    """An exhibit number: 'Exhibit 99.1' / 'EX-99.1' -> 99.1."""
    s = text(raw)
    s = re.sub(r"(?i)^(exhibit|ex)[\s.-]*(no\.?\s*)?", "", s).strip(" .:*")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,3}[a-z]?)?(\([a-z0-9]+\))?", s, flags=re.I):
        raise NormalizationError(f"not an exhibit number: {raw!r}")
    return s.lower()


# ------------------------------------------------------------------ numbers and money

_SCALES = {
    "thousand": 3, "thousands": 3, "k": 3,
    "million": 6, "millions": 6, "mm": 6, "mil": 6, "m": 6,
    "billion": 9, "billions": 9, "bn": 9, "b": 9,
    "trillion": 12,
}
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
             "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
             "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY"}
_AMOUNT = re.compile(
    r"""^(?P<neg1>\(|-|\u2212)?\s*
        (?P<cur1>US\$|\$|€|£|¥|USD|EUR|GBP)?\s*
        (?P<neg2>\(|-|\u2212)?\s*
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*
        (?P<scale>thousands?|millions?|billions?|trillion|mm|mil|bn|[kmb])?\.?\s*
        (?P<cur2>dollars?|usd|euros?|eur|gbp)?\s*
        (?P<close>\))?$""",
    re.I | re.X,
)


def parse_amount(raw: str, *, scale: int = 0) -> tuple[Decimal, int, str | None]:
    """Parse a printed amount to ``(value, decimals, currency)``.

    ``scale`` is the power of ten a table header imposes ("in thousands" -> 3).
    Parentheses or a minus sign make the value negative. ``decimals`` follows
    XBRL: the number of reliable digits after the decimal point, negative for
    rounding to tens, thousands, millions ($9.0 million -> -5).
    """
    s = clean_text(raw)
    hit = _AMOUNT.match(s)
    if not hit:
        raise NormalizationError(f"not an amount: {raw!r}")
    num = hit["num"].replace(",", "")
    try:
        value = Decimal(num)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise NormalizationError(f"not a number: {raw!r}") from None
    places = len(num.split(".")[1]) if "." in num else 0
    power = scale
    if hit["scale"]:
        power += _SCALES[hit["scale"].lower()]
    value = value.scaleb(power)
    negative = bool(hit["neg1"] or hit["neg2"])
    if (hit["neg1"] == "(" or hit["neg2"] == "(") != bool(hit["close"]):
        raise NormalizationError(f"unbalanced parentheses: {raw!r}")
    if negative:
        value = -value
    cur = hit["cur1"] or hit["cur2"]
    currency = _CURRENCY.get(cur.lower()) if cur else None
    return value, places - power, currency


def number_json(value: Decimal) -> int | float:
    """A Decimal as the JSON number that round-trips it: int when integral."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def decimals_(raw: JSON) -> int | str:
    """XBRL decimals: an integer, or 'INF' for exact values."""
    if isinstance(raw, bool):
        raise NormalizationError("decimals is an integer or INF, not a boolean")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().upper() == "INF":
        return "INF"
    if isinstance(raw, str) and re.fullmatch(r"-?\d+", raw.strip()):
        return int(raw)
    raise NormalizationError(f"decimals must be an integer or INF: {raw!r}")


def number(raw: JSON) -> int | float:
    """A plain number; strings may carry commas, a scale word and parentheses."""
    if isinstance(raw, bool):
        raise NormalizationError("expected a number, got a boolean")
    if isinstance(raw, int | float):
        return raw
    if isinstance(raw, str):
        value, _, _ = parse_amount(raw)
        return number_json(value)
    raise NormalizationError(f"expected a number, got {type(raw).__name__}")


def money(raw: JSON) -> dict[str, Any]:
    """Money as ``{"value", "unit", "decimals"}``: '$9.0 million' -> 9000000 USD, decimals -5."""
    if isinstance(raw, Mapping):
        if "value" not in raw:
            raise NormalizationError("money needs a value")
        unit = str(raw.get("unit", "USD")).upper()
        return {
            "value": number(raw["value"]),
            "unit": unit,
            "decimals": decimals_(raw.get("decimals", "INF")),
        }
    if not isinstance(raw, str):
        raise NormalizationError(f"expected an amount, got {type(raw).__name__}")
    value, decimals, currency = parse_amount(raw)
    if currency is None:
        raise NormalizationError(f"an amount of money needs its currency sign or word: {raw!r}")
    return {"value": number_json(value), "unit": currency, "decimals": decimals}


def period(raw: JSON) -> dict[str, str]:
    """A period as ``{"instant": date}`` or ``{"start": date, "end": date}`` (ISO)."""
    if not isinstance(raw, Mapping):
        raise NormalizationError("a period is an object with instant, or start and end")
    if "instant" in raw:
        if set(raw) != {"instant"}:
            raise NormalizationError("an instant period has no start or end")
        return {"instant": date_(raw["instant"])}
    if set(raw) != {"start", "end"}:
        raise NormalizationError("a duration period has exactly start and end")
    start, end = date_(raw["start"]), date_(raw["end"])
    if start > end:
        raise NormalizationError(f"period starts after it ends: {start} > {end}")
    return {"start": start, "end": end}


def concept(raw: JSON) -> str:
    """An XBRL concept QName; a bare name gets the us-gaap prefix."""
    s = text(raw)
    if not re.fullmatch(r"([a-z][a-z0-9-]*:)?[A-Z][A-Za-z0-9]*", s):
        raise NormalizationError(f"not an XBRL concept name: {raw!r}")
    return s if ":" in s else f"us-gaap:{s}"


def unit(raw: JSON) -> str:
    """A unit: USD, USD/shares, shares, pure (iso4217:USD accepted)."""
    s = text(raw).replace("iso4217:", "").replace("xbrli:", "")
    aliases = {"usd": "USD", "usd/shares": "USD/shares", "usdpershare": "USD/shares",
               "shares": "shares", "pure": "pure"}
    key = s.lower().replace(" ", "")
    if key in aliases:
        return aliases[key]
    if re.fullmatch(r"[A-Z]{3}(/shares)?", s):
        return s
    raise NormalizationError(f"unknown unit: {raw!r}")


_ARG_NORMALIZERS: dict[str, Callable[[JSON], JSON]] = {}


def _record(raw: JSON, arg_types: Mapping[str, str]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise NormalizationError("a record value is an object of named arguments")
    out: dict[str, Any] = {}
    for key, val in raw.items():
        if val is None:
            continue
        kind = arg_types.get(key)
        if kind is None:
            raise NormalizationError(f"unknown argument {key!r}; known: {', '.join(arg_types)}")
        try:
            out[key] = _ARG_NORMALIZERS[kind](val)
        except NormalizationError as exc:
            raise NormalizationError(f"argument {key}: {exc.reason}") from None
    return out


_FINANCIAL_ARGS = {"concept": "concept", "period": "period", "unit": "unit",
                   "value": "number", "decimals": "decimals"}


def financial_fact(raw: JSON) -> dict[str, Any]:
    """An XBRL-style fact record: concept, period, unit, value, decimals."""
    return _record(raw, _FINANCIAL_ARGS)


_EVENT_ARGS = {
    "amount": "money", "payer": "name", "product": "name", "indication": "name",
    "phase": "phase", "sponsor": "name", "licensee": "name", "licensor": "name",
    "upfront_amount": "money", "potential_milestones": "money",
}


def phase(raw: JSON) -> str:
    """A clinical trial phase: 'Phase I/II' -> I/II, 'phase 2' -> II."""
    s = text(raw).upper().replace("PHASE", "").strip()
    arabic = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    parts = [arabic.get(p.strip(), p.strip()) for p in re.split(r"[/-]", s)]
    if not parts or not all(p in {"I", "II", "III", "IV", "0"} for p in parts):
        raise NormalizationError(f"not a trial phase: {raw!r}")
    return "/".join(parts)


def event(raw: JSON) -> dict[str, Any]:
    """An event record: its named arguments normalized by their types."""
    return _record(raw, _EVENT_ARGS)


_ARG_NORMALIZERS.update(
    {
        "name": name, "string": text, "date": date_, "code": text, "bool": bool_,
        "number": number, "money": money, "period": period, "decimals": decimals_,
        "concept": concept, "unit": unit, "phase": phase,
    }
)

NORMALIZERS: dict[str, Callable[[JSON], JSON]] = {
    "text": text,
    "name": name,
    "date": date_,
    "state_code": state_code,
    "file_number": file_number,
    "ein": ein,
    "zip": zip_code,
    "phone": phone,
    "area_code": area_code,
    "local_phone": local_phone,
    "ticker": ticker,
    "exchange": exchange,
    "bool": bool_,
    "document_type": document_type,
    "item": item,
    "exhibit": exhibit,
    "number": number,
    "money": money,
    "financial_fact": financial_fact,
    "event": event,
}


def normalize(normalizer: str, raw: JSON) -> JSON:
    """Apply the named normalizer; an unknown name is a ``NormalizationError``."""
    try:
        fn = NORMALIZERS[normalizer]
    except KeyError:
        raise NormalizationError(f"unknown normalizer {normalizer!r}") from None
    return fn(raw)
