"""``cxlib log``: a document's history from git, or every document's dates and authors.

One document: its commits (one ``git log --follow``), each version read through one
``cat-file --batch`` process to see how its status changed. Every document: the single cached
history pass of :mod:`cxlib.kb.history`, falling back to front-matter dates for documents that
were never committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cxlib.kb import git
from cxlib.kb.files import read_document, scan
from cxlib.kb.history import document_history
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.model.ids import ID_RE, id_from_filename
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.source import ParsedFile, Problem
from cxlib.ops.show import find


@dataclass
class LogEntry:
    commit: str
    date: str
    author: str
    email: str
    message: str
    path: str
    change: str  # A (added), M (modified), R (renamed, maybe edited)
    status: str | None
    outcome: str | None


@dataclass
class StatusStep:
    date: str  # "" for the uncommitted working-tree version
    commit: str  # "" for the uncommitted working-tree version
    status: str | None
    outcome: str | None
    previous: str | None


@dataclass
class DocumentLog:
    id: str
    title: str
    path: str
    created: str
    created_by: str
    changed: str
    changed_by: str
    authors: list[str]
    source: str  # "git", or "front-matter" for a document never committed
    uncommitted: bool  # the working tree differs from the last commit
    commits: list[LogEntry] = field(default_factory=list)  # newest first
    statuses: list[StatusStep] = field(default_factory=list)  # oldest first


def _state(parsed: ParsedFile) -> tuple[str | None, str | None]:
    data = parsed.data or {}
    status = data.get("status")
    result = data.get("result")
    outcome = result.get("outcome") if isinstance(result, dict) else None
    return (
        status if isinstance(status, str) else None,
        outcome if isinstance(outcome, str) else None,
    )


def _owner(data: dict[str, Any]) -> str:
    owner = data.get("owner")
    return owner if isinstance(owner, str) else ""


def _date(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


_SHOWN = ("id", "title", "owner", "status", "created", "updated")


def _parsed_docs(kb: KnowledgeBase) -> list[LoadedDoc]:
    """Every document's front-matter (through the parse cache), without running the rules."""
    return kb.load_parsed().docs


def _parse(kb: KnowledgeBase, rel: str) -> ParsedFile:
    try:
        return parse_bytes(read_document(kb.root, rel, MAX_FILE_BYTES))
    except OSError as e:
        return ParsedFile(problems=[Problem("unreadable", f"cannot read file: {e.strerror}")])


def _find(kb: KnowledgeBase, doc_id: str) -> LoadedDoc:
    """The document with this id: the file named after it when its front-matter agrees (one
    file read), else a look-up over every document."""
    wanted = doc_id.strip().upper()
    if ID_RE.match(wanted):
        files, _ = scan(kb.root, kb.config)
        named = [f for f in files if id_from_filename(f.path.rsplit("/", 1)[-1]) == wanted]
        if len(named) == 1:
            d = LoadedDoc(path=named[0].path, kind=named[0].kind, parsed=_parse(kb, named[0].path))
            if d.id == wanted:
                return d
    return find(Library(_parsed_docs(kb)), doc_id)


def document_log(kb: KnowledgeBase, doc_id: str) -> DocumentLog:
    """The commits and status changes of one document, following renames."""
    d = _find(kb, doc_id)
    current = read_document(kb.root, d.path, MAX_FILE_BYTES)
    entries: list[LogEntry] = []
    last_blob: bytes | None = None
    with git.session(kb.root) as g:
        commits = g.file_log(d.path) if g.head() is not None else []
        for c in commits:
            ch = next((x for x in c.changes if x.new_blob), None)
            if ch is None or ch.new_blob is None:
                continue  # the file's deletion (before it came back under this path)
            raw = g.blob(ch.new_blob)
            if last_blob is None:
                last_blob = raw
            status, outcome = _state(parse_bytes(raw))
            entries.append(
                LogEntry(
                    c.sha, c.date, c.author, c.email, c.subject, ch.path, ch.status, status, outcome
                )
            )
    statuses: list[StatusStep] = []
    previous: tuple[str | None, str | None] | None = None
    for e in reversed(entries):
        if (e.status, e.outcome) != previous:
            statuses.append(
                StatusStep(e.date, e.commit, e.status, e.outcome, previous[0] if previous else None)
            )
            previous = (e.status, e.outcome)
    uncommitted = current != last_blob
    if uncommitted:
        now = _state(d.parsed)
        if now != previous:
            statuses.append(StatusStep("", "", now[0], now[1], previous[0] if previous else None))
    data = d.parsed.data or {}
    if entries:
        first, last = entries[-1], entries[0]
        authors = list(dict.fromkeys(e.author for e in reversed(entries)))
        dates = (first.date, first.author, last.date, last.author, "git")
    else:
        owner = _owner(data)
        created = _date(data.get("created"))
        changed = _date(data.get("updated")) or created
        authors = [owner] if owner else []
        dates = (created, owner, changed, owner, "front-matter")
    return DocumentLog(
        id=d.id or "",
        title=d.title,
        path=d.path,
        created=dates[0],
        created_by=dates[1],
        changed=dates[2],
        changed_by=dates[3],
        authors=authors,
        source=dates[4],
        uncommitted=uncommitted,
        commits=entries,
        statuses=statuses,
    )


def library_log(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every document's created and last-changed dates and authors, from one history pass."""
    history = document_history(kb.root, kb.config, require_git=True)
    rows: list[dict[str, Any]] = []
    for d in _parsed_docs(kb):
        h = history.get(d.path)
        data = d.parsed.data or {}
        if h is not None:
            row = {
                "created": h.created[:10],
                "created_by": h.created_by,
                "changed": h.changed[:10],
                "changed_by": h.changed_by,
                "authors": h.authors,
                "commits": h.commits,
                "source": "git",
            }
        else:
            owner = _owner(data)
            created = _date(data.get("created"))
            row = {
                "created": created,
                "created_by": owner,
                "changed": _date(data.get("updated")) or created,
                "changed_by": owner,
                "authors": [owner] if owner else [],
                "commits": 0,
                "source": "front-matter",
            }
        rows.append({"id": d.id, "title": d.title, **row, "path": d.path})
    return rows
