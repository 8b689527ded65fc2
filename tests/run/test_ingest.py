"""``filingkit ingest --jobs 2``: the same canonical texts as one core, written by the client."""

from __future__ import annotations

from pathlib import Path

from filingkit.cli import main


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_parallel_ingest_matches_one_core(filings: list[Path], tmp_path: Path) -> None:
    files = [str(p) for p in filings[:10]]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary" * 50)
    assert main(["ingest", *files, "-o", str(tmp_path / "one"), "--no-progress"]) == 0
    assert main(["ingest", *files, str(bad), "-o", str(tmp_path / "two"), "--jobs", "2",
                 "--no-progress"]) == 1
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert len(_tree(tmp_path / "one")) == 20  # text.txt and document.json per filing
