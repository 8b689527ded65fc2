"""What a corpus run reads: the filings named by files, folders, globs, manifests and URLs.

``expand_inputs`` turns the arguments of ``filingkit extract`` into an ordered
list of ``Filing`` items, each small and picklable (a path or URL and its size;
never the bytes, except for process-local filesystems such as ``memory://``),
so a task can be shipped to a worker process or another machine.

The order, which fixes the order of the output, is the order of the arguments;
inside one argument:

- a folder: its filing-like files (``INGEST_SUFFIXES``, hidden ones skipped),
  recursively, sorted by POSIX path (as ``filingkit.ingest.expand_paths``);
- a glob (``*``, ``?``, ``[``; ``**`` recurses): the matches, sorted;
- a manifest (a ``.jsonl`` or ``.csv`` file): its rows in file order. A row
  with a ``path`` column names one filing (relative to the manifest's folder
  unless absolute or a URL), with an optional ``doc_id`` (or ``id``) column; a
  JSONL row with ``files`` (the corpus manifest format, see
  ``filingkit.ingest.corpus``) is one filing of several files, ingested under
  its ``id`` with its provenance;
- a URL (``scheme://...``): opened with fsspec (``file://``, ``s3://``,
  ``memory://``...); a URL may itself be a folder, a glob or a manifest.
"""

from __future__ import annotations

import csv
import glob as globlib
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError
from filingkit.records import Document

MANIFEST_SUFFIXES = (".jsonl", ".csv")
GLOB_CHARS = frozenset("*?[")
# Filesystems whose contents live in one process: their bytes travel with the task.
PROCESS_LOCAL_PROTOCOLS = frozenset({"memory"})


class InputError(FilingkitError):
    """An input argument names nothing readable, or a manifest is malformed."""


@dataclass(frozen=True, slots=True)
class Filing:
    """One filing to process: where it is, how big it is, and how to ingest it.

    ``source`` is a local path or a URL; ``label`` is what errors name (the
    path, or ``manifest.jsonl id X`` for a manifest row). ``row`` and ``root``
    are set for a corpus-manifest row; ``data`` holds the bytes of a filing on
    a process-local filesystem; ``document`` an already canonical document
    (``extract --gold``).
    """

    source: str
    size: int
    label: str
    doc_id: str | None = None
    row: Mapping[str, Any] | None = None
    root: str | None = None
    data: bytes | None = None
    document: Document | None = None

    def fingerprint(self) -> str:
        """What identifies this item in a run plan (resume checks the plan is unchanged)."""
        return f"{self.label}\t{self.source}\t{self.size}\t{self.doc_id or ''}"


def is_url(arg: str) -> bool:
    """True for ``scheme://...`` (two or more letters, so ``C:\\`` is a path)."""
    scheme, sep, _ = arg.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").replace("-", "").isalnum()


def _has_glob(arg: str) -> bool:
    return any(c in GLOB_CHARS for c in arg)


def _filing_like(name: str) -> bool:
    from filingkit.ingest.core import INGEST_SUFFIXES

    return Path(name).suffix.lower() in INGEST_SUFFIXES


def _fs(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:  # pragma: no cover - fsspec comes with the dask and datasets extras
        raise InputError("reading URLs needs fsspec", file=url,
                         hint='pip install "filingkit[dask]"') from None
    try:
        return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]
    except (ImportError, ValueError) as exc:
        raise InputError(f"no filesystem for this URL: {exc}", file=url) from None


def _unstrip(fs: Any, path: str) -> str:
    """A path as fsspec lists it, back to a URL the same filesystem opens."""
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    return path if is_url(path) else f"{protocol}://{path.lstrip('/') if protocol != 'file' else path}"


def _url_filing(fs: Any, url: str, size: int, label: str | None = None,
                doc_id: str | None = None) -> Filing:
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    data = None
    if protocol in PROCESS_LOCAL_PROTOCOLS:
        with fs.open(url, "rb") as handle:
            data = handle.read()
    return Filing(source=url, size=int(size), label=label or url, doc_id=doc_id, data=data)


# ------------------------------------------------------------------ manifests


def _manifest_rows(text: str, where: str, suffix: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "path" not in reader.fieldnames:
            raise InputError("a CSV manifest needs a 'path' column", file=where,
                             hint=f"its columns: {', '.join(reader.fieldnames or []) or '(none)'}")
        for row in reader:
            rows.append({k: v for k, v in row.items() if k is not None})
        return rows
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {lineno}: invalid JSON at column {exc.colno}: {exc.msg}",
                             file=where) from None
        if not isinstance(obj, dict) or not ("path" in obj or "files" in obj):
            raise InputError(f"line {lineno}: a manifest row is an object with 'path' or 'files'",
                             file=where)
        obj["_line"] = lineno
        rows.append(obj)
    return rows


