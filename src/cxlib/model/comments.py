"""HTML comments in a document's markdown: the templates' guidance (``<!-- ... -->``), which no
rule counts and no reader sees.

A scan with ``str.find`` rather than a lazy ``<!--.*?-->``: that pattern retries from every
unclosed ``<!--`` to the end of the text, which is quadratic.
"""

from __future__ import annotations


def blank_comments(text: str) -> str:
    """``text`` with each closed comment replaced by its line breaks, so line numbers stay
    right; an unclosed ``<!--`` and what follows it are kept (it is text a rule may count)."""
    return _scan(text, keep_lines=True)


def without_comments(text: str) -> str:
    """``text`` as a reader sees it: comments gone, and an unclosed ``<!--`` hides the rest, as
    markdown renders it."""
    return _scan(text, keep_lines=False)


def _scan(text: str, keep_lines: bool) -> str:
    start = text.find("<!--")
    if start < 0:
        return text
    parts: list[str] = []
    done = 0
    while start >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            if keep_lines:
                break  # no comment closes after this one, so none after it does either
            parts.append(text[done:start])
            return "".join(parts)
        parts.append(text[done:start])
        if keep_lines:
            parts.append("\n" * text.count("\n", start, close))
        done = close + 3
        start = text.find("<!--", done)
    parts.append(text[done:])
    return "".join(parts)
