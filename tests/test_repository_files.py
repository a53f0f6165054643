"""Files a document names (an evidence path, a variant's screenshot, an image or link of the
body) must exist inside the repository: through the real CLI, on a real git repository, with the
caches at work (a deleted screenshot changes no document, yet must be noticed)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, git

from cxlib.kb.run_cache import NAME

EXP = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
HOUR_AGO = time.time() - 3600


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example in a git repository, EXP-0003 naming a screenshot and an image of its own."""
    root = tmp_path / "northwind"
    example_copy(root)
    path = root / EXP
    text = path.read_text()
    shot = "screenshot: assets/EXP-0003-threshold-banner.png"
    assert shot in text
    text = text.replace(shot, "screenshot: assets/banner.png")
    text = text.replace("## Learnings\n", "## Learnings\n\n![the banner](/assets/banner.png)\n")
    path.write_text(text)
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets" / "banner.png").write_bytes(b"\x89PNG")
    git(root, "init", "-q")
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, (HOUR_AGO, HOUR_AGO))  # outside the caches' racy window
    return root


def _missing(root: Path, *paths: str) -> list[tuple[int, str, str]]:
    result = cx("validate", *paths, "--format", "json", cwd=root)
    assert result.stdout, result.output
    found = result.json()["findings"]
    return [(f["line"], f["field"], f["message"]) for f in found if f["code"] == "missing-file"]


def test_named_files_that_exist_pass(repo: Path) -> None:
    assert cx("-C", repo, "validate", "--strict").exit_code == 0


def test_a_deleted_screenshot_is_noticed_by_every_path_of_validate(repo: Path) -> None:
    assert _missing(repo) == []
    assert (repo / ".cxlib" / NAME).is_file()  # the whole run was recorded
    (repo / "assets" / "banner.png").unlink()  # no document changes
    lines = (repo / EXP).read_text().splitlines()
    shot = next(i for i, line in enumerate(lines, 1) if "assets/banner.png}" in line)
    image = lines.index("![the banner](/assets/banner.png)") + 1
    expected = [
        (
            shot,
            "variants.1.screenshot",
            "the screenshot names 'assets/banner.png', which does not exist (assets/banner.png)",
        ),
        (
            image,
            "body",
            "a link of the body names '/assets/banner.png', which does not exist "
            "(assets/banner.png)",
        ),
    ]
    assert _missing(repo) == expected  # the recorded answer, with the files looked at again
    assert _missing(repo) == expected
    assert _missing(repo, EXP) == expected  # the pre-commit hook's path
    result = cx("-C", repo, "validate")
    assert result.exit_code == 1 and "missing-file" in result.output


def test_evidence_paths_urls_and_sentences(repo: Path) -> None:
    path = repo / "insights" / "INS-0001-shoppers-abandon-when-shipping-costs-appear-late.md"
    if not path.exists():
        path = next((repo / "insights").glob("INS-0001-*.md"))
    text = path.read_text()
    text = text.replace(
        "evidence:\n",
        "evidence:\n  - research/2025-03-interviews.pdf\n  - Twelve interviews in March\n",
        1,
    )
    path.write_text(text)
    rel = path.relative_to(repo).as_posix()
    [(_, field, message)] = _missing(repo, rel)
    assert field == "evidence.0"
    assert "'research/2025-03-interviews.pdf', which does not exist" in message
    assert "(research/2025-03-interviews.pdf)" in message  # from the knowledge base's folder
    (repo / "research").mkdir()
    (repo / "research" / "2025-03-interviews.pdf").write_bytes(b"%PDF")
    assert _missing(repo, rel) == []


def test_a_path_outside_the_repository_is_refused(repo: Path) -> None:
    (repo.parent / "secret.txt").write_text("outside")
    path = repo / EXP
    path.write_text(path.read_text().replace("/assets/banner.png)", "../../secret.txt)"))
    [(_, field, message)] = _missing(repo, EXP)
    assert field == "body" and "which is outside the repository" in message


def test_urls_anchors_and_code_are_not_files(repo: Path) -> None:
    path = repo / EXP
    extra = (
        "\nSee [the dashboard](https://example.com/d), [above](#results), "
        # the example's own support address: its [privacy] allow list lets the guard pass it
        "[mail](mailto:support@northwind-outfitters.example) and `[x](nothing.png)`.\n\n"
        "```\n![in code](missing.png)\n```\n"
    )
    path.write_text(path.read_text() + extra)
    assert _missing(repo, EXP) == []
    assert cx("-C", repo, "validate", "--strict").exit_code == 0
