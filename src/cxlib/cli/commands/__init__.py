"""Every command, registered in one place. Each module holds one command and imports the core
lazily, so ``cxlib --help`` stays fast."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import typer

# Sub-command name -> module, in the order ``cxlib --help`` lists them.
COMMANDS: dict[str, str] = {
    "init": "init",
    "new": "new",
    "validate": "validate",
    "list": "list",
    "query": "query",
    "show": "show",
    "schema": "schema",
    "export": "export",
    "import": "import_",
    "index": "index",
    "search": "search",
    "similar": "similar",
    "review": "review",
    "log": "log",
    # The library as a static site, for people without a terminal.
    "site": "site",
    # Links, lifecycle edits and the link graph.
    "link": "link",
    "unlink": "unlink",
    "links": "links",
    "set": "set",
    "status": "status",
    "graph": "graph",
    "renumber": "renumber",
    "rename": "rename",
    # Bringing a library to this cxlib's document format.
    "migrate": "migrate",
    # For people and scripts: a command's help, a document's file.
    "help": "help",
    "completion": "completion",
    "open": "open",
    "edit": "edit",
}
# Groups: one sub-command per report; the statistics of a design.
GROUPS: dict[str, str] = {"report": "report", "stats": "stats"}
NAMES = frozenset(COMMANDS) | frozenset(GROUPS)


def register(app: typer.Typer, only: str | None = None) -> None:
    """Add every command to ``app``, or just ``only`` (a process runs one command: building the
    others' parameters would cost it tens of milliseconds)."""
    for name, module_name in COMMANDS.items():
        if only is None or name == only:
            module = importlib.import_module(f"cxlib.cli.commands.{module_name}")
            app.command(module.NAME)(module.command)
    for name, module_name in GROUPS.items():
        if only is None or name == only:
            group = importlib.import_module(f"cxlib.cli.commands.{module_name}")
            app.add_typer(group.app, name=group.NAME)


def register_summaries(app: typer.Typer) -> None:
    """Add every command to ``app`` as its help alone, without parameters: all that the list
    of commands in ``cxlib --help`` shows (building the real ones costs ~50 ms)."""
    for module_name in COMMANDS.values():
        module = importlib.import_module(f"cxlib.cli.commands.{module_name}")
        app.command(module.NAME)(_summary(module.command.__doc__))
    for module_name in GROUPS.values():
        group = importlib.import_module(f"cxlib.cli.commands.{module_name}")
        app.add_typer(typer.Typer(help=group.app.info.help), name=group.NAME)


def _summary(doc: str | None) -> Callable[[], None]:
    def command() -> None:
        raise AssertionError("a summary is never run")  # pragma: no cover

    command.__doc__ = doc
    return command
