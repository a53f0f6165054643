"""The command line's words as the ``cxlib`` command reads them before typer does: the global
options moved before the command, and what they name. Plain string work, imported by the entry
point before the command-line library loads."""

from __future__ import annotations

from typing import NamedTuple

# Global options that take a value (the sub-command comes after them).
VALUED = ("--root", "-C", "--color", "--today")
# The same, with their value joined on (``--root=kb``).
VALUED_JOINED = tuple(f"{o}=" for o in VALUED if o.startswith("--"))


def hoist_globals(args: list[str]) -> list[str]:
    """``args`` with the global options given after the command (``cxlib list -C kb``) moved
    before it, where the command line's parser reads them. No command has an option of the
    same name; nothing after ``--`` moves."""
    start = 0
    while start < len(args) and args[start].startswith("-"):
        start += 2 if args[start] in VALUED else 1
    moved: list[str] = []
    rest: list[str] = args[: start + 1]
    i = start + 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in VALUED and i + 1 < len(args):
            moved += args[i : i + 2]
            i += 2
            continue
        if arg.startswith(VALUED_JOINED):
            moved.append(arg)
        else:
            rest.append(arg)
        i += 1
    return moved + rest if moved else args


class Line(NamedTuple):
    """A hoisted command line read plainly: the global options' values, the command, the words
    after it."""

    root: str | None
    color: str | None
    today: str | None
    command: str | None
    rest: list[str]


NO_LINE = Line(None, None, None, None, [])


def read_line(args: list[str]) -> Line:
    """What a hoisted command line says; :data:`NO_LINE` when it holds an option that is not a
    global one taking a value (``--help``, ``--version``, a mistyped one): such a line is left
    to the command-line library."""
    given: dict[str, str] = {}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        name, eq, value = args[i].partition("=")
        if name not in VALUED:
            return NO_LINE
        if not eq:
            if i + 1 >= len(args):
                return NO_LINE
            value, i = args[i + 1], i + 1
        given["--root" if name == "-C" else name] = value
        i += 1
    command, rest = (args[i], args[i + 1 :]) if i < len(args) else (None, [])
    return Line(given.get("--root"), given.get("--color"), given.get("--today"), command, rest)
