"""The rules across documents: ids are unique, links name existing documents of the kinds
their fields allow, once.

Pure functions of documents (or mere references to them: the pre-commit hook knows most
documents by their file names alone) and the config. Kept apart from the single-file rules in
:mod:`cxlib.model.rules`, which need the document models.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from cxlib.model.codes import Code
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding, error, warning
from cxlib.model.kinds import Kind
from cxlib.model.library import DocRef, Link, LoadedDoc
from cxlib.model.vocabulary import (
    LINK_FIELDS,
    PAST_DRAFT,
    InsightStatus,
    OpportunityStatus,
)


def id_key(doc_id: str) -> str:
    """What two ids must share to be the same id: case and Unicode compatibility forms aside."""
    if doc_id.isascii():
        return doc_id.upper()  # NFKC leaves ASCII as it is
    return unicodedata.normalize("NFKC", doc_id).upper()


def check_library(
    docs: Sequence[LoadedDoc | DocRef],
    config: ProgramConfig,
    report_paths: set[str] | None = None,
) -> list[Finding]:
    """Rules across files: unique ids, links to existing documents of the right kind.

    All documents are read; findings are reported only for ``report_paths`` when given (the
    pre-commit case), so a batch run agrees with a whole run on the files it names.
    """
    kind_of: dict[str, Kind] = {}
    owners: dict[str, list[LoadedDoc | DocRef]] = {}
    for d in docs:
        if d.id:
            owners.setdefault(id_key(d.id), []).append(d)
            kind_of.setdefault(d.id, d.kind)
    out = [f for same in owners.values() if len(same) > 1 for f in _duplicate_ids(same)]
    read = {d.id: d for d in docs if isinstance(d, LoadedDoc) and d.id and d.parsed.data}
    for d in docs:
        if isinstance(d, LoadedDoc) and (report_paths is None or d.path in report_paths):
            out += _link_findings(d, kind_of)
            out += _idea_findings(d, read)
            out += _standing_findings(d, read, kind_of)
    if report_paths is not None:
        out = [f for f in out if f.path in report_paths]
    return out


def _status(d: LoadedDoc | None) -> object:
    return (d.parsed.data or {}).get("status") if d is not None else None


def _ids(d: LoadedDoc | None, field: str) -> list[str]:
    value = (d.parsed.data or {}).get(field) if d is not None else None
    return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _idea_findings(d: LoadedDoc, read: dict[str, LoadedDoc]) -> list[Finding]:
    """An experiment under way on an opportunity that is still an idea, with no validated
    insight behind either: a test of a guess. Documents known by name only (the hook's
    neighbours) have no status to judge, so the hook may leave this to the whole run."""
    if d.kind != Kind.EXPERIMENT or _status(d) not in PAST_DRAFT:
        return []
    opportunity = (d.parsed.data or {}).get("opportunity")
    target = read.get(opportunity) if isinstance(opportunity, str) else None
    if target is None or _status(target) != OpportunityStatus.IDEA:
        return []
    insights = [*_ids(d, "insights"), *_ids(target, "insights")]
    if any(_status(read.get(i)) == InsightStatus.VALIDATED for i in insights):
        return []
    return [
        warning(
            Code.EXPERIMENT_ON_IDEA,
            d.path,
            f"{_article(str(_status(d)))} {_status(d)} experiment on {opportunity}, still an "
            "idea with no validated insight",
            line=d.parsed.line_of("opportunity"),
            field="opportunity",
        )
    ]


def _standing_findings(
    d: LoadedDoc, read: dict[str, LoadedDoc], kind_of: dict[str, Kind]
) -> list[Finding]:
    """A validated insight the experiments behind it contest or refute, or a rejected one they
    support (:mod:`cxlib.model.standing`). Judged only when every experiment it names was read:
    the hook knows its neighbours by name only, and leaves this to the whole run."""
    status = _status(d)
    if d.kind != Kind.INSIGHT or not isinstance(status, str):
        return []
    # Here: the hook on any other document never loads it.
    from cxlib.model.standing import DISAGREES, facts_from_data, weigh_data

    if status not in DISAGREES:
        return []
    data = d.parsed.data or {}
    named = [*_ids(d, "evidence"), *_ids(d, "counter_evidence")]
    facts = {}
    for ref in (r.strip() for r in named):
        if kind_of.get(ref) != Kind.EXPERIMENT:
            continue
        target = read.get(ref)
        if target is None or target.kind != Kind.EXPERIMENT:
            return []
        facts[ref] = facts_from_data(target.parsed.data or {})
    judged = weigh_data(data, facts)
    if judged.standing not in DISAGREES[status]:
        return []
    against = [t.id for t in judged.tests if t.side == "contradicts" and t.weight > 0]
    message = (
        f"{_article(status)} {status} insight whose standing is {judged.standing.value}: support "
        f"weighs {judged.support:g}, contradiction {judged.contradiction:g}"
        + (f" ({', '.join(against)})" if against else "")
    )
    return [
        warning(
            Code.INSIGHT_STANDING,
            d.path,
            message,
            line=d.parsed.line_of("status"),
            field="status",
        )
    ]


def _link_problems(
    path: str,
    own_id: str | None,
    link: Link,
    target_kind: Kind | None,
    allowed: dict[str, tuple[Kind, ...]],
) -> list[Finding]:
    """What is wrong with one link: it names its own document, nothing, or the wrong kind."""
    if link.target == own_id:
        message, hint, code = f"{link.field} links the document to itself", None, Code.SELF_LINK
    elif target_kind is None:
        message = f"link target {link.target} does not exist"
        hint, code = "check the id, or create the document first", Code.BROKEN_LINK
    elif link.field != "body" and target_kind not in allowed[link.field]:
        wanted = " or ".join(k.value for k in allowed[link.field])
        message = (
            f"'{link.field}' must name an {wanted}, but {link.target} is an {target_kind.value}"
        )
        hint, code = None, Code.LINK_KIND
    else:
        return []
    return [error(code, path, message, line=link.line, field=link.field, hint=hint)]


def _duplicate_ids(same: list[LoadedDoc | DocRef]) -> list[Finding]:
    paths = [x.path for x in same]
    return [
        error(
            Code.DUPLICATE_ID,
            d.path,
            f"duplicate id {d.id}: also used by {', '.join(p for p in paths if p != d.path)}",
            line=d.parsed.line_of("id") if isinstance(d, LoadedDoc) else 1,
            field="id",
            hint="give one of them a new id ('cxlib new' picks a free one)",
        )
        for d in same
    ]


def _link_findings(d: LoadedDoc, kind_of: dict[str, Kind]) -> list[Finding]:
    """Each link of ``d`` names another existing document of a kind its field allows, once."""
    allowed = LINK_FIELDS[d.kind]
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for link in d.links():
        out += _link_problems(d.path, d.id, link, kind_of.get(link.target), allowed)
        if link.field != "body" and (link.field, link.target) in seen:
            out.append(
                warning(
                    Code.DUPLICATE_LINK,
                    d.path,
                    f"{link.target} is listed twice in '{link.field}'",
                    line=link.line,
                    field=link.field,
                )
            )
        seen.add((link.field, link.target))
    return out
