"""``cxlib show``: one document with its outgoing links and its backlinks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cxlib.errors import UnknownIdError, UsageError
from cxlib.kb.files import read_document
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import id_hint
from cxlib.model.ids import ID_RE
from cxlib.model.kinds import Kind
from cxlib.model.library import Library, Link, LoadedDoc
from cxlib.model.relations import link_words
from cxlib.model.scoring import compile_formula, priority
from cxlib.model.standing import StandingResult, facts_from_data, weigh_data
from cxlib.ops.loading import load_checked


@dataclass
class LinkView:
    field: str
    id: str
    kind: str
    title: str
    status: str
    exists: bool
    line: int
    relation: str = ""  # the link in words, read from the shown document ("tested by")


@dataclass
class ShowResult:
    id: str
    kind: str
    path: str
    front_matter: dict[str, Any]
    body: str
    links: list[LinkView] = field(default_factory=list)
    backlinks: list[LinkView] = field(default_factory=list)
    # an insight's standing from the experiments behind it (cxlib.model.standing); else None
    standing: dict[str, Any] | None = None
    # an opportunity's priority by the program's formula (None: a score is missing)
    priority: float | None = None
    formula: str = ""


def _view(
    library_ids: dict[str, list[LoadedDoc]], link: Link, other: str, source: Kind | None
) -> LinkView:
    """The document at the other end of ``link``; ``source``: the kind of the document storing
    the link when it is not the shown one (a backlink), else None."""
    target = library_ids.get(other, [None])[0]
    status = ""
    if target is not None and target.parsed.data:
        status = str(target.parsed.data.get("status", ""))
    return LinkView(
        field=link.field,
        id=other,
        kind=target.kind.value if target else "",
        title=target.title if target else "",
        status=status,
        exists=target is not None,
        line=link.line,
        relation=link_words(source, link.field, outgoing=False) if source is not None else "",
    )


def find(library: Library, doc_id: str) -> LoadedDoc:
    """The document with this id; ids are looked up, never joined into paths."""
    wanted = doc_id.strip().upper()
    if not ID_RE.match(wanted):
        raise UnknownIdError(f"invalid id {doc_id!r}", hint="ids look like EXP-0042")
    matches = library.by_id().get(wanted)
    if not matches:
        raise UnknownIdError(f"unknown id '{wanted}'", hint=id_hint(wanted, library.by_id()))
    return matches[0]


def show_document(kb: KnowledgeBase, doc_id: str) -> ShowResult:
    library, _ = load_checked(kb)
    d = find(library, doc_id)
    by_id = library.by_id()
    raw = _read(kb, d)
    text = raw.decode("utf-8-sig", errors="replace")
    body = "\n".join(text.replace("\r\n", "\n").split("\n")[max(d.parsed.body_start - 1, 0) :])
    result = ShowResult(
        id=d.id or "",
        kind=d.kind.value,
        path=d.path,
        front_matter=d.parsed.data or {},
        body=body.strip("\n"),
    )
    outgoing = [_view(by_id, link, link.target, None) for link in d.links()]
    for v in outgoing:
        v.relation = link_words(d.kind, v.field, outgoing=True)
    result.links = _once(outgoing)
    result.backlinks = _once(
        [
            _view(by_id, link, link.source, _kind_of(by_id, link.source))
            for link in library.backlinks().get(d.id or "", [])
        ]
    )
    if d.kind == Kind.INSIGHT:
        result.standing = insight_standing(d, by_id).to_json()
    if d.kind == Kind.OPPORTUNITY:
        result.formula = kb.config.scoring.formula
        result.priority = _priority(result.formula, result.front_matter)
    return result


def raw_document(kb: KnowledgeBase, doc_id: str) -> bytes:
    """The bytes of the document with this id, as they are on disk."""
    library, _ = load_checked(kb)
    return _read(kb, find(library, doc_id))


def _read(kb: KnowledgeBase, d: LoadedDoc) -> bytes:
    try:
        return read_document(kb.root, d.path)
    except OSError as e:
        raise UsageError(
            f"cannot read {d.path}: {e.strerror or e}",
            hint="check that the file exists and can be read; 'cxlib validate' says more",
        ) from None


def _kind_of(by_id: dict[str, list[LoadedDoc]], doc_id: str) -> Kind | None:
    docs = by_id.get(doc_id)
    return docs[0].kind if docs else None


def _priority(formula: str, data: dict[str, Any]) -> float | None:
    def score(key: str) -> int | None:
        value = data.get(key)
        return value if type(value) is int else None

    confidence = data.get("confidence")
    try:
        compiled = compile_formula(formula)
    except ValueError:  # 'cxlib validate' names the broken formula
        return None
    return priority(
        compiled,
        score("customer_value"),
        score("business_value"),
        score("effort"),
        score("reach"),
        confidence if isinstance(confidence, str) else None,
    )


def _once(views: list[LinkView]) -> list[LinkView]:
    """Each link once, grouped by relation: a body that mentions a document three times links
    to it once, and not at all when a field already links the two."""
    typed = {v.id for v in views if v.field != "body"}
    seen: set[tuple[str, str]] = set()
    out: list[LinkView] = []
    for v in views:
        key = (v.field, v.id)
        if key not in seen and not (v.field == "body" and v.id in typed):
            seen.add(key)
            out.append(v)
    order = {words: i for i, words in enumerate(dict.fromkeys(v.relation for v in out))}
    body_last = len(order)
    return sorted(out, key=lambda v: body_last if v.field == "body" else order[v.relation])


def insight_standing(d: LoadedDoc, by_id: dict[str, list[LoadedDoc]]) -> StandingResult:
    """The standing of an insight from the experiments of the library it names."""
    facts = {
        doc_id: facts_from_data(docs[0].parsed.data or {})
        for doc_id, docs in by_id.items()
        if docs and docs[0].kind == Kind.EXPERIMENT
    }
    return weigh_data(d.parsed.data or {}, facts)
