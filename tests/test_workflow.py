"""The GitHub Actions workflow ``cxlib init`` writes, with its shell steps run for real in a
clone checked out the way actions/checkout does for a pull request (detached, full history)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {
        "RUNNER_TEMP": str(runner_temp),
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
    # ... and the same review is kept for the comment job.
    assert (runner_temp / "cxlib-review.md").read_text() == text


def _workflow(kb: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((kb / WORKFLOW).read_text())
    return data


def test_only_the_comment_job_may_write_and_only_comments(kb: Path) -> None:
    text = (kb / WORKFLOW).read_text()
    data = _workflow(kb)
    assert "pull_request_target" not in text  # never a fork's code with a writing token
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert "permissions" not in jobs["cxlib"]  # the top level's read-only token
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}
    assert jobs["comment"]["needs"] == "cxlib"


def test_the_comment_is_skipped_with_a_notice_on_pull_requests_from_forks(kb: Path) -> None:
    steps = _workflow(kb)["jobs"]["comment"]["steps"]
    fork = "github.event.pull_request.head.repo.full_name != github.repository"
    same = "github.event.pull_request.head.repo.full_name == github.repository"
    notice, download, post = steps
    assert notice["if"] == fork and "::notice::" in notice["run"]
    assert download["if"] == same and download["uses"].startswith("actions/download-artifact@")
    assert post["if"] == same and post["env"]["GH_TOKEN"] == "${{ github.token }}"


def _post(kb: Path, tmp_path: Path, existing: str) -> list[str]:
    """Run the posting step for real, with a ``gh`` that records its calls and answers the
    comment listing with ``existing`` (the id of the comment posted before, or nothing)."""
    step = _workflow(kb)["jobs"]["comment"]["steps"][2]
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    calls = tmp_path / "calls"
    gh = tools / "gh"
    gh.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$*" >> "{calls}"\n'
        f'case "$*" in *--jq*) [ -n "{existing}" ] && echo "{existing}";; esac\n'
        "exit 0\n"
    )
    gh.chmod(0o755)
    temp = tmp_path / "runner"
    temp.mkdir(exist_ok=True)
    (temp / "cxlib-review.md").write_text("## cxlib review\n\nfine\n")
    calls.unlink(missing_ok=True)
    env = dict(step["env"]) | {
        "GH_TOKEN": "token",
        "PR": "7",
        "REPO": "acme/cx",
        "RUNNER_TEMP": str(temp),
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (temp / "comment.md").read_text().startswith("<!-- cxlib-review -->\n## cxlib review")
    return calls.read_text().splitlines()


def test_the_review_is_posted_once_then_updated(kb: Path, tmp_path: Path) -> None:
    first = _post(kb, tmp_path, existing="")
    assert first[0].startswith("api --paginate repos/acme/cx/issues/7/comments")
    assert first[1].startswith("pr comment 7 --repo acme/cx --body-file ")
    again = _post(kb, tmp_path, existing="4242")
    assert again[1].startswith("api --method PATCH repos/acme/cx/issues/comments/4242 -F body=@")
    assert not any(c.startswith("pr comment") for c in again)
