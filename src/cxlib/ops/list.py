"""``cxlib list``: documents of a kind, filtered, as rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cxlib.errors import UsageError
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import choice_hint
from cxlib.model.config import ProgramConfig
from cxlib.model.documents import Experiment, Opportunity
from cxlib.model.kinds import Kind
from cxlib.model.scoring import compile_formula, priority
from cxlib.model.vocabulary import Outcome, statuses
from cxlib.ops.loading import load_checked


@dataclass
class Filters:
    status: str | None = None
    stage: str | None = None
    owner: str | None = None
    tag: str | None = None
    outcome: str | None = None
    team: str | None = None
    metric: str | None = None
    since: dt.date | None = None  # created on or after


# The orders list knows: a column, most recent or highest first where that is what one wants.
SORTS = {
    "id": (lambda r: (r["kind"], r["id"]), False),
    "title": (lambda r: r["title"].lower(), False),
    "status": (lambda r: (r["status"], r["id"]), False),
    "created": (lambda r: (r["created"], r["id"]), True),
    "priority": (lambda r: (r.get("priority") is not None, r.get("priority") or 0), True),
}


@dataclass
class Listing:
    rows: list[dict[str, Any]]
    skipped: int  # documents that could not be read (validate says why)


def _require(what: str, value: str | None, known: list[str], hint: str | None = None) -> None:
    if value is not None and value not in known:
        raise UsageError(f"'{value}' is not {what}", hint=hint or choice_hint(value, known))


def check_filters(config: ProgramConfig, kind: Kind | None, filters: Filters) -> None:
    """Every filter names something that exists (exit 2 with the known names otherwise): a
    typo must not pass as an empty list."""
    kinds = [kind] if kind is not None else list(Kind)
    known = sorted({s for k in kinds for s in statuses(k)})
    what = f"a status of an {kind.value}" if kind is not None else "a status of any kind"
    _require(what, filters.status, known)
    stages = [s.id for s in config.journey]
    if filters.stage is not None and filters.stage not in stages:
        owner = next((s.id for s in config.journey if filters.stage in s.touchpoints), None)
        hint = f"'{filters.stage}' is a touchpoint of the stage '{owner}': --stage {owner}"
        _require("a journey stage of cxlib.toml", filters.stage, stages, hint if owner else None)
    _require("an outcome", filters.outcome, [o.value for o in Outcome])
    _require("a team of cxlib.toml", filters.team, [t.id for t in config.teams])
    _require("a metric of cxlib.toml", filters.metric, [m.id for m in config.metrics])
    if filters.outcome is not None and kind not in (None, Kind.EXPERIMENT):
        raise UsageError("--outcome filters experiments", hint="cxlib list experiment --outcome …")


def _metrics(doc: object) -> list[str]:
    if isinstance(doc, Experiment):
        return [m for m in (doc.primary_metric, *doc.guardrail_metrics) if m]
    return list(doc.kpis) if isinstance(doc, Opportunity) else []


def _matches(doc: Any, filters: Filters) -> bool:
    outcome = (
        doc.result.outcome.value
        if isinstance(doc, Experiment) and doc.result and (doc.result.outcome)
        else None
    )
    return (
        (not filters.status or doc.status.value == filters.status)
        and (not filters.stage or doc.stage == filters.stage)
        and (not filters.owner or filters.owner.lower() in (doc.owner or "").lower())
        and (not filters.tag or filters.tag.lower() in {t.lower() for t in doc.tags})
        and (not filters.outcome or outcome == filters.outcome)
        and (not filters.team or doc.team == filters.team)
        and (not filters.metric or filters.metric in _metrics(doc))
        and (not filters.since or doc.created >= filters.since)
    )


def list_documents(
    kb: KnowledgeBase,
    kind: Kind | None,
    filters: Filters,
    sort: str = "id",
    limit: int | None = None,
) -> Listing:
    """Rows for every valid document matching the filters, in the ``sort`` order (one of
    :data:`SORTS`), at most ``limit``; the documents that cannot be read are counted, not
    listed (validate says why)."""
    if sort not in SORTS:
        raise UsageError(f"cannot sort by '{sort}'", hint=choice_hint(sort, SORTS))
    check_filters(kb.config, kind, filters)
    library, _ = load_checked(kb)
    formula = compile_formula(kb.config.scoring.formula)
    rows: list[dict[str, Any]] = []
    skipped = 0
    for d in library.docs:
        doc = d.doc
        if kind is not None and d.kind != kind:
            continue
        if doc is None:
            skipped += 1
            continue
        if not _matches(doc, filters):
            continue
        status = doc.status.value  # type: ignore[attr-defined]
        row: dict[str, Any] = {
            "id": doc.id,
            "kind": d.kind.value,
            "title": doc.title,
            "status": status,
            "owner": doc.owner or "",
            "stage": doc.stage or "",
            "created": doc.created.isoformat(),
        }
        if isinstance(doc, Experiment):
            row["outcome"] = doc.result.outcome.value if doc.result and doc.result.outcome else ""
        if isinstance(doc, Opportunity):
            row["priority"] = priority(
                formula,
                doc.customer_value,
                doc.business_value,
                doc.effort,
                doc.reach,
                doc.confidence.value if doc.confidence else None,
            )
        row["path"] = d.path
        rows.append(row)
    key, newest_first = SORTS[sort]
    rows.sort(key=lambda r: (r["kind"], r["id"]))  # ties in the order below keep id order
    rows.sort(key=key, reverse=newest_first)
    return Listing(rows if limit is None else rows[:limit], skipped)
