"""Finding extractors: built-in and third-party, all through one entry-point group.

Every extractor, including the ones shipped with filingkit, is registered in
the ``filingkit.extractors`` entry-point group of its distribution's metadata::

    [project.entry-points."filingkit.extractors"]
    acme = "acme_ie.extractor:AcmeExtractor"

so a package installed next to filingkit shows up in ``filingkit extractors
list`` and ``filingkit bench`` without any change here. A name may carry the
version it expects (``regex@1``): the registry then refuses an installed
extractor of another version instead of silently scoring a different model.
An unknown name answers with a did-you-mean and the list of known names.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from filingkit.catalogue import did_you_mean
from filingkit.extractors.base import ENTRY_POINT_GROUP, Extractor
from filingkit.extractors.errors import ExtractorError, UnknownExtractorError

__all__ = [
    "ExtractorInfo",
    "available_extractors",
    "extractor_class",
    "extractor_names",
    "get_extractor",
    "parse_name",
]


@dataclass(frozen=True, slots=True)
class ExtractorInfo:
    """What the registry knows of one registered extractor.

    ``error`` is set (and ``version``/``fields`` empty) when the plugin is
    registered but cannot be imported or built: listing still shows it, so a
    broken plugin is visible rather than silently missing.
    """

    name: str
    version: str
    fields: tuple[str, ...]
    distribution: str
    target: str
    error: str | None = None

    def __iter__(self) -> Iterator[Any]:
        """Unpack as ``(name, version, fields, distribution)``."""
        return iter((self.name, self.version, self.fields, self.distribution))


def _entry_points() -> dict[str, list[EntryPoint]]:
    """Entry points of the group by name (the same plugin installed twice appears twice)."""
    found: dict[str, list[EntryPoint]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, [])
        if all(other.value != ep.value for other in found[ep.name]):
            found[ep.name].append(ep)
    return found


def extractor_names() -> list[str]:
    """Sorted names of every registered extractor (nothing is imported)."""
    return sorted(_entry_points())


def parse_name(name: str) -> tuple[str, str | None]:
    """Split ``"regex@1"`` into ``("regex", "1")``; a bare name has no version pin."""
    base, sep, version = name.partition("@")
    if not base or (sep and not version):
        raise UnknownExtractorError(f"malformed extractor name {name!r}",
                                    hint="use NAME or NAME@VERSION, e.g. regex or regex@1")
    return base, (version if sep else None)


def _distribution(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?"
    return f"{dist.metadata['Name']} {dist.version}"


def _resolve(name: str) -> EntryPoint:
    eps = _entry_points()
    if name not in eps:
        known = tuple(sorted(eps))
        raise UnknownExtractorError(
            f"no extractor named {name!r}{did_you_mean(name, known)}",
            hint=f"registered extractors: {', '.join(known) or '(none)'}; "
                 "see `filingkit extractors list`",
        )
    candidates = eps[name]
    if len(candidates) > 1:
        targets = ", ".join(f"{ep.value} ({_distribution(ep)})" for ep in candidates)
        raise ExtractorError(f"extractor name {name!r} is registered more than once: {targets}",
                             hint="uninstall one of the distributions")
    return candidates[0]


def extractor_class(name: str) -> type[Any]:
    """The class (or factory) registered under ``name``, imported on demand."""
    base, _ = parse_name(name)
    ep = _resolve(base)
    try:
        obj = ep.load()
    except Exception as exc:  # a plugin's import error must name the plugin
        raise ExtractorError(
            f"extractor {base!r} ({ep.value}) cannot be imported: {type(exc).__name__}: {exc}",
            hint=f"check the installation of {_distribution(ep)}",
        ) from exc
    if not callable(obj):
        raise ExtractorError(f"entry point {base!r} ({ep.value}) is not a class or factory")
    return obj  # type: ignore[no-any-return]


def get_extractor(name: str, **options: Any) -> Extractor:
    """Build the extractor registered as ``name`` (optionally ``name@version``).

    ``options`` go to its constructor verbatim; an option it does not take is
    an error listing the ones it does.
    """
    base, pinned = parse_name(name)
    cls = extractor_class(base)
    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        params = None  # a C or dynamic factory: let the call decide
    if params is not None and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        accepted = [p for p in params if p != "self"]
        for key in options:
            if key not in params:
                raise ExtractorError(
                    f"extractor {base!r} takes no option {key!r}{did_you_mean(key, accepted)}",
                    hint=f"its options: {', '.join(accepted) or '(none)'}",
                )
    try:
        extractor = cls(**options)
    except (TypeError, ValueError) as exc:
        raise ExtractorError(f"extractor {base!r} rejected its options: {exc}") from exc
    _check_contract(base, extractor)
    if str(extractor.name) != base:
        raise ExtractorError(
            f"the entry point {base!r} builds an extractor named {extractor.name!r}",
            hint="a plugin's entry-point name must be its extractor's name",
        )
    if pinned is not None and str(extractor.version) != pinned:
        raise ExtractorError(
            f"extractor {base!r} is version {extractor.version}, not {pinned}",
            hint=f"ask for {base}@{extractor.version} or install version {pinned}",
        )
    return extractor  # type: ignore[no-any-return]


def _check_contract(name: str, extractor: Any) -> None:
    """Refuse early an object that does not look like an ``Extractor``."""
    missing = [a for a in ("name", "version", "fields", "extract") if not hasattr(extractor, a)]
    if missing:
        raise ExtractorError(
            f"extractor {name!r} does not follow the extractor protocol: "
            f"missing {', '.join(missing)}",
            hint="see filingkit.extractors.base.Extractor",
        )
    if not isinstance(extractor.fields, tuple) or not all(
        isinstance(f, str) for f in extractor.fields
    ):
        raise ExtractorError(f"extractor {name!r}: fields must be a tuple of field names")


def available_extractors() -> list[ExtractorInfo]:
    """Every registered extractor with its version, fields and distribution, sorted by name.

    Each one is imported and built with default options to read its version
    and fields; one that fails is listed with its ``error`` instead of
    hiding the others.
    """
    out: list[ExtractorInfo] = []
    for name, eps in sorted(_entry_points().items()):
        ep = eps[0]
        dist = ", ".join(_distribution(e) for e in eps)
        try:
            extractor = get_extractor(name)
        except ExtractorError as exc:
            out.append(ExtractorInfo(name, "", (), dist, ep.value, error=exc.reason))
            continue
        out.append(ExtractorInfo(name, str(extractor.version), tuple(extractor.fields), dist,
                                 ep.value))
    return out
