"""What a command line starts before typer loads (typer and the CLI cost about 100 ms): the
listing of a command that reads every document, in a forked child, and a plain ``validate``
line (the pre-commit hook's, on every commit) or ``search`` line, run whole."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cxlib.cli.argv import Line, hoist_globals, read_line

if TYPE_CHECKING:
    from cxlib.cli.state import State


def before_typer(args: list[str]) -> int | None:
    """Start what ``args`` let start early; the exit code when the command ran here, else None
    (typer runs it)."""
    line = read_line(hoist_globals(args))
    reader = _PLAIN.get(line.command or "")
    plain = None if reader is None else reader(line.rest)
    list_ahead(line, plain)
    return None if plain is None else run_plain(line, plain.run)


# The commands whose first work is to list every document: the listing starts in a child here,
# before the command-line library loads (about 100 ms of a 10,000-document base's lstat calls,
# done while typer imports and the command's own modules load).
_LISTING = ("search", "similar", "index", "report")


class ValidateLine(NamedTuple):
    paths: list[str]
    strict: bool
    format: str | None
    no_cache: bool

    @property
    def lists(self) -> bool:
        return not self.paths  # the hook names files and must not list

    def run(self, st: State) -> int:
        from cxlib.cli import validate_view

        fmt = None if self.format is None else validate_view.Format(self.format)
        return validate_view.run(st, self.paths, self.strict, fmt, self.no_cache)


class SearchLine(NamedTuple):
    words: list[str]
    kind: str | None
    limit: int
    in_json: bool
    timeout: float

    @property
    def lists(self) -> bool:
        return True

    def run(self, st: State) -> int:
        from cxlib.cli import search_view

        return search_view.run(st, self.words, self.kind, self.limit, self.in_json, self.timeout)


def read_words(
    rest: list[str], valued: dict[str, str], flags: dict[str, tuple[str, bool]]
) -> tuple[list[str], dict[str, str | bool]] | None:
    """A command's words as click reads them: the plain words, and what the options set
    (the last of a repeated option wins). ``valued``: the options that take a value, by name
    (long or short), and what each sets; ``flags``: the options that take none, and what each
    sets to what. None for anything else — ``--help``, an unknown or abbreviated option, a
    short option with its value attached, ``--`` — which typer is left to answer."""
    words: list[str] = []
    given: dict[str, str | bool] = {}
    i = 0
    while i < len(rest):
        word = rest[i]
        name, eq, value = word.partition("=")
        if word in flags:
            key, on = flags[word]
            given[key] = on
        elif word in valued:
            if i + 1 >= len(rest):
                return None
            given[valued[word]] = rest[i + 1]
            i += 1
        elif eq and name.startswith("--") and name in valued:
            given[valued[name]] = value  # click reads "-f=json" as "=json": left to typer
        elif word.startswith("-"):
            return None
        else:
            words.append(word)
        i += 1
    return words, given


def read_validate(rest: list[str]) -> ValidateLine | None:
    """``validate``'s words read as typer reads them; None for a line typer must answer (see
    :func:`read_words`), a format that is none included."""
    from cxlib.cli.validate_view import Format

    read = read_words(rest, _VALIDATE_VALUED, _VALIDATE_FLAGS)
    if read is None:
        return None
    paths, given = read
    fmt = given.get("format")
    if fmt is not None and fmt not in {f.value for f in Format}:
        return None
    strict, no_cache = given.get("strict", False), given.get("no_cache", False)
    return ValidateLine(paths, bool(strict), None if fmt is None else str(fmt), bool(no_cache))


def read_search(rest: list[str]) -> SearchLine | None:
    """``search``'s words read as typer reads them (options anywhere among the query's words);
    None for a line typer must answer (see :func:`read_words`), a value it would refuse or no
    query included."""
    read = read_words(rest, _SEARCH_VALUED, {})
    if read is None:
        return None
    words, given = read
    fmt = str(given.get("format", "table"))
    try:
        limit = int(given.get("limit", 20))
        timeout = float(given.get("timeout", 10.0))
    except ValueError:
        return None
    # An infinite or NaN timeout is left to typer too, whatever it makes of it.
    if not words or fmt not in ("table", "json") or limit < 1 or not 0 <= timeout < math.inf:
        return None
    kind = given.get("kind")
    return SearchLine(words, None if kind is None else str(kind), limit, fmt == "json", timeout)


# What each command's options set.
_VALIDATE_VALUED = {"--format": "format", "-f": "format"}
_VALIDATE_FLAGS = {
    "--strict": ("strict", True),
    "--no-strict": ("strict", False),
    "--no-cache": ("no_cache", True),
}
_SEARCH_VALUED = {
    "--kind": "kind",
    "--limit": "limit",
    "--format": "format",
    "-f": "format",
    "--timeout": "timeout",
}
_PLAIN: dict[str, Callable[[list[str]], ValidateLine | SearchLine | None]] = {
    "validate": read_validate,
    "search": read_search,
}


def list_ahead(line: Line, plain: ValidateLine | SearchLine | None) -> None:
    """Start the listing of the base a command line names, when its command lists every
    document (see :func:`cxlib.kb.files.list_ahead`); ``plain``: the line read as a plain
    one, if it is one. Only a head start: the command opens the base again and takes the
    listing only if it is of that base; anything amiss here is left for the command to meet
    and report."""
    if line.command not in _LISTING and (plain is None or not plain.lists):
        return
    from cxlib.errors import CxError
    from cxlib.kb.config_file import early_kind_folders, find_root
    from cxlib.kb.files import list_ahead as start

    try:
        root = find_root(Path(line.root) if line.root is not None else Path.cwd())
    except (CxError, OSError):
        return
    kinds = early_kind_folders(root)
    if kinds is not None:
        start(root, kinds)


def run_plain(line: Line, work: Callable[[State], int]) -> int | None:
    """The exit code of a plain line's ``work``, run here without typer (about 100 ms of the
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
    from cxlib.cli.boundary import guarded
    from cxlib.cli.output import Output
    from cxlib.cli.state import State

    st = State(
        root=None if line.root is None else Path(line.root), output=Output(color=Color(color))
    )
    if day is not None:
        st.today = day
    return guarded(st.output, lambda: work(st))
