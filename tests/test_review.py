"""``cxlib review`` on real repositories: a base branch and a feature branch, shallow clones,
detached HEAD, bad refs, and ids that collide when two branches merge."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import cx, golden, write
from tests.gitrepo import commit, experiment, insight, new_base, opportunity, run_git

from cxlib.cli.main import full_app

NO_LEARNINGS_LOSS = """end: 2025-02-01
result:
  outcome: lost
  effect: -0.8
decision: abandon
"""
RENAMED = "experiments/EXP-0002-café banner, v2.md"


@pytest.fixture(scope="module")
def feature_repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """main: two insights, an opportunity, two experiments. feature (checked out): adds an
    insight, validates another, concludes an experiment as a loss without learnings,
    prioritizes the opportunity, and renames an experiment file (with an edit) to a name with
    spaces and non-ASCII letters."""
    root = new_base(tmp_path_factory.mktemp("review") / "kb")
    write(
        root,
        "insights/INS-0001-late-shipping.md",
        insight(
            "INS-0001",
            "Shipping costs surface too late",
            "validated",
            "evidence: [https://example.com/survey]\nconfidence: high\n",
        ),
    )
    write(root, "insights/INS-0002-size-charts.md", insight("INS-0002", "Size charts confuse"))
    write(
        root,
        "opportunities/OPP-0001-shipping-in-cart.md",
        opportunity("OPP-0001", "Show shipping costs in the cart"),
    )
    write(root, "experiments/EXP-0001-cart-banner.md", experiment("EXP-0001", "Cart banner"))
    write(
        root,
        "experiments/EXP-0002-cafe-banner.md",
        experiment("EXP-0002", "Café banner", "draft", learnings="Nothing yet."),
    )
    base = commit(root, "Base library")
    run_git(root, "checkout", "-q", "-b", "feature")
    write(
        root,
        "insights/INS-0002-size-charts.md",
        insight(
            "INS-0002",
            "Size charts confuse",
            "validated",
            "evidence: [EXP-0001, https://example.com/interviews]\nconfidence: medium\n",
        ),
    )
    write(
        root,
        "insights/INS-0003-returns-label.md",
        insight(
            "INS-0003",
            "Customers without a printer | give up on returns",
            "validated",
            "evidence: [EXP-0001]\nconfidence: low\n",
        ),
    )
    write(
        root,
        "opportunities/OPP-0001-shipping-in-cart.md",
        opportunity(
            "OPP-0001",
            "Show shipping costs in the cart",
            "prioritized",
            "customer_value: 4\nbusiness_value: 4\neffort: 2\n",
        ),
    )
    write(
        root,
        "experiments/EXP-0001-cart-banner.md",
        experiment("EXP-0001", "Cart banner", "concluded", NO_LEARNINGS_LOSS),
    )
    run_git(root, "mv", "experiments/EXP-0002-cafe-banner.md", RENAMED)
    write(
        root,
        RENAMED,
        experiment("EXP-0002", "Café banner", "draft", learnings="Nothing yet, still drafting."),
    )
    run_git(root, "add", "-A")
    commit(
        root,
        "Validate INS-0002, conclude EXP-0001",
        author="Bea Costa",
        date="2025-02-03T09:00:00+01:00",
    )
    head = run_git(root, "rev-parse", "HEAD").stdout.strip()
    return {"root": root, "base": base, "head": head}


def _normalise(text: str, repo: dict[str, object]) -> str:
    for name in ("base", "head"):
        sha = str(repo[name])
        text = text.replace(sha[:10], f"<{name}>")
    return text


def test_review_json_facts(feature_repo: dict[str, object]) -> None:
    root = feature_repo["root"]
    result = cx("-C", root, "review", "--base", "main", "--format", "json")
    assert result.exit_code == 1, result.output  # the change has a validation error
    data = result.json()
    assert data["base"] == {"ref": "main", "commit": feature_repo["base"]}
    assert data["head"] == {"ref": "working tree", "commit": feature_repo["head"]}
    assert data["merge_base"] == feature_repo["base"]
    assert data["summary"] == {
        "added": 1,
        "changed": 3,
        "renamed": 1,
        "deleted": 0,
        "errors": 1,
        "warnings": 0,
    }
    docs = {d["id"]: d for d in data["documents"]}
    assert [d["id"] for d in data["documents"]] == [
        "INS-0003",
        "INS-0002",
        "OPP-0001",
        "EXP-0001",
        "EXP-0002",
    ]
    assert docs["INS-0003"]["change"] == "added"
    assert docs["INS-0003"]["title"] == "Customers without a printer | give up on returns"
    assert docs["INS-0003"]["owner"] == "Ana Lima"
    assert docs["INS-0003"]["links_added"] == [{"field": "evidence", "target": "EXP-0001"}]
    assert docs["INS-0002"]["links_added"] == [{"field": "evidence", "target": "EXP-0001"}]
    assert docs["EXP-0002"]["change"] == "renamed"
    assert docs["EXP-0002"]["old_path"] == "experiments/EXP-0002-cafe-banner.md"
    assert docs["EXP-0002"]["path"] == RENAMED
    assert data["transitions"] == [
        {
            "id": "INS-0002",
            "kind": "insight",
            "from": "draft",
            "to": "validated",
            "outcome": None,
            "decision": None,
        },
        {
            "id": "OPP-0001",
            "kind": "opportunity",
            "from": "idea",
            "to": "prioritized",
            "outcome": None,
            "decision": None,
        },
        {
            "id": "EXP-0001",
            "kind": "experiment",
            "from": "running",
            "to": "concluded",
            "outcome": "lost",
            "decision": "abandon",
        },
    ]
    [finding] = data["findings"]
    assert finding["code"] == "experiment-learnings"
    assert finding["path"] == "experiments/EXP-0001-cart-banner.md"
    text = (root / finding["path"]).read_text().splitlines()
    assert text[finding["line"] - 1] == "## Learnings"
    assert "a loss or an inconclusive result needs its learnings" in finding["message"]
    checks = {c["id"]: c for c in data["checklist"]}
    assert set(checks) == {"INS-0003", "INS-0002", "OPP-0001", "EXP-0001"}
    assert checks["INS-0002"]["ok"] and checks["INS-0003"]["ok"] and checks["OPP-0001"]["ok"]
    assert not checks["EXP-0001"]["ok"]
    assert {c["name"]: c["ok"] for c in checks["EXP-0001"]["checks"]} == {
        "outcome": True,
        "decision": True,
        "learnings": False,
    }
    assert data["collisions"] == []


def test_review_markdown_golden(feature_repo: dict[str, object]) -> None:
    result = cx("-C", feature_repo["root"], "review", "--base", "main")
    assert result.exit_code == 1, result.output
    golden("review-feature.md", _normalise(result.stdout, feature_repo))


def test_review_of_a_ref_equals_review_of_the_working_tree(
    feature_repo: dict[str, object], tmp_path: Path
) -> None:
    """``--head REF`` reads every version from git: from another checkout it gives the same
    facts, and with the same exit code."""
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--branch", "main", str(feature_repo["root"]), str(clone))
    here = cx("-C", feature_repo["root"], "review", "--base", "main", "--format", "json").json()
    there = cx(
        "-C", clone, "review", "--base", "main", "--head", "origin/feature", "--format", "json"
    )
    assert there.exit_code == 1, there.output
    data = there.json()
    assert data["head"] == {"ref": "origin/feature", "commit": feature_repo["head"]}
    for key in ("documents", "transitions", "findings", "checklist", "summary"):
        assert data[key] == here[key], key


def test_review_works_on_a_detached_head(feature_repo: dict[str, object], tmp_path: Path) -> None:
    clone = tmp_path / "ci"
    run_git(tmp_path, "clone", "-q", str(feature_repo["root"]), str(clone))
    run_git(clone, "checkout", "-q", "--detach", str(feature_repo["head"]))
    result = cx("-C", clone, "review", "--base", "origin/main", "--format", "json")
    assert result.exit_code == 1, result.output
    assert result.json()["summary"]["changed"] == 3


def test_review_without_changes_says_so(feature_repo: dict[str, object]) -> None:
    result = cx("-C", feature_repo["root"], "review", "--base", "feature")
    assert result.exit_code == 0, result.output
    assert "No documents of the library changed." in result.stdout


def test_review_sees_uncommitted_renames_and_new_files(tmp_path: Path) -> None:
    """In the working tree a file moved without ``git mv`` is a deletion plus an untracked
    file to git; review pairs them by id."""
    root = new_base(tmp_path / "kb")
    write(root, "insights/INS-0001-a.md", insight("INS-0001", "First"))
    commit(root, "base")
    run_git(root, "checkout", "-q", "-b", "work")
    os.rename(root / "insights/INS-0001-a.md", root / "insights/INS-0001-ärger mit größen.md")
    write(root, "insights/INS-0002-b.md", insight("INS-0002", "Second"))
    result = cx("-C", root, "review", "--base", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    docs = result.json()["documents"]
    assert [(d["id"], d["change"], d["path"]) for d in docs] == [
        ("INS-0002", "added", "insights/INS-0002-b.md"),
        ("INS-0001", "renamed", "insights/INS-0001-ärger mit größen.md"),
    ]


def test_markdown_is_cut_to_the_limit_with_a_note(tmp_path: Path) -> None:
    root = new_base(tmp_path / "kb")
    commit(root, "base", date="2025-01-01T00:00:00+00:00")
    run_git(root, "checkout", "-q", "-b", "many")
    for n in range(1, 121):
        write(root, f"insights/INS-{n:04d}-x.md", insight(f"INS-{n:04d}", f"Insight number {n}"))
    result = cx("-C", root, "review", "--base", "main", "--max-bytes", "4096")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.encode()) <= 4096
    assert "the review was cut here" in result.stdout
    assert "| INS-0001 |" in result.stdout and "| INS-0120 |" not in result.stdout


def test_user_text_cannot_break_the_markdown(tmp_path: Path) -> None:
    root = new_base(tmp_path / "kb")
    commit(root, "base")
    run_git(root, "checkout", "-q", "-b", "x")
    write(root, "insights/INS-0001-x.md", insight("INS-0001", "A | b <img src=x> [link](y) *b*"))
    result = cx("-C", root, "review", "--base", "main")
    row = next(line for line in result.stdout.splitlines() if line.startswith("| INS-0001"))
    assert r"A \| b \<img src=x\> \[link\](y) \*b\*" in row
    assert row.count(" | ") == 4  # five cells, none added by the title


# -- where git is missing, shallow or hostile ---------------------------------------------------


def test_shallow_clone_without_the_base_is_a_clear_error(
    feature_repo: dict[str, object], tmp_path: Path
) -> None:
    shallow = tmp_path / "shallow"
    run_git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "feature",
        f"file://{feature_repo['root']}",
        str(shallow),
    )
    result = cx("-C", shallow, "review", "--base", "origin/main")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert (
        "error: base ref origin/main not available (shallow clone); use fetch-depth: 0"
        in result.stderr
    )
    assert "fetch-depth: 0" in result.stderr.splitlines()[-1]  # the hint
    assert "Traceback" not in result.output


def test_shallow_clone_without_the_merge_base_is_a_clear_error(tmp_path: Path) -> None:
    root = new_base(tmp_path / "kb")
    write(root, "insights/INS-0001-a.md", insight("INS-0001", "First"))
    commit(root, "base")
    run_git(root, "checkout", "-q", "-b", "feature")
    write(root, "insights/INS-0002-b.md", insight("INS-0002", "Second"))
    commit(root, "feature", date="2025-01-07T10:00:00+00:00")
    run_git(root, "checkout", "-q", "main")
    write(root, "insights/INS-0003-c.md", insight("INS-0003", "Third"))
    commit(root, "main moves on", date="2025-01-08T10:00:00+00:00")
    shallow = tmp_path / "shallow"
    run_git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--no-single-branch",
        "--branch",
        "feature",
        f"file://{root}",
        str(shallow),
    )
    result = cx("-C", shallow, "review", "--base", "origin/main")
    assert result.exit_code == 2, result.output
    assert "no common history of origin/main and HEAD in this shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr
    assert "Traceback" not in result.output


def test_not_a_git_repository(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "cxlib.toml").write_bytes((new_base(tmp_path / "src") / "cxlib.toml").read_bytes())
    write(root, "insights/INS-0001-a.md", insight("INS-0001", "First"))
    for args in (["review", "--base", "main"], ["log", "INS-0001"], ["log"]):
        result = cx("-C", root, *args)
        assert result.exit_code == 2, result.output
        assert "error: not inside a git repository" in result.stderr
        assert "Traceback" not in result.output
    assert cx("-C", root, "validate").exit_code == 0  # commands without git still work


def test_a_base_ref_that_does_not_exist(feature_repo: dict[str, object]) -> None:
    result = cx("-C", feature_repo["root"], "review", "--base", "origin/nope")
    assert result.exit_code == 2, result.output
    assert "error: base ref origin/nope does not exist" in result.stderr


def test_an_empty_repository(kb: Path) -> None:
    result = cx("-C", kb, "review", "--base", "main")
    assert result.exit_code == 2, result.output
    assert "error: the repository has no commits yet" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--base=--output=OUT"],
        ["--base", "main", "--head=--output=OUT"],
        ["--base=-p"],
        ["--base", "main..feature"],
        ["--base", "main feature"],
        ["--base", "main:cxlib.toml"],
    ],
)
def test_refs_are_never_options(
    feature_repo: dict[str, object], tmp_path: Path, args: list[str]
) -> None:
    out = tmp_path / "out.txt"
    args = [a.replace("OUT", str(out)) for a in args]
    result = cx("-C", feature_repo["root"], "review", *args)
    assert result.exit_code == 2, result.output
    assert "error: invalid" in result.stderr
    assert not out.exists()


def test_no_base_branch_found(tmp_path: Path) -> None:
    root = new_base(tmp_path / "kb")
    commit(root, "base")
    run_git(root, "branch", "-m", "trunk")
    result = cx("-C", root, "review")
    assert result.exit_code == 2, result.output
    assert "no base branch to compare with" in result.stderr
    assert "--base" in result.stderr


def test_the_base_comes_from_github_base_ref(
    feature_repo: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "ci"
    run_git(tmp_path, "clone", "-q", "--branch", "feature", str(feature_repo["root"]), str(clone))
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    result = cx("-C", clone, "review", "--format", "json")
    assert result.json()["base"]["ref"] == "origin/main"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the repository to another user")
def test_dubious_ownership_is_reported_as_such(tmp_path: Path) -> None:
    root = new_base(tmp_path / "kb")
    write(root, "insights/INS-0001-a.md", insight("INS-0001", "First"))
    commit(root, "base")
    for path in [root, *root.rglob("*")]:
        os.lchown(path, 65534, 65534)
    try:
        result = cx("-C", root, "review", "--base", "main")
    finally:
        for path in [root, *root.rglob("*")]:
            os.lchown(path, 0, 0)
    assert result.exit_code == 2, result.output
    assert "git refuses this repository (safe.directory)" in result.stderr
    assert "git config --global --add safe.directory" in result.stderr


# -- ids that collide on merge ------------------------------------------------------------------


@pytest.fixture
def colliding(tmp_path: Path) -> Path:
    """main gets EXP-0002 from branch a (merged); branch b (checked out) adds its own EXP-0002,
    referenced from an insight's evidence and from a body link."""
    root = new_base(tmp_path / "kb")
    write(
        root,
        "insights/INS-0001-late-shipping.md",
        insight(
            "INS-0001",
            "Shipping costs surface too late",
            "validated",
            "evidence: [https://example.com/survey]\nconfidence: high\n",
        ),
    )
    write(
        root,
        "opportunities/OPP-0001-shipping-in-cart.md",
        opportunity("OPP-0001", "Show shipping costs in the cart"),
    )
    write(root, "experiments/EXP-0001-cart-banner.md", experiment("EXP-0001", "Cart banner"))
    commit(root, "base")
    run_git(root, "checkout", "-q", "-b", "a")
    write(root, "experiments/EXP-0002-free-returns.md", experiment("EXP-0002", "Free returns"))
    commit(root, "a: EXP-0002", date="2025-01-07T10:00:00+00:00")
    run_git(root, "checkout", "-q", "main")
    run_git(root, "checkout", "-q", "-b", "b")
    write(root, "experiments/EXP-0002-gift-wrap.md", experiment("EXP-0002", "Gift wrap"))
    write(
        root,
        "insights/INS-0002-gifts.md",
        insight(
            "INS-0002",
            "Gift buyers want wrapping",
            "validated",
            "evidence: [EXP-0002]\nconfidence: medium\n",
        ).replace("Gift buyers want wrapping.", "Seen in [[EXP-0002]] and [[EXP-0001]]."),
    )
    commit(root, "b: EXP-0002", date="2025-01-08T10:00:00+00:00")
    run_git(root, "checkout", "-q", "main")
    run_git(root, "merge", "-q", "--no-edit", "a", date="2025-01-09T10:00:00+00:00")
    run_git(root, "checkout", "-q", "b")
    return root


