"""Markdown facts both the reader and the editor need, in one place: where code fences open and
close (a heading or an ``[[ID]]`` inside a fenced block is code, not structure)."""

from __future__ import annotations

import re

# Up to three spaces, then three or more backticks or tildes (CommonMark).
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def fence_after(line: str, fence: str | None) -> tuple[bool, str | None]:
    """Whether ``line`` is a fence line, and the fence open after it (None: not in code), given
    ``fence``, the one open before it. A block closes only on its own kind of fence."""
    match = _FENCE.match(line)
    if match is None:
        return False, fence
    marker = match.group(1)[0] * 3
    if fence and line.lstrip().startswith(fence):
        return True, None
    return True, fence or marker
