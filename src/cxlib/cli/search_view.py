"""Rendering search results, similar documents and index updates (shared by several commands),
and what ``cxlib search`` does once its words are read: a plain search line runs it without
typer (see :mod:`cxlib.cli.early`), and the typer command runs the same function."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from cxlib.cli.output import Output
from cxlib.escape import terminal

if TYPE_CHECKING:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from cxlib.cli.state import State
    from cxlib.index.results import Hit
    from cxlib.index.service import SyncReport


# From this many documents to index (some seconds of work), a run that is not on a terminal
# says, once, that it is indexing; a terminal shows a progress bar whatever the number.
LONG_INDEXING = 1000


def run(
    st: State, words: list[str], kind: str | None, limit: int, in_json: bool, timeout: float
) -> int:
    """Search for ``words`` (joined with spaces), print the hits, and give the exit code:
    0 something matched, 1 nothing did."""
    from cxlib.cli.kind_option import kind_arg
    from cxlib.errors import ExitCode
    from cxlib.ops.search import search_documents

    kb = st.open()
    the_kind = kind_arg(kind) if kind else None
    with st.output.progress("indexing", announce=LONG_INDEXING) as progress:
        result = search_documents(
            kb, " ".join(words), the_kind, limit=limit, timeout=timeout, progress=progress
        )
    notices(st.output, result.report)
    if in_json:
        st.output.json([as_json(h) for h in result.hits])
    else:
        hits(st.output, result.hits)
        if not result.hits:
            st.output.note("no documents match")
    return int(ExitCode.OK if result.hits else ExitCode.FINDINGS)


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def summary(report: SyncReport) -> str:
    """``47 documents: +3 added, ~1 changed, -0 removed`` (zk's notation), and why a rebuild."""
    line = (
        f"{_documents(report.documents)}: +{report.added} added, ~{report.changed} changed, "
        f"-{report.removed} removed"
    )
    if report.rebuilt:
        line += f" (built from scratch: {report.rebuilt})"
    return line


def notices(out: Output, report: SyncReport) -> None:
    """One line on stderr when a query had to (re)build the index or could not update it."""
    if report.rebuilt:
        out.note(
            f"note: rebuilt the search index: {report.rebuilt} ({_documents(report.documents)})"
        )
    if report.stale:
        out.note(
            "note: another cxlib is updating the search index; these results may miss the "
            "latest edits"
        )


def state_of(hit: Hit) -> str:
    return f"{hit.status}/{hit.outcome}" if hit.outcome else hit.status


def as_json(hit: Hit) -> dict[str, Any]:
    data = asdict(hit)
    data["snippet"] = hit.snippet.text
    data["highlights"] = [list(m) for m in hit.snippet.matches]
    return data


def hits(out: Output, found: list[Hit]) -> None:
    """Ranked hits: an aligned line per hit, then its path and snippet, indented.

    Matches are bold in a terminal and between ``**`` when piped (markdown's bold).
    """
    if not found:
        return
    widths = [max(len(h.id) for h in found), max(len(h.kind) for h in found)]
    widths.append(max(len(state_of(h)) for h in found))
    styled = out.styled(out.stdout)
    for i, h in enumerate(found):
        if i:
            out.line()
        head = f"{h.id:<{widths[0]}}  {h.kind:<{widths[1]}}  {state_of(h):<{widths[2]}}  {h.title}"
        if not styled:
            out.line(head)
            out.line(f"    {h.path}")
            if h.snippet.text:
                out.line(f"    {h.snippet.marked('**', '**')}")
            continue
        from rich.text import Text

        console = out.console(out.stdout)
        console.print(_styled_head(h, widths))
        # Indented as a block, so that a long path or snippet wraps under itself.
        console.print(_indented(Text(terminal(h.path), style="dim")))
        if h.snippet.text:
            console.print(_indented(_styled_snippet(h)))


def _styled_head(h: Hit, widths: list[int]) -> Table:
    """A hit's line in aligned columns; a title too long for the terminal wraps in its own
    column, under itself."""
    from rich.table import Table
    from rich.text import Text

    head = Table.grid(padding=(0, 2))
    head.add_column(min_width=widths[0], no_wrap=True, style="bold cyan")
    head.add_column(min_width=widths[1], no_wrap=True)
    head.add_column(min_width=widths[2], no_wrap=True)
    head.add_column()
    head.add_row(*(Text(terminal(v)) for v in (h.id, h.kind, state_of(h), h.title)))
    return head


def _indented(text: Text) -> Padding:
    from rich.padding import Padding

    return Padding(text, (0, 0, 0, 4), expand=False)


def _styled_snippet(h: Hit) -> Text:
    """The snippet with its matches bold, each piece escaped on its own (an escape is longer
    than the character it shows, so offsets into the whole would drift)."""
    from rich.text import Text

    snippet = Text()
    at = 0
    for start, end in h.snippet.matches:
        snippet.append(terminal(h.snippet.text[at:start]))
        snippet.append(terminal(h.snippet.text[start:end]), style="bold yellow")
        at = end
    snippet.append(terminal(h.snippet.text[at:]))
    return snippet
