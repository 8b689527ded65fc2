"""The field catalogue: every field that is annotated, extracted and scored.

One TOML file declares each field's kind, value type, cardinality, normalizer,
matching rule and annotator guideline. Everything else (the gold JSON Schema,
the Label Studio config, extractor contracts, the evaluator) reads it from
here, so a field is added or changed in exactly one place.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from filingkit.errors import CatalogueError

Kind = Literal["entity", "fact"]
Cardinality = Literal["one", "many"]

KINDS: frozenset[str] = frozenset({"entity", "fact"})
CARDINALITIES: frozenset[str] = frozenset({"one", "many"})
VALUE_TYPES: frozenset[str] = frozenset(
    {"span", "string", "name", "date", "code", "bool", "number", "money", "record"}
)
ARG_TYPES: frozenset[str] = frozenset(
    {"string", "name", "date", "code", "bool", "number", "money", "period", "decimals"}
)
MATCH_RULES: frozenset[str] = frozenset({"span", "exact", "name", "numeric", "record"})
GROUPS: tuple[str, ...] = ("entities", "cover", "structure", "financial", "events")

DEFAULT_CATALOGUE = "catalogue-v2.toml"


@dataclass(frozen=True, slots=True)
class ArgSpec:
    """One named argument of a record field (financial fact, event)."""

    name: str
    type: str
    identifying: bool
    required: bool
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One catalogue field: an entity label or a document-level fact."""

    name: str
    kind: Kind
    group: str
    type: str
    cardinality: Cardinality
    normalizer: str
    match: str
    guideline: str
    not_: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    args: tuple[ArgSpec, ...] = ()

    @property
    def is_record(self) -> bool:
        return self.type == "record"

    @property
    def many(self) -> bool:
        return self.cardinality == "many"

    @property
    def identifying_args(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.args if a.identifying)

    def arg(self, name: str) -> ArgSpec:
        for a in self.args:
            if a.name == name:
                return a
        raise CatalogueError(
            f"no argument {name!r}; known: {', '.join(a.name for a in self.args)}",
            field=self.name,
        )


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A validated, versioned set of fields, looked up by name."""

    name: str
    version: str
    fields: tuple[FieldSpec, ...]
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for f in self.fields:
            if f.name in seen:
                raise CatalogueError("declared twice", file=self.source, field=f.name)
            seen.add(f.name)

    @property
    def entity_labels(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.kind == "entity")

    @property
    def fact_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.kind == "fact")

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> FieldSpec | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def __getitem__(self, name: str) -> FieldSpec:
        spec = self.get(name)
        if spec is None:
            raise CatalogueError(
                f"unknown field{did_you_mean(name, self.names())}",
                file=self.source,
                field=name,
            )
        return spec

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def group_of(self, name: str) -> str:
        return self[name].group

    def fields_in_group(self, group: str) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.group == group)


def did_you_mean(name: str, choices: tuple[str, ...] | list[str]) -> str:
    """A ' (did you mean X?)' suffix for a misspelt name, or a list of valid names."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f"; known: {', '.join(choices)}" if len(choices) <= 20 else ""


def _require(table: dict[str, Any], key: str, source: str, where: str) -> Any:
    if key not in table:
        raise CatalogueError(f"missing key {key!r}", file=source, field=where)
    return table[key]


def _parse_arg(raw: dict[str, Any], source: str, owner: str) -> ArgSpec:
    name = str(_require(raw, "name", source, owner))
    where = f"{owner}.{name}"
    type_ = str(_require(raw, "type", source, where))
    if type_ not in ARG_TYPES:
        raise CatalogueError(
            f"argument type {type_!r} is not one of {sorted(ARG_TYPES)}", file=source, field=where
        )
    return ArgSpec(
        name=name,
        type=type_,
        identifying=bool(raw.get("identifying", False)),
        required=bool(raw.get("required", False)),
        choices=tuple(str(c) for c in raw.get("choices", ())),
    )


def _parse_field(raw: dict[str, Any], source: str) -> FieldSpec:
    from filingkit.normalize import NORMALIZERS  # late import: normalize reads no catalogue

    name = str(_require(raw, "name", source, "<unnamed>"))
    known = {
        "name", "kind", "group", "type", "cardinality", "normalizer", "match",
        "guideline", "not_", "example", "choices", "args",
    }
    unknown = set(raw) - known
    if unknown:
        raise CatalogueError(f"unknown keys {sorted(unknown)}", file=source, field=name)
    kind = str(_require(raw, "kind", source, name))
    if kind not in KINDS:
        raise CatalogueError(f"kind {kind!r} is not entity or fact", file=source, field=name)
    type_ = str(_require(raw, "type", source, name))
    if type_ not in VALUE_TYPES:
        raise CatalogueError(
            f"type {type_!r} is not one of {sorted(VALUE_TYPES)}", file=source, field=name
        )
    if (kind == "entity") != (type_ == "span"):
        raise CatalogueError("entities, and only entities, have type span", file=source, field=name)
    cardinality = str(_require(raw, "cardinality", source, name))
    if cardinality not in CARDINALITIES:
        raise CatalogueError(
            f"cardinality {cardinality!r} is not one or many", file=source, field=name
        )
    normalizer = str(_require(raw, "normalizer", source, name))
    if normalizer not in NORMALIZERS:
        raise CatalogueError(
            f"normalizer {normalizer!r} unknown{did_you_mean(normalizer, sorted(NORMALIZERS))}",
            file=source,
            field=name,
        )
    match = str(_require(raw, "match", source, name))
    if match not in MATCH_RULES:
        raise CatalogueError(
            f"match rule {match!r} is not one of {sorted(MATCH_RULES)}", file=source, field=name
        )
    args = tuple(_parse_arg(a, source, name) for a in raw.get("args", ()))
    if type_ == "record" and not any(a.identifying for a in args):
        raise CatalogueError("a record needs at least one identifying argument", file=source,
                             field=name)
    group = str(_require(raw, "group", source, name))
    return FieldSpec(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        group=group,
        type=type_,
        cardinality=cardinality,  # type: ignore[arg-type]
        normalizer=normalizer,
        match=match,
        guideline=str(_require(raw, "guideline", source, name)),
        not_=str(raw.get("not_", "")),
        example=str(raw.get("example", "")),
        choices=tuple(str(c) for c in raw.get("choices", ())),
        args=args,
    )


def parse_catalogue(text: str, *, source: str = "<string>") -> Catalogue:
    """Parse and validate catalogue TOML text."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"invalid TOML: {exc}", file=source) from None
    name = str(_require(raw, "name", source, "<catalogue>"))
    version = str(_require(raw, "version", source, "<catalogue>"))
    fields = tuple(_parse_field(f, source) for f in raw.get("fields", ()))
    if not fields:
        raise CatalogueError("declares no fields", file=source)
    return Catalogue(name=name, version=version, fields=fields, source=source)


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Catalogue:
    if path is None:
        ref = resources.files("filingkit") / "data" / DEFAULT_CATALOGUE
        return parse_catalogue(ref.read_text(encoding="utf-8"), source=f"filingkit:{DEFAULT_CATALOGUE}")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError("no such catalogue file", file=p) from None
    return parse_catalogue(text, source=str(p))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The shipped catalogue, or a user's catalogue file when ``path`` is given."""
    return _load_cached(str(Path(path).resolve()) if path is not None else None)
