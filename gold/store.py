"""The gold folder layout: reading and writing gold files beside their canonical text.

Layout of a gold folder (the bundled one is ``filingkit/gold/filings``)::

    <gold>/<doc_id>/text.txt                  canonical text (UTF-8, exact bytes hashed)
    <gold>/<doc_id>/gold.json                 the gold record (schema: gold/schema)
    <gold>/<doc_id>/source/...                the original filing files, byte for byte
    <gold>/<doc_id>/annotations/<who>.json    optional per-annotator sets (same schema)

A gold file with status ``adjudicated`` is never replaced unless the caller
asks for it explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from filingkit.errors import FilingkitError, GoldFormatError, OverwriteRefused
from filingkit.jsonio import read_json, write_json_atomic, write_text_atomic
from filingkit.records import Document, GoldDocument, GoldRecord, sha256_text
from filingkit.serialize import gold_from_json, gold_to_json

TEXT_FILE = "text.txt"
GOLD_FILE = "gold.json"
ANNOTATIONS_DIR = "annotations"
SOURCE_DIR = "source"


def bundled_gold_dir() -> Path:
    """The gold set shipped with filingkit."""
    return Path(str(resources.files("filingkit.gold") / "filings"))


def filing_dir(gold_dir: str | Path, doc_id: str) -> Path:
    """The folder of one filing inside a gold folder."""
    if not doc_id or "/" in doc_id or "\\" in doc_id or doc_id.startswith("."):
        raise GoldFormatError(f"document id {doc_id!r} cannot name a folder")
    return Path(gold_dir) / doc_id


def read_text_file(path: Path) -> str:
    """Canonical text exactly as stored: UTF-8, newlines untouched."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise GoldFormatError("canonical text is missing", file=path) from None
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"canonical text is not UTF-8 ({exc.reason} at byte {exc.start})",
                              file=path) from None


def load_gold_file(gold_json: str | Path, *, text_path: str | Path | None = None) -> GoldDocument:
    """Load one gold file and the canonical text beside it.

    Checked on the way in (``GoldFormatError`` naming file, document, field
    and reason): the JSON structure and types, the text's sha256, and every
    span (entities, evidence, segments) against the text. The catalogue
    checks are ``gold validate``'s.
    """
    gpath = Path(gold_json)
    record = gold_from_json(read_json(gpath), file=str(gpath))
    tpath = Path(text_path) if text_path else _text_for(gpath)
    text = read_text_file(tpath)
    check_against_text(record, text, file=str(gpath))
    doc = Document(
        doc_id=record.doc_id,
        text=text,
        segments=record.segments,
        provenance=record.provenance,
        source_format=record.provenance.format or "text",
    )
    return GoldDocument(document=doc, gold=record, path=str(gpath))


def check_against_text(record: GoldRecord, text: str, *, file: str) -> None:
    """The record fits its canonical text: same sha256, every span inside the text."""
    doc = f"document {record.doc_id!r}: "
    if sha256_text(text) != record.text_sha256:
        raise GoldFormatError(
            f"{doc}text_sha256 does not match the canonical text {TEXT_FILE} beside it "
            "(the text changed after annotation, or the gold belongs to another text)",
            file=file, hint="run `filingkit gold validate` on the folder for every problem")
    spans: list[tuple[str, str | None, int, int]] = [
        (f"segments[{i}]", None, s.start, s.end) for i, s in enumerate(record.segments)]
    spans += [(f"entities[{i}]", e.label, e.start, e.end) for i, e in enumerate(record.entities)]
    spans += [(f"facts[{i}].evidence[{j}]", f.field, ev.start, ev.end)
              for i, f in enumerate(record.facts) for j, ev in enumerate(f.evidence)]
    for where, field, start, end in spans:
        if end > len(text):
            raise GoldFormatError(
                f"{doc}{where}: span [{start}, {end}) ends past the end of the text "
                f"({len(text)} characters)", file=file, field=field)
    for i, e in enumerate(record.entities):
        if e.text is not None and text[e.start:e.end] != e.text:
            raise GoldFormatError(
                f"{doc}entities[{i}]: text[{e.start}:{e.end}] is {text[e.start:e.end]!r}, "
                f"recorded {e.text!r}"[:400], file=file, field=e.label)


def _text_for(gold_json: Path) -> Path:
    folder = gold_json.parent
    if folder.name == ANNOTATIONS_DIR:
        folder = folder.parent
    return folder / TEXT_FILE


FILINGS_DIR = "filings"


def resolve_gold_dir(gold_dir: str | Path) -> Path:
    """The folder holding ``<doc_id>/gold.json``, from what the user named.

    Accepted: that folder itself; the folder above it when it is called
    ``filings`` (``gold/`` for ``gold/filings``, as in this repository); a
    single gold file. One filing's own folder is refused with the folder to
    pass instead. A folder with no gold at all is returned as it is (a new
    gold folder to write into); readers then say that nothing was found.
    """
    root = Path(gold_dir)
    if not root.exists():
        raise FilingkitError("no such gold folder", file=root,
                             hint="pass the folder holding <doc_id>/gold.json (e.g. gold/filings)")
    if root.is_file() or _has_gold(root):
        return root
    nested = root / FILINGS_DIR
    if nested.is_dir() and _has_gold(nested):
        return nested
    if (root / GOLD_FILE).is_file():
        raise FilingkitError(
            f"is the folder of one filing (it holds {GOLD_FILE}), not a gold folder", file=root,
            hint=f"pass the folder above it: {root.parent}")
    return root


