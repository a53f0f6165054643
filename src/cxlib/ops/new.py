"""``cxlib new``: the next free id, the kind's template, a file created exclusively.

The id is chosen and its file created under the knowledge base's id lock
(:mod:`cxlib.kb.id_lock`), so two ``new`` run at once never take the same id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cxlib.errors import ConfigError, UsageError
from cxlib.kb import git, yaml_write
from cxlib.kb.files import scan
from cxlib.kb.id_lock import ids_reserved
from cxlib.kb.journal import refuse_if_pending
from cxlib.kb.parse import parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.kb.templates import render, template_source
from cxlib.kb.write import create_exclusive, real_folder
from cxlib.model.checks import check_document
from cxlib.model.choices import id_hint
from cxlib.model.documents import MODELS
from cxlib.model.findings import Severity
from cxlib.model.ids import ID_RE, format_id, id_from_filename, slugify, split_id
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import LINK_FIELDS
from cxlib.ops.set import parse_assignment

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is only whitespace


@dataclass
class NewResult:
    id: str
    path: str  # relative to the knowledge base root
    absolute: Path


def next_id(kb: KnowledgeBase, kind: Kind, on_branches: set[str] | None = None) -> str:
    """One past the highest number in use for the kind's prefix, in the working tree and on
    every local and remote-tracking branch (``on_branches``: their file names, when already
    read)."""
    settings = kb.config.settings(kind)
    names = {Path(f.path).name for f in scan(kb.root, kb.config)[0] if f.kind == kind}
    if on_branches is None:
        on_branches = git.file_names_on_refs(kb.root, [settings.folder])
    names |= on_branches
    highest = 0
    for name in names:
        doc_id = id_from_filename(name)
        parts = split_id(doc_id) if doc_id else None
        if parts and parts[0] == settings.prefix:
            highest = max(highest, parts[1])
    return format_id(settings.prefix, highest + 1, settings.digits)


def check_title(title: str) -> str:
    if _CONTROL.search(title):
        raise UsageError(
            "the title contains a line break or a control character",
            hint="give the title on one line",
        )
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty")
    if len(title) > 200:
        raise UsageError(f"the title is too long ({len(title)} characters; at most 200)")
    return title


def link_field(kind: Kind, target_kind: Kind) -> str:
    for name, kinds in LINK_FIELDS[kind].items():
        if target_kind in kinds:
            return name
    allowed = sorted({k.value for kinds in LINK_FIELDS[kind].values() for k in kinds})
    raise UsageError(
        f"an {kind.value} cannot link to an {target_kind.value}",
        hint=f"an {kind.value} links to: {', '.join(allowed)}",
    )


def closing_line(text: str) -> int | None:
    """The index of the line that closes the front-matter opened on the first line, by the
    reader's rule (``---`` or ``...``, trailing blanks allowed), or None."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def set_key(text: str, key: str, rendered: str) -> str:
    """Replace a top-level key's line(s) in the front-matter, or add it before the closing line
    (the front-matter must be closed: see :func:`closing_line`)."""
    lines = text.split("\n")
    end = closing_line(text)
    if end is None:
        raise ValueError("the front-matter is not closed")
    for i in range(1, end):
        if lines[i].startswith(f"{key}:"):
            j = i + 1
            while j < end and (lines[j].startswith((" ", "-")) or not lines[j].strip()):
                j += 1
            lines[i:j] = [f"{key}: {rendered}"]
            return "\n".join(lines)
    lines.insert(end, f"{key}: {rendered}")
    return "\n".join(lines)


