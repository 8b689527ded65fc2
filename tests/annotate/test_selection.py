"""The annotation queue: unlabeled filings by extractor disagreement or uncertainty."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from filingkit.annotate.selection import rank_for_annotation
from filingkit.errors import FilingkitError
from filingkit.records import Annotations, Entity, Fact
from filingkit.serialize import write_predictions

from .builders import annotations_a, annotations_b


def _docs(ann: Annotations, *ids: str) -> list[Annotations]:
    return [replace(ann, doc_id=i) for i in ids]


def test_disagreement_orders_filings() -> None:
    same = _docs(annotations_a(), "agree")
    differ_a = _docs(annotations_a(), "differ")
    differ_b = _docs(annotations_b(), "differ")
    ranked = rank_for_annotation({"sys1": same + differ_a, "sys2": same + differ_b})
    assert [c.doc_id for c in ranked] == ["differ", "agree"]
    assert ranked[0].disagreement is not None and ranked[0].disagreement > 0
    assert ranked[1].disagreement == pytest.approx(0.0)


def test_order_does_not_depend_on_input_order() -> None:
    a = _docs(annotations_a(), "x", "y", "z")
    b = _docs(annotations_b(), "y") + _docs(annotations_a(), "x", "z")
    r1 = rank_for_annotation({"s1": a, "s2": b})
    r2 = rank_for_annotation({"s2": list(reversed(b)), "s1": list(reversed(a))})
    assert r1 == r2


def test_uncertainty_with_one_system_and_gold_excluded() -> None:
    sure = Annotations("sure", (Entity("ORG", 0, 3, score=0.99),))
    unsure = Annotations("unsure", (Entity("ORG", 0, 3, score=0.4),),
                         (Fact("dei:DocumentType", "8-K", score=0.6),))
    done = Annotations("done", (Entity("ORG", 0, 3, score=0.1),))
    ranked = rank_for_annotation({"crf": [sure, unsure, done]}, exclude={"done"})
    assert [c.doc_id for c in ranked] == ["unsure", "sure"]
    assert ranked[0].uncertainty == pytest.approx(0.5)
    assert ranked[0].disagreement is None


def test_a_missing_document_is_an_empty_prediction() -> None:
    ranked = rank_for_annotation({"s1": _docs(annotations_a(), "d"), "s2": []})
    assert ranked[0].disagreement == pytest.approx(1.0)


def test_no_predictions() -> None:
    with pytest.raises(FilingkitError):
        rank_for_annotation({})


def test_cli_queue(tmp_path: Path) -> None:
    from filingkit.cli import main

    p1, p2 = tmp_path / "rules.jsonl", tmp_path / "crf.jsonl"
    write_predictions(p1, _docs(annotations_a(), "d1", "d2"))
    write_predictions(p2, _docs(annotations_a(), "d1") + _docs(annotations_b(), "d2"))
    out = tmp_path / "queue.json"
    assert main(["annotate", "queue", str(p1), f"{p2}=crf@1", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["systems"] == ["crf@1", "rules"]
    assert [c["doc_id"] for c in data["candidates"]] == ["d2", "d1"]