def test_review_flags_an_id_the_base_already_uses(colliding: Path) -> None:
    assert cx("-C", colliding, "validate").exit_code == 0  # each branch is valid on its own
    result = cx("-C", colliding, "review", "--base", "main", "--format", "json")
    assert result.exit_code == 1, result.output
    data = result.json()
    assert data["collisions"] == [
        {
            "id": "EXP-0002",
            "path": "experiments/EXP-0002-gift-wrap.md",
            "base_paths": ["experiments/EXP-0002-free-returns.md"],
            "fix": "cxlib renumber EXP-0002",
        }
    ]
    [finding] = [f for f in data["findings"] if f["code"] == "id-collision"]
    assert finding["path"] == "experiments/EXP-0002-gift-wrap.md" and finding["line"] == 2
    assert "cxlib renumber EXP-0002" in finding["hint"]
    markdown = cx("-C", colliding, "review", "--base", "main").stdout
    assert "### Ids already used on `main`" in markdown
    assert "Fix it with `cxlib renumber EXP-0002`." in markdown


def test_review_does_not_flag_the_base_document_itself(colliding: Path) -> None:
    run_git(colliding, "checkout", "-q", "a")
    result = cx("-C", colliding, "review", "--base", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.json()["collisions"] == []


@pytest.mark.skipif(
    "renumber" not in {c.name for c in full_app().registered_commands},
    reason="the 'renumber' command is not registered in this build (it comes with the line-level "
    "edit module); this test runs once it is",
)
def test_renumber_resolves_the_collision_and_updates_every_reference(colliding: Path) -> None:
    result = cx("-C", colliding, "renumber", "EXP-0002")
    assert result.exit_code == 0, result.output
    [moved] = (colliding / "experiments").glob("*-gift-wrap.md")
    new_id = moved.name[: len("EXP-0000")]
    assert new_id != "EXP-0002"
    assert not (colliding / "experiments/EXP-0002-gift-wrap.md").exists()
    assert f"id: {new_id}\n" in moved.read_text()
    linking = (colliding / "insights/INS-0002-gifts.md").read_text()
    assert f"evidence: [{new_id}]" in linking
    assert f"[[{new_id}]]" in linking and "[[EXP-0001]]" in linking
    assert "EXP-0002" not in linking
    after = cx("-C", colliding, "review", "--base", "main", "--format", "json")
    assert after.json()["collisions"] == [], after.output
    assert after.exit_code == 0, after.output
    assert cx("-C", colliding, "validate").exit_code == 0


def test_revision_syntax_is_read_by_git(feature_repo: dict[str, object]) -> None:
    result = cx("-C", feature_repo["root"], "review", "--base", "feature~1", "--format", "json")
    assert result.exit_code == 1, result.output
    assert result.json()["base"] == {"ref": "feature~1", "commit": feature_repo["base"]}


def test_a_knowledge_base_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = new_base(top / "docs" / "cx library", repository=top)
    write(top, "README.md", "outside the base\n")
    write(root, "insights/INS-0001-a.md", insight("INS-0001", "First"))
    commit(top, "base")
    run_git(top, "checkout", "-q", "-b", "f")
    write(root, "insights/INS-0001-a.md", insight("INS-0001", "First, renamed title"))
    write(top, "insights/INS-0009-outside.md", insight("INS-0009", "Not in the base"))
    commit(top, "edit", date="2025-01-07T10:00:00+00:00")
    result = cx("-C", root / "insights", "review", "--base", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(d["id"], d["change"], d["path"]) for d in result.json()["documents"]] == [
        ("INS-0001", "changed", "insights/INS-0001-a.md")
    ]
    log = cx("-C", root, "log", "INS-0001", "--format", "json").json()
    assert [c["message"] for c in log["commits"]] == ["edit", "base"]
    assert (
        cx("-C", root, "review", "--base", "main", "--head", "f", "--format", "json").json()[
            "documents"
        ]
        == result.json()["documents"]
    )
