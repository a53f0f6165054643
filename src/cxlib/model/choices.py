"""Naming one of a known set: the hint a mistyped name gets ("did you mean ...?")."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known name ``value`` most likely misspells (case aside), or None."""
    names = list(known)
    lowered = {n.lower(): n for n in names}
    if value.lower() in lowered:
        return lowered[value.lower()]
    found = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def choice_hint(value: str, known: Iterable[str]) -> str:
    """``did you mean 'x'? known: a, b, c`` (at most 12 listed)."""
    names = sorted(set(known))
    listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    guess = closest(value, names)
    return (f"did you mean '{guess}'? " if guess else "") + f"known: {listed}"


def id_hint(wanted: str, known: Iterable[str]) -> str:
    """``did you mean 'EXP-0007'? see 'cxlib list'``: the closest id of the same prefix."""
    prefix = wanted.split("-", 1)[0]
    same = [i for i in known if i.split("-", 1)[0] == prefix]
    guess = difflib.get_close_matches(wanted, same, n=1, cutoff=0.75)
    return (f"did you mean '{guess[0]}'? " if guess else "") + "see 'cxlib list'"


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def impossible_date(text: str) -> str | None:
    """Why a YYYY-MM-DD that is not a day is not one ("month 13"), else None."""
    m = _ISO_DAY.match(text.strip())
    if m is None:
        return None
    year, month, day = (int(x) for x in m.groups())
    if not 1 <= month <= 12:
        return f"month {month}"
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{year}-{month:02d} has no day {day}"
    return None
