"""Gold <-> Hugging Face dataset: explicit features, byte-identical round trip, plain loading."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import datasets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filingkit.catalogue import load_catalogue
from filingkit.errors import OverwriteRefused
from filingkit.gold.dataset import (
    class_names,
    dataset_features,
    dataset_to_gold,
    gold_dataset_dict,
    gold_to_dataset,
    load_dataset_file,
    save_dataset,
)
from filingkit.gold.dataset_tokens import (
    covers_every_label,
    gold_token_dataset_dict,
    row_entities,
    tokenize,
)
from filingkit.gold.store import bundled_gold_dir, load_gold_dir, save_gold
from filingkit.records import (
    Disagreement,
    Document,
    Entity,
    Evidence,
    Fact,
    GoldRecord,
    Provenance,
    Segment,
    sha256_text,
)

REPO = Path(__file__).resolve().parents[2]
# a real filing (seed 000, ImmunoGen 8-K), and a short text with emoji and CRLF
SEED = (REPO / "tests" / "data" / "labelstudio" / "filing-000.txt").read_bytes().decode("utf-8")
EMOJI = "🚀 Rocket  Corp. (Nasdaq: RCKT) — Café\r\nCEO:\tJane Q. Public ☕\r\n"


def _at(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def _gold(tmp_path: Path) -> Path:
    """Two filings: adjudicated gold with every kind of value, and a draft with an annotator set."""
    gold = tmp_path / "gold"
    cat = load_catalogue()
    s, e = _at(SEED, "$2 million milestone payment")
    o1, o2 = _at(SEED, "ImmunoGen, Inc.")
    d1, d2 = _at(SEED, "March 15, 2005")
    prov = Provenance("seed", "000.txt", repo="r", commit="c" * 40, cik="0000855654",
                      form="8-K", filing_date="2005-03-17", format="text",
                      files=("a.txt", "b.htm"))
    doc = Document("seed-000", SEED, (Segment("8-K", 0, 3000, "d.txt", "the 8-K"),
                                      Segment("EX-99.1", 3000, len(SEED))), prov)
    rec = GoldRecord(
        doc_id="seed-000", text_sha256=sha256_text(SEED), segments=doc.segments,
        entities=(Entity("ORG", o1, o2, SEED[o1:o2], "manual"),
                  Entity("DATE", d1, d2, None, "ixbrl", 0.5)),
        facts=(
            Fact("dei:DocumentType", "8-K", source="sgml-header"),
            Fact("dei:WrittenCommunications", False),
            Fact("filing:Items", "8.01", note="printed as ITEM 8.01"),
            Fact("event:MilestonePayment",
                 {"amount": {"value": 2000000, "unit": "USD", "decimals": -6},
                  "payer": "sanofi-aventis"}, (Evidence(s, e, SEED[s:e]), Evidence(s, s + 10)),
                 score=0.875),
            Fact("xbrl:Fact", {"concept": "us-gaap:Revenues", "period": {"instant": "2004-09-30"},
                               "unit": "USD", "value": 9.25, "decimals": "INF"}),
        ),
        status="adjudicated", provenance=prov, catalogue_version=cat.version,
        scope=("entities", "cover"),
        disagreements=(Disagreement("dei:DocumentType", "8-K", "manual", "8-K/A", "ixbrl",
                                    "cover says 8-K"),),
        notes=("hand-checked",),
    )
    save_gold(gold, doc, rec)
    prov2 = Provenance("user", "emoji.txt")
    doc2 = Document("emoji-crlf", EMOJI, (Segment("document", 0, len(EMOJI)),), prov2)
    r1, r2 = _at(EMOJI, "Rocket  Corp.")
    rec2 = GoldRecord("emoji-crlf", sha256_text(EMOJI), doc2.segments,
                      (Entity("ORG", r1, r2, EMOJI[r1:r2], "labelstudio:a@example.com"),), (),
                      "annotated", prov2, cat.version, annotator="a@example.com")
    save_gold(gold, doc2, replace(rec2, status="draft", annotator=None))
    save_gold(gold, doc2, rec2, annotator_set=True)
    return gold


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("fmt", ["parquet", "disk"])
def test_round_trip_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    gold = _gold(tmp_path)
    ds = gold_to_dataset(gold, include_annotation_sets=True)
    assert ds.num_rows == 3 and ds.features == dataset_features()
    out = save_dataset(ds, tmp_path / ("gold.parquet" if fmt == "parquet" else "gold-ds"),
                       format=fmt)  # type: ignore[arg-type]
    back = tmp_path / "back"
    written = dataset_to_gold(load_dataset_file(out), back)
    assert len(written) == 3
    assert _files(back) == _files(gold)


def test_gold_only_by_default(tmp_path: Path) -> None:
    ds = gold_to_dataset(_gold(tmp_path))
    assert sorted(ds["doc_id"]) == ["emoji-crlf", "seed-000"]
    assert set(ds["kind"]) == {"gold"}


def test_plain_load_dataset_without_filingkit_types(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    path = save_dataset(gold_to_dataset(_gold(tmp_path)), tmp_path / "gold.parquet")
    ds = datasets.load_dataset("parquet", data_files=str(path), split="train",
                               cache_dir=str(tmp_path / "hf-cache"))
    assert ds.features == dataset_features()
    row = next(r for r in ds if r["doc_id"] == "seed-000")
    assert row["text"] == SEED
    label = ds.features["entities"].feature["label"]  # a ClassLabel: ids decode with plain datasets
    org = next(e for e in row["entities"] if label.int2str(e["label"]) == "ORG")
    assert row["text"][org["start"]:org["end"]] == org["text"] == "ImmunoGen, Inc."
    field = ds.features["facts"].feature["field"]
    values = {field.int2str(f["field"]): json.loads(f["value"]) for f in row["facts"]}
    assert values["dei:WrittenCommunications"] is False
    assert values["event:MilestonePayment"]["amount"]["value"] == 2000000
    assert row["provenance"]["files"] == ["a.txt", "b.htm"]


def test_from_dataset_never_overwrites_adjudicated(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    ds = gold_to_dataset(gold)
    with pytest.raises(OverwriteRefused):
        dataset_to_gold(ds, gold)
    with pytest.raises(OverwriteRefused, match="adjudicated"):
        dataset_to_gold(ds, gold, overwrite=True)
    assert len(dataset_to_gold(ds, gold, overwrite=True, overwrite_adjudicated=True)) == 2


def test_cli_to_and_from_dataset(tmp_path: Path) -> None:
    from filingkit.cli import main

    gold = _gold(tmp_path)
    out = tmp_path / "gold.parquet"
    assert main(["gold", "to-dataset", str(gold), "-o", str(out),
                 "--include-annotation-sets"]) == 0
    back = tmp_path / "back"
    assert main(["gold", "from-dataset", str(out), "-o", str(back)]) == 0
    assert _files(back) == _files(gold)
    assert main(["gold", "from-dataset", str(out), "-o", str(back)]) == 2  # refuses, exit 2


# ------------------------------------------------------------ splits and ClassLabel


def test_rows_carry_their_split_and_class_labels(tmp_path: Path) -> None:
    ds = gold_to_dataset(_gold(tmp_path))  # no splits.json: every row in "train"
    assert set(ds["split"]) == {"train"}
    labels, fields = class_names(ds.features)
    cat = load_catalogue()
    assert labels == list(cat.entity_labels)
    assert fields == [f.name for f in cat.fact_fields]
    row = next(r for r in ds if r["doc_id"] == "seed-000")
    assert sorted(labels[e["label"]] for e in row["entities"]) == ["DATE", "ORG"]


def test_bundled_gold_as_dataset_dict_follows_splits_json() -> None:
    dd = gold_dataset_dict()
    splits = json.loads((bundled_gold_dir() / "splits.json").read_text())["splits"]
    assert sorted(dd) == sorted(splits) == ["dev", "test"]
    for name, part in dd.items():
        assert sorted(part["doc_id"]) == sorted(splits[name])
        assert set(part["split"]) == {name}


def test_dataset_dict_parquet_folder_loads_with_plain_datasets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    gold = _gold(tmp_path)
    (gold / "splits.json").write_text(json.dumps(
        {"format": "filingkit-splits", "splits": {"dev": ["emoji-crlf"], "test": ["seed-000"]}}))
    out = save_dataset(gold_dataset_dict(gold, include_annotation_sets=True), tmp_path / "ds")
    assert sorted(p.name for p in out.iterdir()) == ["dev.parquet", "test.parquet"]
    loaded = datasets.load_dataset("parquet", data_files={"dev": str(out / "dev.parquet"),
                                                          "test": str(out / "test.parquet")},
                                   cache_dir=str(tmp_path / "hf-cache"))
    assert loaded["test"]["doc_id"] == ["seed-000"]
    assert sorted(loaded["dev"]["kind"]) == ["annotation_set", "gold"]
    assert loaded["dev"].features == dataset_features()
    labels = loaded["test"].features["entities"].feature["label"]
    assert isinstance(labels, datasets.ClassLabel) and labels.int2str(0) == "ORG"
    # and back to gold, byte for byte, from the folder of splits
    back = tmp_path / "back"
    dataset_to_gold(load_dataset_file(out), back)
    assert _files(back) == {k: v for k, v in _files(gold).items() if k != "splits.json"}


def test_disk_dataset_dict_round_trip(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    out = save_dataset(gold_dataset_dict(gold), tmp_path / "dd", format="disk")
    assert isinstance(datasets.load_from_disk(str(out)), datasets.DatasetDict)
    back = tmp_path / "back"
    dataset_to_gold(load_dataset_file(out), back)
    assert _files(back) == {k: v for k, v in _files(gold).items() if "annotations" not in k}


# ------------------------------------------------------------------- token view


def test_token_view_round_trips_every_bundled_entity() -> None:
    cat = load_catalogue()
    dd = gold_token_dataset_dict()
    docs = {d.doc_id: d for d in load_gold_dir()}
    full = {i for i, d in docs.items() if covers_every_label(d, cat)}
    rows = [r for part in dd.values() for r in part]
    assert {r["doc_id"] for r in rows} == full and len(full) >= 20
    names = dd["dev"].features["ner_tags"].feature.names
    assert names[0] == "O" and set(names[1:]) == {f"{p}-{x}" for x in cat.entity_labels
                                                  for p in "BI"}
    for row in rows:
        assert all(row["text"][a:b] == t for t, a, b in
                   zip(row["tokens"], row["token_start"], row["token_end"], strict=True))
        got = {(e.label, e.start, e.end) for e in row_entities(row, names)}
        want = {(e.label, e.start, e.end) for e in docs[row["doc_id"]].gold.entities}
        assert got == want, row["doc_id"]


@pytest.mark.parametrize(
    ("tags", "want"),
    [
        pytest.param(["B-ORG", "I-ORG", "O"], [("ORG", 0, 3)], id="b-i"),
        pytest.param(["I-ORG", "I-ORG", "O"], [("ORG", 0, 3)], id="i-without-b"),
        pytest.param(["B-ORG", "B-ORG", "I-DATE"], [("ORG", 0, 1), ("ORG", 2, 3),
                                                    ("DATE", 4, 5)], id="adjacent"),
        pytest.param(["O", "O", "O"], [], id="none"),
    ],
)
def test_bio_decoding(tags: list[str], want: list[tuple[str, int, int]]) -> None:
    row = {"text": "a b c", "ner_tags": tags, "token_start": [0, 2, 4], "token_end": [1, 3, 5]}
    assert [(e.label, e.start, e.end) for e in row_entities(row, [])] == want


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 .,-'$\n\t€"), max_size=40), st.data())
def test_tokens_cover_every_visible_character_and_respect_cuts(text: str,
                                                              data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=6))
    spans = tokenize(text, cuts)
    assert "".join(text[a:b] for a, b in spans) == "".join(c for c in text if not c.isspace())
    assert all(a < b for a, b in spans) and spans == sorted(spans)
    assert not any(a < c < b for a, b in spans for c in cuts)


def test_cli_token_view_round_trip(tmp_path: Path) -> None:
    from filingkit.cli import main
    from filingkit.serialize import read_predictions

    out = tmp_path / "tokens"
    assert main(["gold", "to-dataset", "-o", str(out), "--view", "tokens"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["dev.parquet", "test.parquet"]
    preds = tmp_path / "entities.jsonl"
    assert main(["gold", "from-dataset", str(out), "-o", str(preds)]) == 0
    docs = {d.doc_id: d for d in load_gold_dir()}
    for p in read_predictions(preds):
        assert {(e.label, e.start, e.end) for e in p.entities} == \
            {(e.label, e.start, e.end) for e in docs[p.doc_id].gold.entities}
    assert main(["gold", "to-dataset", "-o", str(out), "--view", "tokens",
                 "--include-annotation-sets"]) == 2
