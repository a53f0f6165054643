"""A report as display blocks (headings, key figures, tables, notes), and its markdown rendering.

Every report turns its result into blocks once; markdown, the terminal and the HTML page render
the same blocks, so they always agree. Block text is plain text: each renderer escapes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, TypeVar

from cxlib.escape import markdown as md_escape

T = TypeVar("T")


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Figures:
    """Headline figures: (label, value) pairs."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    title: str = ""
    # Per-column alignment, "l" or "r"; numbers read best right-aligned.
    align: str = ""
    empty: str = "none"
    key: str = ""  # a stable name, used as an anchor in HTML

    def alignment(self, i: int) -> str:
        return self.align[i] if i < len(self.align) else "l"


@dataclass
class Note:
    text: str


Block = Heading | Figures | Table | Note


@dataclass
class Rendered:
    """A report ready to render: its title line, blocks, and the documents it skipped."""

    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)


def rendered_to_json(report: Rendered) -> dict[str, Any]:
    """The blocks as JSON data (what :mod:`cxlib.kb.answers` keeps of a report)."""
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "blocks": [{"type": type(b).__name__, **asdict(b)} for b in report.blocks],
    }


def rendered_from_json(raw: dict[str, Any]) -> Rendered:
    """The blocks :func:`rendered_to_json` wrote; ``ValueError`` when ``raw`` is not that."""
    try:
        blocks: list[Block] = []
        for b in raw["blocks"]:
            fields = {k: v for k, v in b.items() if k != "type"}
            if b["type"] == "Figures":
                fields["items"] = [(str(k), str(v)) for k, v in fields["items"]]
            block = _BLOCKS[b["type"]](**fields)
            if isinstance(block, Table) and not _text_rows([block.columns, *block.rows]):
                raise TypeError("a table cell is not text")
            blocks.append(block)
        return Rendered(str(raw["title"]), str(raw["subtitle"]), blocks)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise ValueError(f"not a report's blocks: {e}") from None


def _text_rows(rows: list[Any]) -> bool:
    return all(isinstance(r, list) and all(isinstance(c, str) for c in r) for r in rows)


_BLOCKS: dict[str, type[Block]] = {b.__name__: b for b in (Heading, Figures, Table, Note)}


# -- formatting helpers shared by the reports ------------------------------------------------------
def pct(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage; "n/a" for no data."""
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | int | None, digits: int = 1) -> str:
    """A number without a needless ".0"."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def signed(value: float | None) -> str:
    """An effect in percent with its sign."""
    return "" if value is None else f"{value:+.1f}%"


def days(value: float | int | None) -> str:
    """A number of days."""
    return "" if value is None else f"{num(value)} d"


def skipped_note(skipped: list[str]) -> Note | None:
    """The note naming the documents a report skipped, if any."""
    if not skipped:
        return None
    shown = ", ".join(skipped[:10]) + (
        f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
    )
    return Note(
        f"Skipped {len(skipped)} document(s) that could not be read or do not fit the schema "
        f"(run 'cxlib validate'): {shown}"
    )


# -- markdown --------------------------------------------------------------------------------------
def to_markdown(report: Rendered) -> str:
    """The report as GitHub-flavoured markdown, for wikis and pull-request comments."""
    lines = [f"# {md_escape(report.title)}", "", f"_{md_escape(report.subtitle)}_", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + md_escape(block.text), ""]
        elif isinstance(block, Figures):
            lines += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in block.items] + [""]
        elif isinstance(block, Note):
            lines += [md_escape(block.text), ""]
        else:
            if block.title:
                lines += [f"**{md_escape(block.title)}**", ""]
            if not block.rows:
                lines += [f"_{md_escape(block.empty)}_", ""]
                continue
            lines.append("| " + " | ".join(md_escape(c) for c in block.columns) + " |")
            lines.append(
                "|"
                + "".join(
                    " ---: |" if block.alignment(i) == "r" else " --- |"
                    for i in range(len(block.columns))
                )
            )
            for row in block.rows:
                lines.append("| " + " | ".join(md_escape(c) for c in row) + " |")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


class CsvColumns(Generic[T]):
    """A report's CSV layout, stated once: each column's name and how an item gives its value
    (``CSV_COLUMNS`` and ``csv_rows`` both read it)."""

    def __init__(self, columns: dict[str, Callable[[T], object]]) -> None:
        self.columns = columns

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def rows(self, items: Iterable[T]) -> list[dict[str, object]]:
        return [{name: value(item) for name, value in self.columns.items()} for item in items]
