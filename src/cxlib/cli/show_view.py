"""``cxlib show`` for people: the fields in words, the result and priority in a sentence, links
grouped by what they mean, and the body without the templates' guidance comments. On a terminal
the header is a panel and the body is rendered markdown; piped, the same as plain lines."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cxlib.escape import terminal
from cxlib.model.comments import without_comments

if TYPE_CHECKING:
    from cxlib.cli.output import Output
    from cxlib.ops.show import LinkView, ShowResult

# Shown in the header line or a sentence of their own, not again as fields.
_HEADER_KEYS = frozenset({"id", "title", "status"})
_BLANK_RUN = re.compile(r"\n{3,}")


def body_text(body: str) -> str:
    """The body as a reader sees it: guidance comments gone, no run of empty lines left."""
    return _BLANK_RUN.sub("\n\n", without_comments(body)).strip("\n")


def words(value: object) -> str:
    """A value as a reader writes it: dates as dates, lists with commas, a record as its
    key: value pairs (never a Python repr)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {words(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        joined = ", ".join(words(v) for v in value)
        numbers = value and all(isinstance(v, int | float) for v in value)
        return f"[{joined}]" if numbers else joined  # an interval reads as one
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def field_pairs(key: str, value: object, depth: int = 0) -> list[tuple[str, str]]:
    """One front-matter field as (label, value) rows: empty ones left out; a mapping (a
    result) its entries beneath its key, indented; a list of records (variants, amendments)
    one record a row, labelled "-"."""
    if value in (None, "", [], {}):
        return []
    pad = "  " * depth
    if isinstance(value, dict):
        inner = [row for k, v in value.items() for row in field_pairs(str(k), v, depth + 1)]
        return [(f"{pad}{key}", ""), *inner]
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return [(f"{pad}{key}", ""), *((f"{pad}  -", words(v)) for v in value)]
    return [(f"{pad}{key}", words(value))]


def field_lines(key: str, value: object) -> list[str]:
    """The lines of one front-matter field, as :func:`field_pairs` gives them."""
    return [
        f"{label} {text}" if label.endswith("-") else f"{label}:" + (f" {text}" if text else "")
        for label, text in field_pairs(key, value)
    ]


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def result_sentence(result: object) -> str | None:
    """An experiment's result in one line: "lost: -1.1% (95% interval -2.1% to -0.1%),
    p = 0.03, 4,720,000 in the sample"."""
    if not isinstance(result, dict) or not result.get("outcome"):
        return None
    parts = [str(result["outcome"])]
    effect = result.get("effect")
    if isinstance(effect, int | float):
        parts[0] += f": {effect:+g}%"
    interval = result.get("interval")
    if isinstance(interval, list) and len(interval) == 2:
        level = result.get("interval_level")
        share = f"{_number(level * 100)}% " if isinstance(level, int | float) else ""
        parts.append(f"{share}interval {_number(interval[0])}% to {_number(interval[1])}%")
    if isinstance(result.get("p_value"), int | float):
        parts.append(f"p = {_number(result['p_value'])}")
    if isinstance(result.get("sample_size"), int):
        parts.append(f"{result['sample_size']:,} in the sample")
    return ", ".join(parts)


def summary_pairs(shown: ShowResult) -> list[tuple[str, str]]:
    """The sentences above the fields: an opportunity's priority, an experiment's result."""
    pairs = []
    if shown.kind == "opportunity":
        value = (
            "not scored (a score is missing)" if shown.priority is None else f"{shown.priority:g}"
        )
        pairs.append(("priority", f"{value} ({shown.formula})"))
    sentence = result_sentence(shown.front_matter.get("result"))
    if sentence:
        pairs.append(("result", sentence))
    return pairs


def field_rows(shown: ShowResult) -> list[tuple[str, str]]:
    """The summary sentences, then every field but those of the header line."""
    return [
        *summary_pairs(shown),
        *(
            pair
            for key, value in shown.front_matter.items()
            if key not in _HEADER_KEYS
            for pair in field_pairs(key, value)
        ),
    ]


def link_rows(views: list[LinkView]) -> list[dict[str, str]]:
    return [
        {
            "relation": v.relation,
            "id": v.id,
            "kind": v.kind if v.exists else "",
            "status": v.status if v.exists else "",
            "title": v.title if v.exists else "MISSING: no document has this id",
        }
        for v in views
    ]


def plain(out: Output, shown: ShowResult) -> None:
    """The document as plain lines, for a pipe, a log or a screen reader."""
    out.line(f"{shown.id}  {shown.front_matter.get('title', '')}")
    out.line(f"{shown.kind} · {shown.front_matter.get('status', '')} · {shown.path}")
    for label, text in summary_pairs(shown):
        out.line(f"  {label}: {text}")
    for key, value in shown.front_matter.items():
        if key not in _HEADER_KEYS:
            for line in field_lines(key, value):
                out.line(f"  {line}")
    if shown.standing is not None:
        standing(out, shown.standing)
    for label, views in (("links", shown.links), ("backlinks", shown.backlinks)):
        out.line("")
        out.line(f"{label}:" if views else f"{label}: none")
        for row in link_rows(views):
            what = (
                f"{row['kind']} · {row['status']} · {row['title']}" if row["kind"] else row["title"]
            )
            out.line(f"  {row['relation']:<17} {row['id']:<10} {what}")
    out.line("")
    out.text(body_text(shown.body))


def raw(out: Output, data: bytes) -> None:
    """The file as it is: byte for byte into a pipe; on a terminal with control characters made
    visible, so that a planted escape sequence cannot drive it."""
    if out.stdout.isatty():
        out.text(data.decode("utf-8", errors="replace"))
        return
    out.stdout.flush()
    buffer = getattr(out.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (a test's capture): the text, undecodable bytes marked
        out.stdout.write(data.decode("utf-8", errors="replace"))
    else:
        buffer.write(data)
        buffer.flush()


def standing(out: Output, result: dict[str, Any]) -> None:
    """The insight's standing and the experiments it is weighed from, one per line."""
    out.line("")
    out.line(
        f"standing: {result['standing']} (support {result['support']:g}, contradiction "
        f"{result['contradiction']:g}; research references: {result['research']})"
    )
    for t in result["experiments"]:
        out.line(f"  {t['side']:<17} {t['id']:<10} weight {t['weight']:g}: {t['why']}")


def rich(out: Output, shown: ShowResult) -> None:
    """The document on a terminal: a header panel, the links as fitted tables, the body as
    rendered markdown."""
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = out.console(out.stdout)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("file", terminal(shown.path))
    for label, text in field_rows(shown):
        grid.add_row(terminal(label), terminal(text))
    title = Text(f"{shown.id}  {terminal(shown.front_matter.get('title', ''))}", style="bold")
    status = terminal(str(shown.front_matter.get("status", "")))
    console.print(
        Panel(
            grid,
            title=title,
            title_align="left",
            subtitle=f"{shown.kind} · {status}",
            subtitle_align="left",
        )
    )
    if shown.standing is not None:
        standing(out, shown.standing)
    for label, views in (("Links", shown.links), ("Backlinks", shown.backlinks)):
        out.line("")
        if not views:
            out.line(f"{label}: none")
            continue
        out.table(link_rows(views), ["relation", "id", "kind", "status", "title"], title=label)
    out.line("")
    console.print(Markdown(terminal(body_text(shown.body), newlines=True)))
