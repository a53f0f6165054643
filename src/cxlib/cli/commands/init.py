from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxlib.cli.state import state

NAME = "init"


def command(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(help="Folder for the knowledge base (default: the current one, or --root)."),
    ] = None,
    pages: Annotated[
        bool,
        typer.Option(
            "--pages",
            help="Also write a workflow that publishes the site on GitHub Pages after "
            "validate passes (a Pages site is public unless your organisation has private "
            "Pages).",
        ),
    ] = False,
) -> None:
    """Create a knowledge base.

    Create a knowledge base: cxlib.toml, the document folders, .gitignore for the cache and
    the site's folder, a
    pre-commit config and a GitHub Actions workflow (validate on pull requests, and the review
    in the job summary and a pull-request comment); runs 'git init' when the folder is not in a
    repository yet. In a subfolder of a repository, the hook and the workflow go to the
    repository's top, pointed at the subfolder. Refused inside another knowledge base.

    Never overwrites a file: run twice, it lists what exists and changes nothing; the lines to
    add to an existing pre-commit config are printed. With --pages, also
    .github/workflows/cxlib-pages.yml: on each push to main, validate, build the site and
    publish it on GitHub Pages.

    Example: cxlib init cx-library
    """
    from cxlib.ops.init import init_knowledge_base

    st = state(ctx)
    result = init_knowledge_base(directory if directory is not None else st.start, pages)
    out = st.output
    if result.git_initialized:
        out.note(f"initialised a git repository in {result.root}")
    for name in result.created:
        out.note(f"created  {name}")
    for name in result.updated:
        out.note(f"updated  {name} (added the cache and site folders)")
    for name in result.existing:
        out.note(f"exists   {name} (left unchanged)")
    if result.hook_to_add is not None:
        name, lines = result.hook_to_add
        out.note(f"add the cxlib hook to {name}, under 'repos:':\n{lines.rstrip()}")
    if result.package is not None and not result.package.pinned:
        out.note(f"the workflow installs {result.package.requirement}: {result.package.note}")
    if pages and any(n.endswith("cxlib-pages.yml") for n in result.created):
        out.note(
            "the Pages workflow publishes the site: a GitHub Pages site is public unless your "
            "organisation has private Pages; turn it on in Settings > Pages (Source: GitHub "
            "Actions)"
        )
    if result.created:
        out.note(f'knowledge base ready in {result.root}; next: cxlib new insight "Title"')
    else:
        out.note(f"nothing to do: the knowledge base in {result.root} already exists")
