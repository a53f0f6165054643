"""User text made safe for the place it is shown: a terminal, markdown, HTML, a spreadsheet.

User text is whatever a document, a file name or git history holds. Every renderer passes it
through one of these functions, so a title cannot move a terminal's cursor, ping someone in a
pull-request comment, inject markup into a page or run as a spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Zero-width joiners are invisible but harmless, and emoji sequences and several scripts need
# them; every other format character (bidirectional overrides above all) is shown escaped.
_JOINERS = frozenset("\u200c\u200d")


_SHORT = {"\n": "\\n", "\r": "\\r"}


def _visible(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _shown_as_is(ch: str, newlines: bool) -> bool:
    if ch.isprintable() or ch == "\t" or (newlines and ch == "\n"):
        return True
    # Spaces other than U+0020 (no-break space...) are not "printable" to Python, yet print.
    return ch in _JOINERS or unicodedata.category(ch) == "Zs"


def terminal(text: str, newlines: bool = False) -> str:
    """Text for a terminal (or a log): C0 and C1 controls, bidirectional overrides and other
    invisible characters as ``\\x1b``/``\\u202e`` escapes; tabs kept, line feeds only with
    ``newlines`` (a line of output stays one line)."""
    if text.isprintable():
        return text
    return "".join(ch if _shown_as_is(ch, newlines) else _visible(ch) for ch in text)


# Characters that markdown (GitHub's included) would read as formatting, links or HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")
# What GitHub turns into links or notifications on its own: bare URLs (``://``, ``www.``),
# ``@mentions`` and e-mail addresses, ``#123`` and ``GH-123`` references. A zero-width space
# (as an entity: the text stays ASCII) breaks each without changing what the reader sees.
_AUTOLINKS = re.compile(r"(:(?=//)|\bwww(?=\.)|@|\\#(?=[0-9])|\bgh(?=-[0-9]))", re.IGNORECASE)


def markdown(text: str) -> str:
    """Text shown literally in markdown, in a table cell or a line: one line, no markup, no
    HTML or entities, no autolinks, mentions or issue references."""
    text = terminal(" ".join(str(text).split()))  # a line break would end a table row
    text = _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    return _AUTOLINKS.sub(r"\1&#8203;", text)


def html(text: object) -> str:
    """Text for an HTML page or an SVG: markup escaped, invisible characters shown."""
    import html as _html  # here: only pages and SVGs need it, not the commands' start-up

    return _html.escape(terminal(str(text), newlines=True), quote=True)


# A spreadsheet runs a cell that starts with one of these as a formula (a tab or CR first is
# stripped by some, leaving the formula).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_row(values: list[object]) -> list[object]:
    """:func:`csv_cell` over a row, in place: the common cells (empty, a number, text that is
    no formula) are left as the csv writer writes them, without a call each (an export of
    10,000 documents has some 400,000 cells)."""
    for i, value in enumerate(values):
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            if value.startswith(_FORMULA_START):  # type: ignore[attr-defined]
                values[i] = "'" + value  # type: ignore[operator]
        elif kind is dt.date:
            values[i] = value.isoformat()  # type: ignore[attr-defined]
        elif kind is not int and kind is not float:
            values[i] = csv_cell(value)
    return values


def csv_cell(value: object) -> object:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading
    ``'``; numbers and dates are written as values, never changed; a list is its items joined
    by ``, `` (as show writes it), never a Python repr."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(csv_cell(v)).removeprefix("'") for v in value)
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
