"""``gold add`` (corpus filings into gold folders), machine-fact merging, the curated folders."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.gold.curated import (
    add_corpus_filing,
    load_record,
    manifest_row_from_gold,
    merge_ixbrl,
    read_manifest,
    update_folder,
)
from filingkit.gold.validate import validate_gold_dir, validate_gold_file
from filingkit.jsonio import write_json_atomic
from filingkit.records import Fact
from filingkit.serialize import gold_to_json

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "gold" / "filings"
CORPUS = Path("/work/shared/corpus")  # only to compare bytes with the original, when present

IXBRL_ID = "0000100493-20-000095"  # Tyson 2020, html with inline XBRL
SGML_IX_ID = "0001493152-25-001317"  # Acorn 2025, .nc with an inline XBRL main document
OLD_ID = "0000109446-94-000005"  # Zurn 1994, plain text SGML


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A corpus folder with three real filings and their manifest rows, rebuilt from the
    bundled gold's byte-for-byte copies and provenance (users have no shared corpus)."""
    out = tmp_path / "corpus"
    lines = []
    for i in (IXBRL_ID, SGML_IX_ID, OLD_ID):
        row = manifest_row_from_gold(GOLD / i)
        for f in row["files"]:
            dst = out / f["path"]
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(GOLD / i / "source" / Path(f["path"]).name, dst)
        lines.append(json.dumps(row))
    (out / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    return out


def test_add_copies_sources_writes_text_and_a_valid_draft(mini_corpus: Path,
                                                          tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    rows = read_manifest(mini_corpus)
    for i in rows:
        res = add_corpus_filing(mini_corpus, rows[i], gold)
        assert res.action == "added"
        for f in rows[i]["files"]:
            copied = gold / i / "source" / Path(f["path"]).name
            assert copied.read_bytes() == (mini_corpus / f["path"]).read_bytes()
    assert validate_gold_dir(gold) == []
    record, text = load_record(gold / IXBRL_ID)
    assert record.status == "draft"
    assert record.scope == ("cover",)
    assert record.provenance.kind == "corpus"
    assert record.provenance.repo and record.provenance.commit
    assert {f.source for f in record.facts} == {"ixbrl"}
    name = next(f for f in record.facts if f.field == "dei:EntityRegistrantName")
    assert name.value == "TYSON FOODS, INC."
    assert [text[e.start:e.end] for e in name.evidence] == ["TYSON FOODS, INC."]
    old, _ = load_record(gold / OLD_ID)
    assert old.scope == ("dei:DocumentType",)
    assert {f.source for f in old.facts} == {"sgml-header"}
    nc, _ = load_record(gold / SGML_IX_ID)
    items = sorted(f.value for f in nc.facts if f.field == "filing:Items")
    assert items == ["5.02", "9.01"]  # header pre-fill, not in scope
    assert "filing:Items" not in nc.scope and "structure" not in nc.scope
    # the header's phone (302) is not the printed cover's (410): recorded, cover kept
    area = [d for d in nc.disagreements if d.field == "dei:CityAreaCode"]
    assert area and area[0].kept == "410" and area[0].other == "302"


def test_add_is_idempotent_and_never_overwrites_gold(mini_corpus: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    args = ["gold", "add", "--corpus-dir", str(mini_corpus), "-o", str(gold), "--all"]
    assert main(args) == 0
    gpath = gold / IXBRL_ID / "gold.json"
    edited = json.loads(gpath.read_text())
    edited["notes"] = ["an annotator's note"]
    gpath.write_text(json.dumps(edited))
    before = {p: p.read_bytes() for p in gold.rglob("*") if p.is_file()}
    assert main(args) == 0  # re-run: nothing changes
    after = {p: p.read_bytes() for p in gold.rglob("*") if p.is_file()}
    assert before == after
    # a different canonical text is refused, with the file named
    tpath = gold / OLD_ID / "text.txt"
    tpath.write_text("something else")
    assert main(["gold", "add", "--corpus-dir", str(mini_corpus), "-o", str(gold), OLD_ID]) == 2


@pytest.mark.parametrize(("reading", "disagrees"), [
    pytest.param("Tyson Fresh Meats Inc", True, id="different-name"),
    pytest.param("Tyson Foods Inc", False, id="same-name-under-the-name-rule"),
])
def test_manual_reading_wins_and_the_difference_is_recorded(
        mini_corpus: Path, tmp_path: Path, reading: str, disagrees: bool) -> None:
    gold = tmp_path / "gold"
    rows = read_manifest(mini_corpus)
    add_corpus_filing(mini_corpus, rows[IXBRL_ID], gold)
    record, _ = load_record(gold / IXBRL_ID)
    # an annotator reads the name (differently, or only in case and punctuation) and marks it manual
    facts = [replace(f, source="manual", value=reading, evidence=())
             if f.field == "dei:EntityRegistrantName" else f for f in record.facts]
    write_json_atomic(gold / IXBRL_ID / "gold.json",
                      gold_to_json(replace(record, facts=tuple(facts))))
    new, got = update_folder(gold / IXBRL_ID, "ixbrl")
    assert got is not None
    names = [f for f in new.facts if f.field == "dei:EntityRegistrantName"]
    assert [(f.value, f.source) for f in names] == [(reading, "manual")]
    found = [d for d in new.disagreements if d.field == "dei:EntityRegistrantName"]
    if disagrees:
        (d,) = found
        assert (d.kept, d.kept_source, d.other, d.other_source) == (
            reading, "manual", "TYSON FOODS, INC.", "ixbrl")
    else:
        assert found == []
    # running it again changes nothing
    again, _ = update_folder(gold / IXBRL_ID, "ixbrl")
    assert again == new
    assert validate_gold_file(gold / IXBRL_ID / "gold.json") == []


def test_from_header_cli_on_a_folder_and_a_file(mini_corpus: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold"
    rows = read_manifest(mini_corpus)
    add_corpus_filing(mini_corpus, rows[OLD_ID], gold)
    record, _ = load_record(gold / OLD_ID)
    manual = Fact("dei:DocumentPeriodEndDate", "1994-03-21", source="manual")
    facts = [f for f in record.facts if f.field != "dei:DocumentPeriodEndDate"] + [manual]
    write_json_atomic(gold / OLD_ID / "gold.json",
                      gold_to_json(replace(record, facts=tuple(facts))))
    assert main(["gold", "from-header", str(gold / OLD_ID)]) == 0
    new, _ = load_record(gold / OLD_ID)
    periods = [f for f in new.facts if f.field == "dei:DocumentPeriodEndDate"]
    assert periods == [manual]
    assert any(d.field == "dei:DocumentPeriodEndDate" and d.other == "1994-03-22"
               for d in new.disagreements)
    capsys.readouterr()
    src = next((gold / OLD_ID / "source").iterdir())
    assert main(["gold", "from-header", str(src)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {f["source"] for f in out["facts"]} == {"sgml-header"}


def test_merge_ixbrl_scope_is_cover_only_when_complete(gold_factory) -> None:  # type: ignore[no-untyped-def]
    from filingkit.gold.curated import SourceFacts

    _, record = gold_factory()
    record = replace(record, facts=(), scope=("dei:DocumentType",), status="draft")
    got = SourceFacts("ixbrl", (Fact("dei:DocumentType", "8-K", source="ixbrl"),), (), True)
    assert merge_ixbrl(record, got).scope == ("cover",)
    partial = replace(got, complete=False)
    assert merge_ixbrl(record, partial).scope == ("dei:DocumentType",)
    # a scope from an earlier complete run does not survive an incomplete one
    assert merge_ixbrl(replace(record, scope=("cover",)), partial).scope == (
        "dei:DocumentType",)
    # once annotated, the scope is the annotator's
    annotated = replace(record, status="annotated", scope=("cover", "entities"))
    assert merge_ixbrl(annotated, partial).scope == ("cover", "entities")


HIDDEN_NAME = """<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c1" id="h1">ORACLE CORP</ix:nonNumeric>
<ix:nonNumeric name="dei:EntityIncorporationStateCountryCode" contextRef="c1" id="h2"
 format="ixt-sec:stateprovnameen">Delaware</ix:nonNumeric>
<ix:nonNumeric name="dei:EntityFileNumber" contextRef="c1" id="h3">001-35992</ix:nonNumeric>
</ix:hidden><ix:resources><xbrli:context id="c1"><xbrli:entity>
<xbrli:identifier scheme="http://www.sec.gov/CIK">1341439</xbrli:identifier></xbrli:entity>
</xbrli:context></ix:resources></ix:header></div>
<p>FORM <ix:nonNumeric name="dei:DocumentType" contextRef="c1">8-K</ix:nonNumeric></p>
<p><span style="-sec-ix-hidden:h1">Oracle Corporation</span></p>
<p><span style="font-weight:bold;-sec-ix-hidden: h2">DELAWARE</span></p>
</body></html>"""


def test_hidden_names_follow_the_printed_cover(tmp_path: Path) -> None:
    from filingkit.gold.curated import ixbrl_source_facts
    from filingkit.ingest import html_to_text

    path = tmp_path / "page.htm"
    path.write_text(HIDDEN_NAME)
    text = html_to_text(HIDDEN_NAME)
    got = ixbrl_source_facts(path, text)
    assert got is not None
    by = {f.field: f for f in got.facts}
    name = by["dei:EntityRegistrantName"]
    assert name.value == "Oracle Corporation"  # printed form, not the conformed tag value
    assert [e.text for e in name.evidence] == ["Oracle Corporation"]
    assert "ORACLE CORP" in (name.note or "")
    state = by["dei:EntityIncorporationStateCountryCode"]
    assert state.value == "DE" and [e.text for e in state.evidence] == ["DELAWARE"]
    file_no = by["dei:EntityFileNumber"]  # hidden, shown nowhere: kept without evidence
    assert file_no.evidence == () and "not printed" in (file_no.note or "")
    assert got.complete
    # a hidden name shown nowhere is not taken: the cover's printed name must be annotated
    bare = HIDDEN_NAME.replace('<span style="-sec-ix-hidden:h1">Oracle Corporation</span>',
                               "Oracle Corporation")
    path.write_text(bare)
    got = ixbrl_source_facts(path, html_to_text(bare))
    assert got is not None
    assert "dei:EntityRegistrantName" not in {f.field for f in got.facts}
    assert not got.complete


# ------------------------------------------------------------------ the curated folders

CURATED = sorted(p.parent for p in GOLD.glob("*/gold.json")
                 if json.loads(p.read_text())["provenance"]["kind"] == "corpus")


def test_curated_folders_validate() -> None:
    problems = [p for d in CURATED for p in validate_gold_file(d / "gold.json")]
    assert problems == []


@pytest.mark.parametrize("folder", CURATED, ids=lambda p: p.name)
def test_curated_sources_and_placeholder_scope(folder: Path) -> None:
    record, text = load_record(folder)
    for f in record.provenance.files:
        assert (folder / "source" / Path(f).name).is_file()
    if CORPUS.exists():
        rows = read_manifest(CORPUS)
        for f in rows[folder.name]["files"]:
            assert (folder / "source" / Path(f["path"]).name).read_bytes() == \
                (CORPUS / f["path"]).read_bytes()
    if record.scope == ("dei:DocumentType",):
        # the placeholder scope claims only the form type: it must be printed on the cover
        (doc_type,) = [f.value for f in record.facts if f.field == "dei:DocumentType"]
        assert doc_type == "8-K"
        assert re.search(r"(?i)form\s*8\s*-\s*k", text[:20000]), "no FORM 8-K on the cover"


def test_from_ixbrl_cli_prints_or_updates(mini_corpus: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    src = next((mini_corpus / "curated" / IXBRL_ID).iterdir())
    assert main(["gold", "from-ixbrl", str(src)]) == 0
    out = json.loads(capsys.readouterr().out)
    name = next(f for f in out["facts"] if f["field"] == "dei:EntityRegistrantName")
    assert name["evidence"][0]["text"] == "TYSON FOODS, INC."
    gold = tmp_path / "gold"
    # -o needs the folder to exist
    assert main(["gold", "from-ixbrl", str(src), "-o", str(gold)]) == 2
    rows = read_manifest(mini_corpus)
    add_corpus_filing(mini_corpus, rows[IXBRL_ID], gold, with_sources=False)
    record, _ = load_record(gold / IXBRL_ID)
    assert record.scope == ("dei:DocumentType",)
    assert main(["gold", "from-ixbrl", str(src), "-o", str(gold)]) == 0
    record, _ = load_record(gold / IXBRL_ID)
    assert record.scope == ("cover",)
    assert sum(f.source == "ixbrl" for f in record.facts) == 19


PARTIAL_TAGS = """<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body>
<div style="display:none"><ix:header><ix:resources><xbrli:context id="c1"><xbrli:entity>
<xbrli:identifier scheme="http://www.sec.gov/CIK">885245</xbrli:identifier></xbrli:entity>
</xbrli:context></ix:resources></ix:header></div>
<p>THE <ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c1">BUCKLE, INC</ix:nonNumeric>.</p>
<p>(Exact name of Registrant as specified in its charter)</p>
<p><ix:nonNumeric name="dei:EntityAddressAddressLine1" contextRef="c1">Two Jericho Plaza,
Suite 200</ix:nonNumeric> <ix:nonNumeric name="dei:EntityAddressCityOrTown"
contextRef="c1">Jericho</ix:nonNumeric></p>
</body></html>"""


def test_partial_name_tags_and_suites_follow_the_catalogue(tmp_path: Path) -> None:
    from filingkit.gold.curated import ixbrl_source_facts
    from filingkit.ingest import html_to_text

    path = tmp_path / "page.htm"
    path.write_text(PARTIAL_TAGS)
    text = html_to_text(PARTIAL_TAGS)
    got = ixbrl_source_facts(path, text)
    assert got is not None
    by = {f.field: f for f in got.facts}
    name = by["dei:EntityRegistrantName"]
    assert name.value == "THE BUCKLE, INC."
    assert [e.text for e in name.evidence] == ["THE BUCKLE, INC."]
    assert "BUCKLE, INC" in (name.note or "")
    line = by["dei:EntityAddressAddressLine1"]
    assert line.value == "Two Jericho Plaza"
    assert [e.text for e in line.evidence] == ["Two Jericho Plaza"]
    assert "Suite 200" in (line.note or "")
    assert by["dei:EntityAddressCityOrTown"].value == "Jericho"


def test_adjudicated_gold_gets_disagreements_only(mini_corpus: Path, tmp_path: Path) -> None:
    from filingkit.errors import OverwriteRefused

    gold = tmp_path / "gold"
    rows = read_manifest(mini_corpus)
    add_corpus_filing(mini_corpus, rows[OLD_ID], gold)
    record, _ = load_record(gold / OLD_ID)
    manual = (Fact("dei:DocumentType", "8-K", source="adjudicated"),
              Fact("dei:DocumentPeriodEndDate", "1994-03-21", source="adjudicated"))
    adjudicated = replace(record, facts=manual, status="adjudicated", scope=("cover",),
                          disagreements=(), notes=())
    write_json_atomic(gold / OLD_ID / "gold.json", gold_to_json(adjudicated))
    with pytest.raises(OverwriteRefused):
        update_folder(gold / OLD_ID, "sgml-header")
    new, _ = update_folder(gold / OLD_ID, "sgml-header", adjudicated=True)
    assert new.facts == manual and new.scope == ("cover",) and new.status == "adjudicated"
    assert [(d.field, d.kept, d.other) for d in new.disagreements] == [
        ("dei:DocumentPeriodEndDate", "1994-03-21", "1994-03-22")]


def test_bundled_gold_holds_the_curated_filings() -> None:
    """Guards the parametrized tests above against an empty, silently skipped, gold folder."""
    assert len(CURATED) >= 99
