"""What the index holds about one document, derived from its file: backend-neutral plain data.

The front-matter is taken as written (not validated), so an invalid document is still found by a
search; values of the wrong type are left out rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cxlib.model.ids import WIKI_LINK_RE
from cxlib.model.kinds import Kind

if TYPE_CHECKING:
    from cxlib.model.source import ParsedFile

DATE_FIELDS = ("created", "updated", "start", "end")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_FRONT = re.compile(r"\A---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass
class Record:
    """One document as the index sees it. ``path`` is the unique key."""

    path: str
    kind: str
    id: str = ""
    title: str = ""
    status: str = ""
    outcome: str = ""
    decision: str = ""
    owner: str = ""
    team: str = ""
    stage: str = ""
    touchpoint: str = ""
    type: str = ""
    source: str = ""
    tags: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)  # primary, guardrails and kpis
    primary: str = ""
    segments: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # ids this document links to
    dates: dict[str, dt.date] = field(default_factory=dict)
    hypothesis: str = ""
    body: str = ""
    # cxlib.toml's declared fields the document has a value of the declared type for
    custom: dict[str, str | float | bool | dt.date | list[str]] = field(default_factory=dict)


def document_text(raw: bytes) -> str:
    """A document's text as the index reads it: never fails, LF line endings."""
    text = raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    return _CONTROL.sub(" ", text)


def clean(body: str) -> str:
    """Body text without HTML comments (the templates' guidance is not the document's text)."""
    return _COMMENT.sub(" ", body)


def body_of(text: str, parsed: ParsedFile) -> str:
    """The markdown after the front-matter; the whole text when the front-matter is unreadable."""
    if parsed.data is None or parsed.body_start <= 0:
        return clean(text)
    return clean("\n".join(text.split("\n")[parsed.body_start - 1 :]))


def body_text(raw: bytes) -> str:
    """The body of a document's bytes as a snippet shows it: found without parsing the YAML,
    without comments and heading marks."""
    text = document_text(raw)
    front = _FRONT.match(text)
    return _HEADING.sub("", clean(text[front.end() :] if front else text))


def without_links(text: str) -> str:
    """Text with ``[[ID]]`` links removed: ids are not words, and they are indexed as links."""
    return WIKI_LINK_RE.sub(" ", text)


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def similarity_texts(raw: bytes, parsed: ParsedFile) -> dict[str, str]:
    """Title, hypothesis and body (without ``[[ID]]`` links), as "more like this" reads them."""
    data = parsed.data or {}
    return {
        "title": _text(data.get("title")),
        "hypothesis": _text(data.get("hypothesis")),
        "body": without_links(body_of(document_text(raw), parsed)),
    }


def build_record(
    path: str, kind: Kind, raw: bytes, parsed: ParsedFile, custom: Mapping[str, str] | None = None
) -> Record:
    """The record of one document file (``parsed`` is what :func:`cxlib.kb.parse` made of it);
    ``custom``: the declared fields to index, name to type."""
    # Here: a search whose index is up to date never loads the document model.
    from cxlib.model.library import LoadedDoc

    loaded = LoadedDoc(path=path, kind=kind, parsed=parsed)
    data = parsed.data or {}
    text = document_text(raw)
    result = data.get("result")
    outcome = result.get("outcome") if isinstance(result, dict) else None
    primary = _text(data.get("primary_metric"))
    metrics = [primary] if primary else []
    metrics += _texts(data.get("guardrail_metrics")) + _texts(data.get("kpis"))
    record = Record(
        path=path,
        kind=kind.value,
        id=loaded.id or "",
        title=_text(loaded.title),
        status=_text(data.get("status")),
        outcome=_text(outcome),
        decision=_text(data.get("decision")),
        owner=_text(data.get("owner")),
        team=_text(data.get("team")),
        stage=_text(data.get("stage")),
        touchpoint=_text(data.get("touchpoint")),
        type=_text(data.get("type")),
        source=_text(data.get("source")),
        tags=_texts(data.get("tags")),
        metrics=list(dict.fromkeys(metrics)),
        primary=primary,
        segments=_texts(data.get("segments")),
        links=sorted({link.target for link in loaded.links()}),
        hypothesis=_text(data.get("hypothesis")),
        body=body_of(text, parsed),
    )
    for name in DATE_FIELDS:
        day = _date(data.get(name))
        if day is not None:
            record.dates[name] = day
    for name, type_name in (custom or {}).items():
        value = _custom(type_name, data.get(name))
        if value is not None and value != "" and value != []:
            record.custom[name] = value
    return record


def _custom(type_name: str, value: Any) -> str | float | bool | dt.date | list[str] | None:
    """A declared field's value as the index holds it; None when it is not of the type."""
    if type_name in ("text", "one-of"):
        return _text(value)
    if type_name == "list":
        return _texts(value)
    if type_name == "boolean":
        return value if isinstance(value, bool) else None
    if type_name == "date":
        return _date(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "integer":
        return value if numeric and isinstance(value, int) and abs(value) < 2**63 else None
    return float(value) if numeric and math.isfinite(value) else None