def _row_size(row: Mapping[str, Any], root: str) -> int:
    total = 0
    for f in row.get("files") or []:
        if isinstance(f, Mapping) and f.get("path"):
            size = f.get("bytes")
            if not isinstance(size, int):
                try:
                    size = os.path.getsize(os.path.join(root, str(f["path"])))
                except OSError:
                    size = 0  # the worker reports the missing file
            total += size
    return total


def _from_manifest(where: str, text: str, suffix: str, *, root: str, local: bool,
                   fs: Any = None) -> list[Filing]:
    out: list[Filing] = []
    for row in _manifest_rows(text, where, suffix):
        line = row.pop("_line", None)
        if "files" in row and "path" not in row:
            if not local:
                raise InputError(f"line {line}: a corpus row (with 'files') is read from a local "
                                 "manifest only", file=where,
                                 hint="use a manifest with a 'path' column for remote filings")
            rid = str(row.get("id") or row.get("accession") or "")
            out.append(Filing(source=os.path.join(root, "manifest"), size=_row_size(row, root),
                              label=f"{where} id {rid or '?'}", doc_id=rid or None,
                              row=row, root=root))
            continue
        raw = str(row.get("path") or "")
        if not raw:
            raise InputError(f"line {line or '?'}: empty path", file=where)
        doc_id = str(row.get("doc_id") or row.get("id") or "") or None
        if is_url(raw) or (not local and raw.startswith("/")):
            target = raw if is_url(raw) else _unstrip(fs, raw)
        elif local:
            target = raw if os.path.isabs(raw) else os.path.join(root, raw)
        else:
            target = f"{root.rstrip('/')}/{raw}"
        found = _expand_one(target)
        out.extend(Filing(f.source, f.size, f.label, doc_id or f.doc_id, f.row, f.root, f.data)
                   for f in found)
    return out


# ------------------------------------------------------------------ expansion


def _expand_local(arg: str) -> list[Filing]:
    p = Path(arg)
    if p.is_dir():
        from filingkit.ingest.core import expand_paths

        return [Filing(str(f), f.stat().st_size, str(f)) for f in expand_paths([p])]
    if p.is_file():
        if p.suffix.lower() in MANIFEST_SUFFIXES:
            text = p.read_text(encoding="utf-8-sig")
            return _from_manifest(str(p), text, p.suffix.lower(), root=str(p.parent), local=True)
        return [Filing(str(p), p.stat().st_size, str(p))]
    if _has_glob(arg):
        matches = sorted(globlib.glob(arg, recursive=True))
        files = [m for m in matches if os.path.isfile(m) and not Path(m).name.startswith(".")]
        if not files:
            raise InputError("the glob matches no file", file=arg)
        return [f for m in files for f in _expand_local(m)]
    # a missing file is a failed filing (the run goes on), as for `filingkit ingest`
    return [Filing(str(p), 0, str(p))]


def _expand_url(arg: str) -> list[Filing]:
    fs, path = _fs(arg)
    if _has_glob(path):
        found = fs.glob(path, detail=True)
        items = sorted((k, v) for k, v in found.items() if v.get("type") == "file")
        if not items:
            raise InputError("the glob matches no file", file=arg)
        return [f for k, _ in items for f in _expand_url(_unstrip(fs, k))]
    if not fs.exists(path):
        raise InputError("no such file or folder", file=arg)
    if fs.isdir(path):
        found = fs.find(path, detail=True)
        out = []
        for key in sorted(found):
            rel = key[len(path):].lstrip("/") if key.startswith(path) else key
            if _filing_like(key) and not any(part.startswith(".") for part in rel.split("/")):
                out.append(_url_filing(fs, _unstrip(fs, key), found[key].get("size") or 0))
        return out
    suffix = Path(path).suffix.lower()
    if suffix in MANIFEST_SUFFIXES:
        with fs.open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
        local = (fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol) == "file"
        root = os.path.dirname(path) if local else arg.rsplit("/", 1)[0]
        return _from_manifest(arg, text, suffix, root=root, local=local, fs=fs)
    return [_url_filing(fs, arg, fs.size(path) or 0)]


def _expand_one(arg: str) -> list[Filing]:
    return _expand_url(arg) if is_url(arg) else _expand_local(arg)


def expand_inputs(args: Iterable[str | os.PathLike[str]]) -> list[Filing]:
    """Every filing the arguments name, in output order (see the module docstring).

    Raises ``InputError`` for a glob that matches nothing, a URL that does not
    exist, or a malformed manifest; a missing local file becomes a filing that
    fails when read (recorded, and the run goes on).
    """
    out: list[Filing] = []
    for raw in args:
        out.extend(_expand_one(os.fspath(raw)))
    return out


def gold_filings(documents: Sequence[Document], where: str) -> list[Filing]:
    """Canonical gold documents as run items (``extract --gold``)."""
    return [Filing(source=f"{where}/{d.doc_id}", size=len(d.text.encode("utf-8")),
                   label=d.doc_id, doc_id=d.doc_id, document=d) for d in documents]
