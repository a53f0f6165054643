"""``cxlib import markdown``: a folder of notes from another tool (an Obsidian vault, a Notion
or Confluence export, a Jekyll or Hugo site), one document of ``--kind`` per note, its body
kept as it is.

The front-matter may be YAML (``---``), TOML (``+++``) or JSON (``{ … }``): python-frontmatter
detects the format and splits the note; the values are read by handlers of ours, since its own
would load YAML aliases and tags (cxlib's strict reader refuses them and bounds the size and
depth), and need the ``toml`` package (``tomllib`` does it). ``--map key=field`` gives a key
its field or body section; ``title``, ``created`` (or ``date``) and ``tags`` are read without
one. A note without a title takes its first heading, else its file name.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from cxlib.errors import UsageError
from cxlib.importers.fields import read_date, target_of, value_of
from cxlib.importers.files import read_text
from cxlib.importers.records import Batch, Incoming, Refused, SourceOptions, text_of
from cxlib.kb.parse import MAX_FILE_BYTES, MAX_FRONT_MATTER_BYTES
from cxlib.kb.yaml_strict import YamlProblem, load
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import STATUS_ENUMS

_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
DEFAULT_KEYS = {"title": "title", "created": "created", "date": "created", "tags": "tags"}
MAX_NOTES = 100_000


def _handlers() -> list[Any]:
    try:
        from frontmatter import detect_format
        from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler
    except ImportError:
        raise UsageError(
            "the markdown source needs python-frontmatter",
            hint="pip install 'cxlib[import]'",
        ) from None

    class StrictYAML(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return load(fm).data

    class TOML(BaseHandler):
        FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
        START_DELIMITER = END_DELIMITER = "+++"

        def load(self, fm: str, **kwargs: object) -> Any:
            return tomllib.loads(fm)

    class BoundedJSON(JSONHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return json.loads(fm)

    return [detect_format, [StrictYAML(), TOML(), BoundedJSON()]]


def read(paths: list[Path], options: SourceOptions) -> Batch:
    kind = options.kind
    if kind is None:
        raise UsageError("markdown needs --kind insight, opportunity or experiment")
    keys = dict(DEFAULT_KEYS)
    for key, name in options.mapping:
        if name != "source_ref" and target_of(kind, options.config, name) is None:
            raise UsageError(
                f"--map {key}={name}: an {kind.value} has no field or section '{name}'"
            )
        keys[key] = name
    detect, handlers = _handlers()
    batch = Batch()
    for top in paths:
        for path in _notes(top):
            rel = path.relative_to(top).as_posix() if top.is_dir() else path.name
            try:
                meta, body = _split(read_text(path, MAX_FILE_BYTES), detect, handlers)
                batch.incoming.append(_incoming(rel, meta, body, kind, keys, options))
            except (ValueError, YamlProblem, RecursionError, tomllib.TOMLDecodeError) as e:
                reason = e.message if isinstance(e, YamlProblem) else str(e)
                batch.refused.append(Refused(rel, text_of(reason, 300)))
            except UsageError as e:
                batch.refused.append(Refused(rel, e.message))
    return batch


def _notes(top: Path) -> list[Path]:
    """The notes under ``top`` (or ``top`` itself), sorted; hidden folders (``.obsidian``,
    ``.git``) and links are left out."""
    if top.is_file():
        return [top]
    if not top.is_dir():
        raise UsageError(f"{top}: no such file or folder")
    found: list[Path] = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(".md") and not name.startswith(".") and not path.is_symlink():
                found.append(path)
        if len(found) > MAX_NOTES:
            raise UsageError(f"{top}: more than {MAX_NOTES} notes")
    return found


def _split(text: str, detect: Any, handlers: list[Any]) -> tuple[dict[str, Any], str]:
    handler = detect(text, handlers)
    if handler is None:
        return {}, text
    try:
        fm, body = handler.split(text)
    except ValueError:
        raise ValueError("the front-matter is not closed") from None
    if len(fm.encode()) > MAX_FRONT_MATTER_BYTES:
        raise ValueError(f"front-matter larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    meta = handler.load(fm)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ValueError(f"the front-matter is not a mapping but a {type(meta).__name__}")
    return meta, body


def _incoming(
    rel: str,
    meta: dict[str, Any],
    body: str,
    kind: Kind,
    keys: dict[str, str],
    options: SourceOptions,
) -> Incoming:
    inc = Incoming(ref=f"markdown:{rel}", kind=kind, title="", body=body.lstrip("\n"))
    for key, value in meta.items():
        name = keys.get(str(key))
        if name is None:
            continue
        if name == "source_ref":
            inc.ref = f"markdown:{text_of(value, 200)}"
        elif name == "title":
            inc.title = text_of(value, 200)
        elif name == "created":
            inc.created = read_date(value)
        elif target_of(kind, options.config, name) == ("field", name):
            converted = value_of(kind, name, value)
            if converted is not None:
                inc.fields[name] = converted
    if not inc.title:
        heading = _TITLE.search(body)
        inc.title = text_of(heading.group(1) if heading else Path(rel).stem, 200)
    if inc.created is None:
        inc.created = options.today
    inc.fields.setdefault("status", next(iter(STATUS_ENUMS[kind])).value)
    inc.owned = tuple(inc.fields)
    return inc
