"""The package layout: one `filingkit` namespace, no stray top-level modules."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed() -> None:
    cfg = _pyproject()["tool"]["setuptools"]
    listed = set(cfg["packages"])
    mapping = cfg["package-dir"]
    found = set()
    for pkg, folder in mapping.items():
        for init in (REPO / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / folder)
            if "filings" in rel.parts or "__pycache__" in rel.parts:
                continue
            found.add(".".join([pkg, *rel.parts]) if rel.parts else pkg)
    assert found <= listed, f"packages missing from pyproject: {sorted(found - listed)}"


def test_no_top_level_module_named_like_a_folder() -> None:
    dist = importlib.metadata.distribution("filingkit")
    tops = {f.parts[0] for f in dist.files or [] if f.suffix == ".py"}
    assert not tops & {"eval", "gold", "annotate", "extractors", "ingest"}


def test_subpackages_import_under_filingkit() -> None:
    import filingkit.annotate
    import filingkit.eval
    import filingkit.extractors
    import filingkit.gold

    for mod in (filingkit.eval, filingkit.gold, filingkit.annotate, filingkit.extractors):
        assert mod.__name__.startswith("filingkit.")


def test_console_script_declared() -> None:
    assert _pyproject()["project"]["scripts"]["filingkit"] == "filingkit.cli:main"
