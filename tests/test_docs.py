"""The documentation keeps its promises: help for every command, the README's commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from tests.conftest import ROOT, cx

from cxlib.cli.main import full_app

COMMANDS = [c.name for c in full_app().registered_commands]


def _every_command() -> list[list[str]]:
    """Every command's words, the groups' sub-commands included (report roadmap, stats check)."""
    import typer.main

    top = typer.main.get_command(full_app())
    out: list[list[str]] = []
    for name, command in top.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        out += [[name, sub] for sub in subs] if subs else [[name]]
    return out


# What typer shows for an option whose value is not named in words.
_PYTHON_TYPES = re.compile(r"<(str|int|float|bool)\b|range>|\b(INTEGER|FLOAT|TEXT)\b")


@pytest.mark.parametrize("words", _every_command(), ids=" ".join)
def test_every_command_has_help_with_an_example(words: list[str]) -> None:
    result = cx(*words, "--help")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.stdout
    assert not _PYTHON_TYPES.search(result.stdout), _PYTHON_TYPES.findall(result.stdout)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`cxlib {name}" in (ROOT / "README.md").read_text()


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    commands = [
        line for b in blocks for line in b.splitlines() if line.startswith("python3 -m venv")
    ]
    assert len(commands) >= 2
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
    assert shlex.split(test_command)  # well-formed shell


def test_version() -> None:
    from cxlib import __version__

    result = cx("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cxlib {__version__}"


def _listed_sources(text: str) -> set[str]:
    """Every source module the table of tests/README.md names, its groups expanded."""
    listed: set[str] = set()
    for row in text.splitlines():
        if not row.startswith("| `"):
            continue
        cell = row.split("|")[1]
        for folder, names in re.findall(r"`(\w+)/\*\.py` \(([^)]*)\)", cell):
            listed |= {f"{folder}/{m}.py" for m in re.findall(r"`(\w+)`", names)}
        listed |= set(re.findall(r"`([\w/]+\.py)`", cell))
    return listed


def test_every_module_says_where_its_tests_are() -> None:
    """tests/README.md maps each module of src/cxlib/ to its tests, and each test file it
    names exists."""
    text = (ROOT / "tests" / "README.md").read_text()
    src = ROOT / "src" / "cxlib"
    modules = {p.relative_to(src).as_posix() for p in src.rglob("*.py") if p.name != "__init__.py"}
    assert modules - _listed_sources(text) == set()
    for row in text.splitlines():
        if row.startswith("| `"):
            for name in re.findall(r"`([\w/]+\.py)`", row.split("|")[2]):
                assert (ROOT / "tests" / name).is_file(), name


def test_the_readme_experiment_record_validates(kb: Path) -> None:
    """The YAML the README shows for a design and its result is a record validate accepts."""
    readme = (ROOT / "README.md").read_text()
    after = readme.split("A design and its result, in the shape `EXP-0003`", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", after, re.S)
    assert block is not None
    (kb / "assets").mkdir()
    (kb / "assets" / "EXP-0003-threshold-banner.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    metrics = (ROOT / "examples" / "northwind" / "cxlib.toml").read_text()
    (kb / "cxlib.toml").write_text(metrics)
    text = (
        "---\nid: EXP-0001\ntitle: Threshold banner\nstatus: concluded\nowner: Ana\n"
        "created: 2025-03-12\nhypothesis: We believe the banner lifts conversion\n"
        "primary_metric: conversion-rate\nguardrail_metrics: [average-order-value, return-rate]\n"
        "insights: [INS-0001]\n"
        + block.group(1)
        + "---\n\n## Learnings\n\nThe banner cost conversion.\n"
    )
    (kb / "experiments").mkdir(exist_ok=True)
    (kb / "experiments" / "EXP-0001-threshold-banner.md").write_text(text)
    (kb / "insights").mkdir(exist_ok=True)
    (kb / "insights" / "INS-0001-costs.md").write_text(
        "---\nid: INS-0001\ntitle: Costs\nstatus: draft\ncreated: 2025-01-10\n---\n\nText.\n"
    )
    result = cx("-C", kb, "validate", "--strict")
    assert result.exit_code == 0, result.output


def test_every_field_is_in_the_readme() -> None:
    """The README's field tables name every front-matter field of every kind, nested ones too."""
    from cxlib.model.documents import (
        MODELS,
        DecisionRule,
        GuardrailResult,
        Result,
        Variant,
        VariantResult,
    )

    readme = (ROOT / "README.md").read_text()
    spans = re.findall(r"`([^`\n]+)`", readme)
    named = {w for span in spans for w in re.findall(r"[a-z_]+", span)}
    models = [*MODELS.values(), Result, Variant, VariantResult, GuardrailResult, DecisionRule]
    missing = {f for m in models for f in m.model_fields if f not in named}
    assert not missing, f"not in the README: {sorted(missing)}"
