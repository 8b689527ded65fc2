"""Corpus filings into the gold folder, and machine-read facts merged into gold files.

``add_corpus_filing`` copies one filing of the shared corpus into
``<gold>/<id>/source/`` byte for byte, writes its canonical ``text.txt`` (the
ingestion module's text) and a draft ``gold.json`` with the facts the filing's
inline XBRL and SGML header give. An existing ``gold.json`` is never replaced.

``merge_ixbrl`` / ``merge_header`` fold one source's facts into an existing
gold record, idempotently: the facts of that source are recomputed, facts of
other sources are left alone. The precedence, as documented in
``docs/gold-sources.md``:

- a person's reading of the printed cover (``manual``, ``labelstudio:*``,
  ``adjudicated``) is the gold; where inline XBRL or the header says something
  else, a ``Disagreement`` records it and the machine fact is not added;
- inline XBRL facts (``ixbrl``) come next and replace header pre-fills;
- header facts (``sgml-header``) only pre-fill fields nothing else gives, and
  are cross-checked against the others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import FilingkitError, GoldFormatError, OverwriteRefused
from filingkit.gold import header as hdr
from filingkit.gold import ixbrl
from filingkit.gold.sources import source_parts
from filingkit.gold.store import GOLD_FILE, SOURCE_DIR, TEXT_FILE, read_text_file, write_text_once
from filingkit.jsonio import read_json, write_bytes_atomic, write_json_atomic
from filingkit.normalize import name_key
from filingkit.records import (
    Disagreement,
    Document,
    Evidence,
    Fact,
    GoldRecord,
    Provenance,
    sha256_text,
)
from filingkit.serialize import gold_from_json, gold_to_json

HUMAN = ("manual", "adjudicated")
NOTE_PREFIX = {ixbrl.SOURCE: "[ixbrl] ", hdr.SOURCE: "[sgml-header] "}
# The schema needs one scope entry. A draft with no cover reading scopes the form
# type only: EDGAR's form type (header or manifest), printed as FORM 8-K on every cover.
PLACEHOLDER_SCOPE = ("dei:DocumentType",)


def is_human(source: str) -> bool:
    """A person's reading of the document (the gold wins over machine sources)."""
    return source in HUMAN or source.startswith("labelstudio:")


# ------------------------------------------------------------------ manifest


