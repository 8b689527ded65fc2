"""The ``filingkit`` command: a thin layer that parses arguments and calls the library.

Each area registers its own sub-commands (``register(subparsers)`` in its
``cli`` module), so the command grows without this file changing. Exceptions
become an ``ERROR:`` line (plus a ``TIP:`` where there is one) and an exit code
here, in one place; the library itself never prints or exits.

Exit codes: 0 success, 1 a failed check (a gate, invalid gold), 2 bad input,
70 an internal error (a bug: the traceback is printed), 130 interrupted.

What counts as bad input (exit 2, one ``ERROR:`` line, no traceback):

- a ``FilingkitError``: the library's own verdict on an input, naming file,
  line or document, field and reason;
- an ``OSError`` that names a path (``exc.filename`` is set): the operating
  system refused a file the user named or one derived from it (missing,
  unreadable, a folder where a file was expected, a full disk on an output).

Anything else is a bug in filingkit: its traceback is printed, followed by a
line saying so, and the exit code is 70 (``EX_SOFTWARE``), never 1, so a crash
is not mistaken for a failed check. Readers turn decoding and parsing errors
into ``FilingkitError`` at their boundary; the CLI does not guess which
``ValueError`` came from an input. ``FILINGKIT_TRACEBACK=1`` prints the
traceback of bad-input errors too (for debugging filingkit itself).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
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
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE: a bug, not the user's input
EXIT_INTERRUPTED = 130


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
        _debug_traceback()
        _error(exc.message, exc.hint)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("ERROR: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        if exc.filename is None:
            return _internal_error(exc)
        _debug_traceback()
        _error(*os_error_message(exc))
        return EXIT_BAD_INPUT
    except Exception as exc:
        return _internal_error(exc)


def os_error_message(exc: OSError) -> tuple[str, str | None]:
    """The ``ERROR:`` text and an optional tip for an OS error on a named path."""
    where = os.fsdecode(exc.filename)
    reason = exc.strerror or type(exc).__name__
    if exc.filename2 is not None:
        where = f"{where} -> {os.fsdecode(exc.filename2)}"
    hint = None
    if isinstance(exc, IsADirectoryError):
        hint = "a file was expected here, not a folder"
    elif isinstance(exc, NotADirectoryError):
        hint = "a folder was expected here (or a path went through a file)"
    elif isinstance(exc, PermissionError):
        hint = "check the file's permissions"
    return f"{where}: {reason}", hint


def _error(message: str, hint: str | None) -> None:
    print(f"ERROR: {message}", file=sys.stderr)
    if hint:
        print(f"TIP: {hint}", file=sys.stderr)


def _debug_traceback() -> None:
    if os.environ.get("FILINGKIT_TRACEBACK"):
        traceback.print_exc(file=sys.stderr)


def _internal_error(exc: BaseException) -> int:
    traceback.print_exception(exc, file=sys.stderr)
    print(f"filingkit {__version__}: internal error ({type(exc).__name__}); this is a bug in "
          "filingkit, not a problem with your input: please report it with the traceback above",
          file=sys.stderr)
    return EXIT_INTERNAL


def _quiet_stdout() -> None:
    """After a closed pipe (``filingkit ... | head``), keep the interpreter's final flush quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
