"""``cxlib init`` in the layouts teams have: a subfolder of an existing repository (the hook and
the workflow go to the repository's top, pointed at the base), a repository that already has a
pre-commit config (the lines to add are printed, the file is untouched), and never a base
inside another."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from tests.conftest import cx, git, snapshot
from tests.gitrepo import run_git

from cxlib.ops.package_source import _from_checkout


def _hook(config: Path) -> dict[str, str]:
    data = yaml.safe_load(config.read_text())
    hook: dict[str, str] = data["repos"][0]["hooks"][0]
    return hook


def test_the_hook_at_the_top_points_at_the_subfolder(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    assert cx("init", tmp_path / "docs" / "cx lib").exit_code == 0
    hook = _hook(tmp_path / ".pre-commit-config.yaml")
    assert hook["entry"] == "cxlib -C 'docs/cx lib' validate"
    files = re.compile(hook["files"])
    assert files.search("docs/cx lib/insights/INS-0001-a.md")
    assert files.search("docs/cx lib/cxlib.toml")
    assert not files.search("insights/INS-0001-a.md")  # another folder's documents
    assert not files.search("docs/cx lib/README.md")
    workflow = yaml.safe_load((tmp_path / ".github/workflows/cxlib.yml").read_text())
    assert workflow["jobs"]["cxlib"]["defaults"]["run"]["working-directory"] == "docs/cx lib"


def test_at_the_top_the_hook_needs_no_folder(kb: Path) -> None:
    hook = _hook(kb / ".pre-commit-config.yaml")
    assert hook["entry"] == "cxlib validate"
    assert re.compile(hook["files"]).search("experiments/EXP-0001-a.md")


def test_an_existing_pre_commit_config_gets_the_lines_to_add(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    own = (
        "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n"
        "    hooks: [{id: black}]\n"
    )
    (tmp_path / ".pre-commit-config.yaml").write_text(own)
    result = cx("init", tmp_path / "cx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == own
    assert "add the cxlib hook to ../.pre-commit-config.yaml, under 'repos:'" in result.stderr
    printed = result.stderr.split("under 'repos:':\n", 1)[1]
    lines = printed[: printed.index("require_serial: true") + len("require_serial: true")]
    merged = yaml.safe_load(own + lines + "\n")  # pasted under repos:, it is valid YAML
    assert merged["repos"][1]["hooks"][0]["entry"] == "cxlib -C cx validate"
    (tmp_path / ".pre-commit-config.yaml").write_text(own + lines + "\n")
    again = cx("init", tmp_path / "cx")
    assert "add the cxlib hook" not in again.stderr  # it is there now
    assert "exists   ../.pre-commit-config.yaml" in again.stderr


def test_a_base_inside_another_is_refused(kb: Path) -> None:
    before = snapshot(kb)
    for inner in (kb / "experiments" / "more", kb / "sub"):
        result = cx("init", inner)
        assert result.exit_code == 2, result.output
        assert f"is inside the knowledge base at {kb}" in result.stderr
        assert not inner.exists() or not any(inner.iterdir())
    assert snapshot(kb) == before


def test_the_workflow_pins_the_commit_of_a_public_checkout(tmp_path: Path) -> None:
    checkout = tmp_path / "cxlib"
    checkout.mkdir()
    run_git(checkout, "init", "-q", "-b", "main")
    (checkout / "README.md").write_text("cxlib\n")
    run_git(checkout, "add", "-A")
    run_git(checkout, "commit", "-q", "-m", "cxlib")
    head = run_git(checkout, "rev-parse", "HEAD").stdout.strip()
    local = _from_checkout(checkout)
    assert not local.pinned and local.requirement.startswith("cxlib==")
    assert "package index" in local.note and "git+https://" in local.note
    run_git(checkout, "remote", "add", "origin", "https://example.com/acme/cxlib.git")
    pinned = _from_checkout(checkout)
    assert pinned.pinned
    assert pinned.requirement == f"cxlib @ git+https://example.com/acme/cxlib.git@{head}"


def test_the_workflow_says_where_cxlib_comes_from(kb: Path) -> None:
    text = (kb / ".github/workflows/cxlib.yml").read_text()
    env = yaml.safe_load(text)["jobs"]["cxlib"]["env"]
    assert env["CXLIB_PACKAGE"].startswith(("cxlib==", "cxlib @ git+"))
    assert "# Where pip installs cxlib from." in text
