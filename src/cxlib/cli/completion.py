"""Shell completion for bash, zsh and fish: command and option names come from the CLI itself;
ids, kinds, statuses, stages, touchpoints, teams and metrics from the knowledge base being
completed in (the one ``-C`` names on the line, else the current folder's).

A completion runs the CLI once per key press, so it reads little: the config file, and the
names of the files in the kind folders (a document's file name starts with its id), never a
document. Anything that goes wrong completes nothing: a completion has no one to tell.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    from cxlib.kb.store import KnowledgeBase

from cxlib.cli.entry import COMPLETE_VAR

SHELLS = ("bash", "zsh", "fish")


def script(shell: str) -> str:
    """The script that makes ``shell`` complete ``cxlib`` (typer's, for the "cxlib" program)."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name="cxlib", complete_var=COMPLETE_VAR, shell=shell)


def _kb(ctx: typer.Context) -> KnowledgeBase | None:
    from cxlib.kb.store import KnowledgeBase

    root = ctx.find_root().params.get("root")
    try:
        return KnowledgeBase.open(Path(root) if root else Path.cwd())
    except Exception:  # a completion that fails offers nothing, silently
        return None


def _starting(names: list[str], incomplete: str) -> list[str]:
    low = incomplete.lower()
    return [n for n in dict.fromkeys(names) if n.lower().startswith(low)]


def ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Document ids, from the file names of the kind folders."""
    from cxlib.model.ids import FILE_ID_RE
    from cxlib.model.kinds import Kind

    kb = _kb(ctx)
    if kb is None:
        return []
    found = []
    for kind in Kind:
        try:
            names = sorted(p.name for p in kb.folder(kind).iterdir())
        except OSError:
            continue
        found += [m.group(1) for m in map(FILE_ID_RE.match, names) if m]
    return _starting(found, incomplete.upper())


def kinds(ctx: typer.Context, incomplete: str) -> list[str]:
    from cxlib.model.kinds import Kind

    return _starting([k.value for k in Kind], incomplete)


def _line() -> list[str]:
    """The words on the command line being completed (bash passes them in COMP_WORDS, zsh and
    fish in _TYPER_COMPLETE_ARGS). Read here because click does not parse the arguments before
    an option still waiting for its value."""
    return os.environ.get("COMP_WORDS", os.environ.get("_TYPER_COMPLETE_ARGS", "")).split()


def statuses(ctx: typer.Context, incomplete: str) -> list[str]:
    """The statuses of the kind on the line (a kind, or a document's id), else of every kind."""
    from cxlib.model.kinds import Kind, parse_kind
    from cxlib.model.vocabulary import statuses as of_kind

    kb = _kb(ctx)
    found: list[Kind] = []
    for word in _line()[1:]:
        kind = parse_kind(word)
        if kind is None and kb is not None and "-" in word:
            kind = kb.config.kind_for_prefix(word.split("-", 1)[0].upper())
        if kind is not None:
            found = [kind]
            break
    return _starting([s for k in found or list(Kind) for s in of_kind(k)], incomplete)


def shells(ctx: typer.Context, incomplete: str) -> list[str]:
    return _starting(list(SHELLS), incomplete)


def _config_names(ctx: typer.Context, incomplete: str, read: Any) -> list[str]:
    kb = _kb(ctx)
    return [] if kb is None else _starting(list(read(kb.config)), incomplete)


def stages(ctx: typer.Context, incomplete: str) -> list[str]:
    return _config_names(ctx, incomplete, lambda c: (s.id for s in c.journey))


def touchpoints(ctx: typer.Context, incomplete: str) -> list[str]:
    return _config_names(ctx, incomplete, lambda c: (t for s in c.journey for t in s.touchpoints))


def teams(ctx: typer.Context, incomplete: str) -> list[str]:
    return _config_names(ctx, incomplete, lambda c: (t.id for t in c.teams))


def metrics(ctx: typer.Context, incomplete: str) -> list[str]:
    return _config_names(ctx, incomplete, lambda c: (m.id for m in c.metrics))
