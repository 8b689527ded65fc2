"""Reading and writing JSON and text atomically, deterministically.

Every file filingkit writes goes through here: a temporary file in the target
folder, fsync, then ``os.replace``, so a crash never leaves half a file, and
``sort_keys`` plus a fixed indent so the same data gives the same bytes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError, OverwriteRefused


def dumps(data: Any) -> str:
    """Canonical JSON text: sorted keys, two-space indent, UTF-8 kept, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_bytes_atomic(path: str | Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    target = Path(path)
    if not overwrite and target.exists():
        raise OverwriteRefused("file exists and overwriting was not allowed", file=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600 files; keep the replaced file's mode, else honour the umask
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else _default_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _default_mode() -> int:
    """0666 less the process umask, as ``open()`` would create a file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> Path:
    """Write UTF-8 text atomically, with ``\\n`` newlines kept as they are."""
    return write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def write_json_atomic(path: str | Path, data: Any, *, overwrite: bool = True) -> Path:
    """Write canonical JSON atomically."""
    return write_text_atomic(path, dumps(data), overwrite=overwrite)


def dumps_line(row: Any) -> str:
    """One JSONL line (no newline): compact, sorted keys, UTF-8 kept."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_jsonl_atomic(path: str | Path, rows: Iterable[Any], *, overwrite: bool = True) -> Path:
    """Write one compact JSON object per line, atomically."""
    text = "".join(dumps_line(row) + "\n" for row in rows)
    return write_text_atomic(path, text, overwrite=overwrite)


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a syntax error names the file, line and column."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise FilingkitError("no such file", file=p) from None
    except json.JSONDecodeError as exc:
        raise FilingkitError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", file=p
        ) from None


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file."""
    p = Path(path)
    try:
        handle = p.open(encoding="utf-8")
    except FileNotFoundError:
        raise FilingkitError("no such file", file=p) from None
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise FilingkitError(
                    f"invalid JSON on line {lineno} column {exc.colno}: {exc.msg}", file=p
                ) from None
