"""Reading and writing JSON and text atomically, deterministically.

Every file filingkit writes goes through here: a temporary file with a unique
name (``O_EXCL``) in the target folder, fsync, then a rename, so a crash or a
``kill -9`` never leaves half a file, and two processes writing the same output
each leave one complete file (the last rename wins; bytes never interleave).
``overwrite=False`` is enforced by the rename itself (a hard link that fails
when the target exists), so two concurrent "create only" writers cannot both
succeed. ``sort_keys`` plus a fixed indent make the same data give the same
bytes.

Readers check the input at the boundary: a missing or unreadable file, a
folder given for a file, bytes that are not UTF-8, a JSON syntax error or
nesting too deep to parse all raise ``FilingkitError`` naming the file and the
line (and column) where there is one.
"""

from __future__ import annotations

import errno
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
    """Write ``data`` to ``path`` through a uniquely named temporary file and a rename.

    With ``overwrite=False`` an existing ``path`` raises ``OverwriteRefused``,
    atomically: of two concurrent writers exactly one succeeds.
    """
    target = Path(path)
    if target.is_dir():
        raise FilingkitError("is a folder; a file was expected here", file=target)
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
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:  # a full disk, a read-only folder: the output named, the old file kept
        if isinstance(exc, BrokenPipeError):
            raise
        raise FilingkitError(f"cannot write: {exc.strerror or exc}; the previous file (if any) "
                             "is unchanged", file=target) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _link_new(tmp: str, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if nothing has that name yet."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise OverwriteRefused("file exists and overwriting was not allowed",
                               file=target) from None
    except OSError as exc:  # a file system without hard links: best effort
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if target.exists():
            raise OverwriteRefused("file exists and overwriting was not allowed",
                                   file=target) from None
        os.replace(tmp, target)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a power cut after it keeps the new name)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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


# ------------------------------------------------------------------ reading


def read_bytes(path: str | Path, *, what: str = "file") -> bytes:
    """The bytes of a file the user named; OS refusals become ``FilingkitError``."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise FilingkitError(f"no such {what}", file=p) from None
    except IsADirectoryError:
        raise FilingkitError(f"is a folder; a {what} was expected here", file=p) from None
    except OSError as exc:
        raise FilingkitError(f"cannot read the {what}: {exc.strerror or exc}", file=p) from None


def decode_utf8(data: bytes, *, file: str | Path | None = None, what: str = "file") -> str:
    """UTF-8 text (a leading BOM dropped); a bad byte is named by line and offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FilingkitError(
            f"line {line}: {what} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}: {exc.reason})", file=file,
            hint="filingkit reads UTF-8; convert the file (e.g. `iconv -t UTF-8`)") from None


def parse_json(text: str, *, file: str | Path | None = None, line_offset: int = 0,
               where: str = "") -> Any:
    """Parse JSON text; every failure is a ``FilingkitError`` naming the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FilingkitError(
            f"{where}invalid JSON at line {exc.lineno + line_offset} column {exc.colno}: "
            f"{exc.msg}", file=file) from None
    except RecursionError:
        raise FilingkitError(f"{where}JSON nested too deeply to read", file=file) from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise FilingkitError(f"{where}invalid JSON: {exc}", file=file) from None


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; every failure names the file (and the line and column)."""
    p = Path(path)
    return parse_json(decode_utf8(read_bytes(p), file=p), file=p)


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file."""
    p = Path(path)
    try:
        handle = p.open("rb")
    except FileNotFoundError:
        raise FilingkitError("no such file", file=p) from None
    except OSError as exc:
        raise FilingkitError(f"cannot read the file: {exc.strerror or exc}", file=p) from None
    with handle:
        try:
            for lineno, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                line = _decode_line(raw, lineno, p)
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise FilingkitError(
                        f"invalid JSON on line {lineno} column {exc.colno}: {exc.msg}", file=p
                    ) from None
                except RecursionError:
                    raise FilingkitError(f"line {lineno}: JSON nested too deeply to read",
                                         file=p) from None
                except ValueError as exc:
                    raise FilingkitError(f"line {lineno}: invalid JSON: {exc}", file=p) from None
                yield lineno, obj
        except IsADirectoryError:
            raise FilingkitError("is a folder; a file was expected here", file=p) from None


def _decode_line(raw: bytes, lineno: int, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise FilingkitError(
            f"line {lineno}: not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}: "
            f"{exc.reason})", file=path,
            hint="filingkit reads UTF-8; convert the file (e.g. `iconv -t UTF-8`)") from None
