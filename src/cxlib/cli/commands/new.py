from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat
from cxlib.cli.kind_option import kind_arg
from cxlib.cli.output import Output
from cxlib.cli.state import state
from cxlib.model.kinds import Kind

if TYPE_CHECKING:
    from cxlib.kb.store import KnowledgeBase

NAME = "new"


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _similar_notice(out: Output, kb: KnowledgeBase, title: str) -> None:
    """Earlier documents like this one, on stderr, before it is written, with their current
    statuses (the index is brought up to date first; what stops that is said in one line)."""
    from cxlib.cli.search_view import LONG_INDEXING, state_of
    from cxlib.ops.similar import similar_to_new

    with out.progress("indexing", announce=LONG_INDEXING) as progress:
        notice = similar_to_new(kb, title, progress=progress)
    if notice.problem:
        out.note(f"note: similar documents not checked against recent edits: {notice.problem}")
    if notice.hits:
        out.note("similar documents already in the library (have we done this before?):")
        width = max(len(state_of(h)) for h in notice.hits)
        for h in notice.hits:
            out.note(f"  {h.id:<9} {state_of(h):<{width}}  {h.title}")


def _ask(
    kb: KnowledgeBase,
    kind: Kind,
    given: dict[str, object],
    links: list[str],
) -> dict[str, object]:
    """The answers to the kind's questions (see :mod:`cxlib.ops.new_questions`), asked in the
    terminal; the fields already given are not asked."""
    from cxlib.cli.prompts import ask_new
    from cxlib.kb import git
    from cxlib.ops.new import journey_of

    defaults = {"owner": git.user_name(kb.root) or ""}
    if links and given.get("stage") is None:
        stage, touchpoint = journey_of(kb, links[0])
        defaults |= {"stage": stage or "", "touchpoint": touchpoint or ""}
    return ask_new(kb.config, kind, given, defaults)


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
    edit: Annotated[
        bool,
        typer.Option(
            "--edit", help="Open the new file in $VISUAL or $EDITOR (else nano), then check it."
        ),
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask (never asked without a terminal).")
    ] = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Create a document with the next free id.

    Create a document with the next free id (also across branches) from the kind's template.

    In a terminal it asks for what the kind's first statuses need (an insight's stage, type,
    source, confidence and owner; an opportunity's owner and scores; an experiment's hypothesis
    and primary metric), each with its choices on Tab, and asks again after a wrong answer; the
    options given are not asked. --no-input never asks. Similar documents already in the
    library are listed on stderr first.

    Prints the new file's path (with --format json: {"id": ..., "path": ...}).

    Example: cxlib new experiment "Free shipping threshold banner" --stage purchase --link OPP-0002
    """
    from cxlib.ops.new import check_title, new_document

    st = state(ctx)
    kb = st.open()
    the_kind = kind_arg(kind)
    title = check_title(title)
    _similar_notice(st.output, kb, title)
    answers: dict[str, object] = {}
    if not no_input and _interactive():
        answers = _ask(kb, the_kind, _given(owner, stage, set_ or []), link or [])
        owner = str(answers.pop("owner", None) or owner or "") or None
        stage = str(answers.pop("stage", None) or stage or "") or None
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
        answers=answers,
    )
    if format == TextOrJson.JSON:
        st.output.json({"id": result.id, "path": result.path})
    else:
        st.output.line(str(result.absolute))
    if the_kind == Kind.EXPERIMENT:
        _sample_size_notice(st.output, set_ or [], result.id)
    if edit:
        from cxlib.cli.editor import edit_until_valid

        raise typer.Exit(edit_until_valid(st.output, kb, result.path, st.today))


def _given(owner: str | None, stage: str | None, assignments: list[str]) -> dict[str, object]:
    """The fields the command line already sets, which are not asked."""
    from cxlib.ops.set import parse_assignment

    given: dict[str, object] = {"owner": owner, "stage": stage}
    for item in assignments:
        key, value = parse_assignment(item)
        given[key] = value
    return given


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
