"""Agreement: pairwise F1 (strict / overlap / facts), Cohen's kappa, Krippendorff's alpha."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from filingkit.annotate.agreement import (
    agreement,
    cohen_kappa,
    is_categorical,
    krippendorff_alpha_nominal,
)
from filingkit.catalogue import load_catalogue
from filingkit.errors import FilingkitError

from .builders import annotations_a, document, write_set


def test_two_annotators_field_by_field(two_annotator_gold: Path) -> None:
    report = agreement(two_annotator_gold)
    assert report.annotators == ("ann-a", "ann-b")
    assert report.n_documents == 1
    # entities: 5 identical, PERSON missing in B, ORG extra in B, INDICATION boundary differs
    strict = report.overall["entities_strict"]
    assert (strict.tp, strict.fp, strict.fn) == (5, 2, 2)
    overlap = report.overall["entities_overlap"]
    assert (overlap.tp, overlap.fp, overlap.fn) == (6, 1, 1)
    ind = report.field("INDICATION")
    assert ind.counts["strict"].f1 == 0.0
    assert ind.counts["overlap"].f1 == 1.0
    # facts: the registrant's name matches by name_key; the box and item 9.01 differ
    assert report.field("dei:EntityRegistrantName").counts["exact"].f1 == 1.0
    box = report.field("dei:WrittenCommunications")
    assert box.counts["exact"].f1 == 0.0
    assert box.kappa == pytest.approx(0.0) and box.alpha == pytest.approx(0.0)
    facts = report.overall["facts"]
    assert (facts.tp, facts.fp, facts.fn) == (9, 1, 2)
    assert facts.f1 == pytest.approx(18 / 21)
    # kappa/alpha only where they apply
    assert report.field("ORG").n_units == 0 and report.field("ORG").kappa is None
    assert report.field("filing:Items").n_units == 2


def test_report_dict_markdown_and_pairs(two_annotator_gold: Path) -> None:
    report = agreement(two_annotator_gold)
    d = report.to_dict()
    assert d["format"] == "filingkit-agreement" and d["version"] == 1
    json.dumps(d)  # serializable, including None
    assert set(d["pairs"]) == {"ann-a | ann-b"}
    pair = d["pairs"]["ann-a | ann-b"]
    assert pair["fields"]["PERSON"]["fn"] == 1 and pair["fields"]["filing:Items"]["tp"] == 1
    assert pair["kappa"]["dei:WrittenCommunications"] == 0.0
    assert d["documents"]["seed-000"]["annotators"] == ["ann-a", "ann-b"]
    md = report.to_markdown()
    assert "| dei:WrittenCommunications |" in md and "## Annotator pairs" in md


def test_identical_sets_agree_perfectly(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    doc = document()
    for who in ("manual-a", "manual-b", "manual-c"):
        write_set(gold, doc, annotations_a(), who)
    report = agreement(gold)
    assert len(report.pairs) == 3
    for key in ("entities_strict", "entities_overlap", "facts"):
        assert report.overall[key].f1 == 1.0
    for f in report.fields:
        if f.n_units:
            assert f.alpha in (1.0, None)  # None: no variation (every unit the same)


def test_scope_limits_what_is_compared(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    doc = document()
    write_set(gold, doc, annotations_a(), "a", scope=("cover",))
    write_set(gold, doc, annotations_a(), "b", scope=("cover", "entities"))
    report = agreement(gold)
    assert {f.group for f in report.fields} == {"cover"}
    assert report.overall["entities_strict"].total == 0


def test_single_sets_are_listed_not_compared(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    write_set(gold, document(), annotations_a(), "only")
    report = agreement(gold)
    assert report.n_documents == 0 and report.single == ("seed-000",)


def test_no_sets_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    with pytest.raises(FilingkitError, match="no annotation sets"):
        agreement(tmp_path / "gold")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(list("aabbab"), list("abbbaa"), id="mixed"),
        pytest.param(list("aaaab"), list("aaabb"), id="skewed"),
        pytest.param(["x", "y", "z", "x"], ["x", "y", "x", "z"], id="three-categories"),
    ],
)
def test_cohen_kappa_equals_sklearn(a: list[str], b: list[str]) -> None:
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_undefined_without_variation() -> None:
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None
    assert cohen_kappa([], []) is None


def test_krippendorff_alpha_by_hand() -> None:
    # (a,a) (a,b) (b,b) (b,b): n=8, n_a=3, n_b=5, o_ab+o_ba=2 -> 1 - 7*2/30
    units = [{"1": "a", "2": "a"}, {"1": "a", "2": "b"}, {"1": "b", "2": "b"},
             {"1": "b", "2": "b"}, {"1": "b"}]  # the last unit has one value: not pairable
    assert krippendorff_alpha_nominal(units) == pytest.approx(1 - 14 / 30)
    assert krippendorff_alpha_nominal([{"1": "a", "2": "a"}]) is None
    assert krippendorff_alpha_nominal([{"1": "a", "2": "b"}, {"1": "b", "2": "a"}]) \
        == pytest.approx(-0.5)


def test_categorical_fields_come_from_the_catalogue() -> None:
    cat = load_catalogue()
    categorical = {s.name for s in cat.fields if is_categorical(s)}
    assert {"dei:WrittenCommunications", "dei:SecurityExchangeName", "filing:Items",
            "filing:Exhibits", "dei:DocumentType"} <= categorical
    assert not categorical & {"dei:EntityRegistrantName", "ORG", "xbrl:Fact"}
