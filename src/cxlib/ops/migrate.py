"""``cxlib migrate``: bring a library to the newest document format, by lines.

Format 1 to 2: ``cxlib.toml`` says ``format = 2``, and every experiment whose ``variants`` are
names alone gets them as records, one ``- {name: X}`` line each. Nothing else changes: not
``updated:`` (a migration is no content edit), not a comment, not the body.

Every change is computed and checked before any file is written: a file that does not read
cleanly, or whose rewrite would read as anything but the same front-matter with records for the
names, stops the migration with nothing written. ``cxlib.toml`` is written last, so a migration
interrupted midway leaves the library in its old format with some experiments rewritten, and
running ``cxlib migrate`` again finishes it (records already in place are left as they are).
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from cxlib.errors import ConfigError, WriteRefusedError
from cxlib.kb.changes import FileChange, apply, diff
from cxlib.kb.config_file import CONFIG_NAME, with_format
from cxlib.kb.edit import EditableFile
from cxlib.kb.files import read_document
from cxlib.kb.id_lock import ids_reserved
from cxlib.kb.journal import refuse_if_pending
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.model.config import LIBRARY_FORMAT
from cxlib.model.kinds import Kind
from cxlib.model.source import to_jsonable

VALIDATE_NOTE = (
    "run 'cxlib validate': the rules of format {format} may now report findings (an owner "
    "missing, a decision pending, ...)"
)


@dataclass
class MigrateResult:
    from_format: int
    to_format: int
    changed: list[str] = field(default_factory=list)  # files changed, or that would change
    experiments: list[str] = field(default_factory=list)  # whose variants became records
    message: str = ""
    notes: list[str] = field(default_factory=list)
    diff: str = ""


def migrate(kb: KnowledgeBase, dry_run: bool = False) -> MigrateResult:
    """Bring the library to the newest format this cxlib reads (``--dry-run``: say how, with
    the diff, and write nothing). A library already there is left as it is.

    Holds the id lock, as ``new`` and ``renumber`` do, so no document is created or renamed
    while the experiments are rewritten; refused while a renumber is unfinished."""
    current = kb.config.format
    if current >= LIBRARY_FORMAT:
        message = f"already in format {current}; nothing to do"
        return MigrateResult(current, current, message=message)
    refuse_if_pending(kb.root)
    with nullcontext() if dry_run else ids_reserved(kb.root):
        if not dry_run:
            refuse_if_pending(kb.root, holding_ids=True)
        changes = _plan(kb)
        if not dry_run:
            apply(kb.root, changes)
    changed = [c for c in changes if c.changed]
    result = MigrateResult(
        current,
        LIBRARY_FORMAT,
        changed=[c.path for c in changed],
        experiments=[c.path for c in changed if c.path != CONFIG_NAME],
        diff=diff(changed),
    )
    count = f"{len(changed)} file{'s' if len(changed) != 1 else ''}"
    n = len(result.experiments)
    what = (
        f"variants as records in {n} experiment{'s' if n != 1 else ''}; "
        f"format = {LIBRARY_FORMAT} in {CONFIG_NAME}"
    )
    if dry_run:
        result.message = f"would migrate to format {LIBRARY_FORMAT}: {count} would change ({what})"
    else:
        result.message = f"migrated to format {LIBRARY_FORMAT}: {count} changed ({what})"
        result.notes = [
            VALIDATE_NOTE.format(format=LIBRARY_FORMAT),
            "the changes are not staged; review them with 'git diff' and commit them",
        ]
    return result


def _plan(kb: KnowledgeBase) -> list[FileChange]:
    """Every file change of the migration, each checked; ``cxlib.toml`` last."""
    files, _ = kb.files([Kind.EXPERIMENT])
    changes: list[FileChange] = []
    for f in sorted(files, key=lambda f: f.path):
        raw = _read(kb, f.path)
        after = variants_as_records(raw, f.path)
        if after != raw:
            changes.append(FileChange(f.path, raw, after))
    raw = _read(kb, CONFIG_NAME)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{CONFIG_NAME}: not valid UTF-8 at byte {e.start}") from None
    after = with_format(text, LIBRARY_FORMAT).encode("utf-8")
    changes.append(FileChange(CONFIG_NAME, raw, after))
    return changes


def _read(kb: KnowledgeBase, path: str) -> bytes:
    try:
        return read_document(kb.root, path, MAX_FILE_BYTES)
    except OSError as e:
        raise WriteRefusedError(
            f"{path}: cannot read it ({e.strerror}); nothing was written",
            hint="run 'cxlib migrate' again once it can be read",
        ) from None


def variants_as_records(raw: bytes, path: str) -> bytes:
    """The experiment ``raw`` with its ``variants`` as records when they are names alone
    (``[control, banner]``, or a block list of names); unchanged otherwise. Refused when the
    names cannot be rewritten by lines, or the result reads as more than that change."""
    doc = EditableFile(raw, path)
    variants = doc.data.get("variants")
    if not isinstance(variants, list) or all(isinstance(v, dict) for v in variants):
        return raw  # records already, none, or not a list (which validate reports)
    if any(isinstance(v, dict | list) for v in variants):
        raise WriteRefusedError(
            f"{path}: 'variants' mixes names and other values; nothing was written",
            hint="write each variant as a record ('- {name: control}') and run "
            "'cxlib migrate' again",
        )
    records = [{"name": v} for v in variants]
    after = doc.set_records("variants", records)
    parsed = parse_bytes(after)
    if parsed.problems or _canon(parsed.data) != _canon({**doc.data, "variants": records}):
        raise WriteRefusedError(
            f"{path}: writing 'variants' as records would change more than them; "
            "nothing was written",
            hint="write each variant as a record ('- {name: control}') and run "
            "'cxlib migrate' again",
        )
    return after


def _canon(data: Any) -> str:
    # Order-sensitive: the rewrite must not move a key either.
    return json.dumps(to_jsonable(data), ensure_ascii=False, default=str)
