"""Where a corpus run writes: one predictions JSONL file, or a folder of shards.

Both start every predictions file with the header line (TEAM spec 1): the
extractor's name and version, the fields it declares in catalogue order and
the catalogue; no paths or times, so the same run gives the same bytes.

- ``-o preds.jsonl``: ``JsonlFileWriter`` streams the header and each batch's
  lines, in batch order, into a temporary file beside the target, renamed over
  it when the run ends (a killed run leaves nothing half written).
- ``-o DIR/``: ``ShardWriter`` writes ``part-00000.jsonl`` (or ``.parquet``) per
  batch, each atomically, with a sidecar ``_parts/part-00000.json`` (sha256,
  document ids, error records) so a resumed run knows what is complete; the
  run's plan is ``_run.json`` (written first) and ``_errors.jsonl`` and
  ``_manifest.json`` come last, the manifest atomically after everything else
  (TEAM spec 2). Readers skip names starting with ``_`` or ``.``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from filingkit.errors import FilingkitError
from filingkit.jsonio import dumps_line, read_json, write_bytes_atomic, write_json_atomic
from filingkit.records import PredictionsHeader
from filingkit.serialize import header_to_json, is_predictions_header

MANIFEST_FORMAT = "filingkit-run-manifest"
MANIFEST_VERSION = 1
PLAN_FORMAT = "filingkit-run-plan"
MANIFEST_NAME = "_manifest.json"
ERRORS_NAME = "_errors.jsonl"
PLAN_NAME = "_run.json"
PARTS_DIR = "_parts"
SHARD_FORMATS = ("jsonl", "parquet")


class OutputError(FilingkitError):
    """The output cannot be written, or a folder to resume does not match the run."""


def declared_header(name: str, version: str, declared: Iterable[str],
                    catalogue: Any) -> PredictionsHeader:
    """The header of a system's predictions: its name, version and declared fields in
    catalogue order."""
    wanted = set(declared)
    return PredictionsHeader(name, version, tuple(f for f in catalogue.names() if f in wanted),
                             catalogue.name, catalogue.version)


def predictions_header(extractor: Any, catalogue: Any) -> dict[str, Any]:
    """The header line of a predictions file (``serialize.header_to_json`` writes it,
    ``read_predictions_header`` reads it back)."""
    return header_to_json(declared_header(str(extractor.name), str(extractor.version),
                                          extractor.fields, catalogue))


def is_dir_output(output: str | Path) -> bool:
    """``-o DIR/`` (a trailing slash, or an existing folder) means sharded output."""
    text = os.fspath(output)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def shard_name(index: int, fmt: str) -> str:
    return f"part-{index:05d}.{fmt}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------ one file


class JsonlFileWriter:
    """Predictions JSONL streamed to a temporary file, renamed over ``path`` on ``close``."""

    def __init__(self, path: str | Path, header: Mapping[str, Any]) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise OutputError("is a folder; for sharded output end it with '/'", file=self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        self._tmp = Path(tmp)
        self._handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._handle.write(dumps_line(dict(header)) + "\n")
        self.documents = 0

    def write(self, index: int, lines: Sequence[tuple[str, str]],
              errors: Sequence[Mapping[str, Any]]) -> None:
        for _, line in lines:
            self._handle.write(line + "\n")
        self.documents += len(lines)

    def close(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o666 & ~_umask()
        os.chmod(self._tmp, mode)
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        self._tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------ shards


def _jsonl_shard(header: Mapping[str, Any], lines: Sequence[tuple[str, str]]) -> bytes:
    return "".join([dumps_line(dict(header)) + "\n", *(line + "\n" for _, line in lines)]
                   ).encode("utf-8")


def parquet_schema(header: Mapping[str, Any]) -> Any:
    """The Parquet schema of a shard (TEAM spec 2), the header in its metadata."""
    import pyarrow as pa

    entity = pa.struct([("label", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                        ("score", pa.float64())])
    return pa.schema([("doc_id", pa.string()), ("entities", pa.list_(entity)),
                      ("facts", pa.string())],
                     metadata={"filingkit": dumps_line(dict(header))})


def _parquet_shard(header: Mapping[str, Any], lines: Sequence[tuple[str, str]]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OutputError("Parquet shards need pyarrow",
                          hint='pip install "filingkit[dask]" or pyarrow') from None
    rows = [json.loads(line) for _, line in lines]
    table = pa.table({
        "doc_id": [r["doc_id"] for r in rows],
        "entities": [[{"label": e["label"], "start": e["start"], "end": e["end"],
                       "score": e.get("score")} for e in r["entities"]] for r in rows],
        "facts": [json.dumps(r["facts"], ensure_ascii=False, sort_keys=True,
                             separators=(",", ":")) for r in rows],
    }, schema=parquet_schema(header))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


class ShardWriter:
    """Writes one shard per batch, its sidecar, and at the end the errors and the manifest."""

    def __init__(self, folder: str | Path, header: Mapping[str, Any], fmt: str = "jsonl") -> None:
        if fmt not in SHARD_FORMATS:
            raise OutputError(f"unknown shard format {fmt!r}; use one of {', '.join(SHARD_FORMATS)}")
        self.folder = Path(folder)
        self.header = dict(header)
        self.fmt = fmt
        self.documents = 0

    def prepare(self, plan: Mapping[str, Any], *, resume: bool) -> dict[int, dict[str, Any]]:
        """Check the folder and record the plan; returns the complete shards' sidecars.

        Without ``resume`` the folder must not hold another run. With it, the
        plan must be the one recorded, and only shards whose bytes match their
        sidecar's sha256 (and the manifest's, when there is one) count as done.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        plan_path = self.folder / PLAN_NAME
        taken = [p.name for p in self.folder.iterdir()
                 if p.name.startswith("part-") or p.name in (PLAN_NAME, MANIFEST_NAME)]
        if taken and not resume:
            raise OutputError("holds the output of another run", file=self.folder,
                              hint="pass --resume to finish it, or write to an empty folder")
        done: dict[int, dict[str, Any]] = {}
        if resume and plan_path.exists():
            old = read_json(plan_path)
            if not isinstance(old, dict) or old.get("plan") != plan["plan"]:
                raise OutputError(
                    "the run recorded here has other inputs, batches or extractor", file=plan_path,
                    hint="resume with the same PATH arguments, --batch-mb and extractor")
            done = self._complete_shards(int(plan["n_batches"]))
        write_json_atomic(plan_path, dict(plan))
        return done

    def _complete_shards(self, n: int) -> dict[int, dict[str, Any]]:
        manifest: dict[str, str] = {}
        mpath = self.folder / MANIFEST_NAME
        if mpath.exists():
            data = read_json(mpath)
            manifest = {s["name"]: s["sha256"] for s in data.get("shards", [])
                        if isinstance(s, dict)}
        done = {}
        for i in range(n):
            name = shard_name(i, self.fmt)
            shard, side = self.folder / name, self.folder / PARTS_DIR / f"{name}.json"
            if not (shard.exists() and side.exists()):
                continue
            try:
                meta = read_json(side)
            except FilingkitError:
                continue
            digest = sha256_file(shard)
            if meta.get("sha256") != digest or manifest.get(name, digest) != digest:
                continue
            done[i] = meta
        return done

    def write(self, index: int, lines: Sequence[tuple[str, str]],
              errors: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """Write shard ``index`` atomically, then its sidecar; returns the sidecar."""
        data = (_jsonl_shard(self.header, lines) if self.fmt == "jsonl"
                else _parquet_shard(self.header, lines))
        name = shard_name(index, self.fmt)
        write_bytes_atomic(self.folder / name, data)
        meta = {"name": name, "sha256": hashlib.sha256(data).hexdigest(),
                "documents": len(lines), "bytes": len(data),
                "doc_ids": [d for d, _ in lines], "errors": [dict(e) for e in errors]}
        write_json_atomic(self.folder / PARTS_DIR / f"{name}.json", meta)
        self.documents += len(lines)
        return meta

    def finish(self, sidecars: Sequence[Mapping[str, Any]], *, inputs: Sequence[str],
               counts: Mapping[str, int], extra: Mapping[str, Any]) -> Path:
        """``_errors.jsonl`` then ``_manifest.json`` (last, atomically)."""
        errors = [e for s in sidecars for e in s.get("errors", [])]
        text = "".join(dumps_line(e) + "\n" for e in errors)
        write_bytes_atomic(self.folder / ERRORS_NAME, text.encode("utf-8"))
        manifest = {
            "format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "header": self.header,
            "inputs": list(inputs), "counts": dict(counts),
            "shards": [{k: s[k] for k in ("name", "sha256", "documents", "bytes")}
                       for s in sidecars],
            **dict(extra),
        }
        return write_json_atomic(self.folder / MANIFEST_NAME, manifest)


# ------------------------------------------------------------------ reading back


def shard_paths(folder: str | Path) -> list[Path]:
    """The shards of a folder in read order (sorted names; ``_``/``.`` names skipped)."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and not p.name.startswith(("_", "."))
                  and p.suffix in (".jsonl", ".parquet"))


def iter_output_rows(output: str | Path) -> Iterator[dict[str, Any]]:
    """Every predictions object of a run's output (file or folder), headers skipped.

    A small reader for resume checks and tests; ``filingkit eval`` has its own.
    """
    paths = shard_paths(output) if Path(output).is_dir() else [Path(output)]
    for path in paths:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            for rec in pq.read_table(path).to_pylist():
                ents = [{k: v for k, v in e.items() if not (k == "score" and v is None)}
                        for e in rec["entities"]]
                yield {"doc_id": rec["doc_id"], "entities": ents,
                       "facts": json.loads(rec["facts"])}
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    obj = json.loads(line)
                    if not is_predictions_header(obj):
                        yield obj
