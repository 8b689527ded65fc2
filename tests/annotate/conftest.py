"""Fixtures of the annotate tests: two annotators' sets of a real filing, a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .builders import annotations_a, annotations_b, document, write_set
from .labelstudio_server import Server, ServerError, running_server


@pytest.fixture
def two_annotator_gold(tmp_path: Path) -> Path:
    """A gold folder with one filing annotated by ann-a and ann-b."""
    gold = tmp_path / "gold"
    doc = document()
    write_set(gold, doc, annotations_a(), "ann-a")
    write_set(gold, doc, annotations_b(), "ann-b")
    return gold


@pytest.fixture(scope="session")
def labelstudio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Label Studio server on 127.0.0.1 for the whole session (see labelstudio_server).

    Never skipped: when the server cannot be installed or started, the tests
    using it fail with the server's log tail. Deselect them explicitly with
    ``-m "not labelstudio"``.
    """
    try:
        with running_server(tmp_path_factory.mktemp("labelstudio")) as running:
            yield running
    except ServerError as exc:
        pytest.fail(f"Label Studio server unavailable:\n{exc}", pytrace=False)
