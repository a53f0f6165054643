"""The ``cxlib`` entry point and the one boundary where errors become exit codes."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cxlib import __version__
from cxlib.cli import commands
from cxlib.cli.argv import VALUED, VALUED_JOINED, hoist_globals
from cxlib.cli.boundary import guarded
from cxlib.cli.commands.common import date_option
from cxlib.cli.output import Color, Output
from cxlib.cli.state import State
from cxlib.errors import ExitCode


def _make_app() -> typer.Typer:
    return typer.Typer(
        name="cxlib",
        help="A git-backed markdown knowledge base for customer-experience and experimentation "
        "programs: insights, opportunities and experiments, validated, linked and reported on.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cxlib {__version__}\n")
        raise typer.Exit(0)


def _global(
    ctx: typer.Context,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            "-C",
            help="Run as if started in PATH (the knowledge base or a folder in it).",
            metavar="PATH",
        ),
    ] = None,
    color: Annotated[
        Color, typer.Option(help="Colour: auto (terminal and no NO_COLOR), always, never.")
    ] = Color.AUTO,
    today: Annotated[
        str | None,
        typer.Option(
            help="Take this date (YYYY-MM-DD) as today, for reproducible output.",
            envvar="CXLIB_TODAY",
            metavar="DATE",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    st = State(root=root, output=Output(color=color))
    given = date_option(today or None, "--today")
    if given is not None:
        st.today = given
    ctx.obj = st


@functools.cache
def full_app() -> typer.Typer:
    """The CLI with every command: built only where typer must see them all (a mistyped command
    name, which it answers with the nearest one), as each costs its module's import."""
    app = _make_app()
    app.callback()(_global)
    commands.register(app)
    return app


# What ``_command_named`` answers when only the top-level help, or the version, is asked for.
TOP_HELP = "--help"
VERSION = "--version"


def _command_named(args: list[str]) -> str | None:
    """The sub-command ``args`` run, when that is plain; :data:`TOP_HELP` for ``cxlib
    [OPTIONS] --help`` or ``--version`` (or no command at all); None when typer must see every
    command (a mistyped name: it suggests the right one)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in VALUED:
            i += 2
        elif arg.startswith(VALUED_JOINED):
            i += 1
        elif arg == "--version":
            return VERSION  # printed before any command is looked at
        elif arg in ("--help", "-h"):
            return TOP_HELP
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in commands.NAMES else None
    return TOP_HELP


@functools.cache
def _click_command(only: str | None = None):  # type: ignore[no-untyped-def]  # typer's type is private
    """The click command for the whole CLI, or for one sub-command only: building a command
    inspects its signature, ~50 ms for all of them. Cached: a process that runs the CLI more
    than once (the tests) builds each once."""
    if only is None:
        return _worded(typer.main.get_command(full_app()))
    one = _make_app()
    one.callback()(_global)
    if only == TOP_HELP:
        commands.register_summaries(one)
    elif only != VERSION:
        commands.register(one, only=only)
    return _worded(typer.main.get_command(one))


# What an option's value is, in words, where a command gave no metavar: typer would show the
# Python type (<str>, <float range>).
_NUMBER_WORDS = {"--timeout": "SECONDS", "--daily-traffic": "VISITORS"}
_TEXT_WORDS = {"--start": "DATE", "--end": "DATE", "--since": "DATE", "--until": "DATE"}


def _worded(command: Any) -> Any:  # typer's click types are private
    """``command`` and its sub-commands with every option's value named in words: ``N`` for a
    number, the option's name for text (``--owner NAME`` reads as ``--owner OWNER``)."""
    from typer._click import types

    for param in getattr(command, "params", []):
        if getattr(param, "metavar", None) is not None or not getattr(param, "opts", None):
            continue
        if getattr(param, "is_flag", False):
            continue
        name = max(param.opts, key=len)
        if isinstance(param.type, types.IntParamType | types.FloatParamType):
            param.metavar = _NUMBER_WORDS.get(name, "N")
        elif isinstance(param.type, types.StringParamType):
            param.metavar = _TEXT_WORDS.get(name, name.lstrip("-").upper().replace("-", "_"))
    for sub in getattr(command, "commands", {}).values():
        _worded(sub)
    return command


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code; expected errors never print a traceback."""
    from cxlib.cli.entry import COMPLETE_VAR  # already loaded: it started this process

    if os.environ.get(COMPLETE_VAR):
        return _complete(COMPLETE_VAR)
    return _run_command(hoist_globals(argv if argv is not None else sys.argv[1:]), Output())


def _complete(variable: str) -> int:
    """A shell asking for completions (the scripts of ``cxlib completion``): the words are in
    the environment, and every command must be known."""
    from typer._completion_classes import completion_init

    completion_init()
    try:
        _click_command(None).main(
            args=[], prog_name="cxlib", complete_var=variable, standalone_mode=False
        )
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def _run_command(args: list[str], output: Output) -> int:
    command = _click_command(_command_named(args))

    def call() -> int:
        try:
            return int(command.main(args=args, prog_name="cxlib", standalone_mode=False) or 0)
        except typer.TyperException as e:
            show = getattr(e, "show", None)
            if show is not None:
                show()
            return int(getattr(e, "exit_code", ExitCode.USAGE))
        except typer.Abort:
            raise KeyboardInterrupt from None

    return guarded(output, call)


def run() -> None:
    sys.exit(main())
