"""Printing the outcome of an edit (link, unlink, set, status, renumber), and asking the
editor for text."""

from __future__ import annotations

import dataclasses
from typing import Any

from cxlib.cli.output import Output

GUIDANCE = (
    "<!-- Write the learnings of {id} above this comment: what did we learn, whatever the\n"
    "     outcome? This comment is removed; leave the text empty to cancel. -->\n"
)


def report(out: Output, result: Any, as_json: bool, dry_run: bool) -> None:
    """The message on stdout (the diff too for a dry run); notes on stderr; or all as JSON."""
    data = dataclasses.asdict(result)
    if as_json:
        data["dry_run"] = dry_run
        if not dry_run:
            data.pop("diff", None)
        out.json(data)
        return
    message = data.get("message")
    if message:
        out.line(message)
    if dry_run and data.get("diff"):
        out.text(data["diff"])
    for note in data.get("notes", []):
        out.note(f"note: {note}")


def text_from_editor(out: Output, doc_id: str) -> str:
    """Open the editor on a scratch file; return its text without the guidance comment."""
    import os
    import tempfile

    from cxlib.cli.editor import open_in_editor

    guidance = GUIDANCE.format(id=doc_id)
    fd, path = tempfile.mkstemp(prefix=f"cxlib-{doc_id}-learnings-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n\n" + guidance)
        open_in_editor(out, path, then="nothing written")
        with open(path, encoding="utf-8") as fh:
            return fh.read().replace(guidance, "").strip()
    finally:
        os.unlink(path)
