"""Span invariants: half-open, non-empty; overlap is symmetric and touching is not overlap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filingkit.records import Span


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3)])
def test_invalid_spans(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        Span(start, end)


def test_touching_spans_do_not_overlap() -> None:
    assert not Span(0, 5).overlaps(Span(5, 10))
    assert Span(0, 5).overlap(Span(5, 10)) == 0
    assert Span(0, 6).overlaps(Span(5, 10))


spans = st.tuples(st.integers(0, 100), st.integers(1, 50)).map(lambda t: Span(t[0], t[0] + t[1]))


@given(spans, spans)
def test_overlap_symmetric_and_bounded(a: Span, b: Span) -> None:
    assert a.overlap(b) == b.overlap(a)
    assert 0 <= a.overlap(b) <= min(len(a), len(b))
    assert a.overlaps(b) == (a.overlap(b) > 0)
    text = "x" * 200
    shared = set(range(a.start, a.end)) & set(range(b.start, b.end))
    assert len(shared) == a.overlap(b)
    assert len(text[a.start:a.end]) == len(a)
