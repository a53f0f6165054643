from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxlib.cli.state import state

NAME = "site"


def command(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder for the site (default: _site beside cxlib.toml).",
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option("--serve", help="Then serve it on 127.0.0.1 for a preview (Ctrl-C stops)."),
    ] = False,
    port: Annotated[
        int,
        typer.Option("--port", metavar="N", min=0, max=65535, help="The port of --serve."),
    ] = 8000,
    no_search: Annotated[
        bool,
        typer.Option("--no-search", help="Leave out the search index (Pagefind)."),
    ] = False,
) -> None:
    """Build a static, searchable site of the library.

    Build a static site of the whole library for people without a terminal: a page per
    document (fields, body, links and backlinks, the experiment's result), an index per kind
    that filters and sorts, the journey, every report, and full-text search. All links are
    relative: publish the folder on any static host (GitHub Pages, GitLab Pages, an intranet
    share) or open index.html from disk. Only pages that changed since the last build are
    rewritten.

    --serve builds it and serves it on 127.0.0.1 (never another address) for a preview.

    Example: cxlib site -o _site --serve --port 8080
    """
    from cxlib import __version__
    from cxlib.site.build import DEFAULT_FOLDER, build_site

    st = state(ctx)
    kb = st.open()
    out = output if output is not None else kb.root / DEFAULT_FOLDER
    with st.output.progress("building the site", announce=2000) as progress:
        result = build_site(kb, out, st.today, __version__, progress, search=not no_search)
    note = st.output.note
    note(
        f"built {result.documents} document pages in {out}: {len(result.written)} files written, "
        f"{result.pages - len(result.written)} unchanged, {len(result.removed)} removed"
    )
    if result.search is not None and result.search.missing:
        note(f"warning: the site has no search: {result.search.missing}", "yellow")
    elif result.search is not None and result.search.pages is not None:
        note(f"search index: {result.search.pages} pages indexed (Pagefind)")
    if result.skipped:
        note(f"left out {result.skipped} document(s) that do not fit the schema (cxlib validate)")
    if not serve:
        note(f"open {out / 'index.html'} in a browser (search works when served: --serve)")
        return
    from cxlib.site.serve import serve as serve_site

    serve_site(out, port, lambda url: note(f"serving the site on {url} (Ctrl-C stops)"))