def gold_dir_for_writing(gold_dir: str | Path) -> Path:
    """Where to write gold: ``resolve_gold_dir`` for an existing folder, else the path as given.

    So ``annotate import -o gold/`` writes beside the existing ``gold/filings/<doc_id>``
    rather than creating ``gold/<doc_id>``.
    """
    root = Path(gold_dir)
    return resolve_gold_dir(root) if root.exists() else root


def _has_gold(folder: Path) -> bool:
    return next(iter(folder.glob(f"*/{GOLD_FILE}")), None) is not None


def no_gold_error(gold_dir: str | Path, what: str = "") -> FilingkitError:
    """The error of a gold folder without gold files, saying which folder was wanted."""
    return FilingkitError(
        f"no gold files (<doc_id>/{GOLD_FILE}) found{what}", file=gold_dir,
        hint="pass the folder holding one sub-folder per filing, each with gold.json and "
             "text.txt (the bundled gold is gold/filings; its parent gold/ works too)")


def iter_gold_files(gold_dir: str | Path) -> Iterator[Path]:
    """Every ``gold.json`` below a gold folder (see ``resolve_gold_dir``), in sorted order."""
    root = resolve_gold_dir(gold_dir)
    if root.is_file():
        yield root
        return
    yield from sorted(root.glob(f"*/{GOLD_FILE}"))


def iter_annotation_files(gold_dir: str | Path) -> Iterator[Path]:
    """Every per-annotator set ``<doc_id>/annotations/<who>.json``, sorted."""
    root = resolve_gold_dir(gold_dir)
    if root.is_file():
        return
    yield from sorted(root.glob(f"*/{ANNOTATIONS_DIR}/*.json"))


SPLITS_FILE = "splits.json"


def load_split(gold_dir: str | Path, name: str) -> frozenset[str]:
    """The document ids of a named split, from ``<gold>/splits.json``.

    Splits keep a held-out part of the gold that rule writers never look at
    (the bundled gold has ``dev`` and ``test``).
    """
    path = resolve_gold_dir(gold_dir) / SPLITS_FILE
    if not path.is_file():
        raise FilingkitError(f"no {SPLITS_FILE} beside the gold, so no split {name!r}", file=path)
    data = read_json(path)
    splits = data.get("splits") if isinstance(data, dict) else None
    if not isinstance(splits, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in splits.values()):
        raise FilingkitError('splits: must be an object {"name": [doc ids]}', file=path)
    if name not in splits:
        raise FilingkitError(f"no split {name!r}; known: {', '.join(sorted(splits))}", file=path)
    return frozenset(splits[name])


def load_gold_dir(gold_dir: str | Path | None = None, *, split: str | None = None
                  ) -> list[GoldDocument]:
    """All gold documents of a folder (the bundled gold when ``None``), sorted by id;
    with ``split``, only the documents of that split (see ``load_split``)."""
    root = resolve_gold_dir(bundled_gold_dir() if gold_dir is None else gold_dir)
    wanted = load_split(root, split) if split else None
    docs = [load_gold_file(p) for p in iter_gold_files(root)
            if wanted is None or p.parent.name in wanted]
    if not docs:
        raise no_gold_error(root, f" in split {split!r}" if split else "")
    return docs


def save_gold(
    gold_dir: str | Path,
    document: Document,
    record: GoldRecord,
    *,
    annotator_set: bool = False,
    overwrite: bool = False,
    overwrite_adjudicated: bool = False,
) -> Path:
    """Write a gold record (and its text, if new) atomically; return the gold file's path.

    The text file is written once: an existing text with different content is
    an error, because every offset in every gold file depends on it. An
    existing gold file is replaced only with ``overwrite``; an adjudicated one
    only with ``overwrite_adjudicated`` as well.
    """
    if record.doc_id != document.doc_id:
        raise GoldFormatError(f"record is for {record.doc_id!r}, text for {document.doc_id!r}")
    if record.text_sha256 != document.sha256:
        raise GoldFormatError("text_sha256 does not match the text", file=record.doc_id)
    folder = filing_dir(gold_dir, document.doc_id)
    write_text_once(folder, document.text)
    if annotator_set:
        if not record.annotator:
            raise GoldFormatError("an annotation set needs an annotator", file=record.doc_id)
        gpath = folder / ANNOTATIONS_DIR / f"{_safe_name(record.annotator)}.json"
    else:
        gpath = folder / GOLD_FILE
    if gpath.exists():
        if not overwrite:
            raise OverwriteRefused("gold file exists; pass overwrite to replace it", file=gpath)
        existing = read_json(gpath)
        if (isinstance(existing, dict) and existing.get("status") == "adjudicated"
                and not overwrite_adjudicated):
            raise OverwriteRefused(
                "adjudicated gold is never replaced without overwrite_adjudicated", file=gpath
            )
    return write_json_atomic(gpath, gold_to_json(record))


def write_text_once(folder: Path, text: str) -> Path:
    """Store a filing's canonical text; an existing, different text is refused.

    Every offset of every gold file in the folder depends on that text, so it is
    written once and never replaced.
    """
    tpath = folder / TEXT_FILE
    if tpath.exists():
        if read_text_file(tpath) != text:
            raise OverwriteRefused(
                "a different canonical text is already stored (ingestion changed?); offsets "
                "of the existing gold depend on it", file=tpath,
                hint="compare with `filingkit ingest`; move the folder away to rebuild it")
        return tpath
    return write_text_atomic(tpath, text)


def _safe_name(name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in name)
    if not safe or safe.startswith("."):
        raise GoldFormatError(f"annotator name {name!r} cannot name a file")
    return safe
