"""The ``cxlib`` command's first step: ``--version`` and the top-level help answered without
importing the CLI.

Importing typer costs ~100 ms, most of what ``cxlib --help`` took. The help of the whole tool
(``cxlib``, ``cxlib --help``, ``cxlib -h``) is the same text on every terminal of 80 columns or
more and when piped (click wraps help at 78 columns at most), so it is kept as a file rendered
from the real CLI (``top_help.txt``; a test keeps the two equal) and printed from there. Anything
else, a narrower terminal included, goes to :mod:`cxlib.cli.main`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HELP_FILE = Path(__file__).with_name("top_help.txt")
_HELP_ARGS: tuple[list[str], ...] = ([], ["--help"], ["-h"])
_WRAP = 80  # click's help is as wide as the terminal up to this
# What the shell scripts of ``cxlib completion`` set for a completion run (click's
# "_<PROG>_COMPLETE"): such a run has no arguments, and is no help request.
COMPLETE_VAR = "_CXLIB_COMPLETE"


def _columns() -> int:
    """The terminal's width as click reads it (shutil's rule: COLUMNS, then the terminal)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else _WRAP
    except (AttributeError, ValueError, OSError):
        return _WRAP


def answer(args: list[str]) -> tuple[str, int] | None:
    """The text and exit code of a command answered here, or None."""
    if args == ["--version"]:
        from cxlib import __version__

        return f"cxlib {__version__}\n", 0
    if args in _HELP_ARGS and _columns() >= _WRAP:
        try:
            text = HELP_FILE.read_text(encoding="utf-8")
        except OSError:
            return None
        return text, 2 if not args else 0  # no command at all is a usage error, as in click
    return None


def run() -> None:
    completing = bool(os.environ.get(COMPLETE_VAR))
    found = None if completing else answer(sys.argv[1:])
    if found is None:
        from cxlib.kb.tuning import no_collection_at_exit

        no_collection_at_exit()  # first, so that it runs after every other exit handler
        if not completing:
            from cxlib.cli.early import before_typer

            code = before_typer(sys.argv[1:])
            if code is not None:
                sys.exit(code)
        from cxlib.cli.main import run as run_cli

        run_cli()
        return
    text, code = found
    # No command at all is a usage error: click prints the help on stderr then.
    stream = sys.stderr if code else sys.stdout
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (``cxlib --help | head``): not an error, and nothing to flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    sys.exit(code)
