"""Reading one document file: bytes in, front-matter data, body facts and located problems out.

Every refusal here names a 1-based *file* line. Nothing is written; a file that fails here is never
edited by any command.
"""

from __future__ import annotations

import re

from cxlib.kb.yaml_strict import YamlProblem, load
from cxlib.model.ids import WIKI_LINK_RE
from cxlib.model.source import ParsedFile, Problem, Section

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONFLICT = re.compile(r"^(<{7}|>{7})(?: |$)|^\|{7}(?: |$)", re.M)
_HEADING_START = re.compile(r"#{1,6}[ \t]")  # bounded: no retries
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def _line_at_byte(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def parse_bytes(raw: bytes, size: int | None = None) -> ParsedFile:
    """Parse a document's bytes. Problems are returned in the result, never raised.

    ``size`` reports a file known to be too large without reading it.
    """
    out = ParsedFile()

    def refuse(
        code: str, message: str, line: int = 1, column: int = 0, hint: str | None = None
    ) -> ParsedFile:
        out.problems.append(Problem(code, message, line, column, hint))
        return out

    size = len(raw) if size is None else size
    if size > MAX_FILE_BYTES:
        return refuse(
            "file-too-large",
            f"file is too large ({size // 1024} KiB > "
            f"{MAX_FILE_BYTES // 1024} KiB); documents are short markdown files",
            0,
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return refuse(
            "encoding",
            "file is UTF-16; documents must be UTF-8",
            1,
            hint="re-save the file as UTF-8",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return refuse(
            "encoding",
            f"not valid UTF-8 at byte {e.start}",
            _line_at_byte(raw, e.start),
            hint="re-save the file as UTF-8",
        )
    if "\r" in text:
        if re.search(r"\r(?!\n)", text):
            line = text[: re.search(r"\r(?!\n)", text).start()].count("\n") + 1  # type: ignore[union-attr]
            return refuse(
                "line-endings",
                "unsupported line endings (lone CR)",
                line,
                hint="convert the file to LF or CRLF line endings",
            )
        text = text.replace("\r\n", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        return refuse(
            "control-character", f"control character U+{ord(bad.group()):04X} at line {line}", line
        )
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return refuse(
            "merge-conflict",
            f"unresolved merge conflict marker (line {line})",
            line,
            hint="resolve the conflict and remove the <<<<<<< ======= >>>>>>> lines",
        )

    lines = text.split("\n")
    first = lines[0].rstrip()
    if first != "---":
        if first.startswith("+++"):
            return _foreign(out, text, "TOML")
        if first.startswith("{"):
            return _foreign(out, text, "JSON")
        stripped = [i for i, line in enumerate(lines[:20]) if line.strip() == "---"]
        if stripped and all(not line.strip() for line in lines[: stripped[0]]):
            return refuse(
                "front-matter-position",
                "front-matter must start on line 1 with '---'",
                stripped[0] + 1,
                hint="remove the blank lines or spaces before '---'",
            )
        return refuse(
            "missing-front-matter",
            "missing front-matter (file must start with '---')",
            1,
            hint="add a YAML block between two '---' lines at the top of the file",
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return refuse(
            "front-matter-unclosed",
            "front-matter opened on line 1 is not closed",
            1,
            hint="add a line with '---' after the last front-matter key",
        )
    yaml_text = "\n".join(lines[1:end]) + "\n"
    if len(yaml_text.encode()) > MAX_FRONT_MATTER_BYTES:
        return refuse(
            "front-matter-too-large",
            f"front-matter too large ({len(yaml_text.encode()) // 1024} KiB > "
            f"{MAX_FRONT_MATTER_BYTES // 1024} KiB)",
            1,
        )
    # Only a line that starts with the marker is one; "=======" inside a value or comment is text.
    at = next((i for i in range(1, end) if lines[i].startswith("=======")), None)
    if at is not None:
        return refuse("merge-conflict", f"unresolved merge conflict marker (line {at + 1})", at + 1)
    for i in range(1, end):
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip(" \t"))]
        if "\t" in indent:
            return refuse(
                "yaml-tab",
                f"tab characters are not allowed for indentation (line {i + 1})",
                i + 1,
                hint="indent with spaces",
            )
    try:
        loaded = load(yaml_text, line_offset=1)
    except YamlProblem as p:
        return refuse(p.code, p.message, p.line, p.column, p.hint)
    out.body_start = end + 2
    if loaded.data is None:
        loaded.data = {}
    if not isinstance(loaded.data, dict):
        got = "list" if isinstance(loaded.data, list) else type(loaded.data).__name__
        return refuse(
            "front-matter-not-mapping",
            f"front-matter must be a mapping, got {got}",
            2,
            hint="write 'key: value' lines between the '---' lines",
        )
    out.data = loaded.data
    out.locations = loaded.locations
    _scan_body(out, lines, end + 1)
    return out


def _foreign(out: ParsedFile, text: str, name: str) -> ParsedFile:
    closer = "+++" if name == "TOML" else "}"
    closed = any(line.rstrip() == closer for line in text.split("\n")[1:])
    if closed or name == "JSON":
        message = f"unsupported front-matter format ({name}); use YAML between '---' lines"
        out.problems.append(
            Problem(
                "unsupported-format",
                message,
                1,
                hint="convert the block to YAML 'key: value' lines",
            )
        )
    else:
        out.problems.append(
            Problem("missing-front-matter", "missing front-matter (file must start with '---')", 1)
        )
    return out


def _heading_level(line: str) -> int:
    """An ATX heading's level, or 0 when ``line`` is none.

    With :func:`_heading_title`, plain string work that matches ``^(#{1,6})[ \t]+(.+?)[ \t#]*$``
    exactly: that pattern's lazy title retries the tail from every character of a long line
    (quadratic).
    """
    start = _HEADING_START.match(line)
    # "#" and one blank is not a heading: the pattern needs a character of title after it.
    return start.end() - 1 if start is not None and len(line) > start.end() else 0


def _heading_title(line: str, level: int) -> str:
    """The title of a heading (closing ``#``s and trailing blanks removed)."""
    rest = line[level:].lstrip(" \t")
    if not rest:
        return line[-1]  # only blanks: the pattern's title is the last of them
    return rest.rstrip(" \t#") or rest[0]


def _blank_comments(text: str) -> str:
    """``text`` with each closed HTML comment replaced by its line breaks (template guidance does
    not count, and line numbers stay right).

    A scan with ``str.find`` rather than a lazy ``<!--.*?-->``: that pattern retries from every
    unclosed ``<!--`` to the end of the text, which is quadratic.
    """
    start = text.find("<!--")
    if start < 0:
        return text
    parts: list[str] = []
    done = 0
    while start >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            break  # no comment closes after this one, so none after it does either
        parts.append(text[done:start])
        parts.append("\n" * text.count("\n", start, close))
        done = close + 3
        start = text.find("<!--", done)
    parts.append(text[done:])
    return "".join(parts)


def normalize_heading(title: str) -> str:
    return " ".join(title.split()).lower()


def _scan_body(out: ParsedFile, lines: list[str], start: int) -> None:
    """Record headings (and whether each has content) and ``[[ID]]`` links, skipping code.

    A section's content runs to the next heading of the same or a higher level, so text under a
    sub-heading counts for its parent. Most lines are prose: they are looked at only for ``[[``.
    """
    text = _blank_comments("\n".join(lines[start:]))
    stripped = text.split("\n")  # the body without comments, line for line
    fence: str | None = None
    headings: list[tuple[int, int]] = []  # (index into stripped, level)
    for k, line in enumerate(stripped):
        first = line[:1]
        if first in "`~ " and line:
            fence_match = _FENCE.match(line)
            if fence_match:
                marker = fence_match.group(1)[0] * 3
                fence = None if fence and line.lstrip().startswith(fence) else (fence or marker)
                continue
        if fence:
            continue
        if first == "#":
            level = _heading_level(line)
            if level:
                headings.append((k, level))
                continue
        if "[[" in line:
            out.wiki_links.extend((m.group(1), start + k + 1) for m in WIKI_LINK_RE.finditer(line))
    seen: set[str] = set()
    for n, (k, level) in enumerate(headings):
        if stripped[k] in seen:
            continue  # the first heading of a name is the section
        seen.add(stripped[k])
        title = _heading_title(stripped[k], level)
        key = normalize_heading(title)
        if key in out.sections:
            continue
        # A deeper heading right after this one is content of it; otherwise only the lines up
        # to the next heading can be, so every line is looked at once at most.
        after = headings[n + 1] if n + 1 < len(headings) else None
        stop = after[0] if after else len(stripped)
        has_content = (after is not None and after[1] > level) or any(
            line.strip() for line in stripped[k + 1 : stop]
        )
        out.sections[key] = Section(
            title=title.strip(), line=start + k + 1, has_content=has_content
        )
