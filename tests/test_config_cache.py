"""The validated config is kept in ``.cxlib/config.json`` so that a warm command never imports
the validator; the cache stands for the file only while the file is the very one validated."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import cx

from cxlib.kb.config_file import CACHE_NAME, load_config
from cxlib.model.config import Direction, MetricKind
from cxlib.model.kinds import Kind


def _cache(base: Path) -> Path:
    return base / ".cxlib" / CACHE_NAME


def test_the_cached_config_is_the_validated_one(base: Path) -> None:
    first = load_config(base)
    assert _cache(base).is_file()
    again = load_config(base)
    assert again == first
    assert again.metrics[0].kind in set(MetricKind) and isinstance(
        again.metrics[0].kind, MetricKind
    )
    assert all(isinstance(m.direction, Direction) for m in again.metrics)
    assert all(isinstance(k, Kind) for k in again.kinds)


def _plant(base: Path, change: dict[str, object]) -> None:
    """Rewrite the cached config with ``change`` applied to its program table, key kept."""
    cached = json.loads(_cache(base).read_text())
    cached["config"]["program"] |= change
    _cache(base).write_text(json.dumps(cached))


def test_an_edit_of_the_config_is_seen(base: Path) -> None:
    load_config(base)
    toml = base / "cxlib.toml"
    toml.write_text(toml.read_text().replace("stale_after_days = 30", "stale_after_days = 0"))
    result = cx("-C", base, "validate")
    assert result.exit_code == 2, result.output
    assert "program.stale_after_days" in result.stderr


def test_a_cache_copied_or_committed_with_the_base_is_not_trusted(
    base: Path, tmp_path: Path
) -> None:
    """Same bytes, same key text, but another file (its inode and change time differ): a
    repository that commits a crafted ``.cxlib/config.json`` cannot skip validation."""
    load_config(base)
    _plant(base, {"name": "PLANTED"})
    assert load_config(base).program.name == "PLANTED"  # the trusted local cache is used...
    copy = tmp_path / "copy"
    shutil.copytree(base, copy)
    assert load_config(copy).program.name != "PLANTED"  # ...a copied one is not


def test_touching_the_config_revalidates_it(base: Path) -> None:
    load_config(base)
    _plant(base, {"name": "PLANTED"})
    toml = base / "cxlib.toml"
    os.utime(toml)  # the change time moves, whatever the bytes
    assert load_config(base).program.name != "PLANTED"


@pytest.mark.parametrize(
    "damage",
    ["", "{", "[]", '{"key": 1}', '{"key": null, "config": {}}', "\u0000" * 10],
)
def test_a_damaged_cache_is_no_cache(base: Path, damage: str) -> None:
    expected = load_config(base)
    _cache(base).write_text(damage)
    assert load_config(base) == expected
    assert cx("-C", base, "validate").exit_code == 0