def read_manifest(corpus_dir: str | Path) -> dict[str, dict[str, Any]]:
    """The corpus manifest's rows by id."""
    path = Path(corpus_dir) / "manifest.jsonl"
    rows: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise FilingkitError("no manifest.jsonl in the corpus folder", file=path) from None
    for i, line in enumerate(lines, 1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FilingkitError(f"line {i}: invalid JSON: {exc.msg}", file=path) from None
            rows[str(row["id"])] = row
    return rows


def main_file(row: Mapping[str, Any]) -> str:
    """The manifest path of the filing's main file (the full submission or main document)."""
    files = row.get("files") or []
    for f in files:
        if f.get("role") in ("raw_full_submission", "raw_main_doc"):
            return str(f["path"])
    if not files:
        raise FilingkitError(f"manifest row {row.get('id')} lists no files")
    return str(files[0]["path"])


def provenance_of(row: Mapping[str, Any]) -> Provenance:
    """Corpus provenance from a manifest row (``files`` as in the manifest; the copies are
    ``source/<file name>`` in the gold folder). Ingestion's ``provenance_from_row`` is used
    when present; this is the same, for callers without ingestion."""
    def opt(key: str) -> str | None:
        v = row.get(key)
        return None if v is None else str(v)

    return Provenance(
        kind="corpus",
        path=str(row.get("source_path") or main_file(row)),
        repo=opt("source_repo"), commit=opt("commit"), accession=opt("accession"),
        company=opt("company"), cik=opt("cik"), form=opt("form"),
        filing_date=opt("filing_date"), format=opt("format"),
        license_note=opt("license_note"),
        files=tuple(str(f["path"]) for f in row.get("files") or ()),
    )


# ------------------------------------------------------------------ reading sources


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """One source's facts for one filing, with notes on what it left out."""

    source: str
    facts: tuple[Fact, ...]
    notes: tuple[str, ...]
    complete: bool = False  # ixbrl: every tagged cover field was captured


def ixbrl_source_facts(path: str | Path, doc_text: str | None,
                       catalogue: Catalogue | None = None) -> SourceFacts | None:
    """Catalogue facts of the filing's inline XBRL, with evidence in ``doc_text``;
    ``None`` when its main document has no inline XBRL."""
    cat = catalogue or load_catalogue()
    data = Path(path).read_bytes()
    html = hdr.main_document(data)
    if html is None or not ixbrl.is_inline_xbrl(html):
        return None
    parsed = ixbrl.parse_ixbrl(html, file=str(path))
    result = ixbrl.catalogue_facts(parsed, cat)
    spans: dict[int, tuple[tuple[int, int], ...]] = {}
    notes = list(result.notes)
    if doc_text is not None:
        spans = ixbrl.evidence_spans(doc_text, html, [f.ix for f in result.facts])
    facts = []
    dropped = False
    for cf in result.facts:
        ev: tuple[Evidence, ...] = ()
        if doc_text is not None:
            ev = tuple(Evidence(a, b, doc_text[a:b]) for a, b in spans.get(cf.ix.order, ()))
            if not ev and not cf.ix.hidden:
                notes.append(f"{cf.field}: visible tag {cf.ix.element_id or cf.ix.order} "
                             "not found in the canonical text; no evidence")
        value, note = cf.value, None
        if cf.ix.hidden:
            note = ("hidden fact (ix:hidden), shown on the page through -sec-ix-hidden" if ev
                    else "hidden fact (ix:hidden or display:none): not printed, no evidence")
        if cf.ix.hidden and doc_text is not None and cat[cf.field].match == "name":
            # Names are gold as printed. A hidden name tag often holds EDGAR's conformed
            # name (ORACLE CORP) while the cover prints Oracle Corporation.
            printed = " ".join(e.text or "" for e in ev)
            if not ev:
                dropped = True
                notes.append(f"{cf.field}: hidden tag value {cf.value!r} is not printed where "
                             "it is tagged; not taken (annotate the printed name)")
                continue
            if _printed_differs(cat, cf.field, printed, cf.value):
                value = cat_normal(cat, cf.field, printed)
                note = (f"{note}; the tag says {cf.value!r}, the gold takes the printed "
                        f"form {value!r}")
        if cf.field == "dei:EntityRegistrantName" and not cf.ix.hidden and len(ev) == 1 \
                and doc_text is not None:
            # filers sometimes tag part of the printed name (THE [BUCKLE, INC].,
            # [NVIDIA CORP]ORATION): the gold is the name as printed on its line
            full = _name_line(doc_text, ev[0])
            if full is not None:
                note = (f"the tag covers {ev[0].text!r} of the printed name {full.text!r}; "
                        "the gold takes the printed name")
                ev = (full,)
                value = cat_normal(cat, cf.field, full.text)
        if cf.field == "dei:EntityAddressAddressLine1" and isinstance(value, str):
            line, suite = hdr.split_suite(value)
            if suite:
                # the catalogue leaves the suite to line 2; evidence shrinks to match
                value = cat_normal(cat, cf.field, line)
                note = f"the tag includes {suite!r}, which the catalogue leaves to line 2"
                ev = tuple(_shrink(e, line) for e in ev)
        facts.append(Fact(field=cf.field, value=value, evidence=ev, source=ixbrl.SOURCE,
                          note=note))
    complete = not result.failed and not dropped and bool(facts)
    return SourceFacts(ixbrl.SOURCE, tuple(facts), tuple(notes), complete)


_NAME_PREFIX = re.compile(r"(?i)^(the\s+)?$")
_NAME_SUFFIX = re.compile(r"^[A-Za-z]*\.?$")


def _name_line(text: str, ev: Evidence) -> Evidence | None:
    """The whole printed name when the tag covers only part of its line: a leading
    "The", the rest of the last word or a final period left out; else None."""
    start = max(text.rfind("\n", 0, ev.start), text.rfind("\t", 0, ev.start)) + 1
    ends = [i for i in (text.find("\n", ev.end), text.find("\t", ev.end)) if i >= 0]
    end = min(ends) if ends else len(text)
    while start < ev.start and text[start].isspace():
        start += 1
    while end > ev.end and text[end - 1].isspace():
        end -= 1
    if (start, end) == (ev.start, ev.end):
        return None
    if not _NAME_PREFIX.match(text[start:ev.start]) or not _NAME_SUFFIX.match(text[ev.end:end]):
        return None
    return Evidence(start, end, text[start:end])


def _shrink(ev: Evidence, prefix: str) -> Evidence:
    """Evidence cut to the printed prefix (the address line without its suite)."""
    text = ev.text or ""
    if text.startswith(prefix):
        return Evidence(ev.start, ev.start + len(prefix), prefix)
    return ev


def _printed_differs(cat: Catalogue, name: str, printed: str, value: Any) -> bool:
    """True when the printed text does not normalize to the tagged value."""
    from filingkit.errors import NormalizationError
    from filingkit.normalize import normalize

    try:
        return bool(normalize(cat[name].normalizer, printed) != value)
    except NormalizationError:
        return False  # printed as a name (New York Stock Exchange) the normalizer cannot map


def header_source_facts(path: str | Path, catalogue: Catalogue | None = None, *,
                        gold_facts: Iterable[Fact] = (),
                        text: str | None = None) -> SourceFacts | None:
    """Header facts of an SGML submission; ``None`` when the file has no header.

    For a combined filing the registrant's FILER block is the one matching
    ``gold_facts`` (the cover reading) or printed first in ``text``.
    """
    data = Path(path).read_bytes()
    if not hdr.is_sgml(data):
        return None
    header = hdr.parse_sgml_header(data, file=str(path))
    idx = hdr.choose_filer(header, gold_facts, text)
    res = hdr.header_facts(header, catalogue, filer=idx)
    return SourceFacts(hdr.SOURCE, res.facts, res.notes)


# ------------------------------------------------------------------ merging


def _strip_source(record: GoldRecord, source: str) -> tuple[list[Fact], list[str],
                                                            list[Disagreement]]:
    facts = [f for f in record.facts if f.source != source]
    notes = [n for n in record.notes if not n.startswith(NOTE_PREFIX[source])]
    dis = [d for d in record.disagreements if source not in (d.other_source, d.kept_source)
           and source not in d.kept_source.split("+")]
    return facts, notes, dis


def _match_key(catalogue: Catalogue, name: str, value: Any) -> str:
    """The value as the evaluator compares it: names case- and punctuation-insensitively."""
    if catalogue[name].match == "name" and isinstance(value, str):
        return name_key(value)
    return repr(value)


def _differs(catalogue: Catalogue, name: str, a: list[Any], b: list[Any]) -> bool:
    """True when the two sources' values differ under the field's matching rule."""
    ka = [_match_key(catalogue, name, v) for v in a]
    kb = [_match_key(catalogue, name, v) for v in b]
    if catalogue[name].many:
        return sorted(ka) != sorted(kb)
    return ka[:1] != kb[:1]


def _in_scope(catalogue: Catalogue, scope: Sequence[str], name: str) -> bool:
    return name in scope or catalogue[name].group in scope


def _kept(catalogue: Catalogue, name: str, vals: list[Any]) -> Any:
    return sorted(vals, key=repr) if catalogue[name].many else vals[0]


def merge_ixbrl(record: GoldRecord, got: SourceFacts,
                catalogue: Catalogue | None = None) -> GoldRecord:
    """``record`` with its ixbrl facts replaced by ``got`` (see the module doc for precedence)."""
    cat = catalogue or load_catalogue()
    facts, notes, dis = _strip_source(record, ixbrl.SOURCE)
    new_fields = {f.field for f in got.facts}
    human_fields = {f.field for f in facts if is_human(f.source)}
    removed_header = [f for f in facts if f.source == hdr.SOURCE and f.field in new_fields]
    facts = [f for f in facts if not (f.source == hdr.SOURCE and f.field in new_fields)]
    added: list[Fact] = []
    for name in sorted(new_fields):
        mine = [f for f in got.facts if f.field == name]
        if name not in human_fields and record.status != "draft" and _in_scope(
                cat, record.scope, name):
            # a person read this field and found nothing printed: the cover wins
            dis.append(Disagreement(
                name, None, "manual", _kept(cat, name, [f.value for f in mine]), ixbrl.SOURCE,
                "not printed on the cover according to the annotator; only the inline XBRL "
                "(often a hidden tag) gives it"))
            continue
        if name in human_fields:
            human = [f for f in facts if f.field == name and is_human(f.source)]
            hv, mv = [f.value for f in human], [f.value for f in mine]
            if _differs(cat, name, hv, mv):
                dis.append(Disagreement(
                    name, _kept(cat, name, hv), "+".join(sorted({f.source for f in human})),
                    _kept(cat, name, mv), ixbrl.SOURCE,
                    "the gold follows the printed cover; the inline XBRL tag says otherwise"))
            continue
        added += mine
    # header pre-fills replaced by ixbrl facts: keep their differences on record
    dis += [d for d in hdr.cross_check(added, removed_header, catalogue=cat)
            if d not in dis]
    order = {s.name: i for i, s in enumerate(cat.fact_fields)}
    facts = sorted([*facts, *added], key=lambda f: order.get(f.field, len(order)))
    notes += [NOTE_PREFIX[ixbrl.SOURCE] + n for n in got.notes]
    scope = _scope(record, facts, got)
    return replace(record, facts=tuple(facts), notes=tuple(notes),
                   disagreements=tuple(dis), scope=scope)


def _scope(record: GoldRecord, facts: Sequence[Fact], got: SourceFacts) -> tuple[str, ...]:
    """Scope after an ixbrl merge.

    A draft's scope belongs to the machine sources: ``cover`` when every cover
    field tagged in the inline XBRL was captured, else the captured fields. Once
    a person has set the status (annotated, adjudicated) the scope is theirs,
    except that a complete inline XBRL cover is added when no person read the cover.
    """
    cover_fields = {s.name for s in load_catalogue().fields_in_group("cover")}
    if record.status != "draft":
        cover_read = any(is_human(f.source) and f.field in cover_fields for f in facts)
        if got.complete and not cover_read and "cover" not in record.scope:
            # nobody read this cover: the complete inline XBRL cover is its gold
            return (*record.scope, "cover")
        return record.scope
    if got.complete:
        return ("cover",)
    captured = sorted({f.field for f in facts if f.source == ixbrl.SOURCE})
    return tuple(captured) or PLACEHOLDER_SCOPE


def merge_header(record: GoldRecord, got: SourceFacts,
                 catalogue: Catalogue | None = None) -> GoldRecord:
    """``record`` with header facts as pre-fills where nothing else gives the field,
    and the header's disagreements with the other sources recomputed."""
    cat = catalogue or load_catalogue()
    facts, notes, dis = _strip_source(record, hdr.SOURCE)
    have = {f.field for f in facts}
    # header values only pre-fill: never a field a person annotated (found absent or not)
    added = [f for f in got.facts if f.field not in have
             and (record.status == "draft" or not _in_scope(cat, record.scope, f.field))]
    dis += [d for d in hdr.cross_check(facts, got.facts, catalogue=cat) if d not in dis]
    order = {s.name: i for i, s in enumerate(cat.fact_fields)}
    facts = sorted([*facts, *added], key=lambda f: order.get(f.field, len(order)))
    notes += [NOTE_PREFIX[hdr.SOURCE] + n for n in got.notes]
    return replace(record, facts=tuple(facts), notes=tuple(notes), disagreements=tuple(dis))


# ------------------------------------------------------------------ gold add


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``add_corpus_filing`` did for one filing."""

    doc_id: str
    action: str  # "added" or "kept" (gold.json existed and was left alone)
    folder: Path
    n_facts: int = 0
    message: str = ""


def _copy_sources(corpus_dir: Path, row: Mapping[str, Any], folder: Path) -> list[Path]:
    out = []
    for f in row.get("files") or ():
        src = corpus_dir / f["path"]
        dst = folder / SOURCE_DIR / Path(f["path"]).name
        try:
            data = src.read_bytes()
        except FileNotFoundError:
            raise FilingkitError("corpus file listed in the manifest is missing",
                                 file=src) from None
        if dst.exists():
            if dst.read_bytes() != data:
                raise OverwriteRefused("a different source file is already stored", file=dst)
        else:
            write_bytes_atomic(dst, data)
        out.append(dst)
    return out


def manifest_row_from_gold(folder: str | Path) -> dict[str, Any]:
    """The corpus manifest row of a gold filing, rebuilt from its provenance and segments.

    Lets the bundled gold stand in for the corpus it came from (tests, users
    without the corpus): the files are its ``source/`` copies, the main document
    first, separately filed exhibits named by their segment.
    """
    record, _ = load_record(Path(folder))
    prov = record.provenance
    if prov.kind != "corpus":
        raise GoldFormatError("not a corpus filing", file=str(folder))
    main_role = "raw_full_submission" if prov.format == "sgml" else "raw_main_doc"
    files = [{"path": path, "role": main_role if i == 0 else (name or Path(path).name),
              "bytes": f.stat().st_size}
             for i, (path, (f, name)) in enumerate(zip(prov.files, source_parts(Path(folder), record),
                                                      strict=True))]
    return {
        "id": record.doc_id, "company": prov.company, "cik": prov.cik,
        "accession": prov.accession, "form": prov.form, "filing_date": prov.filing_date,
        "source_repo": prov.repo, "source_path": prov.path, "commit": prov.commit,
        "format": prov.format, "license_note": prov.license_note, "subset": "curated",
        "files": files,
    }


def ingest_corpus_row(row: Mapping[str, Any], corpus_dir: Path) -> Document:
    """The canonical document of a manifest row, by ``filingkit.ingest.corpus``: the main
    document first, then separately filed exhibits, each its own segment."""
    from filingkit.ingest.corpus import ingest_row

    doc = ingest_row(row, corpus_dir)
    doc_id = str(row["id"])
    return doc if doc.doc_id == doc_id else replace(doc, doc_id=doc_id)


def draft_record(doc: Document, prov: Provenance, *, form: str | None,
                 catalogue: Catalogue | None = None) -> GoldRecord:
    """An empty draft: EDGAR's form type as the placeholder fact, nothing else yet."""
    cat = catalogue or load_catalogue()
    facts: tuple[Fact, ...] = ()
    notes: tuple[str, ...] = ()
    if form:
        facts = (Fact("dei:DocumentType", cat_normal(cat, "dei:DocumentType", form),
                      source=hdr.SOURCE,
                      note="EDGAR form type (corpus manifest / SGML header); placeholder scope"),)
    segments = doc.segments
    if not segments:
        from filingkit.records import Segment

        segments = (Segment("8-K", 0, len(doc.text)),)
    return GoldRecord(
        doc_id=doc.doc_id, text_sha256=doc.sha256, segments=segments, entities=(),
        facts=facts, status="draft", provenance=prov, catalogue_version=cat.version,
        scope=PLACEHOLDER_SCOPE, notes=notes,
    )


def cat_normal(cat: Catalogue, name: str, raw: Any) -> Any:
    from filingkit.normalize import normalize

    return normalize(cat[name].normalizer, raw)


def add_corpus_filing(corpus_dir: str | Path, row: Mapping[str, Any], gold_dir: str | Path,
                      *, catalogue: Catalogue | None = None,
                      with_sources: bool = True) -> AddResult:
    """Copy one corpus filing into the gold folder with its text and a draft gold file.

    Re-running is safe: identical source and text files are left as they are,
    a different one is refused, and an existing ``gold.json`` is never touched.
    """
    cat = catalogue or load_catalogue()
    corpus = Path(corpus_dir)
    doc_id = str(row["id"])
    folder = Path(gold_dir) / doc_id
    if "/" in doc_id or doc_id.startswith("."):
        raise GoldFormatError(f"document id {doc_id!r} cannot name a folder")
    gpath = folder / GOLD_FILE
    _copy_sources(corpus, row, folder)
    main = folder / SOURCE_DIR / Path(main_file(row)).name
    doc = ingest_corpus_row(row, corpus)
    prov = doc.provenance or provenance_of(row)
    write_text_once(folder, doc.text)
    if gpath.exists():
        return AddResult(doc_id, "kept", folder, message="gold.json exists; never overwritten")
    record = draft_record(doc, prov, form=row.get("form"), catalogue=cat)
    if with_sources:
        record = apply_sources(record, main, doc.text, cat)
    obj = check_record(record, doc.text, cat, file=gpath)
    write_json_atomic(gpath, obj, overwrite=False)
    return AddResult(doc_id, "added", folder, len(record.facts))


def apply_sources(record: GoldRecord, main: Path, text: str,
                  catalogue: Catalogue) -> GoldRecord:
    """Merge the inline XBRL's facts, then the header's (pre-fills and cross-check)."""
    ix = ixbrl_source_facts(main, text, catalogue)
    if ix is not None:
        record = merge_ixbrl(record, ix, catalogue)
    head = header_source_facts(main, catalogue, gold_facts=record.facts, text=text)
    if head is not None:
        # the header's own form type replaces the manifest's placeholder
        record = merge_header(record, head, catalogue)
    return record


# ------------------------------------------------------------------ updating gold folders


def load_record(folder: Path) -> tuple[GoldRecord, str]:
    """A gold folder's record and text (the text must match the record's hash)."""
    gpath = folder / GOLD_FILE
    record = gold_from_json(read_json(gpath), file=str(gpath))
    text = read_text_file(folder / TEXT_FILE)
    if sha256_text(text) != record.text_sha256:
        raise GoldFormatError("text.txt does not match text_sha256", file=gpath)
    return record, text


def source_main_file(folder: Path, record: GoldRecord) -> Path:
    """The main source file of a gold folder: ``source/`` copy of the first of
    ``provenance.files`` (the manifest lists the main document first)."""
    for f in record.provenance.files:
        for cand in (folder / SOURCE_DIR / Path(f).name, folder / f):
            if cand.is_file():
                return cand
    files = sorted((folder / SOURCE_DIR).glob("*"))
    if len(files) == 1:
        return files[0]
    raise FilingkitError("no source file in the gold folder", file=folder / SOURCE_DIR)


def update_folder(folder: str | Path, source: str, catalogue: Catalogue | None = None, *,
                  adjudicated: bool = False) -> tuple[GoldRecord, SourceFacts | None]:
    """Re-read one source (``ixbrl`` or ``sgml-header``) of a gold folder into its gold.json.

    Adjudicated gold is refused, unless ``adjudicated``: then only its
    disagreements and notes are updated, never its facts, scope or status.
    """
    cat = catalogue or load_catalogue()
    folder = Path(folder)
    record, text = load_record(folder)
    if record.status == "adjudicated" and not adjudicated:
        raise OverwriteRefused("adjudicated gold is not updated from machine sources",
                               file=folder / GOLD_FILE,
                               hint="--adjudicated records disagreements only")
    main = source_main_file(folder, record)
    if source == ixbrl.SOURCE:
        got = ixbrl_source_facts(main, text, cat)
        new = merge_ixbrl(record, got, cat) if got is not None else record
        head = header_source_facts(main, cat, gold_facts=new.facts, text=text)
        if got is not None and head is not None:  # header differences against the new facts
            new = merge_header(new, head, cat)
    else:
        got = header_source_facts(main, cat, gold_facts=record.facts, text=text)
        new = merge_header(record, got, cat) if got is not None else record
    if record.status == "adjudicated":
        new = replace(record, disagreements=new.disagreements, notes=new.notes)
    if new != record:
        obj = check_record(new, text, cat, file=folder / GOLD_FILE)
        write_json_atomic(folder / GOLD_FILE, obj)
    return new, got


def check_record(record: GoldRecord, text: str, catalogue: Catalogue, *,
                 file: Path) -> dict[str, Any]:
    """The record's JSON, after the checks ``gold validate`` makes (schema, offsets,
    normal forms, cardinality): machine sources never write a gold file that fails them."""
    import jsonschema

    from filingkit.gold.schema import gold_schema
    from filingkit.gold.validate import semantic_problems

    obj = gold_to_json(record, catalogue_name=catalogue.name)
    validator = jsonschema.Draft202012Validator(gold_schema(catalogue))
    problems = [f"schema: {e.message[:200]}" for e in validator.iter_errors(obj)]
    problems += [f"{p.field}: {p.reason}"
                 for p in semantic_problems(record, text, str(file), catalogue)]
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise GoldFormatError("the merged gold would be invalid: " + "; ".join(problems[:3])
                              + more, file=file,
                              hint="fix the gold file (filingkit gold validate) and re-run")
    return obj
