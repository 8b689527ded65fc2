"""Orchestration: what runs extractors over filings, and what runs them and then scores them.

This package sits above ``filingkit.extractors``, ``filingkit.eval`` and
``filingkit.gold`` (imports run one way: none of those imports it, and
neither extractors nor eval imports the other; ``tests/run/test_layers.py``
checks it):

- ``runner``: the corpus runner behind ``filingkit extract`` (inputs, byte-sized
  batches, the local and Dask engines, sharded output, resume);
- ``bench``: ``filingkit bench``, every extractor scored on gold side by side;
- ``gate`` / ``gate_cli`` / ``pytest_plugin``: the gate's own extractor runs
  (``filingkit gate --extractor``, the ``filingkit_gate`` fixture).

User docs: ``docs/scale.md``.
"""

from __future__ import annotations
