"""The gold's entities as a token-classification dataset: ``tokens``, BIO ``ner_tags``, offsets.

The view a ``transformers`` or spaCy user trains a tagger on. One row per gold
filing whose scope covers every entity label (elsewhere an untagged token would
not mean "no entity"), with the canonical ``text``, its ``tokens`` and their
half-open code-point offsets (``token_start`` / ``token_end``), and ``ner_tags``:
a ``ClassLabel`` sequence over ``O`` and ``B-``/``I-`` of each catalogue entity label,
in catalogue order.

Tokens are words (letters and digits joined by inner ``. , - ' / &``) or single
other characters, and are cut wherever a gold span starts or ends, so the tags
hold every span exactly: ``token_rows_to_annotations`` gives back the gold entities
(label, start, end), which is the round trip the tests check. Gold entities never
overlap, which BIO could not represent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import FilingkitError
from filingkit.gold.dataset import UNSPLIT, _datasets, by_split, split_of_documents
from filingkit.gold.store import bundled_gold_dir, iter_gold_files, load_gold_file
from filingkit.records import Annotations, Entity, GoldDocument

if TYPE_CHECKING:
    import datasets

TOKEN_VIEW_VERSION = 1
_WORD = re.compile(r"\w+(?:[.,\-'’/&]\w+)*|[^\w\s]")


def tag_names(catalogue: Catalogue | None = None) -> list[str]:
    """``O`` then ``B-X``, ``I-X`` for each entity label X, in catalogue order."""
    cat = catalogue or load_catalogue()
    return ["O"] + [f"{p}-{label}" for label in cat.entity_labels for p in ("B", "I")]


def token_features(catalogue: Catalogue | None = None) -> datasets.Features:
    """The explicit features of the token view."""
    ds = _datasets()
    s, i64 = ds.Value("string"), ds.Value("int64")
    return ds.Features({
        "doc_id": s, "split": s, "view_version": ds.Value("int32"), "text": s,
        "tokens": ds.List(s), "token_start": ds.List(i64), "token_end": ds.List(i64),
        "ner_tags": ds.List(ds.ClassLabel(names=tag_names(catalogue))),
    })


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token spans of ``text``, each also cut at every offset in ``cuts`` that falls inside it."""
    at = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    k = 0
    for m in _WORD.finditer(text):
        start, end = m.span()
        while k < len(at) and at[k] <= start:
            k += 1
        j = k
        while j < len(at) and at[j] < end:
            out.append((start, at[j]))
            start = at[j]
            j += 1
        out.append((start, end))
    return out


def covers_every_label(doc: GoldDocument, catalogue: Catalogue) -> bool:
    """Whether the filing's scope covers every entity label (by name or by group)."""
    scope = set(doc.gold.scope)
    return all(spec.name in scope or spec.group in scope
               for spec in catalogue.fields if spec.name in catalogue.entity_labels)


def token_row(doc: GoldDocument, split: str = UNSPLIT) -> dict[str, Any]:
    """One token-view row of a gold filing (tags as names; the features encode them)."""
    text = doc.document.text
    ents = sorted(doc.gold.entities, key=lambda e: (e.start, e.end))
    spans = tokenize(text, [x for e in ents for x in (e.start, e.end)])
    tags = ["O"] * len(spans)
    i = 0
    for e in ents:
        while i < len(spans) and spans[i][0] < e.start:
            i += 1
        first = True
        while i < len(spans) and spans[i][1] <= e.end:
            tags[i] = f"{'B' if first else 'I'}-{e.label}"
            first = False
            i += 1
        if first:
            raise FilingkitError(f"document {doc.doc_id!r}: entity {e.label} [{e.start}, {e.end}) "
                                 "covers no token", field=e.label)
    return {
        "doc_id": doc.doc_id, "split": split, "view_version": TOKEN_VIEW_VERSION, "text": text,
        "tokens": [text[a:b] for a, b in spans],
        "token_start": [a for a, _ in spans], "token_end": [b for _, b in spans],
        "ner_tags": tags,
    }


def gold_token_dataset_dict(gold_dir: str | Path | None = None, *,
                            catalogue: Catalogue | None = None) -> datasets.DatasetDict:
    """The token view of every gold filing with full entity scope, by split."""
    cat = catalogue or load_catalogue()
    root = bundled_gold_dir() if gold_dir is None else Path(gold_dir)
    splits = split_of_documents(root)
    docs = [load_gold_file(p) for p in iter_gold_files(root)]
    rows = [token_row(d, splits.get(d.doc_id, UNSPLIT)) for d in docs if covers_every_label(d, cat)]
    if not rows:
        raise FilingkitError("no gold filing has every entity label in scope", file=root)
    return by_split(rows, token_features(cat))


def row_entities(row: Mapping[str, Any], names: Sequence[str]) -> list[Entity]:
    """The entities a token-view row's BIO tags hold (integer ids decoded with ``names``)."""
    text = row["text"]
    out: list[Entity] = []
    current: list[Any] | None = None  # [label, start, end]
    for tag, start, end in zip(row["ner_tags"], row["token_start"], row["token_end"], strict=True):
        name = names[tag] if isinstance(tag, int) else str(tag)
        prefix, _, label = name.partition("-")
        if prefix == "I" and current is not None and current[0] == label:
            current[2] = end
            continue
        if current is not None:
            out.append(Entity(current[0], current[1], current[2], text[current[1]:current[2]]))
            current = None
        if prefix in ("B", "I"):  # an I- without its B- starts a span, as seqeval reads it
            current = [label, start, end]
    if current is not None:
        out.append(Entity(current[0], current[1], current[2], text[current[1]:current[2]]))
    return out


def token_rows_to_annotations(dataset: datasets.Dataset) -> list[Annotations]:
    """Every row of a token-view dataset as annotations (entities only), in row order."""
    if "ner_tags" not in dataset.features:
        raise FilingkitError("not a token-view dataset (no ner_tags column)")
    names = list(dataset.features["ner_tags"].feature.names)
    return [Annotations(doc_id=row["doc_id"], entities=tuple(row_entities(row, names)))
            for row in dataset]


__all__ = [
    "covers_every_label", "gold_token_dataset_dict", "row_entities", "tag_names", "token_features",
    "token_row", "token_rows_to_annotations", "tokenize",
]
