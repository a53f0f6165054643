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


# The commands whose first work is to list every document: the listing starts in a child here,
# before the command-line library loads (about 100 ms of a 10,000-document base's lstat calls,
# done while typer imports and the command's own modules load).
_LISTING = ("search", "similar", "index", "report")
# validate lists every document only when it names no file (the pre-commit hook names files and
# must not list): then its words are these options alone.
_VALIDATE_FLAGS = ("--strict", "--no-strict", "--no-cache")
_VALIDATE_VALUED = ("--format", "-f")


def list_ahead(args: list[str]) -> None:
    """Start the listing of the base a command line names, when its command lists every
    document (see :func:`cxlib.kb.files.list_ahead`). Only a head start: the command opens
    the base again and takes the listing only if it is of that base; anything amiss here is
    left for the command to meet and report."""
    from cxlib.cli.argv import hoist_globals, root_and_command

    root, command, rest = root_and_command(hoist_globals(args))
    if command not in _LISTING and not (command == "validate" and _whole_base(rest)):
        return
    from cxlib.errors import CxError
    from cxlib.kb.files import list_ahead as start
    from cxlib.kb.store import KnowledgeBase

    try:
        kb = KnowledgeBase.open(Path(root) if root is not None else Path.cwd())
    except (CxError, OSError):
        return
    start(kb.root, kb.config)


def _whole_base(words: list[str]) -> bool:
    """Whether ``validate``'s words name no file (its options alone)."""
    i = 0
    while i < len(words):
        word = words[i]
        if word in _VALIDATE_VALUED:
            i += 2
        elif word in _VALIDATE_FLAGS or word.startswith("--format="):
            i += 1
        else:
            return False
    return i == len(words)


def run() -> None:
    found = None if os.environ.get(COMPLETE_VAR) else answer(sys.argv[1:])
    if found is None:
        if not os.environ.get(COMPLETE_VAR):
            list_ahead(sys.argv[1:])
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
