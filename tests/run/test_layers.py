"""Imports run one way: ingest/core -> gold -> extractors | eval -> run (annotate uses both).

Every module of each area is parsed (not imported, so lazy imports inside
functions count too) and its ``filingkit.*`` imports checked against the
areas it may not use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# area folder -> filingkit sub-packages it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "extractors": ("filingkit.eval", "filingkit.run", "filingkit.annotate"),
    "eval": ("filingkit.extractors", "filingkit.run", "filingkit.annotate"),
    "gold": ("filingkit.extractors", "filingkit.eval", "filingkit.run", "filingkit.annotate"),
    "src/filingkit/ingest": ("filingkit.gold", "filingkit.extractors", "filingkit.eval",
                             "filingkit.run", "filingkit.annotate"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, at any depth (function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return out


def violations(area: str) -> list[str]:
    bad = []
    for path in sorted((REPO / area).rglob("*.py")):
        if "filings" in path.relative_to(REPO / area).parts:
            continue
        for line, module in imported_modules(path):
            for banned in FORBIDDEN[area]:
                if module == banned or module.startswith(banned + "."):
                    bad.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("area", sorted(FORBIDDEN), ids=lambda a: a.replace("/", "."))
def test_imports_run_one_way(area: str) -> None:
    assert violations(area) == []


def test_the_check_can_fail(tmp_path: Path) -> None:
    """The walker sees an upward import hidden in a function body."""
    mod = tmp_path / "m.py"
    mod.write_text("def f():\n    from filingkit.eval import evaluate\n    return evaluate\n")
    assert (2, "filingkit.eval") in imported_modules(mod)
