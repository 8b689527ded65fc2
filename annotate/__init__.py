"""Annotation with Label Studio, and what its Community edition lacks: agreement, adjudication.

- ``config``: the labeling config generated from the field catalogue;
- ``tasks``: canonical filings as tasks, with validated pre-annotations;
- ``client``: push tasks to and pull snapshot exports from a server (SDK, extra ``annotate``);
- ``importer``: an export into per-annotator gold sets, every region checked;
- ``agreement``: pairwise F1, Cohen's kappa and Krippendorff's alpha between annotators;
- ``adjudicate``: merge what annotators agree on, queue the rest for review;
- ``selection``: which unlabeled filings to annotate first.

The names below are imported on first use, so ``import filingkit.annotate`` stays
cheap (the command line imports it on every run).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "labeling_config": "filingkit.annotate.config",
    "labeling_schema": "filingkit.annotate.config",
    "build_tasks": "filingkit.annotate.tasks",
    "validate_task": "filingkit.annotate.tasks",
    "import_export": "filingkit.annotate.importer",
    "agreement": "filingkit.annotate.agreement",
    "AgreementReport": "filingkit.annotate.agreement",
    "adjudicate": "filingkit.annotate.adjudicate",
    "AdjudicationReport": "filingkit.annotate.adjudicate",
    "rank_for_annotation": "filingkit.annotate.selection",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'filingkit.annotate' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
