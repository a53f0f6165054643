"""History from git: ``cxlib log``, the one-pass history with its cache, and the optional
``created`` rule of ``validate``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import cx, write
from tests.gitrepo import commit, experiment, insight, new_base, opportunity, run_git

from cxlib.kb.history import document_history
from cxlib.kb.store import KnowledgeBase

EVIDENCE = "evidence: [https://example.com/survey]\nconfidence: high\n"
RENAMED = "insights/INS-0001-late shipping — überraschung.md"


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """INS-0001: added by Ana (draft), validated by Bea, renamed with an edit by Caio.
    EXP-0001: added running by Bea, concluded (won) by Ana. OPP-0001: never committed."""
    root = new_base(tmp_path_factory.mktemp("history") / "kb")
    write(root, "insights/INS-0001-late.md", insight("INS-0001", "Late shipping costs"))
    commit(root, "Add INS-0001", author="Ana Lima", date="2025-01-10T09:00:00+01:00")
    write(
        root,
        "insights/INS-0001-late.md",
        insight("INS-0001", "Late shipping costs", "validated", EVIDENCE),
    )
    commit(root, "Validate INS-0001", author="Bea Costa", date="2025-02-01T10:00:00+00:00")
    write(root, "opportunities/OPP-0001-x.md", opportunity("OPP-0001", "Shipping in the cart"))
    write(root, "experiments/EXP-0001-banner.md", experiment("EXP-0001", "Banner"))
    run_git(root, "add", "experiments")
    run_git(
        root,
        "commit",
        "-q",
        "-m",
        "Start EXP-0001",
        author="Bea Costa",
        date="2025-02-10T10:00:00+00:00",
    )
    run_git(root, "mv", "insights/INS-0001-late.md", RENAMED)
    write(
        root,
        RENAMED,
        insight("INS-0001", "Late shipping costs", "validated", EVIDENCE + "tags: [shipping]\n"),
    )
    run_git(root, "add", "insights")
    run_git(
        root,
        "commit",
        "-q",
        "-m",
        "Rename INS-0001",
        author="Caio Reis",
        date="2025-03-01T08:00:00-03:00",
    )
    write(
        root,
        "experiments/EXP-0001-banner.md",
        experiment(
            "EXP-0001",
            "Banner",
            "concluded",
            "end: 2025-03-01\nresult:\n  outcome: won\ndecision: ship\n",
            learnings="Clear costs help.",
        ),
    )
    run_git(root, "add", "experiments")
    run_git(
        root,
        "commit",
        "-q",
        "-m",
        "Conclude EXP-0001: won",
        author="Ana Lima",
        date="2025-03-05T10:00:00+00:00",
    )
    return root


def test_log_shows_commits_and_status_changes_following_renames(history_repo: Path) -> None:
    result = cx("-C", history_repo, "log", "INS-0001", "--format", "json")
    assert result.exit_code == 0, result.output
    log = result.json()
    assert log["path"] == RENAMED
    assert [(c["author"], c["message"], c["date"]) for c in log["commits"]] == [
        ("Caio Reis", "Rename INS-0001", "2025-03-01T08:00:00-03:00"),
        ("Bea Costa", "Validate INS-0001", "2025-02-01T10:00:00+00:00"),
        ("Ana Lima", "Add INS-0001", "2025-01-10T09:00:00+01:00"),
    ]
    assert [c["change"] for c in log["commits"]] == ["R", "M", "A"]
    assert [(s["previous"], s["status"]) for s in log["statuses"]] == [
        (None, "draft"),
        ("draft", "validated"),
    ]
    assert log["created"][:10] == "2025-01-10" and log["created_by"] == "Ana Lima"
    assert log["changed"][:10] == "2025-03-01" and log["changed_by"] == "Caio Reis"
    assert log["authors"] == ["Ana Lima", "Bea Costa", "Caio Reis"]
    assert log["source"] == "git" and log["uncommitted"] is False


def test_log_text_shows_outcomes(history_repo: Path) -> None:
    result = cx("-C", history_repo, "log", "EXP-0001")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "EXP-0001  Banner"
    assert "created 2025-02-10 by Bea Costa · last changed 2025-03-05 by Ana Lima" in lines[2]
    assert any(line.startswith("  2025-02-10  running") for line in lines)
    assert any("running -> concluded (won)" in line for line in lines)
    assert any("Ana Lima  Conclude EXP-0001: won" in line for line in lines)


def test_log_of_an_uncommitted_document_falls_back_to_front_matter(history_repo: Path) -> None:
    result = cx("-C", history_repo, "log", "OPP-0001", "--format", "json")
    assert result.exit_code == 0, result.output
    log = result.json()
    assert log["source"] == "front-matter"
    assert log["created"] == "2025-01-06" and log["created_by"] == "Jonas Berg"
    assert log["commits"] == []
    assert [(s["status"], s["commit"]) for s in log["statuses"]] == [("idea", "")]


def test_log_of_an_unknown_id(history_repo: Path) -> None:
    for given, message in (("EXP-0999", "unknown id 'EXP-0999'"), ("../x", "invalid id")):
        result = cx("-C", history_repo, "log", given)
        assert result.exit_code == 2, result.output
        assert message in result.stderr


def test_one_history_pass_for_the_whole_base(history_repo: Path) -> None:
    result = cx("-C", history_repo, "log", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in result.json()}
    assert rows["INS-0001"] | {"title": ""} == {
        "id": "INS-0001",
        "title": "",
        "created": "2025-01-10",
        "created_by": "Ana Lima",
        "changed": "2025-03-01",
        "changed_by": "Caio Reis",
        "authors": ["Ana Lima", "Bea Costa", "Caio Reis"],
        "commits": 3,
        "source": "git",
        "path": RENAMED,
    }
    assert rows["EXP-0001"]["commits"] == 2 and rows["EXP-0001"]["authors"] == [
        "Bea Costa",
        "Ana Lima",
    ]
    assert rows["OPP-0001"]["source"] == "front-matter"
    assert rows["OPP-0001"]["created"] == "2025-01-06"


def test_the_history_is_cached_by_head(history_repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(history_repo), str(clone))
    kb = KnowledgeBase.open(clone)
    first = document_history(kb.root, kb.config)
    cache = clone / ".cxlib" / "history.json"
    original = cache.read_text()
    stored = json.loads(original)
    head = run_git(clone, "rev-parse", "HEAD").stdout.strip()
    assert stored["key"]["head"] == head
    # A planted value proves the second call reads the cache instead of git.
    stored["docs"][RENAMED]["created_by"] = "From the cache"
    cache.write_text(json.dumps(stored))
    assert document_history(kb.root, kb.config)[RENAMED].created_by == "From the cache"
    # HEAD moves forward: only the new commits are folded into the cached histories ...
    cache.write_text(original)
    write(clone, "insights/INS-0002-b.md", insight("INS-0002", "Second"))
    write(clone, RENAMED, insight("INS-0001", "Late shipping costs", "rejected", EVIDENCE))
    commit(clone, "Add INS-0002", author="Dora Dias", date="2025-04-01T10:00:00+00:00")
    incremental = document_history(kb.root, kb.config)
    assert incremental["insights/INS-0002-b.md"].authors == ["Dora Dias"]
    assert incremental[RENAMED].commits == first[RENAMED].commits + 1
    assert incremental[RENAMED].changed_by == "Dora Dias"
    # ... and give what a full pass gives.
    cache.unlink()
    assert document_history(kb.root, kb.config) == incremental
    # HEAD moves back (not a descendant of the cached one): a full pass, no planted value.
    stored = json.loads(cache.read_text())
    stored["docs"][RENAMED]["created_by"] = "From the cache"
    cache.write_text(json.dumps(stored))
    run_git(clone, "checkout", "-q", "HEAD~1")
    assert document_history(kb.root, kb.config) == first
    cache.write_text("{not json")  # a damaged cache is recomputed, never an error
    assert document_history(kb.root, kb.config) == first


def test_thousands_of_commits_in_one_pass(tmp_path: Path) -> None:
    """2,000 commits written with git fast-import; one document touched by all of them."""
    root = new_base(tmp_path / "kb")
    commit(root, "config")
    stream = []
    for n in range(2000):
        body = insight("INS-0001", "Busy", extra=f"tags: [rev-{n}]\n").encode()
        stream += [
            b"commit refs/heads/main",
            f"author Ann {n % 7} <a@x> {1700000000 + n * 60} +0000".encode(),
            f"committer Ann <a@x> {1700000000 + n * 60} +0000".encode(),
            b"data 6",
            b"change",
        ]
        if n == 0:
            stream.append(b"from refs/heads/main^0")
        stream += [b"M 100644 inline insights/INS-0001-busy.md", f"data {len(body)}".encode(), body]
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, check=True, input=b"\n".join(stream) + b"\n"
    )
    run_git(root, "reset", "-q", "--hard")
    kb = KnowledgeBase.open(root)
    history = document_history(kb.root, kb.config)
    busy = history["insights/INS-0001-busy.md"]
    assert busy.commits == 2000
    assert busy.authors == [f"Ann {n}" for n in range(7)]
    assert busy.created.startswith("2023-11-14") and busy.changed.startswith("2023-11-16")


def test_validate_warns_when_created_contradicts_git(history_repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(history_repo), str(clone))
    write(clone, "opportunities/OPP-0001-x.md", opportunity("OPP-0001", "Shipping in the cart"))
    # The rule is off by default.
    assert "created-vs-git" not in cx("-C", clone, "validate", "--format", "json").stdout
    config = clone / "cxlib.toml"
    config.write_text(config.read_text() + "\n[validate]\ncheck_created_against_git = true\n")
    result = cx("-C", clone, "validate", "--format", "json")
    assert result.exit_code == 0, result.output  # a warning, not an error
    found = [f for f in result.json()["findings"] if f["code"] == "created-vs-git"]
    # INS-0001 says created 2025-01-06 but was first committed on 2025-01-10; EXP-0001 says
    # 2025-01-06 and was committed on 2025-02-10; OPP-0001 is not committed, so not checked.
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("experiments/EXP-0001-banner.md", 6, "warning"),
        (RENAMED, 6, "warning"),
    ]
    assert found[1]["message"] == (
        "created 2025-01-06 is 4 day(s) before the first commit of this file (2025-01-10)"
    )
    config.write_text(config.read_text() + "created_tolerance_days = 40\n")
    result = cx("-C", clone, "validate", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [f for f in result.json()["findings"] if f["code"] == "created-vs-git"] == []


def test_the_rule_is_located_in_the_config_when_misspelt(
    history_repo: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(history_repo), str(clone))
    config = clone / "cxlib.toml"
    config.write_text(config.read_text() + "\n[validate]\ncheck_created_against = true\n")
    result = cx("-C", clone, "validate")
    assert result.exit_code == 2, result.output
    assert "validate.check_created_against" in result.stderr


def test_validate_does_not_import_git_when_the_rule_is_off(
    history_repo: Path, tmp_path: Path
) -> None:
    # The pre-registration lock reads EXP-0001's history (it is running or later); with the
    # lock off too, validate never loads GitPython. (OPP-0001 was never committed: the clone's
    # EXP-0001 links a missing document, exit code 1.)
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(history_repo), str(clone))
    config = clone / "cxlib.toml"
    config.write_text(config.read_text() + "\n[validate]\npreregistration_lock = false\n")
    code = (
        "import sys; from cxlib.cli.main import main; "
        f"code = main(['-C', {str(clone)!r}, 'validate']); "
        "print('GIT:', 'git' in sys.modules, code)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "GIT: False 1" in out.stdout, out.stdout + out.stderr


def test_log_in_a_repository_without_commits(kb: Path) -> None:
    write(
        kb,
        "insights/INS-0001-a.md",
        insight("INS-0001", "First").replace("stage: purchase\ntouchpoint: cart\n", ""),
    )
    one = cx("-C", kb, "log", "INS-0001", "--format", "json")
    assert one.exit_code == 0, one.output
    assert one.json()["source"] == "front-matter" and one.json()["commits"] == []
    every = cx("-C", kb, "log", "--format", "json")
    assert every.exit_code == 0, every.output
    assert [(r["id"], r["source"], r["created"]) for r in every.json()] == [
        ("INS-0001", "front-matter", "2025-01-06")
    ]
