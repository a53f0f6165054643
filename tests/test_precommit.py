"""The hook with the real pre-commit framework and real ``git commit``s.

Two forms: the published hook (``.pre-commit-hooks.yaml``, ``language: python``: pre-commit
builds this project into its own virtualenv, which needs the package index and takes some
seconds, so it is set up once per module under a temporary PRE_COMMIT_HOME), and the
``repo: local`` config that ``cxlib init`` writes (``language: system``, the cxlib on PATH).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, cx, write
from tests.gitrepo import commit, hook_env, insight, new_base, run_git, run_in

BAD = insight("INS-0002", "Broken", "validated")  # validated without evidence and confidence
GOOD = insight(
    "INS-0002", "Fixed", "validated", "evidence: [https://example.com/notes]\nconfidence: low\n"
)


def _snapshot_project(dest: Path) -> str:
    """This checkout as it is now (uncommitted edits included), as a one-commit repository:
    what ``pre-commit try-repo`` does, kept so the installed environment is reused."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    for rel in filter(None, listed.decode().split("\0")):
        source = ROOT / rel
        if source.is_file() and not source.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    run_git(dest, "init", "-q", "-b", "main")
    return commit(dest, "snapshot")


def _commit_outcome(
    root: Path, env: dict[str, str], text: str, base: str = ""
) -> subprocess.CompletedProcess[str]:
    write(root, f"{base}insights/INS-0002-hook.md", text)
    run_in(root, env, "git", "add", f"{base}insights/INS-0002-hook.md")
    return run_in(root, env, "git", "commit", "-m", "Add INS-0002")


def _assert_rejected_then_accepted(root: Path, env: dict[str, str], base: str = "") -> None:
    """A commit of an invalid document is refused, naming the file (``base``: the base's
    folder in the repository, with its slash); once fixed, it goes through."""
    before = run_in(root, env, "git", "rev-parse", "HEAD").stdout
    rejected = _commit_outcome(root, env, BAD, base)
    assert rejected.returncode != 0, rejected.stdout + rejected.stderr
    out = rejected.stdout + rejected.stderr
    assert "cxlib validate" in out and "Failed" in out
    assert (
        f"{base}insights/INS-0002-hook.md:4: error: a validated insight needs at least one piece "
        "of evidence [insight-evidence]" in out
    )
    assert (
        f"{base}insights/INS-0002-hook.md:4: error: a validated insight needs a confidence" in out
    )
    assert run_in(root, env, "git", "rev-parse", "HEAD").stdout == before  # nothing committed
    accepted = _commit_outcome(root, env, GOOD, base)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "cxlib validate" in accepted.stderr and "Passed" in accepted.stderr
    log = run_in(root, env, "git", "log", "--format=%s", "-1").stdout.strip()
    assert log == "Add INS-0002"


@pytest.fixture(scope="module")
def published_hook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("published-hook")
    env = hook_env(base / "home", base / "pre-commit-home")
    project = base / "project"
    project.mkdir()
    rev = _snapshot_project(project)
    root = new_base(base / "kb")
    write(root, "insights/INS-0001-ok.md", insight("INS-0001", "Fine"))
    write(
        root,
        ".pre-commit-config.yaml",
        f"repos:\n  - repo: {project}\n    rev: {rev}\n    hooks:\n      - id: cxlib-validate\n",
    )
    commit(root, "base")
    installed = run_in(root, env, sys.executable, "-m", "pre_commit", "install-hooks")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    hook = run_in(root, env, sys.executable, "-m", "pre_commit", "install")
    assert hook.returncode == 0, hook.stdout + hook.stderr
    return root, env


def test_published_hook_rejects_an_invalid_document_and_accepts_a_valid_one(
    published_hook: tuple[Path, dict[str, str]],
) -> None:
    root, env = published_hook
    _assert_rejected_then_accepted(root, env)


def test_the_config_cxlib_init_writes_works_with_real_commits(tmp_path: Path) -> None:
    env = hook_env(tmp_path / "home", tmp_path / "pre-commit-home")
    root = tmp_path / "kb"
    assert cx("init", root).exit_code == 0
    write(root, "insights/INS-0001-ok.md", insight("INS-0001", "Fine"))
    (root / "cxlib.toml").write_bytes((ROOT / "examples/northwind/cxlib.toml").read_bytes())
    run_in(root, env, "git", "add", "-A")
    hook = run_in(root, env, sys.executable, "-m", "pre_commit", "install")
    assert hook.returncode == 0, hook.stdout + hook.stderr
    first = run_in(root, env, "git", "commit", "-m", "base")
    assert first.returncode == 0, first.stdout + first.stderr
    _assert_rejected_then_accepted(root, env)


