"""Document ids (``EXP-0042``) and file-name slugs."""

from __future__ import annotations

import re
import unicodedata

# Ids are ASCII: ``\d`` would also match Arabic-Indic and other Unicode digits, and such an id
# would escape the duplicate check (``EXP-٠٠٠٢`` is not ``EXP-0002``). ``\Z``, unlike ``$``,
# does not let a trailing newline through.
ID_RE = re.compile(r"^([A-Z][A-Z0-9]{0,9})-([0-9]{1,9})\Z")
FILE_ID_RE = re.compile(r"^([A-Z][A-Z0-9]{0,9}-[0-9]{1,9})(?:-|\.md\Z)")
# A body link, in cxlib's form and in the forms Obsidian resolves by file name (its help,
# "Internal links"): ``[[ID]]``, ``[[ID-slug]]`` (the file's name, ``.md`` optional), a
# ``#heading`` and an ``|alias`` after either. Groups: the id, the rest of the file name, the
# heading, the alias. No part holds a bracket: with ``[^\]]*`` a line of many unclosed
# ``[[A-1|`` made every attempt scan to the end of the line (quadratic); each part stops at
# the next ``[``, so every scan stays linear.
WIKI_LINK_RE = re.compile(
    r"\[\[([A-Za-z][A-Za-z0-9]{0,9}-[0-9]{1,9})((?:-[^\[\]|#\n]*)?(?:\.md)?)"
    r"(?:#([^\[\]|\n]*))?(?:\|([^\[\]\n]*))?\]\]"
)

MAX_SLUG = 60
_WINDOWS_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
# Letters that NFKD does not decompose into ASCII but that have a customary spelling.
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
        "Þ": "th",
        "&": " and ",
    }
)


def format_id(prefix: str, number: int, digits: int) -> str:
    return f"{prefix}-{number:0{digits}d}"


def split_id(doc_id: str) -> tuple[str, int] | None:
    m = ID_RE.match(doc_id)
    return (m.group(1), int(m.group(2))) if m else None


def id_from_filename(name: str) -> str | None:
    """The id a file name starts with (``EXP-0042-free-shipping.md`` → ``EXP-0042``)."""
    m = FILE_ID_RE.match(name)
    return m.group(1) if m else None


def slugify(title: str, max_length: int = MAX_SLUG) -> str:
    """A safe ASCII slug: ``[a-z0-9-]``, no path parts, bounded, never a reserved device name.

    Returns "" when nothing usable is left (the caller then needs an explicit slug).
    """
    text = unicodedata.normalize("NFKD", title.translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > max_length:
        cut = text[:max_length]
        # Cut at a word boundary when one is reasonably close.
        text = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2 :] else cut
        text = text.strip("-")
    if text in _WINDOWS_RESERVED:
        text = f"{text}-doc"
    return text
