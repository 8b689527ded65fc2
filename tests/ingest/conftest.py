"""Shared paths for the ingestion tests: real filings under ``tests/data/filings``."""

from __future__ import annotations

from pathlib import Path

import pytest

FILINGS = Path(__file__).resolve().parents[1] / "data" / "filings"


def filing(rel: str) -> Path:
    """A test filing by its path relative to ``tests/data/filings``."""
    path = FILINGS / rel
    assert path.is_file(), f"missing test filing {path}"
    return path


@pytest.fixture
def filings_dir() -> Path:
    return FILINGS
