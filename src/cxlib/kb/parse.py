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
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


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
    if "=======" in yaml_text:
        at = next(i for i in range(1, end) if lines[i].startswith("======="))
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


def normalize_heading(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().lower()


def _scan_body(out: ParsedFile, lines: list[str], start: int) -> None:
    """Record headings (and whether each has content) and ``[[ID]]`` links, skipping code.

    A section's content runs to the next heading of the same or a higher level, so text under a
    sub-heading counts for its parent. Most lines are prose: they are looked at only for ``[[``.
    """
    text = "\n".join(lines[start:])
    if "<!--" in text:
        # Links inside HTML comments (template guidance) do not count; keep the line numbers.
        text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    stripped = text.split("\n")  # the body without comments, line for line
    fence: str | None = None
    headings: list[tuple[int, int, str]] = []  # (index into stripped, level, title)
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
            heading = _HEADING.match(line)
            if heading:
                headings.append((k, len(heading.group(1)), heading.group(2)))
                continue
        if "[[" in line:
            out.wiki_links.extend((m.group(1), start + k + 1) for m in WIKI_LINK_RE.finditer(line))
    for n, (k, level, title) in enumerate(headings):
        end = next((h[0] for h in headings[n + 1 :] if h[1] <= level), len(stripped))
        has_content = any(line.strip() for line in stripped[k + 1 : end])
        section = Section(title=title.strip(), line=start + k + 1, has_content=has_content)
        out.sections.setdefault(normalize_heading(title), section)