def test_batches_give_the_same_answer_as_one_run(tmp_path: Path) -> None:
    """pre-commit may split the files over several runs; ids and links are still checked
    against the whole base, so the batches together report exactly what one run does."""
    root = new_base(tmp_path / "kb")
    files = []
    for n in range(1, 9):
        extra = "evidence: [https://x.example]\nconfidence: low\n" if n % 2 else ""
        files.append(f"insights/INS-{n:04d}-x.md")
        write(root, files[-1], insight(f"INS-{n:04d}", f"Insight {n}", "validated", extra))
    write(root, "insights/INS-0001-again.md", insight("INS-0001", "Same id as the first"))
    write(
        root,
        "insights/INS-0009-link.md",
        insight("INS-0009", "See [[EXP-0404]]").replace(
            "See [[EXP-0404]].", "Seen in [[EXP-0404]]."
        ),
    )
    files += ["insights/INS-0001-again.md", "insights/INS-0009-link.md"]

    def findings(paths: list[str]) -> list[tuple[str, int, str]]:
        result = cx("-C", root, "validate", "--format", "json", *paths, cwd=root)
        return [(f["path"], f["line"], f["code"]) for f in result.json()["findings"]]

    whole = findings(files)
    batches = findings(files[:5]) + findings(files[5:])
    assert sorted(batches) == sorted(whole)
    everything = cx("-C", root, "validate", "--format", "json").json()["findings"]
    assert sorted(whole) == sorted((f["path"], f["line"], f["code"]) for f in everything)
    # Another file changes its id to the second one's. The commit that does it stages that file,
    # so the hook names it: its id no longer matches its name, and the id is taken.
    write(root, "insights/INS-0005-x.md", insight("INS-0002", "Now a duplicate"))
    staged = findings(["insights/INS-0005-x.md"])
    assert ("insights/INS-0005-x.md", 2, "id-mismatch") in staged
    assert ("insights/INS-0005-x.md", 2, "duplicate-id") in staged
    # The hook knows the other documents by their file names (it opens no other file), so a
    # run naming only the second file does not see the clash; a whole run reports it on both.
    assert ("insights/INS-0002-x.md", 2, "duplicate-id") not in findings(files[1:2])
    whole_now = cx("-C", root, "validate", "--format", "json").json()["findings"]
    assert ("insights/INS-0002-x.md", 2, "duplicate-id") in [
        (f["path"], f["line"], f["code"]) for f in whole_now
    ]
    codes = {code for _, _, code in whole}
    assert {"duplicate-id", "broken-link", "insight-evidence"} <= codes
    assert ("insights/INS-0001-again.md", 2, "duplicate-id") in batches
    assert ("insights/INS-0001-x.md", 2, "duplicate-id") in batches


def _existing_repository(top: Path, env: dict[str, str]) -> None:
    """A team's repository with history of its own, before cxlib comes in."""
    top.mkdir()
    run_in(top, env, "git", "init", "-q", "-b", "main")
    write(top, "README.md", "# The shop\n")
    write(top, "app/main.py", "print('shop')\n")
    run_in(top, env, "git", "add", "-A")
    assert run_in(top, env, "git", "commit", "-q", "-m", "the shop").returncode == 0


def test_a_base_made_in_a_subfolder_is_checked_on_every_commit(tmp_path: Path) -> None:
    env = hook_env(tmp_path / "home", tmp_path / "pre-commit-home")
    top = tmp_path / "shop"
    _existing_repository(top, env)
    assert cx("init", top / "docs" / "cx").exit_code == 0
    assert not (top / "docs" / "cx" / ".pre-commit-config.yaml").exists()  # never read there
    (top / "docs/cx/cxlib.toml").write_bytes((ROOT / "examples/northwind/cxlib.toml").read_bytes())
    write(top, "docs/cx/insights/INS-0001-ok.md", insight("INS-0001", "Fine"))
    run_in(top, env, "git", "add", "-A")
    hook = run_in(top, env, sys.executable, "-m", "pre_commit", "install")
    assert hook.returncode == 0, hook.stdout + hook.stderr
    first = run_in(top, env, "git", "commit", "-m", "the library")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "cxlib validate" in first.stderr and "Passed" in first.stderr  # not "Skipped"
    _assert_rejected_then_accepted(top, env, base="docs/cx/")


def test_published_hook_finds_a_base_in_a_subfolder(
    published_hook: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The published hook has no arguments: it finds the base from the files it is given."""
    root, env = published_hook
    top = tmp_path / "shop"
    _existing_repository(top, env)
    new_base(top / "cx", repository=top)
    write(top, "cx/insights/INS-0001-ok.md", insight("INS-0001", "Fine"))
    shutil.copy(root / ".pre-commit-config.yaml", top / ".pre-commit-config.yaml")
    run_in(top, env, "git", "add", "-A")
    hook = run_in(top, env, sys.executable, "-m", "pre_commit", "install")
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert run_in(top, env, "git", "commit", "-q", "-m", "the library").returncode == 0
    _assert_rejected_then_accepted(top, env, base="cx/")
