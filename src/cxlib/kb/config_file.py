"""Finding the knowledge base root and reading ``cxlib.toml``."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.errors import ConfigError, NotAKnowledgeBaseError
from cxlib.model.config import ProgramConfig, config_from_plain

CONFIG_NAME = "cxlib.toml"
CACHE_NAME = "config.json"  # the last validated config, in the knowledge base's cache folder
FORMAT = 1


def find_root(start: Path) -> Path:
    """Walk up from ``start`` to the folder holding ``cxlib.toml`` (like git finds ``.git``)."""
    start = start.resolve()
    if not start.exists():
        raise NotAKnowledgeBaseError(f"{start}: no such folder")
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise NotAKnowledgeBaseError(
        f"no knowledge base here: no {CONFIG_NAME} in {start} or any parent folder",
        hint="run 'cxlib init' to create one, or pass --root/-C PATH",
    )


def load_config(root: Path) -> ProgramConfig:
    """Read and validate the config; any problem is one ConfigError naming the key and line."""
    return read_config(root)[0]


def read_config(root: Path) -> tuple[ProgramConfig, str]:
    """The validated config and the SHA-256 of its bytes (what cached findings are keyed by:
    the file is read once per run). Any problem is one ConfigError naming the key and line.

    A config validated before is read back from the cache (plain JSON), without importing the
    validator: keyed by the file's bytes and by its inode and change time, so a cache file
    committed to a repository (the change time is the checkout's) never stands for a config."""
    path = root / CONFIG_NAME
    try:
        raw = path.read_bytes()
        st = path.stat()
    except OSError as e:
        raise ConfigError(f"{CONFIG_NAME}: cannot read: {e.strerror}") from None
    digest = hashlib.sha256(raw).hexdigest()
    key = f"{FORMAT}:{__version__}:{st.st_ino}:{st.st_ctime_ns}:{digest}"
    cached = _cached(root, key)
    if cached is not None:
        return cached, digest
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{CONFIG_NAME}: not valid UTF-8 at byte {e.start}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(
            f"{CONFIG_NAME}: invalid TOML: {e}", hint="check quoting and brackets on that line"
        ) from None
    except RecursionError:
        raise ConfigError(
            f"{CONFIG_NAME}: invalid TOML: nested too deeply", hint="a config is a few flat tables"
        ) from None
    config = config_from_data(data, text)
    if make_folder(cache_folder(root)):
        plain = {"key": key, "config": dataclasses.asdict(config)}
        write_text(cache_folder(root) / CACHE_NAME, dumps(plain))
    return config, digest


def _cached(root: Path, key: str) -> ProgramConfig | None:
    raw = read_json(cache_folder(root) / CACHE_NAME)
    try:
        return config_from_plain(raw["config"]) if raw["key"] == key else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # no cache, another version's, or damaged: validate the file


def config_from_data(data: dict[str, Any], text: str = "") -> ProgramConfig:
    from cxlib.model.config_check import ConfigProblem, check_config

    try:
        return check_config(data)
    except ConfigProblem as e:
        key = ".".join(str(p) for p in e.loc) or "(top level)"
        line = locate_key(text, e.loc)
        where = f"{CONFIG_NAME}:{line}" if line else CONFIG_NAME
        extra = f" (and {e.more} more problem{'s' if e.more > 1 else ''})" if e.more else ""
        raise ConfigError(
            f"{where}: {key}: {e.message}{extra}", hint="see the config reference in the README"
        ) from None


_HEADER = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_.\-\"]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"]+)\s*=")


def locate_key(text: str, loc: tuple[Any, ...]) -> int:
    """Best-effort 1-based line of a pydantic location in TOML text (0 when not found).

    tomllib keeps no positions, so follow the table headers: ``("metrics", 2, "kind")`` is the
    ``kind =`` line after the third ``[[metrics]]`` header.
    """
    if not text or not loc:
        return 0
    lines = text.splitlines()
    table: list[str] = []
    counts: dict[str, int] = {}
    best = 0
    names = [str(p) for p in loc if not isinstance(p, int)]
    wanted_index = next((p for p in loc if isinstance(p, int)), None)
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).strip('"')
            if header.group(1):
                counts[name] = counts.get(name, -1) + 1
            table = name.split(".")
            if table == names[: len(table)] and (
                not header.group(1) or wanted_index is None or counts[name] == wanted_index
            ):
                best = number
            continue
        key = _KEY.match(line)
        if key and [*table, key.group(1).strip('"')] == names[: len(table) + 1]:
            in_right_item = not any(isinstance(p, int) for p in loc) or (
                best and counts.get(".".join(table), -1) == wanted_index
            )
            if in_right_item:
                best = number
                if len(table) + 1 >= len(names):
                    return number
    return best
