from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat, kind_arg
from cxlib.cli.output import Output
from cxlib.cli.state import state
from cxlib.model.kinds import Kind

if TYPE_CHECKING:
    from cxlib.kb.store import KnowledgeBase

NAME = "new"


def _edit(path: str) -> None:
    from cxlib.cli.edit_view import open_editor

    open_editor(path, hint="set $EDITOR; the file was created")


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _similar_notice(out: Output, kb: KnowledgeBase, title: str) -> None:
    """Earlier documents like this one, on stderr, before it is written (never blocks; never
    builds the index, so ``new`` stays fast)."""
    from cxlib.cli.search_view import state_of
    from cxlib.ops.similar import similar_to_new

    notice = similar_to_new(kb, title)
    if notice.no_index:
        out.note("hint: run 'cxlib index' to be shown similar earlier documents here")
    elif notice.problem:
        out.note(f"note: similar documents not checked: {notice.problem}")
    elif notice.hits:
        out.note("similar documents already in the library (have we done this before?):")
        width = max(len(state_of(h)) for h in notice.hits)
        for h in notice.hits:
            out.note(f"  {h.id:<9} {state_of(h):<{width}}  {h.title}")


def command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="insight, opportunity or experiment (or plural).")],
    title: Annotated[str, typer.Argument(help="The document's title.")],
    owner: Annotated[
        str | None, typer.Option(help="Accountable owner (default: git user.name).")
    ] = None,
    stage: Annotated[str | None, typer.Option(help="Journey stage id from cxlib.toml.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Set a field: --set key=value (text unless clearly YAML: 3, [a, b]). Repeatable.",
        ),
    ] = None,
    link: Annotated[
        list[str] | None,
        typer.Option(
            help="Link to an existing document by id; the field follows from the kinds. Repeatable."
        ),
    ] = None,
    slug: Annotated[
        str | None, typer.Option(help="File-name slug (default: from the title).")
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Open the new file in $EDITOR.")] = False,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Create a document with the next free id.

    Create a document with the next free id (also across branches) from the kind's template.

    Prints the new file's path (with --format json: {"id": ..., "path": ...}).

    Example: cxlib new experiment "Free shipping threshold banner" --stage purchase --link OPP-0002
    """
    from cxlib.ops.new import check_title, new_document

    st = state(ctx)
    kb = st.open()
    the_kind = kind_arg(kind)
    if not no_input and _interactive():
        from cxlib.kb import git

        if owner is None and not git.user_name(kb.root):
            owner = typer.prompt("Owner (accountable person)", default="", show_default=False)
        if stage is None:
            stages = ", ".join(s.id for s in kb.config.journey)
            stage = (
                typer.prompt(
                    f"Journey stage ({stages}; empty for none)", default="", show_default=False
                )
                or None
            )
    _similar_notice(st.output, kb, check_title(title))
    result = new_document(
        kb,
        the_kind,
        title,
        today=st.today,
        owner=owner,
        stage=stage,
        assignments=set_,
        links=link,
        slug=slug,
    )
    if format == TextOrJson.JSON:
        st.output.json({"id": result.id, "path": result.path})
    else:
        st.output.line(str(result.absolute))
    if the_kind == Kind.EXPERIMENT:
        _sample_size_notice(st.output, set_ or [], result.id)
    if edit:
        _edit(str(result.absolute))


def _sample_size_notice(out: Output, assignments: list[str], doc_id: str) -> None:
    """With a baseline and an MDE given, the visitors the design needs (on stderr, so
    ``--format json`` keeps a clean stdout); nothing when they cannot be computed."""
    from cxlib.model.stats import DEFAULT_ALPHA, DEFAULT_POWER, StatsInputError, sample_size
    from cxlib.ops.set import parse_assignment

    values = dict(parse_assignment(a) for a in assignments)
    numbers = {
        k: float(v)
        for k, v in values.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    if "baseline" not in numbers or "mde" not in numbers:
        return
    try:
        size = sample_size(
            numbers["baseline"],
            numbers["mde"],
            numbers.get("alpha", DEFAULT_ALPHA),
            numbers.get("power", DEFAULT_POWER),
        )
    except StatsInputError:
        return
    out.note(
        f"this design needs {size.per_variant:,} visitors per variant to detect "
        f"{size.mde:+g}% on {size.baseline:g} (alpha {size.alpha:g}, power {size.power:g}): "
        f"cxlib set {doc_id} planned_sample_size={size.per_variant}"
    )