def new_document(
    kb: KnowledgeBase,
    kind: Kind,
    title: str,
    today: dt.date,
    owner: str | None = None,
    stage: str | None = None,
    assignments: list[str] | None = None,
    links: list[str] | None = None,
    slug: str | None = None,
    answers: Mapping[str, object] | None = None,
) -> NewResult:
    """Create a document from the kind's template and return its id and path.

    ``answers``: fields already typed (the interactive questions' answers), set as given; an
    ``assignments`` item (``key=value``) for the same field wins.
    """
    title = check_title(title)
    slug_text = slugify(slug if slug is not None else title)
    if not slug_text:
        raise UsageError(
            f"the title {title!r} gives an empty file name",
            hint="pass --slug with a few ASCII words",
        )
    if owner is None:
        owner = git.user_name(kb.root) or ""
    fields = {
        "title": yaml_write.scalar(title),
        "owner": yaml_write.scalar(owner),
        "created": today.isoformat(),
        "stage": yaml_write.scalar(stage),
    }
    values = {**_answers(kind, answers or {}), **_values(kb, kind, assignments or [], links or [])}
    if stage is None and "stage" not in values and links:
        # A document made from another sits where it does on the journey, unless told otherwise.
        linked_stage, touchpoint = journey_of(kb, links[0])
        if linked_stage:
            fields["stage"] = yaml_write.scalar(linked_stage)
            if touchpoint and "touchpoint" not in values:
                values["touchpoint"] = touchpoint
    refuse_if_pending(kb.root)
    # Branches change by commits and fetches, not by another ``new``: read them before the lock,
    # which then covers only what two ``new`` can race on, the working tree.
    on_branches = git.file_names_on_refs(kb.root, [kb.config.settings(kind).folder])
    with ids_reserved(kb.root):
        refuse_if_pending(kb.root, holding_ids=True)
        doc_id = next_id(kb, kind, on_branches)
        text = render(kb.root, kind, {"id": doc_id, **fields})
        _check_template(kb, kind, text)
        for key, value in values.items():
            text = set_key(text, key, yaml_write.value(value))
        folder = kb.config.settings(kind).folder
        rel = f"{folder}/{doc_id}-{slug_text}.md"
        _check_new(kb, kind, rel, text)
        target_path = real_folder(kb.root, folder) / f"{doc_id}-{slug_text}.md"
        create_exclusive(target_path, text.encode("utf-8"))
    return NewResult(id=doc_id, path=rel, absolute=target_path)


def _answers(kind: Kind, answers: Mapping[str, object]) -> dict[str, object]:
    fields = MODELS[kind].model_fields
    unknown = sorted(k for k in answers if k not in fields or k in {"id", "created"})
    if unknown:
        raise UsageError(f"an {kind.value} has no field to answer: {', '.join(unknown)}")
    return {k: v for k, v in answers.items() if v is not None}


def _values(
    kb: KnowledgeBase, kind: Kind, assignments: list[str], links: list[str]
) -> dict[str, object]:
    """The fields given with ``--set`` and ``--link``, checked against the kind."""
    values: dict[str, object] = {}
    for item in assignments:
        key, value = parse_assignment(item)
        if "." in key:
            raise UsageError(f"--set {key}: set nested fields after creating, with 'cxlib set'")
        if key not in MODELS[kind].model_fields and key not in kb.config.custom_fields(kind):
            raise UsageError(
                f"--set {key}: an {kind.value} has no field '{key}'",
                hint=f"see 'cxlib schema {kind.value}'",
            )
        if key in {"id", "created"}:
            raise UsageError(f"--set {key}: cxlib sets the {key} of a new document")
        values[key] = value
    existing = _existing_ids(kb)
    for target in links:
        target = target.strip().upper()
        if not ID_RE.match(target) or target not in existing:
            raise UsageError(f"--link {target}: unknown id", hint=id_hint(target, existing))
        field = link_field(kind, existing[target])
        current = values.get(field)
        if field == "opportunity":
            values[field] = target
        else:
            values[field] = [*(current if isinstance(current, list) else []), target]
    return values


def _check_template(kb: KnowledgeBase, kind: Kind, text: str) -> None:
    if closing_line(text) is None:
        raise ConfigError(
            f"{template_source(kb.root, f'{kind.value}.md')}: the template does not start with "
            "front-matter closed by a '---' line; no document was created",
            hint="begin it with a '---' line, the fields, and a '---' line",
        )


def _check_new(kb: KnowledgeBase, kind: Kind, rel: str, text: str) -> None:
    checked = check_document(rel, kind, parse_bytes(text.encode()), kb.config)
    errors = [f for f in checked.findings if f.severity == Severity.ERROR]
    if errors:
        first = errors[0]
        raise UsageError(
            f"the new {kind.value} would not be valid: {first.message}", hint=first.hint
        )


def journey_of(kb: KnowledgeBase, doc_id: str) -> tuple[str | None, str | None]:
    """The stage and touchpoint the document ``doc_id`` declares (None when it declares none or
    cannot be read)."""
    wanted = doc_id.strip().upper()
    for f in scan(kb.root, kb.config)[0]:
        if id_from_filename(Path(f.path).name) != wanted:
            continue
        try:
            data = parse_bytes((kb.root / f.path).read_bytes()).data or {}
        except OSError:
            return None, None
        stage, touchpoint = data.get("stage"), data.get("touchpoint")
        return (
            stage if isinstance(stage, str) else None,
            touchpoint if isinstance(touchpoint, str) else None,
        )
    return None, None


def _existing_ids(kb: KnowledgeBase) -> dict[str, Kind]:
    out: dict[str, Kind] = {}
    for f in scan(kb.root, kb.config)[0]:
        doc_id = id_from_filename(Path(f.path).name)
        if doc_id:
            out[doc_id] = f.kind
    return out
