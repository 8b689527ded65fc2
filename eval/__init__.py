"""filingkit.eval: score predictions against gold (entities, facts, records, statistics).

The public API is ``evaluate`` (one system), ``compare`` (two systems on the
same gold) and ``Report`` (the result; ``Report.to_dict()`` is the versioned
report JSON). Importing this package is cheap: numpy and scipy load only when
one of them is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from filingkit.eval.compare import Comparison, compare
    from filingkit.eval.core import evaluate
    from filingkit.eval.inputs import EvaluationError
    from filingkit.eval.report import Report

__all__ = ["Comparison", "EvaluationError", "Report", "compare", "evaluate"]

_EXPORTS = {
    "evaluate": "filingkit.eval.core",
    "Report": "filingkit.eval.report",
    "compare": "filingkit.eval.compare",
    "Comparison": "filingkit.eval.compare",
    "EvaluationError": "filingkit.eval.inputs",
}


def __getattr__(name: str) -> Any:
    """Load the public names on first use (PEP 562), keeping ``import filingkit.eval`` light."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'filingkit.eval' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
