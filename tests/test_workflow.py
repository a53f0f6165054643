"""The GitHub Actions workflow ``cxlib init`` writes, with its shell steps run for real in a
clone checked out the way actions/checkout does for a pull request (detached, full history)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from tests.conftest import EXAMPLE, cx, git, write
from tests.gitrepo import commit, insight, run_git

WORKFLOW = ".github/workflows/cxlib.yml"


def _steps(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text())
    steps: list[dict[str, object]] = data["jobs"]["cxlib"]["steps"]
    return steps


def test_init_writes_a_pull_request_workflow(kb: Path) -> None:
    text = (kb / WORKFLOW).read_text()
    data = yaml.safe_load(text)
    assert list(data[True]) == ["pull_request"]  # YAML 1.1 reads the key 'on' as true
    assert data["permissions"] == {"contents": "read"}
    assert "secrets." not in text and "GITHUB_TOKEN" not in text
    job = data["jobs"]["cxlib"]
    assert job["defaults"]["run"]["working-directory"] == "."
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    runs = " ".join(str(s.get("run", "")) for s in job["steps"])
    assert "cxlib validate --format github" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs and "cxlib review" in runs


def test_init_in_a_subfolder_puts_the_workflow_at_the_repository_top(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    result = cx("init", tmp_path / "docs" / "cx")
    assert result.exit_code == 0, result.output
    assert "created  ../../.github/workflows/cxlib.yml" in result.stderr
    job = yaml.safe_load((tmp_path / WORKFLOW).read_text())["jobs"]["cxlib"]
    assert job["defaults"]["run"]["working-directory"] == "docs/cx"
    again = cx("init", tmp_path / "docs" / "cx")
    assert "exists   ../../.github/workflows/cxlib.yml (left unchanged)" in again.stderr


def test_the_workflow_steps_annotate_changed_files_and_write_the_summary(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    assert cx("init", root).exit_code == 0
    (root / "cxlib.toml").write_bytes((EXAMPLE / "cxlib.toml").read_bytes())
    write(root, "insights/INS-0001-old.md", insight("INS-0001", "Old", "validated"))  # invalid
    commit(root, "base")
    run_git(root, "checkout", "-q", "-b", "feature")
    write(root, "insights/INS-0002-new, 100% sure.md", insight("INS-0002", "New", "validated"))
    head = commit(root, "feature", date="2025-01-07T10:00:00+00:00")
    ci = tmp_path / "ci"
    run_git(tmp_path, "clone", "-q", str(root), str(ci))
    run_git(ci, "checkout", "-q", "--detach", head)
    summary = tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {
        "GITHUB_ACTIONS": "true",
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(ci),
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
    }
    results = {}
    for step in _steps(ci / WORKFLOW):
        if "run" not in step or step["name"] == "Install cxlib":
            continue
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])],
            cwd=ci,
            env=env,
            capture_output=True,
            text=True,
        )
    validate = results["Validate the changed documents"]
    assert validate.returncode != 0, validate.stdout + validate.stderr
    errors = [line for line in validate.stdout.splitlines() if line.startswith("::error ")]
    # Only the changed file is annotated (INS-0001 is invalid too, but unchanged); the ',' and
    # '%' of its name are escaped in the property.
    assert errors and all("file=insights/INS-0002-new%2C 100%25 sure.md" in e for e in errors)
    assert any(",line=4," in e and "insight-evidence" in e for e in errors)
    review = results["Review"]
    assert review.returncode == 1, review.stdout + review.stderr
    text = summary.read_text()
    assert text.startswith("## cxlib review")
    assert "| INS-0002 | New |" in text and "INS-0001" not in text
