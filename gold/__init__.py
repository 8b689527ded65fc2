"""Gold annotations: the on-disk format, validation, statistics and the bundled gold set.

The bundled gold lives in ``filings/`` beside this file: one folder per filing
with its canonical ``text.txt``, its ``gold.json`` and its original ``source/``
files. ``README.md`` says what is annotated, by which source, and the gaps.
"""

from filingkit.gold.store import (
    bundled_gold_dir,
    filing_dir,
    load_gold_dir,
    load_gold_file,
    save_gold,
)

__all__ = ["bundled_gold_dir", "filing_dir", "load_gold_dir", "load_gold_file", "save_gold"]
