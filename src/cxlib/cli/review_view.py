"""``cxlib review`` as markdown (a pull-request comment or a GitHub job summary), text or JSON.

User text (titles, owners, paths, messages) is escaped so a title can neither break a table nor
inject markup; the markdown is cut to a size limit with a note (GitHub job summaries hold 1 MiB).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cxlib.cli.output import Output
from cxlib.escape import markdown as md
from cxlib.escape import terminal

if TYPE_CHECKING:
    from cxlib.model.review import ChecklistItem, DocChange
    from cxlib.model.review_delta import FieldDelta
    from cxlib.ops.review import ReviewResult

SUMMARY_LIMIT = 1024 * 1024  # bytes: GitHub's limit for one step summary
_SECTIONS = (
    ("insight", "Insights"),
    ("opportunity", "Opportunities"),
    ("experiment", "Experiments"),
)


def code(text: str) -> str:
    """A code span that also survives inside a table cell (GitHub links nothing in one)."""
    if "`" in text or "\n" in text:
        return md(text)
    return "`" + terminal(text).replace("|", "\\|") + "`"


def _short(sha: str) -> str:
    return sha[:10]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _status_cell(c: DocChange) -> str:
    if c.transition:
        text = f"{md(c.old_status or '—')} → **{md(c.status or '—')}**"
    else:
        text = md(c.status or "—")
    if c.kind.value == "experiment" and c.status in ("concluded", "implemented") and c.outcome:
        text += f" ({md(c.outcome)}"
        text += f", decision: {md(c.decision)})" if c.decision else ")"
    return text


def _change_cell(c: DocChange) -> str:
    if c.change.value == "renamed" and c.old_path:
        return f"renamed from {code(c.old_path)}"
    return c.change.value


def _headline(r: ReviewResult) -> str:
    from cxlib.model.review import ChangeKind

    parts = [f"{r.count(k)} {k.value}" for k in ChangeKind if r.count(k)]
    docs = _plural(len(r.changes), "document")
    return f"**{docs} changed**" + (f" ({', '.join(parts)})" if parts else "")


def _check_line(item: ChecklistItem) -> str:
    mark = "x" if item.ok else " "
    checks = " · ".join(f"{c.name}: {md(c.detail)}" + ("" if c.ok else " ⚠") for c in item.checks)
    line = f"- [{mark}] **{md(item.id)}** {md(item.why)} — {checks}"
    if item.note and not item.ok:
        line += f" — *{md(item.note)}*"
    return line


def markdown(r: ReviewResult, limit: int = SUMMARY_LIMIT) -> str:
    """The review for a pull-request comment or a job summary, at most ``limit`` bytes."""
    head = f"{code(r.head_ref)}" if r.head_ref else "the working tree"
    lines = [
        "## cxlib review",
        "",
        f"Changes in {head} (`{_short(r.head_commit)}`) against {code(r.base_ref)} "
        f"(`{_short(r.base_commit)}`), since their merge base `{_short(r.merge_base)}`.",
        "",
    ]
    if not r.changes:
        lines += ["No documents of the library changed.", ""]
        return "\n".join(lines)
    verdict = (
        f"**{_plural(r.errors, 'error')}**, {_plural(r.warnings, 'warning')} in the changed "
        "documents"
        if r.errors or r.warnings
        else "no validation findings in the changed documents"
    )
    lines += [f"{_headline(r)} · {verdict}.", ""]
    for section in (
        _document_tables,
        _delta_section,
        _link_section,
        _revalidated_section,
        _collision_section,
        _finding_section,
        _checklist_section,
    ):
        lines += section(r)
    return _truncate("\n".join(lines), limit)


def _document_tables(r: ReviewResult) -> list[str]:
    """One table of the changed documents per kind that has any."""
    lines: list[str] = []
    for kind, title in _SECTIONS:
        rows = [c for c in r.changes if c.kind.value == kind]
        if not rows:
            continue
        lines += [
            f"### {title}",
            "",
            "| id | title | owner | status | change |",
            "|---|---|---|---|---|",
        ]
        for c in rows:
            lines.append(
                f"| {md(c.id or '?')} | {md(c.title) or '—'} | {md(c.owner) or '—'} | "
                f"{_status_cell(c)} | {_change_cell(c)} |"
            )
        lines.append("")
    return lines


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _value(value: str | None) -> str:
    return "—" if value is None else md(value)


def _field_row(x: FieldDelta) -> str:
    if x.is_list:
        removed, added = md(", ".join(x.removed)), md(", ".join(x.added))
        before = f"removed: {removed}" if removed else "—"
        return f"| {code(x.field)} | {before} | {f'added: {added}' if added else '—'} |"
    return f"| {code(x.field)} | {_value(x.old)} | **{_value(x.new)}** |"


def _delta_rows(c: DocChange) -> list[str]:
    rows = [_field_row(x) for x in c.fields]
    for link in c.links:
        before, after = (
            ("—", f"added: {md(link.target)}")
            if link.added
            else (
                f"removed: {md(link.target)}",
                "—",
            )
        )
        rows.append(f"| {code(link.field)} (link) | {before} | {after} |")
    if c.priority is not None:
        p = c.priority
        rows.append(f"| priority ({md(p.formula)}) | {_number(p.old)} | **{_number(p.new)}** |")
    return rows


def _fenced(lines: tuple[str, ...], info: str) -> list[str]:
    """A fenced block that no line of ``lines`` can close (user text, shown literally)."""
    shown = [terminal(line) for line in lines]
    longest = max((len(run) for line in shown for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *shown, fence]


def _section_lines(c: DocChange) -> list[str]:
    lines: list[str] = []
    for x in c.sections:
        plus, minus = x.counts
        lines.append(f"- section **{md(x.title)}** {x.change} (+{plus} -{minus} lines)")
        text = list(x.text)
        while text and not text[0].strip():
            text.pop(0)
        if text:
            lines += ["", *[f"  > {md(line)}" if line.strip() else "  >" for line in text]]
        lines += [
            "",
            "  <details><summary>diff</summary>",
            "",
            *[f"  {line}" for line in _fenced(x.diff, "diff")],
            "",
            "  </details>",
            "",
        ]
    return lines


def _delta_section(r: ReviewResult) -> list[str]:
    """What changed inside each changed document: fields, priority, links, sections."""
    changed = [c for c in r.changes if c.fields or c.links or c.priority or c.sections]
    changed = [c for c in changed if c.change.value in ("changed", "renamed")]
    if not changed:
        return []
    lines = ["### What changed", ""]
    for c in changed:
        lines += [f"#### {md(c.id or c.path)} · {md(c.title) or '—'}", ""]
        rows = _delta_rows(c)
        if rows:
            lines += ["| field | before | after |", "|---|---|---|", *rows, ""]
        lines += _section_lines(c)
    return lines


def _link_section(r: ReviewResult) -> list[str]:
    links = [(c, x) for c in r.changes for x in c.links]
    if not links:
        return []
    lines = ["### Links", ""]
    for c, x in links:
        sign = "added" if x.added else "removed"
        lines.append(f"- {md(c.id or c.path)} → {md(x.target)} ({code(x.field)}, {sign})")
    return [*lines, ""]


def _revalidated_section(r: ReviewResult) -> list[str]:
    """The insights the branch (re-)validated, with their next review date."""
    done = [c for c in r.changes if c.revalidated]
    if not done:
        return []
    lines = ["### Insights validated or re-validated", ""]
    for c in done:
        was = f" (was {code(c.old_review_by)})" if c.old_review_by else ""
        due = f"review by {code(c.review_by)}{was}" if c.review_by else "no review date"
        lines.append(f"- {md(c.id or c.path)} · {md(c.title) or '—'}: {due}")
    return [*lines, ""]


def _collision_section(r: ReviewResult) -> list[str]:
    if not r.collisions:
        return []
    lines = [f"### Ids already used on {code(r.base_ref)}", ""]
    for col in r.collisions:
        others = ", ".join(code(p) for p in col.base_paths)
        lines.append(
            f"- **{md(col.id)}** in {code(col.path)} is already used on "
            f"{code(r.base_ref)} by {others}: the branches merge cleanly and the library "
            f"then holds the id twice. Fix it with `cxlib renumber {col.id}`."
        )
    return [*lines, ""]


def _finding_section(r: ReviewResult) -> list[str]:
    if not r.findings:
        return []
    lines = ["### Validation findings", ""]
    for f in r.findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        text = f"- **{f.severity.value}** {code(where)} {md(f.message)} ({code(f.code)})"
        if f.hint:
            text += f" — hint: {md(f.hint)}"
        lines.append(text)
    return [*lines, ""]


def _checklist_section(r: ReviewResult) -> list[str]:
    if not r.checklist:
        return []
    return ["### Reviewer checklist", "", *[_check_line(item) for item in r.checklist], ""]


def _truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    note = (
        "\n\n*… the review was cut here: it is longer than "
        f"{limit:,} bytes. Run `cxlib review` locally for all of it.*\n"
    )
    keep = data[: max(limit - len(note.encode()), 0)].decode("utf-8", "ignore")
    keep = keep[: keep.rfind("\n")] if "\n" in keep else ""
    return keep + note


def text(out: Output, r: ReviewResult) -> None:
    """Plain lines for a terminal."""
    head = r.head_ref or "working tree"
    out.line(
        f"review: {head} ({_short(r.head_commit)}) against {r.base_ref} ({_short(r.base_commit)}),"
        f" merge base {_short(r.merge_base)}"
    )
    if not r.changes:
        out.line("no documents of the library changed")
        return
    for c in r.changes:
        status = (f"{c.old_status} -> {c.status}" if c.transition else (c.status or "")) + (
            f" ({c.outcome})" if c.outcome and c.status in ("concluded", "implemented") else ""
        )
        where = f"{c.old_path} -> {c.path}" if c.old_path else c.path
        out.line(f"  {c.change.value:<8} {c.id or '?':<10} {status:<28} {c.title}  [{where}]")
        for x in c.links:
            out.line(f"           {'+' if x.added else '-'} {x.field} {x.target}")
        _text_deltas(out, c)
    for c in r.changes:
        if c.revalidated:
            was = f" (was {c.old_review_by})" if c.old_review_by else ""
            out.line(f"re-validated {c.id}: review by {c.review_by or 'not set'}{was}")
    for col in r.collisions:
        out.line(
            f"id {col.id} ({col.path}) is already used on {r.base_ref} by "
            f"{', '.join(col.base_paths)}; fix: cxlib renumber {col.id}"
        )
    for f in r.findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        out.line(f"{where}: {f.severity.value}: {f.message} [{f.code}]")
        if f.hint:
            out.line(f"    hint: {f.hint}")
    if r.checklist:
        out.line("checklist:")
        for item in r.checklist:
            checks = ", ".join(f"{c.name}: {c.detail}" for c in item.checks)
            out.line(f"  [{'x' if item.ok else ' '}] {item.id} {item.why}: {checks}")
    out.note(f"{len(r.changes)} document(s) changed: {r.errors} error(s), {r.warnings} warning(s)")


def _text_deltas(out: Output, c: DocChange) -> None:
    pad = " " * 11
    for f in c.fields:
        if f.is_list:
            changes = [f"+{x}" for x in f.added] + [f"-{x}" for x in f.removed]
            out.line(f"{pad}{f.field}: {' '.join(changes)}")
        else:
            out.line(f"{pad}{f.field}: {f.old or '(not set)'} -> {f.new or '(not set)'}")
    if c.priority is not None:
        p = c.priority
        out.line(f"{pad}priority ({p.formula}): {_number(p.old)} -> {_number(p.new)}")
    for x in c.sections:
        plus, minus = x.counts
        out.line(f"{pad}section {x.title}: {x.change} (+{plus} -{minus} lines)")
