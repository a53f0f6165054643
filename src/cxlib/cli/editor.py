"""The user's editor on a document: which one ($VISUAL, $EDITOR, else a named default), and the
loop ``git commit`` taught everybody: edit, check, and offer to reopen what is invalid."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxlib.cli.output import Output
from cxlib.errors import ExitCode, UsageError

if TYPE_CHECKING:
    import datetime as dt

    from cxlib.kb.store import KnowledgeBase

# Whoever set neither variable is most likely not at home in vi: nano shows its keys on screen.
DEFAULTS = ("nano", "vi")
HOW_TO_CHOOSE = 'to choose another, set EDITOR (for example: export EDITOR="code --wait")'


@dataclass(frozen=True)
class Editor:
    argv: list[str]
    named_by: str | None  # "VISUAL" or "EDITOR"; None for the default

    @property
    def name(self) -> str:
        return shlex.join(self.argv)


def find_editor(
    env: Mapping[str, str] | None = None, which: Callable[[str], str | None] = shutil.which
) -> Editor:
    """$VISUAL, else $EDITOR (a command line, split as git splits it), else nano when it is on
    the PATH, else vi."""
    env = os.environ if env is None else env
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                argv = shlex.split(value)
            except ValueError as e:
                raise UsageError(f"${var} cannot be read as a command ({e}): {value}") from None
            return Editor(argv, var)
    found = next((name for name in DEFAULTS if which(name)), DEFAULTS[-1])
    return Editor([found], None)


def open_in_editor(
    out: Output, path: str, editor: Editor | None = None, then: str = "not checking {path}"
) -> None:
    """Open ``path`` and wait for the editor to close; a default editor is named on stderr
    first, with the way to choose another. An editor that fails is a UsageError saying what
    does not happen (``then``) because of it. The one place cxlib starts an editor."""
    editor = editor or find_editor()
    if editor.named_by is None:
        out.note(
            f"opening {path} in {editor.name}: neither $VISUAL nor $EDITOR is set; " + HOW_TO_CHOOSE
        )
    try:
        status = subprocess.run([*editor.argv, path], check=False).returncode
    except OSError as e:
        raise UsageError(
            f"cannot start the editor {editor.name!r}: {e.strerror}",
            hint=f"{HOW_TO_CHOOSE}; the file is {path}",
        ) from None
    if status != 0:
        raise UsageError(
            f"the editor {editor.name!r} exited with status {status}; " + then.format(path=path)
        )


def in_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def edit_until_valid(
    out: Output, kb: KnowledgeBase, rel: str, today: dt.date, ask: bool | None = None
) -> ExitCode:
    """Edit the document at ``rel``, then validate it; while it is invalid, print the findings
    and, in a terminal (``ask``), offer to reopen the editor. OK when valid, FINDINGS when left
    invalid. The file is only ever changed by the editor."""
    import typer

    from cxlib.cli import findings_view
    from cxlib.ops.edit_doc import check_edited

    ask = in_terminal() if ask is None else ask
    editor = find_editor()
    path = str(kb.root / rel)
    while True:
        open_in_editor(out, path, editor)
        report = check_edited(kb, rel, today)
        if report.findings:  # warnings alone are worth seeing, not worth reopening for
            findings_view.as_text(out, kb.root, report)
        if report.errors == 0:
            out.note(f"{rel} is valid")
            return ExitCode.OK
        if not ask or not typer.confirm("reopen the editor?", default=True, err=True):
            out.note(f"{rel} was left as the editor saved it; 'cxlib edit' reopens it")
            return ExitCode.FINDINGS
