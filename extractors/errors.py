"""Errors raised by the extractors area, all ``FilingkitError`` subclasses.

They carry a reason and, where it helps, a hint, so the CLI can print an
``ERROR:`` and a ``TIP:`` line without knowing which extractor failed.
"""

from __future__ import annotations

from filingkit.errors import FilingkitError


class ExtractorError(FilingkitError):
    """An extractor cannot be found, built, trained or run."""


class UnknownExtractorError(ExtractorError):
    """No extractor is registered under the requested name."""


class NotFittedError(ExtractorError):
    """A trainable extractor was asked to extract or save before ``fit`` or ``load``."""


class ModelFormatError(ExtractorError):
    """A saved model is missing, malformed, or made for another version or catalogue."""
