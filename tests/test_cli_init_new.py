"""init and new on real temporary git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, git, snapshot, write


def test_init_creates_a_knowledge_base_and_a_git_repository(tmp_path: Path) -> None:
    root = tmp_path / "library"
    result = cx("init", root)
    assert result.exit_code == 0, result.output
    assert (root / ".git").is_dir()
    for name in (
        "cxlib.toml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "insights/.gitkeep",
        "opportunities/.gitkeep",
        "experiments/.gitkeep",
    ):
        assert (root / name).is_file(), name
    assert ".cxlib/" in (root / ".gitignore").read_text().splitlines()
    assert "cxlib validate" in (root / ".pre-commit-config.yaml").read_text()
    assert cx("-C", root, "validate").exit_code == 0


def test_init_twice_changes_nothing_and_says_what_exists(kb: Path) -> None:
    (kb / "cxlib.toml").write_text((kb / "cxlib.toml").read_text() + "# my edit\n")
    before = snapshot(kb)
    again = cx("init", kb)
    assert again.exit_code == 0, again.output
    assert "exists   cxlib.toml" in again.stderr
    assert "nothing to do" in again.stderr
    assert snapshot(kb) == before


def test_init_in_an_existing_repository_keeps_its_gitignore(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_bytes(b"node_modules/\r\n")
    result = cx("init", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitignore").read_bytes() == b"node_modules/\r\n.cxlib/\r\n_site/\r\n"
    assert "updated  .gitignore" in result.stderr


@pytest.mark.parametrize(
    "kind, folder, prefix",
    [
        ("insight", "insights", "INS"),
        ("opportunities", "opportunities", "OPP"),
        ("experiment", "experiments", "EXP"),
    ],
)
def test_new_creates_a_valid_document_of_each_kind(
    kb: Path, kind: str, folder: str, prefix: str
) -> None:
    result = cx(
        "-C",
        kb,
        "new",
        kind,
        "Free shipping: a test!",
        "--no-input",
        "--format",
        "json",
        "--stage",
        "purchase",
    )
    assert result.exit_code == 0, result.output
    created = result.json()
    assert created == {
        "id": f"{prefix}-0001",
        "path": f"{folder}/{prefix}-0001-free-shipping-a-test.md",
    }
    text = (kb / created["path"]).read_text()
    assert 'title: "Free shipping: a test!"' in text
    assert "owner: Test Owner" in text  # from git config user.name
    assert "stage: purchase" in text
    second = cx("-C", kb, "new", kind, "Another", "--no-input", "--format", "json").json()
    assert second["id"] == f"{prefix}-0002"
    assert cx("-C", kb, "validate").exit_code == 0


def test_new_with_set_and_link(kb: Path) -> None:
    ins = cx(
        "-C", kb, "new", "insight", "Late shipping costs", "--no-input", "--format", "json"
    ).json()["id"]
    result = cx(
        "-C",
        kb,
        "new",
        "opportunity",
        "Show shipping early",
        "--no-input",
        "--link",
        ins,
        "--set",
        "customer_value=4",
        "--set",
        "kpis=[conversion-rate]",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    text = (kb / result.json()["path"]).read_text()
    assert f"insights: [{ins}]" in text
    assert "customer_value: 4" in text
    assert "kpis: [conversion-rate]" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "customer_value=9"], "must be at most 5 (got 9)"),
        (["--set", "nonsense=1"], "has no field 'nonsense'"),
        (["--link", "INS-0404"], "unknown id"),
        (["--stage", "moon"], "journey stage 'moon' is not in cxlib.toml"),
    ],
)
def test_new_refuses_invalid_values_and_writes_nothing(
    kb: Path, args: list[str], message: str
) -> None:
    before = snapshot(kb)
    result = cx("-C", kb, "new", "opportunity", "X", "--no-input", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert snapshot(kb) == before


@pytest.mark.parametrize(
    "title, expected",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("CON", "con-doc"),
        ("Crème brûlée für Straße", "creme-brulee-fur-strasse"),
        ("x" * 300, "x" * 60),
        ("  Spaces   and\ttabs  ", "spaces-and-tabs"),
    ],
)
def test_hostile_titles_become_safe_file_names(kb: Path, title: str, expected: str) -> None:
    result = cx("-C", kb, "new", "insight", title[:200], "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    path = result.json()["path"]
    assert path == f"insights/INS-0001-{expected}.md"
    assert (kb / path).is_file()
    assert cx("-C", kb, "validate").exit_code == 0


@pytest.mark.parametrize(
    "title, message",
    [
        ("line\nbreak", "line break or a control character"),
        ("   ", "the title is empty"),
        ("日本語", "gives an empty file name"),
        ("x" * 201, "too long"),
    ],
)
def test_unusable_titles_are_refused(kb: Path, title: str, message: str) -> None:
    before = snapshot(kb)
    result = cx("-C", kb, "new", "insight", title, "--no-input")
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(kb) == before


def test_a_title_that_gives_no_slug_works_with_slug(kb: Path) -> None:
    result = cx(
        "-C", kb, "new", "insight", "日本語", "--slug", "japanese", "--no-input", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert result.json()["path"] == "insights/INS-0001-japanese.md"
    assert 'title: "日本語"' in (kb / "insights/INS-0001-japanese.md").read_text()


def test_new_takes_ids_used_on_other_branches(kb: Path) -> None:
    git(kb, "add", "-A")
    git(kb, "commit", "-qm", "init")
    git(kb, "checkout", "-qb", "alice")
    assert cx("-C", kb, "new", "experiment", "Alice test", "--no-input").exit_code == 0
    git(kb, "add", "-A")
    git(kb, "commit", "-qm", "alice")
    git(kb, "checkout", "-q", "main")
    assert not list((kb / "experiments").glob("EXP-0001-*"))
    result = cx("-C", kb, "new", "experiment", "Bob test", "--no-input", "--format", "json")
    assert result.json()["id"] == "EXP-0002"


def test_new_takes_ids_on_remote_tracking_branches(tmp_path: Path, kb: Path) -> None:
    git(kb, "add", "-A")
    git(kb, "commit", "-qm", "init")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(kb), str(clone))
    cx("-C", kb, "new", "insight", "Upstream", "--no-input")
    git(kb, "add", "-A")
    git(kb, "commit", "-qm", "upstream")
    git(clone, "fetch", "-q")
    result = cx("-C", clone, "new", "insight", "Local", "--no-input", "--format", "json")
    assert result.json()["id"] == "INS-0002"


def test_new_skips_ids_taken_by_files_already_there(kb: Path) -> None:
    write(kb, "insights/INS-0001-same.md", "---\nid: INS-0001\n---\n")
    result = cx("-C", kb, "new", "insight", "Same", "--no-input", "--format", "json")
    assert result.json()["id"] == "INS-0002"
    assert (kb / "insights/INS-0001-same.md").read_text() == "---\nid: INS-0001\n---\n"


def test_the_exclusive_create_never_replaces_a_file(tmp_path: Path) -> None:
    """The last guard of ``new``: a file that appears under the chosen name (another process in
    the same instant) is refused, left as it was, and no temporary file stays."""
    from cxlib.errors import WriteRefusedError
    from cxlib.kb.write import create_exclusive

    target = tmp_path / "INS-0001-x.md"
    target.write_text("theirs")
    with pytest.raises(WriteRefusedError, match="already exists"):
        create_exclusive(target, b"ours")
    assert target.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["INS-0001-x.md"]


def test_repository_templates_override_the_packaged_ones(kb: Path) -> None:
    packaged = (Path(__file__).resolve().parents[1] / "templates" / "insight.md").read_text()
    write(kb, "templates/insight.md", packaged.replace("## Summary", "## Our own summary"))
    path = cx("-C", kb, "new", "insight", "Custom", "--no-input", "--format", "json").json()["path"]
    assert "## Our own summary" in (kb / path).read_text()


def test_new_outside_a_knowledge_base(tmp_path: Path) -> None:
    result = cx("-C", tmp_path, "new", "insight", "X", "--no-input")
    assert result.exit_code == 2
    assert "no knowledge base here" in result.stderr


def test_today_is_a_parameter(kb: Path) -> None:
    path = cx(
        "-C",
        kb,
        "--today",
        "2025-02-03",
        "new",
        "insight",
        "Dated",
        "--no-input",
        "--format",
        "json",
    ).json()["path"]
    assert "created: 2025-02-03" in (kb / path).read_text()
    bad = cx("-C", kb, "--today", "yesterday", "list")
    assert bad.exit_code == 2
    assert "not a date" in bad.stderr


def test_edit_opens_the_new_file_in_the_editor(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The editor is a real process: a shell that appends a line to the file it is given.
    monkeypatch.setenv("EDITOR", "sh -c 'echo edited-by-editor >> \"$0\"'")
    result = cx("-C", kb, "new", "insight", "Edit me", "--no-input", "--edit")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.read_text().endswith("edited-by-editor\n")


def test_a_missing_editor_is_a_clear_error(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "no-such-editor-xyz")
    result = cx("-C", kb, "new", "insight", "Edit me", "--no-input", "--edit")
    assert result.exit_code == 2
    assert "cannot start the editor" in result.stderr
    assert list((kb / "insights").glob("INS-0001-*.md"))  # the document was still created


def test_new_with_a_link_takes_its_place_on_the_journey(tmp_path: Path) -> None:
    """--link OPP-0001 (stage purchase, touchpoint cart) places the new experiment there; a
    --stage given wins."""
    from tests.conftest import example_copy

    base = example_copy(tmp_path / "northwind")
    made = cx("-C", base, "new", "experiment", "Nudge", "--link", "OPP-0001", "--no-input")
    assert made.exit_code == 0, made.output
    text = next((base / "experiments").glob("EXP-0023-*.md")).read_text()
    assert "\nstage: purchase\n" in text and "\ntouchpoint: cart\n" in text
    told = cx(
        "-C",
        base,
        "new",
        "experiment",
        "Other",
        "--link",
        "OPP-0001",
        "--stage",
        "discover",
        "--no-input",
    )
    assert told.exit_code == 0, told.output
    other = next((base / "experiments").glob("EXP-0024-*.md")).read_text()
    assert "\nstage: discover\n" in other and "touchpoint:" not in other.split("---")[1]
