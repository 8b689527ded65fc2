"""Migration of gold files written under an older catalogue version.

A gold file records the catalogue version its values were normalized under
(``"catalogue": {"name", "version"}``). When a catalogue version changes a
field's normal form, the stored values of that field must be rewritten, or
they would never match an extractor that normalizes with the new catalogue.

Catalogue v2 changed one normal form: ``dei:EntityFileNumber`` moved from v1's
"leading zeros dropped" (``0-17999``, ``1-6468``) to EDGAR's form (``000-17999``,
``001-06468``). ``migrate_gold_dir`` rewrites every v1 ``gold.json`` and
``annotations/*.json`` below a gold folder:

- each value of a field in ``CHANGED_FIELDS`` (facts, and the ``kept`` /
  ``other`` values of disagreements) is renormalized with the current
  normalizer; evidence, offsets, sources and notes are left as they are;
- ``catalogue.version`` becomes the current version;
- the result is checked like ``gold validate`` (schema, normal forms, offsets
  against ``text.txt``) *before* anything is written, and each file is written
  atomically. A file that would not validate is not written and is reported.

Files already at the current version are left alone, so a re-run changes
nothing. A version this module has no migration for is refused. The command
is ``filingkit gold migrate GOLD_DIR [--dry-run]``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import FilingkitError, NormalizationError
from filingkit.jsonio import read_json, write_json_atomic
from filingkit.normalize import normalize

#: fields whose normal form changed, by the version that changed it
CHANGED_FIELDS: dict[str, tuple[str, ...]] = {"2": ("dei:EntityFileNumber",)}
#: the versions a file can be migrated from, each to the next
MIGRATABLE: tuple[str, ...] = ("1",)
#: the command users are told to run
MIGRATE_COMMAND = "filingkit gold migrate"


@dataclass(frozen=True, slots=True)
class MigratedFile:
    """What the migration did (or would do) to one file."""

    path: str
    from_version: str
    to_version: str
    changed_values: int
    written: bool


def fields_changed_since(version: str, catalogue: Catalogue) -> tuple[str, ...]:
    """Fields whose normal form changed between ``version`` and the catalogue's version."""
    try:
        old, new = int(version), int(catalogue.version)
    except ValueError:
        return ()
    out: list[str] = []
    for v in range(old + 1, new + 1):
        out += CHANGED_FIELDS.get(str(v), ())
    return tuple(out)


def migration_hint(version: str, catalogue: Catalogue, where: str | Path) -> str | None:
    """The message telling the user how to migrate gold of ``version``; None if not migratable."""
    if version not in MIGRATABLE or version == catalogue.version:
        return None
    changed = ", ".join(fields_changed_since(version, catalogue)) or "no normal forms"
    return (f"written under catalogue v{version}, the catalogue is v{catalogue.version} "
            f"(normal form changed: {changed}); migrate it with: {MIGRATE_COMMAND} {where}")


def _renormalize(spec_normalizer: str, value: Any, file: str, field: str) -> Any:
    try:
        return normalize(spec_normalizer, value)
    except NormalizationError as exc:
        raise FilingkitError(f"value {value!r} cannot be migrated: {exc.reason}", file=file,
                             field=field) from None


def migrate_object(obj: dict[str, Any], catalogue: Catalogue, *, file: str = "<gold>"
                   ) -> tuple[dict[str, Any], int]:
    """A migrated copy of one gold / annotation-set JSON object and how many values changed.

    Raises ``FilingkitError`` for an unknown version or a value the new normalizer refuses.
    """
    cat_obj = obj.get("catalogue") or {}
    version = str(cat_obj.get("version", ""))
    if version == catalogue.version:
        return obj, 0
    if version not in MIGRATABLE:
        raise FilingkitError(
            f"catalogue version {version!r} has no migration to v{catalogue.version}",
            file=file, field="catalogue",
            hint=f"migratable versions: {', '.join(MIGRATABLE)}")
    changed = set(fields_changed_since(version, catalogue))
    out = copy.deepcopy(obj)
    n = 0
    for key, value_keys in (("facts", ("value",)), ("disagreements", ("kept", "other"))):
        for item in out.get(key) or []:
            name = item.get("field")
            if name not in changed:
                continue
            norm = catalogue[name].normalizer
            for vk in value_keys:
                if vk in item and item[vk] is not None:
                    new = _renormalize(norm, item[vk], file, name)
                    if new != item[vk]:
                        item[vk] = new
                        n += 1
    out["catalogue"] = {**cat_obj, "version": catalogue.version}
    return out, n


def iter_gold_json(gold_dir: str | Path) -> Iterator[Path]:
    """Every ``<id>/gold.json`` and ``<id>/annotations/*.json`` below ``gold_dir``, sorted."""
    from filingkit.gold.store import iter_annotation_files, iter_gold_files

    yield from sorted([*iter_gold_files(gold_dir), *iter_annotation_files(gold_dir)])


def _check(obj: dict[str, Any], path: Path, catalogue: Catalogue) -> list[str]:
    """Problems the migrated object would have (as ``gold validate`` reports them)."""
    from filingkit.gold.store import read_text_file
    from filingkit.gold.validate import _schema_problems, semantic_problems
    from filingkit.serialize import gold_from_json

    problems = [str(p) for p in _schema_problems(obj, str(path), catalogue)]
    record = gold_from_json(obj, file=str(path))
    folder = path.parent.parent if path.parent.name == "annotations" else path.parent
    text = read_text_file(folder / "text.txt")
    problems += [str(p) for p in semantic_problems(record, text, str(path), catalogue)]
    return problems


def migrate_gold_dir(gold_dir: str | Path, catalogue: Catalogue | None = None, *,
                     dry_run: bool = False) -> list[MigratedFile]:
    """Migrate every gold file below ``gold_dir`` to the catalogue's version.

    Each file is validated after migration and written atomically only when it is valid;
    a file that fails raises ``FilingkitError`` naming it (files migrated before it are
    written, the rest are not touched). ``dry_run`` validates without writing.
    """
    cat = catalogue or load_catalogue()
    root = Path(gold_dir)
    if not root.is_dir():
        raise FilingkitError("not a gold folder", file=root)
    done: list[MigratedFile] = []
    for path in iter_gold_json(root):
        obj = read_json(path)
        if not isinstance(obj, dict):
            raise FilingkitError("not a JSON object", file=path)
        version = str((obj.get("catalogue") or {}).get("version", ""))
        if version == cat.version:
            continue
        new, n = migrate_object(obj, cat, file=str(path))
        problems = _check(new, path, cat)
        if problems:
            raise FilingkitError(
                f"would not validate after migration ({len(problems)} problems): {problems[0]}",
                file=path, hint="fix the file by hand, then re-run the migration")
        if not dry_run:
            write_json_atomic(path, new)
        done.append(MigratedFile(str(path), version, cat.version, n, not dry_run))
    return done
