"""The ``rules`` extractor: layout-aware rules over the canonical text (GitHub issue 4).

Reads the cover page (form type, date of report, registrant, state / file
number / EIN, address, phone, check boxes, emerging growth company, Section
12(b) table), the filing structure (items, exhibits, signature block),
entities that rules find reliably (ORG, PERSON, LOCATION, TICKER), financial
figures of tables and prose (``xbrl:Fact``) and the seed events (milestone
payments, clinical trial starts, license agreements).

Each rule family lives in its own ``rules_*`` module; this module orders them
(the cover's date of report decides legacy item numbering, the registrant and
signatory feed the entity rules). Every value is normalized by the field's
catalogue normalizer (values that fail are dropped) and every fact carries the
offsets where its value is read. See ``docs/rules.md``.
"""

from __future__ import annotations

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.extractors.rules_common import Ctx, Sink, make_ctx
from filingkit.extractors.rules_cover import cover_rules
from filingkit.extractors.rules_entities import entity_rules
from filingkit.extractors.rules_events import event_rules
from filingkit.extractors.rules_financial import financial_rules
from filingkit.extractors.rules_items import find_item_headings, item_rules
from filingkit.extractors.rules_signature import signature_rules
from filingkit.records import Annotations, Document

#: How far into the 8-K main document the cover may reach when no item heading ends it.
COVER_LIMIT = 15000
COVER_MIN = 800

FIELDS: tuple[str, ...] = (
    "ORG", "PERSON", "LOCATION", "TICKER",
    "dei:DocumentType", "dei:DocumentPeriodEndDate", "dei:EntityRegistrantName",
    "dei:EntityIncorporationStateCountryCode", "dei:EntityFileNumber",
    "dei:EntityTaxIdentificationNumber", "dei:EntityAddressAddressLine1",
    "dei:EntityAddressCityOrTown", "dei:EntityAddressStateOrProvince",
    "dei:EntityAddressPostalZipCode", "dei:CityAreaCode", "dei:LocalPhoneNumber",
    "dei:TradingSymbol", "dei:SecurityExchangeName", "dei:WrittenCommunications",
    "dei:SolicitingMaterial", "dei:PreCommencementTenderOffer",
    "dei:PreCommencementIssuerTenderOffer", "dei:EntityEmergingGrowthCompany",
    "filing:Items", "filing:Exhibits", "filing:SignatoryName", "filing:SignatoryTitle",
    "filing:SignatureDate",
    "xbrl:Fact",
    "event:MilestonePayment", "event:ClinicalTrialStart", "event:LicenseAgreement",
)


class RulesExtractor:
    """Hand-written, layout-aware rules; no training, deterministic, fast."""

    name = "rules"
    version = "1"
    fields: tuple[str, ...] = FIELDS

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or load_catalogue()
        missing = [f for f in self.fields if f not in self.catalogue]
        if missing:  # a user catalogue without some of our fields: emit only the known ones
            self.fields = tuple(f for f in self.fields if f in self.catalogue)

    def extract(self, document: Document) -> Annotations:
        """Entities and facts of ``document``, normalized, with evidence offsets."""
        ctx = make_ctx(document)
        sink = Sink(catalogue=self.catalogue)
        headings = find_item_headings(ctx)
        cover_end = _cover_end(ctx, headings)
        ctx.cover_end = cover_end
        cover_rules(ctx, sink, cover_end)
        item_rules(ctx, sink, headings)
        signature_rules(ctx, sink, headings[-1][2] if headings else cover_end)
        financial_rules(ctx, sink)
        event_rules(ctx, sink)
        entity_rules(ctx, sink)
        allowed = set(self.fields)
        facts = tuple(f for f in sink.facts if f.field in allowed)
        entities = tuple(sorted((e for e in sink.entities if e.label in allowed),
                                key=lambda e: (e.start, e.end, e.label)))
        return Annotations(doc_id=document.doc_id, entities=entities, facts=facts)


def _cover_end(ctx: Ctx, headings: list[tuple[str, int, int]]) -> int:
    main_start: int = ctx.main_start
    limit: int = min(ctx.main_end, main_start + COVER_LIMIT)
    for _code, start, _end in headings:
        if start - main_start >= COVER_MIN:
            return min(start, limit)
    return limit
