"""The validation cache: a warm run answers like a cold one, and a change is never missed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, write


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "northwind"
    example_copy(target)
    return target


def _findings(root: Path, *args: str) -> list[tuple[str, str, int]]:
    result = cx("-C", root, "validate", "--format", "json", *args)
    return sorted((f["path"], f["code"], f["line"]) for f in result.json()["findings"])


def _age(path: Path, seconds: int = 60) -> None:
    """Make a file look older than the cache (outside git's "racy" window)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def test_warm_run_equals_cold_run(example: Path) -> None:
    path = example / "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
    path.write_text(path.read_text().replace("status: concluded", "status: finished"))
    for p in example.rglob("*.md"):
        _age(p)
    cold = _findings(example)
    assert (example / ".cxlib" / "facts").is_dir()
    warm = _findings(example)
    assert warm == cold
    assert any(code == "invalid-value" for _, code, _ in warm)
    assert _findings(example, "--no-cache") == cold


def test_a_same_size_edit_is_seen(example: Path) -> None:
    for p in example.rglob("*.md"):
        _age(p)
    assert _findings(example) == []
    path = example / "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
    before = path.stat()
    text = path.read_text().replace("status: concluded", "status: concludex")
    path.write_text(text)
    # Same size and same inode: only the new modification time tells, and it is inside the
    # racy window of the cache written a moment ago, so the file is re-read.
    assert path.stat().st_size == before.st_size
    assert [c for _, c, _ in _findings(example)] == ["invalid-value"]


def test_an_atomic_replace_with_old_mtime_is_seen(example: Path) -> None:
    for p in example.rglob("*.md"):
        _age(p)
    assert _findings(example) == []
    path = example / "insights/INS-0002-shipping-costs-surface-too-late.md"
    st = path.stat()
    replacement = path.with_suffix(".tmp")
    replacement.write_text(path.read_text().replace("status: validated", "status: validatex"))
    os.utime(replacement, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(replacement, path)  # an editor's save: new inode, old-looking mtime
    assert [c for _, c, _ in _findings(example)] == ["invalid-value"]


def test_config_change_invalidates_cached_findings(example: Path) -> None:
    for p in example.rglob("*.md"):
        _age(p)
    assert _findings(example) == []
    config = example / "cxlib.toml"
    text = config.read_text()
    assert '"reviews",' in text
    config.write_text(text.replace('"reviews",', '"ratings",'))
    assert any(code == "unknown-touchpoint" for _, code, _ in _findings(example))


def test_new_and_deleted_files_are_seen(example: Path) -> None:
    assert _findings(example) == []
    write(example, "insights/INS-0099-new.md", "---\nid: INS-0099\n---\n")
    assert {c for _, c, _ in _findings(example)} == {"missing-field"}
    (example / "insights/INS-0099-new.md").unlink()
    assert _findings(example) == []


def test_a_damaged_or_planted_cache_is_ignored(example: Path, tmp_path: Path) -> None:
    assert _findings(example) == []
    for shard in (example / ".cxlib" / "parsed").glob("*.json"):
        shard.write_text("{not json")
    assert _findings(example) == []
    shutil.rmtree(example / ".cxlib")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (example / ".cxlib").symlink_to(elsewhere)
    assert _findings(example) == []
    assert list(elsewhere.iterdir()) == []  # nothing written through the symlink


def test_cached_values_round_trip_exactly() -> None:
    import json

    from cxlib.kb.parse import parse_bytes
    from cxlib.model.source import ParsedFile, json_default, json_object_hook

    raw = (
        b"---\nid: INS-0001\ncreated: 2025-01-02\nodd: {$date: not-a-date}\n"
        b"odd2: {$dict: 1}\nwhen: 2025-01-02 10:30:00\n---\n## Summary\nText [[EXP-0001]]\n"
    )
    parsed = parse_bytes(raw)
    text = json.dumps(parsed.to_json(), default=json_default)
    back = ParsedFile.from_json(json.loads(text, object_hook=json_object_hook))
    assert back.data == parsed.data
    assert back.sections == parsed.sections and back.wiki_links == parsed.wiki_links
    assert {k: back.locations[k] for k in back.locations} == parsed.locations
    # Decoded entries (holding real dates) can be written again.
    assert json.loads(json.dumps(back.to_json(), default=json_default)) == json.loads(text)


def test_one_file_mode_checks_against_cached_ids(example: Path) -> None:
    for p in example.rglob("*.md"):
        _age(p)
    assert _findings(example) == []  # fills the cache
    write(
        example,
        "insights/INS-0002-again.md",
        "---\nid: INS-0002\ntitle: T\nstatus: draft\ncreated: 2025-01-10\n"
        "---\nSee [[EXP-0404]] and [[EXP-0003]].\n",
    )
    found = _findings(example, str(example / "insights/INS-0002-again.md"))
    assert ("insights/INS-0002-again.md", "duplicate-id", 2) in found
    assert ("insights/INS-0002-again.md", "broken-link", 7) in found
    assert all(path == "insights/INS-0002-again.md" for path, _, _ in found)
    assert len(found) == 2


def test_parallel_parsing_equals_serial_parsing(example: Path) -> None:
    from cxlib.kb.files import scan
    from cxlib.kb.parallel import parse_file, parse_in_parallel
    from cxlib.kb.store import KnowledgeBase

    write(example, "insights/INS-0098-broken.md", "---\nid: [\n---\n")
    kb = KnowledgeBase.open(example)
    files, _ = scan(example, kb.config)
    ahead = parse_in_parallel(example, files, minimum=1)
    if os.cpu_count() == 1:
        pytest.skip("one CPU: parsing is never parallel here")
    assert set(ahead) == {f.path for f in files}
    for f in files:
        assert ahead[f.path] == parse_file(example, f.path, f.size), f.path


@pytest.mark.parametrize("before", [[], ["list"]], ids=["cold", "after-list"])
def test_a_one_file_run_opens_no_other_document(example: Path, before: list[str]) -> None:
    """The pre-commit case: the named file is checked in full, every other document is known by
    the id its file name gives, so its content (even garbage) is never read."""
    import json

    if before:  # a command that caches whole parses but no findings
        assert cx("-C", example, *before).exit_code == 0
    one = "insights/INS-0002-shipping-costs-surface-too-late.md"
    for p in example.rglob("*.md"):
        if p.relative_to(example).as_posix() != one and ".cxlib" not in p.parts:
            p.write_bytes(b"\xff\xfe not a document")
        _age(p)
    assert _findings(example, str(example / one)) == []
    entries: dict[str, object] = {}
    for shard in (example / ".cxlib" / "facts").glob("*.json"):
        entries.update(json.loads(shard.read_text())["entries"])
    if not before:  # the one-file run recorded the named file alone
        assert set(entries) == {one}


def test_an_edit_that_restores_the_modification_time_is_seen(example: Path) -> None:
    """Same size, mtime put back (an editor or a sync tool can do that): the status-change time
    still moves, and a cache that compares it, as git does, re-reads the file."""
    path = example / "insights/INS-0002-shipping-costs-surface-too-late.md"
    for p in example.rglob("*.md"):
        _age(p)
    assert _findings(example) == []
    before = path.stat()
    text = path.read_text()
    edited = text.replace("status: validated", "status: validatex")
    assert len(edited) == len(text)
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
    codes = [code for p, code, _ in _findings(example) if p.endswith(path.name)]
    assert codes == ["invalid-value"]


def test_only_single_file_findings_are_cached(tmp_path: Path) -> None:
    """A cross-document finding depends on other files: kept with its file, it would outlive
    a fix made elsewhere."""
    from cxlib.kb.cache import FactsCache
    from cxlib.kb.files import signature
    from cxlib.kb.parse import parse_bytes
    from cxlib.model.findings import error
    from cxlib.model.kinds import Kind

    path = tmp_path / "insights" / "INS-0001-x.md"
    path.parent.mkdir()
    path.write_text("---\nid: INS-0001\n---\n")
    _age(path)
    f = signature(path, "insights/INS-0001-x.md", Kind.INSIGHT)
    assert f is not None
    own = error("insight-evidence", f.path, "own")
    other = error("broken-link", f.path, "depends on another file")
    cache = FactsCache(tmp_path, "rules")
    cache.put(f, parse_bytes(path.read_bytes()), [own, other], "INS-0001")
    cache.save()
    hit = FactsCache(tmp_path, "rules").get(f)
    assert hit is not None and [x.code for x in hit[1]] == ["insight-evidence"]
