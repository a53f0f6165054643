"""A process builds only the sub-command it runs; what it prints is what the whole CLI prints."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout, suppress
from pathlib import Path

import pytest
import typer

from cxlib.cli import commands
from cxlib.cli.argv import hoist_globals
from cxlib.cli.main import TOP_HELP, VERSION, _click_command, _command_named


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["validate", "a.md"], "validate"),
        (["-C", "kb", "--color", "never", "list", "--format", "json"], "list"),
        (["--root=kb", "--today=2026-01-01", "report", "roadmap"], "report"),
        (["--help"], TOP_HELP),
        (["-C", "kb", "-h"], TOP_HELP),
        ([], TOP_HELP),
        (["--version"], VERSION),
        (["-C", "kb", "--version", "list"], VERSION),
        (["valdate"], None),  # typer suggests the right name from every command
    ],
)
def test_the_command_is_found_before_typer_runs(args: list[str], name: str | None) -> None:
    assert _command_named(args) == name


def _run(command: object, args: list[str]) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), suppress(SystemExit):
        try:
            command.main(args=args, prog_name="cxlib", standalone_mode=False)  # type: ignore[attr-defined]
        except typer.TyperException as e:  # as cxlib's main shows it
            e.show()
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(commands.NAMES))
def test_one_command_alone_helps_like_the_whole_cli(name: str) -> None:
    assert _run(_click_command(name), [name, "--help"]) == _run(
        _click_command(None), [name, "--help"]
    )


@pytest.mark.parametrize("args", [["--help"], ["-C", "kb", "-h"], []])
def test_the_summaries_help_like_the_whole_cli(args: list[str]) -> None:
    assert _run(_click_command(TOP_HELP), args) == _run(_click_command(None), args)


@pytest.mark.parametrize("args", [["--version"], ["-C", "kb", "--version", "list"]])
def test_the_version_alone_says_what_the_whole_cli_says(args: list[str]) -> None:
    assert _run(_click_command(VERSION), args) == _run(_click_command(None), args)


@pytest.mark.parametrize(
    ("args", "hoisted"),
    [
        (["list", "-C", "kb"], ["-C", "kb", "list"]),
        (["report", "roadmap", "--today=2026-01-01"], ["--today=2026-01-01", "report", "roadmap"]),
        (["-C", "kb", "list", "--color", "never"], ["--color", "never", "-C", "kb", "list"]),
        (["search", "--", "-C"], ["search", "--", "-C"]),  # after --, text
        (["list", "--status", "running"], ["list", "--status", "running"]),
    ],
)
def test_global_options_after_the_command_move_before_it(
    args: list[str], hoisted: list[str]
) -> None:
    assert hoist_globals(args) == hoisted


def test_a_global_option_after_the_command_is_obeyed(tmp_path: Path) -> None:
    from tests.conftest import cx, example_copy

    base = example_copy(tmp_path / "northwind")
    result = cx("report", "experiments", "-C", base, "--today", "2026-01-01", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "2026-01-01" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "x"], (None, None, None, "search", ["x"])),
        (["-C", "kb", "search", "x"], ("kb", None, None, "search", ["x"])),
        (
            ["--root=kb", "--today", "2025-01-01", "--color", "never", "index"],
            ("kb", "never", "2025-01-01", "index", []),
        ),
        (["--root", "a", "-C", "b", "similar"], ("b", None, None, "similar", [])),
        (["--version"], (None, None, None, None, [])),
        (["-C"], (None, None, None, None, [])),
        (["--help", "search"], (None, None, None, None, [])),
        ([], (None, None, None, None, [])),
    ],
)
def test_read_line(args: list[str], expected: tuple[object, ...]) -> None:
    from cxlib.cli.argv import read_line

    assert tuple(read_line(args)) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], ([], False, None, False)),
        (["--strict", "--format", "json"], ([], True, "json", False)),
        (["-f", "github", "--no-cache"], ([], False, "github", True)),
        (["--format=json", "--format", "text"], ([], False, "text", False)),
        (["--strict", "--no-strict", "a.md", "b.md"], (["a.md", "b.md"], False, None, False)),
        (
            ["insights/INS-0001-x.md", "-f", "json"],
            (["insights/INS-0001-x.md"], False, "json", False),
        ),
        (["--help"], None),
        (["--format"], None),
        (["--format", "yaml"], None),
        (["--", "-odd.md"], None),
        (["-x"], None),
        # click reads "-f=json" as the format "=json", which it refuses: typer must say so.
        (["-f=json"], None),
        (["--strict=yes"], None),
    ],
)
def test_read_validate(words: list[str], expected: tuple[object, ...] | None) -> None:
    from cxlib.cli.early import read_validate

    found = read_validate(words)
    assert (None if found is None else tuple(found)) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["free", "shipping"], (["free", "shipping"], None, 20, False, 10.0)),
        (["free shipping"], (["free shipping"], None, 20, False, 10.0)),
        (
            ["--kind", "experiment", "free", "--limit=5", "shipping", "-f", "json"],
            (["free", "shipping"], "experiment", 5, True, 10.0),
        ),
        (["x", "--format=table", "--timeout", "0"], (["x"], None, 20, False, 0.0)),
        (["x", "--limit", "3", "--limit", "7"], (["x"], None, 7, False, 10.0)),
        (["x", "--kind", "--limit"], (["x"], "--limit", 20, False, 10.0)),  # as click reads it
        (["x", "--kind="], (["x"], "", 20, False, 10.0)),
        (
            ["kind:experiment", "NOT", "(a", "OR", "b)"],
            (["kind:experiment", "NOT", "(a", "OR", "b)"], None, 20, False, 10.0),
        ),
        # Left to typer:
        ([], None),
        (["--limit", "5"], None),
        (["x", "--limit", "0"], None),
        (["x", "--limit", "many"], None),
        (["x", "--timeout", "-1"], None),
        (["x", "--timeout", "nan"], None),
        (["x", "--timeout", "inf"], None),
        (["x", "--format", "csv"], None),
        (["x", "-f=json"], None),
        (["x", "--kind"], None),
        (["x", "--help"], None),
        (["x", "-h"], None),
        (["--", "-x"], None),
        (["x", "--lim", "3"], None),
    ],
)
def test_read_search(words: list[str], expected: tuple[object, ...] | None) -> None:
    from cxlib.cli.early import read_search

    found = read_search(words)
    assert (None if found is None else tuple(found)) == expected
