"""Reading one document file: bytes in, front-matter data, body facts and located problems out.

Every refusal here names a 1-based *file* line. Nothing is written; a file that fails here is never
edited by any command.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cxlib.kb.files import MAX_FILE_BYTES as MAX_FILE_BYTES  # its home; read here too
from cxlib.kb.markdown import fence_after
from cxlib.model.comments import blank_comments
from cxlib.model.ids import WIKI_LINK_RE
from cxlib.model.source import ParsedFile, Problem, Section
from cxlib.model.vocabulary import is_placeholder

if TYPE_CHECKING:
    from cxlib.kb.yaml_strict import Loaded

MAX_FRONT_MATTER_BYTES = 64 * 1024

_LONE_CR = re.compile(r"\r(?!\n)")
# C0 and C1 controls but tab, LF and CR (line endings are checked apart): U+009B is an escape
# sequence to many terminals as much as ESC is.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The bytes of text without a control character: printable ASCII, tab, LF, CR, and the bytes of
# multi-byte UTF-8 sequences (the text decoded: any byte below 0x80 is a character of its own)...
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(range(0x80, 0x100))
# ...of which only U+0080 to U+009F, the C1 controls, are controls.
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_CONFLICT = re.compile(r"^(<{7}|>{7})(?: |$)|^\|{7}(?: |$)", re.M)


def _line_at_byte(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def parse_bytes(raw: bytes, size: int | None = None) -> ParsedFile:
    """Parse a document's bytes. Problems are returned in the result, never raised.

    ``size`` reports a file known to be too large without reading it.
    """
    text = _decode(raw, len(raw) if size is None else size)
    if isinstance(text, Problem):
        return _refused(text)
    lines = text.split("\n")
    end = _front_matter_end(lines, text)
    if isinstance(end, Problem):
        return _refused(end)
    loaded = _load_front_matter(lines, end)
    if isinstance(loaded, Problem):
        return _refused(loaded)
    data = {} if loaded.data is None else loaded.data
    if not isinstance(data, dict):
        got = "list" if isinstance(data, list) else type(data).__name__
        problem = Problem(
            "front-matter-not-mapping",
            f"front-matter must be a mapping, got {got}",
            2,
            hint="write 'key: value' lines between the '---' lines",
        )
        return _refused(problem, body_start=end + 2)
    sections, wiki_links, file_links = _scan_body(lines, end + 1)
    return ParsedFile(
        data=data,
        locations=loaded.locations,
        sections=sections,
        wiki_links=wiki_links,
        file_links=file_links,
        body_start=end + 2,
        text=text,
    )


def _refused(problem: Problem, body_start: int = 0) -> ParsedFile:
    return ParsedFile(body_start=body_start, problems=[problem])


def _decode(raw: bytes, size: int) -> str | Problem:
    """The document as text with LF line endings (a UTF-8 BOM dropped), or why it cannot be read:
    too large, not UTF-8, lone CR line endings, a control character, a merge conflict marker."""
    if size > MAX_FILE_BYTES:
        return Problem(
            "file-too-large",
            f"file is too large ({size // 1024} KiB > "
            f"{MAX_FILE_BYTES // 1024} KiB); documents are short markdown files",
            0,
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(
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
        return Problem(
            "encoding",
            f"not valid UTF-8 at byte {e.start}",
            _line_at_byte(raw, e.start),
            hint="re-save the file as UTF-8",
        )
    if "\r" in text:
        lone = _LONE_CR.search(text)
        if lone:
            return Problem(
                "line-endings",
                "unsupported line endings (lone CR)",
                text[: lone.start()].count("\n") + 1,
                hint="convert the file to LF or CRLF line endings",
            )
        text = text.replace("\r\n", "\n")
    # The patterns walk every character; the byte checks before them answer "none" in a few
    # microseconds, which is nearly always the answer (10,000 documents: 0.6 s of parsing).
    maybe_control = raw.translate(None, _TEXT_BYTES) or _C1_UTF8.search(raw)
    bad = _CONTROL.search(text) if maybe_control else None
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        return Problem(
            "control-character", f"control character U+{ord(bad.group()):04X} at line {line}", line
        )
    maybe_conflict = "<<<<<<<" in text or ">>>>>>>" in text or "|||||||" in text
    conflict = _CONFLICT.search(text) if maybe_conflict else None
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return Problem(
            "merge-conflict",
            f"unresolved merge conflict marker (line {line})",
            line,
            hint="resolve the conflict and remove the <<<<<<< ======= >>>>>>> lines",
        )
    return text


def _front_matter_end(lines: list[str], text: str) -> int | Problem:
    """The index of the line that closes the front-matter opened on line 1, or why there is none."""
    first = lines[0].rstrip()
    if first != "---":
        return _no_front_matter(lines, text, first)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return Problem(
            "front-matter-unclosed",
            "front-matter opened on line 1 is not closed",
            1,
            hint="add a line with '---' after the last front-matter key",
        )
    return end


def _no_front_matter(lines: list[str], text: str, first: str) -> Problem:
    if first.startswith("+++"):
        return _foreign(text, "TOML")
    if first.startswith("{"):
        return _foreign(text, "JSON")
    stripped = [i for i, line in enumerate(lines[:20]) if line.strip() == "---"]
    if stripped and all(not line.strip() for line in lines[: stripped[0]]):
        return Problem(
            "front-matter-position",
            "front-matter must start on line 1 with '---'",
            stripped[0] + 1,
            hint="remove the blank lines or spaces before '---'",
        )
    return Problem(
        "missing-front-matter",
        "missing front-matter (file must start with '---')",
        1,
        hint="add a YAML block between two '---' lines at the top of the file",
    )


def _load_front_matter(lines: list[str], end: int) -> Loaded | Problem:
    """The YAML between line 1 and line ``end``, loaded, or why it is refused."""
    yaml_text = "\n".join(lines[1:end]) + "\n"
    if len(yaml_text.encode()) > MAX_FRONT_MATTER_BYTES:
        return Problem(
            "front-matter-too-large",
            f"front-matter too large ({len(yaml_text.encode()) // 1024} KiB > "
            f"{MAX_FRONT_MATTER_BYTES // 1024} KiB)",
            1,
        )
    # Only a line that starts with the marker is one; "=======" inside a value or comment is text.
    at = next((i for i in range(1, end) if lines[i].startswith("=======")), None)
    if at is not None:
        return Problem(
            "merge-conflict", f"unresolved merge conflict marker (line {at + 1})", at + 1
        )
    # Tabs are left to libyaml: a tab that indents is an error it locates, while a tab inside a
    # block scalar (after the spaces that indent it) is text. Imported here: a command that
    # only reads the parse cache (a warm search) never pays for the YAML library.
    from cxlib.kb.yaml_strict import YamlProblem, load

    try:
        return load(yaml_text, line_offset=1)
    except YamlProblem as p:
        return Problem(p.code, p.message, p.line, p.column, p.hint)


def _foreign(text: str, name: str) -> Problem:
    closer = "+++" if name == "TOML" else "}"
    closed = any(line.rstrip() == closer for line in text.split("\n")[1:])
    if closed or name == "JSON":
        return Problem(
            "unsupported-format",
            f"unsupported front-matter format ({name}); use YAML between '---' lines",
            1,
            hint="convert the block to YAML 'key: value' lines",
        )
    return Problem("missing-front-matter", "missing front-matter (file must start with '---')", 1)


def _heading_level(line: str) -> int:
    """An ATX heading's level, or 0 when ``line`` is none.

    With :func:`_heading_title`, plain string work that matches ``^(#{1,6})[ \t]+(.+?)[ \t#]*$``
    exactly: that pattern's lazy title retries the tail from every character of a long line
    (quadratic).
    """
    level = len(line) - len(line.lstrip("#"))
    # "#" and one blank is not a heading: the pattern needs a character of title after it.
    if 1 <= level <= 6 and len(line) > level + 1 and line[level] in " \t":
        return level
    return 0


def _heading_title(line: str, level: int) -> str:
    """The title of a heading (closing ``#``s and trailing blanks removed)."""
    rest = line[level:].lstrip(" \t")
    if not rest:
        return line[-1]  # only blanks: the pattern's title is the last of them
    return rest.rstrip(" \t#") or rest[0]


def normalize_heading(title: str) -> str:
    return " ".join(title.split()).lower()


# A markdown link or image target, ``](target)`` or ``](<target>)``, and a reference definition
# ``[name]: target``. Read by pattern, not by a markdown parser: importing markdown-it costs
# 130 ms, half the pre-commit hook's budget, to find what these patterns find in CommonMark
# text outside code.
_LINK_TARGET = re.compile(r"\]\(\s*(?:<([^<>\n]*)>|([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*))")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?:<([^<>]*)>|(\S+))")
_CODE_SPAN = re.compile(r"(`+).*?\1")


def _link_targets(line: str) -> list[str]:
    line = _CODE_SPAN.sub("", line) if "`" in line else line
    found = [m.group(1) or m.group(2) for m in _LINK_TARGET.finditer(line)]
    definition = _LINK_DEFINITION.match(line)
    if definition:
        found.append(definition.group(1) or definition.group(2))
    return [t for t in found if t]


def _scan_body(
    lines: list[str], start: int
) -> tuple[dict[str, Section], list[tuple[str, int]], list[tuple[str, int]]]:
    """Record headings (and whether each has content), ``[[ID]]`` links and the targets of
    markdown links and images, skipping code.

    A section's content runs to the next heading of the same or a higher level, so text under a
    sub-heading counts for its parent. Most lines are prose: they are looked at only for ``[[``.
    """
    sections: dict[str, Section] = {}
    wiki_links: list[tuple[str, int]] = []
    file_links: list[tuple[str, int]] = []
    text = blank_comments("\n".join(lines[start:]))
    stripped = text.split("\n")  # the body without comments, line for line
    fence: str | None = None
    headings: list[tuple[int, int]] = []  # (index into stripped, level)
    for k, line in enumerate(stripped):
        first = line[:1]
        if first in "`~ " and line:
            is_fence, fence = fence_after(line, fence)
            if is_fence:
                continue
        if fence:
            continue
        if first == "#":
            level = _heading_level(line)
            if level:
                headings.append((k, level))
                continue
        if "[[" in line:
            wiki_links.extend((m.group(1), start + k + 1) for m in WIKI_LINK_RE.finditer(line))
        if "](" in line or "]:" in line:
            file_links.extend((t, start + k + 1) for t in _link_targets(line))
    seen: set[str] = set()
    for n, (k, level) in enumerate(headings):
        if stripped[k] in seen:
            continue  # the first heading of a name is the section
        seen.add(stripped[k])
        title = _heading_title(stripped[k], level)
        key = normalize_heading(title)
        if key in sections:
            continue
        # A deeper heading right after this one is content of it; otherwise only the lines up
        # to the next heading can be, so every line is looked at once at most.
        after = headings[n + 1] if n + 1 < len(headings) else None
        stop = after[0] if after else len(stripped)
        has_content = (after is not None and after[1] > level) or any(
            not is_placeholder(line) for line in stripped[k + 1 : stop]
        )
        sections[key] = Section(title=title.strip(), line=start + k + 1, has_content=has_content)
    return sections, wiki_links, file_links
