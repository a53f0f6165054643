"""Findings as text lines, JSON, or GitHub workflow commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.cli.output import Output
from cxlib.escape import terminal

if TYPE_CHECKING:
    from cxlib.model.findings import Finding
    from cxlib.ops.validate import ValidationReport

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 errors and 10 warnings per step


def display_path(root: Path, rel: str, base: Path) -> str:
    """Relative to ``base`` (the working folder) when the root is below or above it, so the
    path can be opened from there; otherwise relative to the knowledge base root."""
    base = base.resolve()
    if base == root or base in root.parents or root in base.parents:
        return Path(os.path.relpath(root / rel, base)).as_posix()
    return rel


def _location(root: Path, f: Finding, base: Path) -> str:
    where = display_path(root, f.path, base)
    if f.line:
        where += f":{f.line}"
        if f.column:
            where += f":{f.column}"
    return where


def _summary(report: ValidationReport) -> str:
    scope = (
        f"{report.checked} of {report.total} documents"
        if report.checked != report.total
        else f"{report.total} documents"
    )
    return f"checked {scope}: {report.errors} error(s), {report.warnings} warning(s)"


def as_text(out: Output, root: Path, report: ValidationReport) -> None:
    cwd = Path.cwd()
    styled = out.styled(out.stdout)
    console = out.console(out.stdout) if styled else None
    for f in report.findings:
        head = f"{_location(root, f, cwd)}: {f.severity.value}: {f.message} [{f.code}]"
        if console is not None:
            from rich.text import Text

            text = Text(terminal(head), style="red" if f.severity.value == "error" else "yellow")
            console.print(text)
            if f.hint:
                console.print(Text(terminal(f"    hint: {f.hint}"), style="dim"))
        else:
            out.line(head)
            if f.hint:
                out.line(f"    hint: {f.hint}")
    for given in report.skipped:
        out.note(f"skipped {given}: not a document of this knowledge base")
    out.note(_summary(report), "bold" if not report.errors else "bold red")


def as_json(out: Output, root: Path, report: ValidationReport) -> None:
    cwd = Path.cwd()
    out.json(
        {
            "ok": report.errors == 0,
            "errors": report.errors,
            "warnings": report.warnings,
            "checked": report.checked,
            "total": report.total,
            "findings": [
                f.to_json() | {"file": display_path(root, f.path, cwd)} for f in report.findings
            ],
            "skipped": report.skipped,
        }
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _workspace(root: Path) -> Path:
    """Annotations name files relative to the repository (the Actions workspace)."""
    env = os.environ.get("GITHUB_WORKSPACE")
    if env:
        return Path(env).resolve()
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def as_github(out: Output, root: Path, report: ValidationReport) -> None:
    base = _workspace(root)
    shown = {"error": 0, "warning": 0}
    hidden = 0
    ordered = sorted(report.findings, key=lambda f: (f.severity.value != "error", f.sort_key))
    for f in ordered:
        level = f.severity.value
        if shown[level] >= MAX_ANNOTATIONS:
            hidden += 1
            continue
        shown[level] += 1
        props = [f"file={_escape_property(display_path(root, f.path, base))}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property('cxlib ' + f.code)}")
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        out.line(f"::{level} {','.join(props)}::{_escape_data(message)}")
    if hidden:
        out.line(
            f"::notice::{hidden} more finding(s) not shown as annotations; run cxlib "
            "validate locally to see them all"
        )
    out.line(_summary(report))
