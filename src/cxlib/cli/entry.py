"""The ``cxlib`` command's first step: ``--version`` and the top-level help answered without
importing the CLI.

Importing typer costs ~100 ms, most of what ``cxlib --help`` took. The help of the whole tool
(``cxlib``, ``cxlib --help``, ``cxlib -h``) is the same text on every terminal of 80 columns or
more and when piped (click wraps help at 78 columns at most), so it is kept as a file rendered
from the real CLI (``top_help.txt``; a test keeps the two equal) and printed from there. Anything
else, a narrower terminal included, goes to :mod:`cxlib.cli.main`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cxlib.cli.argv import Line

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
# validate's options: the flags, and those taking a value with the values they take.
_VALIDATE_FLAGS = {"--strict": ("strict", True), "--no-strict": ("strict", False)}
_VALIDATE_FLAGS |= {"--no-cache": ("no_cache", True)}
_VALIDATE_FORMATS = ("text", "json", "github")
_COLORS = ("auto", "always", "never")


class ValidateLine(NamedTuple):
    paths: list[str]
    strict: bool
    format: str | None
    no_cache: bool


def read_validate(rest: list[str]) -> ValidateLine | None:
    """``validate``'s words read as typer reads them (the last of a repeated option wins); None
    for anything else — ``--help``, an unknown option, a format that is none, ``--`` — which
    typer is left to answer."""
    paths: list[str] = []
    flags = {"strict": False, "no_cache": False}
    fmt: str | None = None
    i = 0
    while i < len(rest):
        word = rest[i]
        name, eq, value = word.partition("=")
        if word in _VALIDATE_FLAGS:
            key, on = _VALIDATE_FLAGS[word]
            flags[key] = on
        elif name in ("--format", "-f") and (eq or i + 1 < len(rest)):
            if not eq:
                value, i = rest[i + 1], i + 1
            if value not in _VALIDATE_FORMATS:
                return None
            fmt = value
        elif word.startswith("-"):
            return None
        else:
            paths.append(word)
        i += 1
    return ValidateLine(paths, flags["strict"], fmt, flags["no_cache"])


def list_ahead(line: Line) -> None:
    """Start the listing of the base a command line names, when its command lists every
    document (see :func:`cxlib.kb.files.list_ahead`). Only a head start: the command opens
    the base again and takes the listing only if it is of that base; anything amiss here is
    left for the command to meet and report."""
    if line.command not in _LISTING:
        plain = read_validate(line.rest) if line.command == "validate" else None
        if plain is None or plain.paths:  # the hook names files and must not list
            return
    from cxlib.errors import CxError
    from cxlib.kb.files import list_ahead as start
    from cxlib.kb.store import KnowledgeBase

    try:
        kb = KnowledgeBase.open(Path(line.root) if line.root is not None else Path.cwd())
    except (CxError, OSError):
        return
    start(kb.root, kb.config)


def validated(line: Line) -> int | None:
    """The exit code of a plain ``validate`` line, run here without typer (about 100 ms of the
    hook's start-up, on every commit); None when the line is not one (typer answers it)."""
    plain = read_validate(line.rest) if line.command == "validate" else None
    color = line.color if line.color is not None else "auto"
    today = line.today if line.today is not None else os.environ.get("CXLIB_TODAY")
    if plain is None or color not in _COLORS:
        return None
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        return None  # typer says why
    from cxlib.cli import validate_view
    from cxlib.cli.boundary import guarded
    from cxlib.cli.output import Color, Output
    from cxlib.cli.state import State

    st = State(
        root=None if line.root is None else Path(line.root), output=Output(color=Color(color))
    )
    if day is not None:
        st.today = day
    fmt = None if plain.format is None else validate_view.Format(plain.format)
    return guarded(
        st.output, lambda: validate_view.run(st, plain.paths, plain.strict, fmt, plain.no_cache)
    )


def run() -> None:
    found = None if os.environ.get(COMPLETE_VAR) else answer(sys.argv[1:])
    if found is None:
        if not os.environ.get(COMPLETE_VAR):
            from cxlib.cli.argv import hoist_globals, read_line

            line = read_line(hoist_globals(sys.argv[1:]))
            list_ahead(line)
            code = validated(line)
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
