"""Finding the knowledge base root and reading ``cxlib.toml``."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.errors import ConfigError, NotAKnowledgeBaseError
from cxlib.kb.files import KindFolders, kind_folders
from cxlib.model.config import (
    DEFAULT_KINDS,
    LIBRARY_FORMAT,
    ProgramConfig,
    config_from_plain,
    format_release,
    with_default_kinds,
)

CONFIG_NAME = "cxlib.toml"
CACHE_NAME = "config.json"  # the last validated config, in the knowledge base's cache folder
CACHE_FORMAT = 1  # of that cache file (the library's own format is ``format`` in cxlib.toml)


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
    digest, key = _cache_key(raw, st)
    cached = _cached(root, key)
    if cached is not None:
        return cached, digest
    import tomllib  # here: a run answered from the cache never loads the TOML parser

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
    except ValueError:  # an integer of thousands of digits, which Python will not convert
        raise ConfigError(
            f"{CONFIG_NAME}: invalid TOML: a number too long to read",
            hint="a config's numbers are small",
        ) from None
    config = config_from_data(data, text)
    if make_folder(cache_folder(root)):
        plain = {"key": key, "config": dataclasses.asdict(config)}
        write_text(cache_folder(root) / CACHE_NAME, dumps(plain))
    return config, digest


def _cache_key(raw: bytes, st: os.stat_result) -> tuple[str, str]:
    """The digest of the config's bytes, and the key its cached validation is kept under."""
    digest = hashlib.sha256(raw).hexdigest()
    return digest, f"{CACHE_FORMAT}:{__version__}:{st.st_ino}:{st.st_ctime_ns}:{digest}"


def early_kind_folders(root: Path) -> KindFolders | None:
    """The kind folders of ``root``'s config, as soon as they can be had: from the validated
    config kept in the cache, else read off the TOML unvalidated (validating a config takes
    about 0.2 s). For a listing started ahead (:func:`cxlib.kb.files.list_ahead`), which is
    taken only if the validated config names the same folders. None when the file cannot be
    read as TOML."""
    path = root / CONFIG_NAME
    try:
        raw = path.read_bytes()
        st = path.stat()
    except OSError:
        return None
    cached = _cached(root, _cache_key(raw, st)[1])
    if cached is not None:
        return kind_folders(cached)
    import tomllib

    try:
        merged = with_default_kinds(tomllib.loads(raw.decode("utf-8-sig")))["kinds"]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    if not isinstance(merged, dict):
        return None  # the validation says what is wrong
    folders = []
    for kind in DEFAULT_KINDS:
        table = merged.get(kind.value)
        folder = table.get("folder") if isinstance(table, dict) else None
        if not isinstance(folder, str):
            return None  # the validation says what is wrong
        folders.append((kind, folder))
    return tuple(folders)


def _cached(root: Path, key: str) -> ProgramConfig | None:
    raw = read_json(cache_folder(root) / CACHE_NAME)
    try:
        return config_from_plain(raw["config"]) if raw["key"] == key else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # no cache, another version's, or damaged: validate the file


def config_from_data(data: dict[str, Any], text: str = "") -> ProgramConfig:
    """The validated config of parsed TOML ``data`` (``text``, its source, locates problems).
    A library in a newer format than this cxlib reads is refused first: that format may have
    keys this version does not know."""
    from cxlib.model.config_check import ConfigProblem, check_config

    _refuse_newer_format(data, text)
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


# A format past this is no release's: a validation finding rather than a version to ask for.
_PLAUSIBLE_FORMAT = 999


def _refuse_newer_format(data: dict[str, Any], text: str) -> None:
    given = data.get("format")
    if not isinstance(given, int) or isinstance(given, bool):
        return  # not a format: the validation says so, with its line
    if LIBRARY_FORMAT < given <= _PLAUSIBLE_FORMAT:
        line = locate_key(text, ("format",))
        where = f"{CONFIG_NAME}:{line}" if line else CONFIG_NAME
        raise ConfigError(
            f"{where}: this library is in format {given}, which needs cxlib >= "
            f"{format_release(given)} (this is cxlib {__version__}); upgrade cxlib",
            hint="a pre-commit hook or CI workflow that pins cxlib (rev:, cxlib==) needs the "
            "newer version too",
        )


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


_TABLE_START = re.compile(r"^[ \t]*\[")
_FORMAT_LINE = re.compile(r"^([ \t]*format[ \t]*=[ \t]*)([^#\s]+)(.*)$")


def with_format(text: str, library_format: int, name: str = CONFIG_NAME) -> str:
    """``text`` (a ``cxlib.toml``) saying ``format = N``, changed by lines: the value of its
    top-level ``format`` line replaced, or the line inserted after the leading comments, before
    the first key or table (with a blank line before a table). Every other byte is kept (a BOM,
    CRLF, comments). Refused when the result would not read as the same config in that format;
    ``name`` is the file as messages name it."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom) :].splitlines(keepends=True)
    newline = next((ln[len(ln.rstrip("\r\n")) :] for ln in lines if ln.endswith("\n")), "\n")
    first_table = next((i for i, ln in enumerate(lines) if _TABLE_START.match(ln)), len(lines))
    found = next((i for i in range(first_table) if _FORMAT_LINE.match(lines[i])), None)
    if found is not None:
        line = lines[found]
        body = line.rstrip("\r\n")
        m = _FORMAT_LINE.match(body)
        assert m is not None
        lines[found] = f"{m.group(1)}{library_format}{m.group(3)}{line[len(body) :]}"
    else:
        at = next(
            (i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")),
            len(lines),
        )
        new = [f"format = {library_format}{newline}"]
        if at == first_table:
            new.append(newline)  # top-level keys stand apart from the first table
        if at and not lines[at - 1].endswith("\n"):
            lines[at - 1] += newline
        lines[at:at] = new
    result = bom + "".join(lines)
    _check_format_edit(text, result, library_format, name)
    return result


def _check_format_edit(before: str, after: str, library_format: int, name: str) -> None:
    import tomllib

    try:
        old = tomllib.loads(before.removeprefix("\ufeff"))
    except (ValueError, RecursionError) as e:
        raise ConfigError(f"{name}: invalid TOML: {e}; nothing was written") from None
    try:
        new = tomllib.loads(after.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        new = {}
    if new != {**old, "format": library_format}:
        raise ConfigError(
            f"{name}: cannot set 'format = {library_format}' by lines safely; nothing was written",
            hint=f"add the line 'format = {library_format}' before the first [table] by hand",
        )
