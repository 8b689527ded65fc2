"""A child process for the fault tests: writes an output over and over through the library.

``python fault_writer.py KIND PATH [ROLE]`` writes version ``ROLE`` (``a``, ``b`` or
``alternate``) of a report, a baseline or a gold filing to ``PATH`` in a loop,
with the functions the commands use, printing ``ready`` after the first
complete write, until it is killed or has written ``--count`` times.
``create`` races to create numbered files with ``overwrite=False`` and prints
which it won. The versions are large (megabytes) so that a kill lands inside
a write most of the time.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from filingkit.jsonio import dumps, write_json_atomic, write_text_atomic
from filingkit.records import Document, Entity, GoldRecord, Provenance, Segment, sha256_text

TEXT = "".join(f"Line {i}: ImmunoGen, Inc. reported results on March {i % 28 + 1}, 2005.\n"
               for i in range(20_000))


@lru_cache(maxsize=2)
def report_text(role: str) -> str:
    """A report as ``filingkit eval -o`` renders it (rendered once: the loop times the write)."""
    return dumps(report(role))


def report(role: str) -> dict[str, Any]:
    n = 3 if role == "a" else 4
    return {"format": "filingkit-report", "version": 1, "system": role, "scheme": "strict",
            "fields": {f"F{i}": {"f1": i / 10_000, "tp": i, "fp": n, "fn": n}
                       for i in range(10_000)}}


def baseline(role: str) -> dict[str, Any]:
    return {"format": "filingkit-baseline", "version": 1, "created_by": role,
            "rules": [{"select": "*", "metric": "f1", "max_drop": 0.02}],
            "values": {"strict": {f"F{i}": {"f1": (i % 97) / 97} for i in range(10_000)}},
            "documents": {f"d{i}": {"fields": {"ORG": {"tp": i, "fp": 1 if role == "a" else 2,
                                                       "fn": 0}}} for i in range(5_000)},
            "source": {"scheme": "strict"}}


def gold(role: str) -> tuple[Document, GoldRecord]:
    doc = Document(doc_id="doc1", text=TEXT, segments=(Segment("8-K", 0, len(TEXT)),),
                   provenance=Provenance(kind="user", path="doc1.txt", format="text"))
    step = 97 if role == "a" else 89
    ents = tuple(Entity("ORG", s + 8, s + 23, TEXT[s + 8:s + 23])
                 for s in range(0, len(TEXT) - 80, step * 61) if TEXT[s + 8:s + 23])
    record = GoldRecord(doc_id="doc1", text_sha256=sha256_text(TEXT), segments=doc.segments,
                        entities=ents, facts=(), status="annotated", provenance=doc.provenance,
                        catalogue_version="1", scope=("entities",))
    return doc, record


def expected(kind: str, role: str) -> bytes:
    """The exact bytes version ``role`` of ``kind`` has on disk."""
    if kind == "gold":
        from filingkit.serialize import gold_to_json

        return dumps(gold_to_json(gold(role)[1])).encode("utf-8")
    return dumps(report(role) if kind == "report" else baseline(role)).encode("utf-8")


def write(kind: str, path: Path, role: str) -> None:
    if kind == "report":  # `filingkit eval -o` writes the rendered text
        write_text_atomic(path, report_text(role))
    elif kind == "baseline":  # `filingkit gate baseline update`
        write_json_atomic(path, baseline(role))
    else:  # a gold filing folder, text written once
        from filingkit.gold.store import save_gold

        doc, record = gold(role)
        save_gold(path, doc, record, overwrite=True)


def _slow_disk() -> None:
    """Fault injection: each fsync takes 30 ms, as on a slow or busy disk, so the window between
    the temporary file and the rename is wide and a kill lands inside a write most times."""
    import time

    real = os.fsync

    def fsync(fd: Any) -> None:
        time.sleep(0.03)
        real(fd)

    os.fsync = fsync


def main(argv: list[str]) -> None:
    if os.environ.get("FAULT_SLOW_DISK"):
        _slow_disk()
    kind, path = argv[0], Path(argv[1])
    role = argv[2] if len(argv) > 2 else "alternate"
    count = int(argv[3]) if len(argv) > 3 else 10**9
    if kind == "create":  # race to create numbered files; print the rounds won
        for i in range(count):
            try:
                write_json_atomic(path / f"out-{i}.json", {"winner": role, "round": i},
                                  overwrite=False)
                print(f"won {i}", flush=True)
            except Exception as exc:  # OverwriteRefused: the other process was first
                print(f"lost {i} {type(exc).__name__}", flush=True)
        return
    for i in range(count):
        write(kind, path, role if role != "alternate" else "ab"[i % 2])
        if i == 0:
            print("ready", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
