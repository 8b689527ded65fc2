"""Validation of gold files: schema, catalogue, offsets and text hash.

Every problem is reported, not only the first, each naming the file, the
field and the reason, so a corpus with ten broken files is fixed in one pass.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import FilingkitError, NormalizationError
from filingkit.gold.schema import gold_schema
from filingkit.gold.store import (
    iter_annotation_files,
    iter_gold_files,
    read_text_file,
    resolve_gold_dir,
)
from filingkit.jsonio import read_json
from filingkit.normalize import normalize
from filingkit.records import GoldRecord, Span, sha256_text
from filingkit.serialize import gold_from_json


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a gold file."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class _Validators:
    """The gold schema split for speed: the file without its facts, and one schema per fact field.

    The schema's ``facts.items`` is a ``oneOf`` over every fact field, which
    jsonschema checks by trying each alternative for each fact (most of the
    time of a validation); dispatching on the fact's ``field`` gives the same
    verdicts an order of magnitude faster.
    """

    shell: jsonschema.Draft202012Validator
    facts: dict[str, jsonschema.Draft202012Validator]


@lru_cache(maxsize=4)
def _validators(catalogue: Catalogue) -> _Validators:
    schema = gold_schema(catalogue)
    jsonschema.Draft202012Validator.check_schema(schema)
    shell = copy.deepcopy(schema)
    shell["properties"]["facts"] = {
        "type": "array",
        "items": {"type": "object", "required": ["field"],
                  "properties": {"field": {"type": "string"}}},
    }
    per_field = {
        alt["properties"]["field"]["const"]: jsonschema.Draft202012Validator(
            {"$defs": schema["$defs"], **alt})
        for alt in schema["properties"]["facts"]["items"]["oneOf"]
    }
    return _Validators(jsonschema.Draft202012Validator(shell), per_field)


def _schema_problems(obj: Any, file: str, catalogue: Catalogue) -> list[Problem]:
    validators = _validators(catalogue)
    out = []
    for err in sorted(validators.shell.iter_errors(obj), key=lambda e: [str(p) for p in e.path]):
        path = "/".join(str(p) for p in err.absolute_path) or "<root>"
        out.append(Problem(file, path, f"schema: {err.message[:300]}"))
    facts = obj.get("facts") if isinstance(obj, dict) else None
    for i, fact in enumerate(facts if isinstance(facts, list) else ()):
        name = fact.get("field") if isinstance(fact, dict) else None
        if not isinstance(name, str):
            continue  # reported by the shell schema
        where = f"facts/{i} ({name})"
        validator = validators.facts.get(name)
        if validator is None:
            out.append(Problem(file, where, f"schema: unknown fact field {name!r}"))
            continue
        errs = sorted(validator.iter_errors(fact), key=lambda e: [str(p) for p in e.path])
        if errs:
            out.append(Problem(file, where, "schema: " + "; ".join(e.message[:160]
                                                                  for e in errs[:3])))
    return out


def _check_span(text: str, start: int, end: int, recorded: str | None, file: str,
                where: str) -> list[Problem]:
    try:
        Span(start, end)
    except (ValueError, TypeError) as exc:
        return [Problem(file, where, str(exc))]
    if end > len(text):
        return [Problem(file, where, f"span [{start}, {end}) ends past the text ({len(text)} chars)")]
    if recorded is not None and text[start:end] != recorded:
        return [Problem(file, where,
                        f"text[{start}:{end}] is {text[start:end]!r}, recorded {recorded!r}")]
    return []


def semantic_problems(record: GoldRecord, text: str, file: str,
                      catalogue: Catalogue) -> list[Problem]:
    """Checks the schema cannot express: hash, offsets, normalization, cardinality."""
    out: list[Problem] = []
    if sha256_text(text) != record.text_sha256:
        out.append(Problem(file, "text_sha256", "does not match the canonical text beside it"))
    if record.catalogue_version != catalogue.version:
        out.append(Problem(file, "catalogue",
                           f"version {record.catalogue_version!r}, catalogue is {catalogue.version!r}"))
    prev_end = 0
    for i, seg in enumerate(sorted(record.segments, key=lambda s: s.start)):
        out += _check_span(text, seg.start, seg.end, None, file, f"segments[{i}] ({seg.name})")
        if seg.start < prev_end:
            out.append(Problem(file, f"segments[{i}] ({seg.name})", "overlaps the previous segment"))
        prev_end = max(prev_end, seg.end)
    seen_entities: Counter[tuple[str, int, int]] = Counter()
    for i, e in enumerate(record.entities):
        where = f"entities[{i}] ({e.label})"
        if e.label not in catalogue.entity_labels:
            out.append(Problem(file, where, "label not in the catalogue's entity labels"))
        out += _check_span(text, e.start, e.end, e.text, file, where)
        seen_entities[(e.label, e.start, e.end)] += 1
    for key, n in seen_entities.items():
        if n > 1:
            out.append(Problem(file, f"entities ({key[0]} [{key[1]}, {key[2]}))",
                               f"recorded {n} times"))
    per_field: Counter[str] = Counter()
    for i, f in enumerate(record.facts):
        where = f"facts[{i}] ({f.field})"
        spec = catalogue.get(f.field)
        if spec is None or spec.kind != "fact":
            out.append(Problem(file, where, "not a fact field of the catalogue"))
            continue
        per_field[f.field] += 1
        try:
            normal = normalize(spec.normalizer, f.value)
        except NormalizationError as exc:
            out.append(Problem(file, where, f"value {f.value!r} cannot be normalized: {exc.reason}"))
        else:
            if normal != f.value:
                out.append(Problem(file, where,
                                   f"value {f.value!r} is not in normal form (expected {normal!r})"))
        for j, ev in enumerate(f.evidence):
            out += _check_span(text, ev.start, ev.end, ev.text, file, f"{where} evidence[{j}]")
    for name, n in per_field.items():
        if n > 1 and not catalogue[name].many:
            out.append(Problem(file, name, f"cardinality one, but {n} values recorded"))
    return out


def validate_gold_file(path: str | Path, catalogue: Catalogue | None = None) -> list[Problem]:
    """All problems of one gold (or annotation-set) file; empty when it is valid."""
    cat = catalogue or load_catalogue()
    p = Path(path)
    file = str(p)
    try:
        obj = read_json(p)
    except FilingkitError as exc:
        return [Problem(file, "<file>", exc.reason)]
    problems = _schema_problems(obj, file, cat)
    try:
        record = gold_from_json(obj, file=file)
    except FilingkitError as exc:
        return [*problems, Problem(file, "<structure>", exc.reason)]
    except (TypeError, ValueError, KeyError) as exc:
        return [*problems, Problem(file, "<structure>", f"malformed: {exc}")]
    folder = p.parent.parent if p.parent.name == "annotations" else p.parent
    if folder.name != record.doc_id:
        problems.append(Problem(file, "doc_id",
                                f"{record.doc_id!r} does not match its folder {folder.name!r}"))
    try:
        text = read_text_file(folder / "text.txt")
    except FilingkitError as exc:
        return [*problems, Problem(file, "text", exc.reason)]
    try:
        problems += semantic_problems(record, text, file, cat)
    except (TypeError, ValueError) as exc:
        problems.append(Problem(file, "<structure>", f"malformed: {exc}"))
    return _explain_old_version(problems, record.catalogue_version, file, folder.parent, cat)


def _explain_old_version(problems: list[Problem], version: str, file: str, gold_dir: Path,
                         catalogue: Catalogue) -> list[Problem]:
    """Gold of an older, migratable catalogue version: one problem naming the migration
    command, instead of a version mismatch and a normal-form problem per changed value."""
    from filingkit.gold.migrate import fields_changed_since, migration_hint

    hint = migration_hint(version, catalogue, gold_dir)
    if hint is None:
        return problems
    changed = fields_changed_since(version, catalogue)

    def explained(p: Problem) -> bool:
        if p.field in ("catalogue", "catalogue/version"):
            return True
        return "is not in normal form" in p.reason and any(f"({f})" in p.field for f in changed)

    return [Problem(file, "catalogue", hint), *(p for p in problems if not explained(p))]


def validate_gold_dir(gold_dir: str | Path, catalogue: Catalogue | None = None,
                      *, include_annotation_sets: bool = True) -> list[Problem]:
    """All problems of every gold file below ``gold_dir`` (or ``gold_dir/filings``)."""
    cat = catalogue or load_catalogue()
    root = resolve_gold_dir(gold_dir)
    files = list(iter_gold_files(root))
    if include_annotation_sets:
        files += list(iter_annotation_files(root))
    if not files:
        return [Problem(str(gold_dir), "<folder>", "no gold files (<doc_id>/gold.json) found")]
    out: list[Problem] = []
    for f in files:
        out += validate_gold_file(f, cat)
    return out
