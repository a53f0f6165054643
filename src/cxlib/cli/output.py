"""Rendering for people and for scripts.

Machine formats (JSON, CSV, GitHub annotations) are written directly, never through rich, which
would wrap lines and eat ``[...]`` as markup. Tables use rich only on a terminal. Every line for
people goes through :func:`cxlib.escape.terminal`: titles, file names and commit messages are
user text, and a control character in one would drive the terminal (or a CI log).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from cxlib.escape import csv_row, terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


class Color(enum.StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass
class Output:
    color: Color = Color.AUTO
    out: IO[str] | None = None
    err: IO[str] | None = None

    @property
    def stdout(self) -> IO[str]:
        return self.out or sys.stdout

    @property
    def stderr(self) -> IO[str]:
        return self.err or sys.stderr

    def styled(self, stream: IO[str]) -> bool:
        if self.color == Color.NEVER or "NO_COLOR" in os.environ:
            return False
        if self.color == Color.ALWAYS or os.environ.get("FORCE_COLOR"):
            return True
        return stream.isatty()

    def console(self, stream: IO[str]) -> Console:
        from rich.console import Console

        styled = self.styled(stream)
        return Console(
            file=stream,
            force_terminal=styled,
            no_color=not styled,
            highlight=False,
            soft_wrap=not stream.isatty(),
            emoji=False,
            markup=False,
        )

    # -- diagnostics (stderr) -------------------------------------------------------------
    def note(self, message: str, style: str = "") -> None:
        # Messages may span lines (a list of problems, a snippet to apply by hand).
        message = terminal(message, newlines=True)
        if self.styled(self.stderr) and style:
            from rich.text import Text

            self.console(self.stderr).print(Text(message, style=style))
        else:
            self.stderr.write(message + "\n")

    def error(self, message: str, hint: str | None = None) -> None:
        self.note(f"error: {message}", "bold red")
        if hint:
            self.note(f"hint: {hint}", "yellow")

    # -- data (stdout) --------------------------------------------------------------------
    def line(self, text: str = "") -> None:
        """One line for people: a line break inside ``text`` is shown as ``\\n``."""
        self.stdout.write(terminal(text) + "\n")

    def terminal_width(self) -> int | None:
        """The width of the terminal stdout is, or None when it is piped."""
        return self.console(self.stdout).width if self.stdout.isatty() else None

    def para(self, text: str, hang: int = 0) -> None:
        """A paragraph: on a terminal, wrapped to its width between words (an id or a date is
        never split), later lines indented by ``hang``; piped, one line, as scripts expect."""
        width = self.terminal_width()
        if width is None or len(text) <= width:
            self.line(text)
            return
        import textwrap

        for part in textwrap.wrap(
            text,
            width=width,
            subsequent_indent=" " * min(hang, width // 2),
            break_long_words=False,
            break_on_hyphens=False,
        ):
            self.line(part)

    def text(self, text: str) -> None:
        """Lines for people (a document's body, a diff), each escaped; ends with a newline."""
        text = terminal(text, newlines=True)
        self.stdout.write(text if text.endswith("\n") else text + "\n")

    def json(self, data: Any) -> None:
        # NaN and infinities are no JSON: the reader refuses them, and this makes sure.
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=_default)
        self.stdout.write(text + "\n")

    def csv(self, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        import csv  # here: only the csv format needs it, not every command's start-up

        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(columns)
        place = {c: i for i, c in enumerate(columns)}
        empty: list[object] = [None] * len(columns)
        for row in rows:
            # Only the cells a row has are looked at: an export's rows leave most columns empty.
            cells = empty.copy()
            for key, value in row.items():
                at = place.get(key)
                if at is not None:
                    cells[at] = value
            writer.writerow(csv_row(cells))

    def table(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[str],
        title: str | None = None,
        *,
        align: str = "",
        wide: bool = False,
    ) -> None:
        """A rich table fitted to the terminal's width (see :mod:`cxlib.cli.table_fit`;
        ``wide``: every column whole); aligned plain text, complete, when piped. ``align`` gives
        each column's alignment, "l" or "r"."""
        cells = [[_cell(row.get(c)) for c in columns] for row in rows]
        if self.stdout.isatty():
            self._rich_table(cells, columns, title, align, wide)
            return
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
        self.line(
            "  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=False)).rstrip()
        )
        for r in cells:
            self.line("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)).rstrip())

    def _rich_table(
        self,
        cells: list[list[str]],
        columns: Sequence[str],
        title: str | None,
        align: str,
        wide: bool,
    ) -> None:
        from rich.table import Table

        from cxlib.cli.table_fit import GAP, fit, shorten

        console = self.console(self.stdout)
        layout = fit(columns, cells, console.width, wide)
        if wide:
            console.width = max(console.width, sum(layout.widths) + GAP * len(layout.widths))
        table = Table(
            title=terminal(title) if title else None,
            header_style="bold",
            show_edge=False,
            pad_edge=False,
        )
        index = [list(columns).index(c) for c in layout.columns]
        for name, i, w in zip(layout.columns, index, layout.widths, strict=True):
            right = i < len(align) and align[i] == "r"
            table.add_column(
                name,
                width=w,
                no_wrap=True,
                overflow="ellipsis",
                justify="right" if right else "left",
            )
        for r in cells:
            table.add_row(
                *(
                    shorten(r[i], w) if cut else r[i]
                    for i, w, cut in zip(index, layout.widths, layout.shortened, strict=True)
                )
            )
        console.print(table)
        if layout.hidden:
            self.note(
                f"not shown at this width: {', '.join(layout.hidden)} (--wide shows every column)",
                "dim",
            )

    @contextmanager
    def progress(
        self, label: str, announce: int | None = None
    ) -> Iterator[Callable[[int, int], None] | None]:
        """A progress bar on a terminal's stderr for long work. Elsewhere (a log, a CI job)
        nothing, or with ``announce``, one line when the work starts on that many items or more:
        a silent minute looks like a hang."""
        if not self.stderr.isatty():
            if announce is None:
                yield None
                return
            said = False

            def once(done: int, total: int) -> None:
                nonlocal said
                if not said and total >= announce:
                    self.note(f"{label} {total:,} documents ...")
                    said = True

            yield once
            return
        # The bar (rich, and its drawing thread) starts at the first report of work: a search
        # whose index is up to date reports none and pays for neither.
        bar: Progress | None = None

        def update(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                from rich.progress import Progress

                bar = Progress(console=self.console(self.stderr), transient=True)
                bar.start()
                bar.add_task(label, total=None)
            # Drawn now, not at the next tick: a short job would otherwise show nothing.
            bar.update(bar.task_ids[0], completed=done, total=total, refresh=True)

        try:
            yield update
        finally:
            if bar is not None:
                bar.stop()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return terminal(", ".join(map(str, value)))
    return terminal(str(value).replace("\n", " "))


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "to_json"):
        return value.to_json()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
