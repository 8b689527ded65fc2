"""Exceptions that carry enough context to act on: which file, which field, why.

The library raises these and never prints or exits; the CLI turns them into
an ERROR line and an exit code in one place (``filingkit.cli``).
"""

from __future__ import annotations

from pathlib import Path


class FilingkitError(Exception):
    """Base class: a problem the user can fix, described by file, field and reason."""

    def __init__(
        self,
        reason: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.reason = reason
        self.file = str(file) if file is not None else None
        self.field = field
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.field:
            parts.append(f"field {self.field}")
        where = ": ".join(parts)
        return f"{where}: {self.reason}" if where else self.reason


class CatalogueError(FilingkitError):
    """The field catalogue is malformed, or a name is not in it."""


class GoldFormatError(FilingkitError):
    """A gold or predictions file breaks the schema, the catalogue or its text."""


class NormalizationError(FilingkitError):
    """A raw value cannot be normalized to the field's type."""


class IngestError(FilingkitError):
    """A filing cannot be read or turned into a canonical document."""


class OverwriteRefused(FilingkitError):
    """A write would replace a file that must not be silently overwritten."""
