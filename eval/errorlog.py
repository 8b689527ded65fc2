"""Error items (every false positive and negative) streamed out, a few kept for the report.

The report keeps the first ``max_errors`` items of each field, in the report's
order (document id, start, end, field, kind; TEAM spec 3), and says how many
it left out (``errors_omitted``); every item can stream, batch by batch, to a
JSONL file (``--errors FILE``) that is written atomically: a temporary file in
the target folder, renamed into place only when the evaluation succeeds.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import msgspec

from filingkit.eval.report import ErrorItem
from filingkit.jsonio import _default_mode

Key = tuple[str, int, int, str, str, int]
_ENC = msgspec.json.Encoder(order="sorted")


def error_key(e: ErrorItem, seq: int = 0) -> Key:
    """The report's order of error items; ``seq`` keeps ties in the order they were found."""
    return (e.doc_id, -1 if e.start is None else e.start, -1 if e.end is None else e.end,
            e.field, e.kind, seq)


class AtomicLines:
    """A text file written line by line into a temporary file, renamed on ``commit``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        self.tmp = Path(tmp)
        os.chmod(tmp, _default_mode())
        self.handle: IO[bytes] = os.fdopen(fd, "wb", buffering=1 << 20)

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.tmp.unlink(missing_ok=True)


class ErrorSink:
    """Collects error items batch by batch: the first ``max_errors`` per field, counts, a file.

    ``max_errors=None`` keeps every item (what an in-memory caller may want).
    """

    def __init__(self, max_errors: int | None = 20, path: str | Path | None = None) -> None:
        if max_errors is not None and max_errors < 0:
            raise ValueError(f"max_errors must be >= 0, got {max_errors}")
        self.max_errors = max_errors
        self.path = str(path) if path is not None else None
        self.out = AtomicLines(path) if path is not None else None
        self.kept: dict[str, list[tuple[Key, ErrorItem]]] = defaultdict(list)
        self.total: dict[str, int] = defaultdict(int)
        self.seq = 0

    def add(self, errors: Iterable[ErrorItem], totals: dict[str, int] | None = None) -> None:
        """One batch of documents' errors (any order within the batch).

        ``totals`` (per field) says how many items there were when ``errors``
        holds only the first ones of each field (no errors file then).
        """
        keyed = []
        for e in errors:
            keyed.append((error_key(e, self.seq), e))
            self.seq += 1
        keyed.sort(key=lambda ke: ke[0])
        if self.out is not None:
            self.out.write(b"".join(_ENC.encode(e.to_dict()) + b"\n" for _, e in keyed))
        by_field: dict[str, list[tuple[Key, ErrorItem]]] = defaultdict(list)
        for ke in keyed:
            by_field[ke[1].field].append(ke)
        if totals is not None:
            if self.out is not None:
                raise ValueError("an errors file needs every error item, not a subset")
            for name, n in totals.items():
                self.total[name] += n
        for name, items in by_field.items():
            if totals is None:
                self.total[name] += len(items)
            merged = self.kept[name] + items
            if self.max_errors is not None and len(merged) > self.max_errors:
                merged = heapq.nsmallest(self.max_errors, merged, key=lambda ke: ke[0])
            self.kept[name] = merged

    def items(self) -> tuple[ErrorItem, ...]:
        """The kept items of every field, in report order."""
        every = [ke for items in self.kept.values() for ke in items]
        every.sort(key=lambda ke: ke[0])
        return tuple(e for _, e in every)

    def omitted(self) -> dict[str, int]:
        """Per field with any left out, how many items the report does not list."""
        out = {k: n - len(self.kept[k]) for k, n in self.total.items()}
        return {k: v for k, v in sorted(out.items()) if v > 0}

    def close(self, ok: bool = True) -> None:
        """Commit the errors file (or drop it when the evaluation failed)."""
        if self.out is None:
            return
        if ok:
            self.out.commit()
        else:
            self.out.abort()

    def __enter__(self) -> ErrorSink:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.close(ok=exc_type is None)
