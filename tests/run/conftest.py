"""Fixtures for the orchestration tests: the synthetic gold corpus of the extractor tests,
and the real filings (the bundled gold's ``source/`` files and ``tests/data/filings``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent

_spec = importlib.util.spec_from_file_location("_filingkit_extractor_fixtures",
                                               TESTS / "extractors" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

# the same fixtures as tests/extractors (re-exported: pytest collects them by name)
corpus = _fixtures.corpus
corpus_gold_dir = _fixtures.corpus_gold_dir
gold_dir_builder = _fixtures.gold_dir_builder


def real_filings() -> list[Path]:
    """Real 8-K files: every bundled gold filing's source files, then tests/data/filings."""
    gold = sorted((REPO / "gold" / "filings").glob("*/source/*"))
    data = sorted(p for p in (TESTS / "data" / "filings").rglob("*")
                  if p.is_file() and p.suffix.lower() in (".txt", ".nc", ".htm", ".html"))
    return [p for p in gold + data if p.is_file()]


@pytest.fixture(scope="session")
def filings() -> list[Path]:
    """Real filings for runner tests (no ../shared: only files the repository carries)."""
    found = real_filings()
    assert len(found) >= 50, "the bundled gold's source files are missing"
    return found
