"""The gate's own extractor runs: registered extractors on gold, then the report the gate reads.

``filingkit gate --extractor NAME``, ``gate baseline update --extractor`` and the
pytest fixture ``filingkit_gate`` run extractors and score them; that joins the
extractors and the evaluator, so it lives here, above both (imports run one
way: ``filingkit.eval`` never imports the extractor registry).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from filingkit.eval.baseline import GateInputError


def resolve_extractor(extractor: object) -> Any:
    """An extractor object as given, or built from its registered name (``NAME[@VERSION]``)."""
    if not isinstance(extractor, str):
        return extractor
    from filingkit.extractors.registry import get_extractor

    return get_extractor(extractor)


def evaluate_extractors(
    extractors: Iterable[object],
    gold_dir: str | None = None,
    *,
    seed: int = 0,
    n_resamples: int = 1000,
    scheme: str = "strict",
) -> dict[str, Any]:
    """Run extractors on a gold folder and evaluate: the report JSON the gate reads.

    Several extractors are combined into one system when the fields they
    declare do not overlap (an entity tagger plus a cover-page extractor).
    """
    from filingkit.catalogue import load_catalogue
    from filingkit.eval import evaluate
    from filingkit.gold.store import load_gold_dir
    from filingkit.records import Annotations
    from filingkit.run.output import declared_header

    objs = [resolve_extractor(e) for e in extractors]
    if not objs:
        raise GateInputError("no extractor given")
    declared: dict[str, str] = {}
    for obj in objs:
        for f in obj.fields:
            if f in declared:
                raise GateInputError(
                    f"extractors {declared[f]!r} and {obj.name!r} both declare field {f!r}",
                    hint="gate them separately, each against its own baseline",
                )
            declared[f] = obj.name
    gold = load_gold_dir(gold_dir)
    merged: list[Annotations] = []
    for g in gold:
        outs = [obj.extract(g.document) for obj in objs]
        merged.append(Annotations(
            doc_id=g.doc_id,
            entities=tuple(e for o in outs for e in o.entities),
            facts=tuple(f for o in outs for f in o.facts),
        ))
    cat = load_catalogue()
    header = declared_header("+".join(str(o.name) for o in objs),
                             "+".join(str(o.version) for o in objs), declared, cat)
    # the header marks the other fields "not declared" in the report, as eval does for a file
    report = evaluate(gold, merged, catalogue=cat, header=header, scheme=scheme,
                      n_resamples=n_resamples, seed=seed, system="+".join(o.name for o in objs),
                      gold_name=str(gold_dir) if gold_dir is not None else "bundled gold")
    data: dict[str, Any] = report.to_dict()
    return data

