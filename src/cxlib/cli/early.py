"""What a command line starts before typer loads (typer and the CLI cost about 100 ms): the
listing of a command that reads every document, in a forked child, and a plain ``validate``
line (the pre-commit hook's, on every commit), run whole."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from cxlib.cli.argv import Line, hoist_globals, read_line


def before_typer(args: list[str]) -> int | None:
    """Start what ``args`` let start early; the exit code when the command ran here, else None
    (typer runs it)."""
    line = read_line(hoist_globals(args))
    plain = read_validate(line.rest) if line.command == "validate" else None
    list_ahead(line, plain)
    return None if plain is None else validated(line, plain)


# The commands whose first work is to list every document: the listing starts in a child here,
# before the command-line library loads (about 100 ms of a 10,000-document base's lstat calls,
# done while typer imports and the command's own modules load).
_LISTING = ("search", "similar", "index", "report")
# validate's flags: the option each sets, and to what.
_VALIDATE_FLAGS = {
    "--strict": ("strict", True),
    "--no-strict": ("strict", False),
    "--no-cache": ("no_cache", True),
}


class ValidateLine(NamedTuple):
    paths: list[str]
    strict: bool
    format: str | None
    no_cache: bool


def read_validate(rest: list[str]) -> ValidateLine | None:
    """``validate``'s words read as typer reads them (the last of a repeated option wins); None
    for anything else — ``--help``, an unknown option, a format that is none, ``--`` — which
    typer is left to answer."""
    from cxlib.cli.validate_view import Format

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
            if value not in {f.value for f in Format}:
                return None
            fmt = value
        elif word.startswith("-"):
            return None
        else:
            paths.append(word)
        i += 1
    return ValidateLine(paths, flags["strict"], fmt, flags["no_cache"])


def list_ahead(line: Line, plain: ValidateLine | None) -> None:
    """Start the listing of the base a command line names, when its command lists every
    document (see :func:`cxlib.kb.files.list_ahead`); ``plain``: the line read as a plain
    ``validate``, if it is one. Only a head start: the command opens the base again and takes
    the listing only if it is of that base; anything amiss here is left for the command to
    meet and report."""
    # The hook names files and must not list.
    if line.command not in _LISTING and (plain is None or plain.paths):
        return
    from cxlib.errors import CxError
    from cxlib.kb.files import list_ahead as start
    from cxlib.kb.store import KnowledgeBase

    try:
        kb = KnowledgeBase.open(Path(line.root) if line.root is not None else Path.cwd())
    except (CxError, OSError):
        return
    start(kb.root, kb.config)


def validated(line: Line, plain: ValidateLine) -> int | None:
    """The exit code of a plain ``validate`` line, run here without typer (about 100 ms of the
    hook's start-up, on every commit); None when its global options are not plain (typer
    answers them)."""
    import datetime as dt

    from cxlib.cli.output import Color

    color = line.color if line.color is not None else Color.AUTO.value
    today = line.today if line.today is not None else os.environ.get("CXLIB_TODAY")
    if color not in {c.value for c in Color}:
        return None
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        return None  # typer says why
    from cxlib.cli import validate_view
    from cxlib.cli.boundary import guarded
    from cxlib.cli.output import Output
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
