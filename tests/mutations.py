"""Mutations of real inputs for the bad-input property tests (hypothesis), and their checks.

``json_mutations(obj)`` draws a copy of a real JSON document (a gold file, a
Label Studio export, a baseline, a report) with one to three edits of the
kinds a careless user or a broken tool makes: a value of the wrong type, a
key removed or added, a list item duplicated or dropped, a number made
negative, huge, fractional or NaN, a string emptied. ``byte_mutations(data)``
draws the file's bytes truncated, with bytes flipped, inserted or removed, or
with invalid UTF-8 spliced in. ``only_project_errors`` runs a library call
and lets only ``FilingkitError`` through; ``run_cli`` runs ``filingkit`` in
process and asserts the exit-code convention and that no traceback is shown.
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from filingkit.cli import main
from filingkit.errors import FilingkitError

T = TypeVar("T")

#: ``FILINGKIT_FUZZ_SCALE=10 pytest ...`` runs ten times the examples (a deeper local run).
SCALE = float(os.environ.get("FILINGKIT_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> Any:
    """Settings of a bad-input property test: fixed seed (derandomized), no database."""
    return settings(max_examples=max(1, int(examples * SCALE)), derandomize=True, database=None,
                    deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                          HealthCheck.function_scoped_fixture])
Path_ = tuple[Any, ...]

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(-3, 3), st.sampled_from([-(2**63), 2**64, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.sampled_from(["", "\x00", "\ud800", "ORG", "strict", "1", "f1"]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)


def set_path(obj: Any, path: Path_, value: Any) -> None:
    """``obj[p0][p1]...[pn] = value`` (the battery's one-place edits)."""
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def _paths(obj: Any, prefix: Path_ = (), limit: int = 4000) -> list[Path_]:
    """Every node's path (breadth first, capped so big exports stay cheap)."""
    out: list[Path_] = [prefix]
    queue: list[tuple[Path_, Any]] = [(prefix, obj)]
    while queue and len(out) < limit:
        path, node = queue.pop(0)
        children: list[tuple[Any, Any]] = (
            list(node.items()) if isinstance(node, dict)
            else list(enumerate(node)) if isinstance(node, list) else [])
        for key, child in children:
            out.append((*path, key))
            queue.append(((*path, key), child))
    return out


def _get(obj: Any, path: Path_) -> Any:
    for key in path:
        obj = obj[key]
    return obj


def _tweak(value: Any, draw: st.DrawFn) -> Any:
    """A nearby wrong value: same-looking but off (negative, huge, empty, another type)."""
    if isinstance(value, bool):
        return draw(st.sampled_from([not value, int(value), str(value).lower()]))
    if isinstance(value, int):
        return draw(st.sampled_from([-value - 1, value + 10**9, float(value) + 0.5, str(value),
                                     math.nan, None, [value]]))
    if isinstance(value, float):
        whole = int(value) if math.isfinite(value) else 0
        return draw(st.sampled_from([-value, math.inf, math.nan, str(value), whole]))
    if isinstance(value, str):
        return draw(st.sampled_from(["", value[: len(value) // 2], value + "x", value.upper(),
                                     0, None, [value], {"value": value}]))
    if isinstance(value, list):
        return draw(st.sampled_from([[], value[:1] * 2, {"0": value}, "list", None]))
    if isinstance(value, dict):
        return draw(st.sampled_from([{}, list(value.values()), "object", None, 0]))
    return draw(JSON_VALUES)


@st.composite
def json_mutations(draw: st.DrawFn, original: Any, max_edits: int = 3) -> Any:
    """A deep copy of ``original`` with one to ``max_edits`` random edits."""
    obj = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, max_edits))):
        paths = _paths(obj)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["tweak", "replace", "delete", "add", "duplicate"]))
        if not path:  # the root itself
            if op in ("tweak", "replace"):
                obj = _tweak(obj, draw) if op == "tweak" else draw(JSON_VALUES)
            continue
        parent, key = _get(obj, path[:-1]), path[-1]
        if op == "tweak":
            parent[key] = _tweak(parent[key], draw)
        elif op == "replace":
            parent[key] = draw(JSON_VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "Label", "start ", "fields", "x"]))] = draw(
                JSON_VALUES)
        elif op == "add" or op == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[key] = [parent[key], copy.deepcopy(parent[key])]
    return obj


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` truncated, or with bytes flipped, inserted, removed or made invalid UTF-8."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        n = len(out)
        at = draw(st.integers(0, n))
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "bad-utf8"]))
        if op == "truncate":
            del out[at:]
        elif op == "flip" and n:
            i = min(at, n - 1)
            out[i] ^= draw(st.integers(1, 255))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del out[at:at + draw(st.integers(1, 64))]
        else:
            out[at:at] = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80",
                                               b"\x00", b"\xef\xbb\xbf"]))
    return bytes(out)


def only_project_errors(call: Callable[[], T]) -> T | FilingkitError:
    """Run a library call: its result, or the ``FilingkitError`` it raised (anything else fails)."""
    try:
        return call()
    except FilingkitError as exc:
        assert exc.message.strip(), "an error without a message"
        return exc


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``filingkit ARGV`` in process: (exit code, stderr); asserts 0/1/2 and no traceback."""
    capsys.readouterr()
    rc = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert rc in (0, 1, 2), (rc, err)
    return rc, err
