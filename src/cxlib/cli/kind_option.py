"""The ``--kind`` a command is given, read as a kind; no command-line library needed (a plain
``search`` line runs without typer, see :mod:`cxlib.cli.early`)."""

from __future__ import annotations

from cxlib.errors import UsageError
from cxlib.model.kinds import KIND_NAMES, Kind, parse_kind


def kind_arg(text: str) -> Kind:
    """The kind ``text`` names (singular or plural), or a usage error that guesses."""
    kind = parse_kind(text)
    if kind is None:
        from cxlib.model.choices import closest

        guess = closest(text.rstrip("s"), [k.value for k in Kind])
        mean = f"did you mean '{guess}'? " if guess else ""
        raise UsageError(f"unknown kind {text!r}", hint=f"{mean}use one of: {KIND_NAMES}")
    return kind
