"""The ``filingkit`` command: a thin layer that parses arguments and calls the library.

Each area registers its own sub-commands (``register(subparsers)`` in its
``cli`` module), so the command grows without this file changing. Exceptions
become an ``ERROR:`` line (plus a ``TIP:`` where there is one) and an exit code
here, in one place; the library itself never prints or exits.

Exit codes: 0 success, 1 a failed check (a gate, invalid gold), 2 bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from filingkit import __version__
from filingkit.errors import FilingkitError

# Modules that add sub-commands; each has register(subparsers) -> None and must
# stay cheap to import (heavy imports go inside the command handlers).
COMMAND_MODULES: tuple[str, ...] = (
    "filingkit.ingest.cli",
    "filingkit.gold.cli",
    "filingkit.extractors.cli",
    "filingkit.run.cli",
    "filingkit.eval.cli",
    "filingkit.run.gate_cli",
    "filingkit.annotate.cli",
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="filingkit",
        description="Annotate SEC 8-K filings, run extractors, score them against gold, gate CI.",
    )
    parser.add_argument("--version", action="version", version=f"filingkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that area has no commands yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(handler(args))
    except FilingkitError as exc:
        print(f"ERROR: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"TIP: {exc.hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("ERROR: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
