"""``cxlib list``: documents of a kind, filtered, as rows.

The filters are a query of :mod:`cxlib.query`: the options (``--status``, ``--tag``...) are
tests of the same kind as ``--where``'s, read from each document's front-matter
(:mod:`cxlib.kb.records`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cxlib.errors import UsageError
from cxlib.kb.records import Record, load_records
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import choice_hint
from cxlib.model.config import ProgramConfig, SavedQuery
from cxlib.model.custom_fields import custom_columns, custom_row
from cxlib.model.kinds import Kind
from cxlib.model.scoring import Formula, compile_formula, priority
from cxlib.model.vocabulary import Outcome, statuses
from cxlib.query.nodes import AllOf, AnyOf, FieldTest, Literal, Node
from cxlib.query.predicates import Predicate, compile_node, compile_where


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
    fields: list[str] = field(default_factory=list)  # the columns of cxlib.toml's [fields]


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


def _test(field_name: str, op: str, value: str | dt.date) -> FieldTest:
    raw = value.isoformat() if isinstance(value, dt.date) else value
    return FieldTest(field_name, op, (Literal(raw, value, 0),), 0)


def filters_query(filters: Filters) -> Node:
    """The options as one query: ``--owner`` and ``--tag`` in any case (a part of the owner's
    name will do), ``--metric`` a primary metric, a guardrail metric or a KPI."""
    tests: list[Node] = []
    for name in ("status", "stage", "team"):
        value = getattr(filters, name)
        if value:
            tests.append(_test(name, "=", value))
    if filters.owner:
        tests.append(_test("owner", "contains", filters.owner))
    if filters.tag:
        tests.append(_test("tags", "contains", filters.tag))
    if filters.outcome:
        tests.append(_test("result.outcome", "=", filters.outcome))
    if filters.metric:
        fields = ("primary_metric", "guardrail_metrics", "kpis")
        tests.append(AnyOf(tuple(_test(f, "=", filters.metric) for f in fields)))
    if filters.since:
        tests.append(_test("created", ">=", filters.since))
    return AllOf(tuple(tests))


def _as_date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _row(record: Record, formula: Formula) -> dict[str, Any]:
    data = record.data or {}
    row: dict[str, Any] = {
        "id": _text(data.get("id")),
        "kind": record.kind.value,
        "title": _text(data.get("title")),
        "status": _text(data.get("status")),
        "owner": _text(data.get("owner")),
        "stage": _text(data.get("stage")),
        "created": _as_date(data.get("created")),
    }
    if record.kind == Kind.EXPERIMENT:
        result = data.get("result")
        outcome = result.get("outcome") if isinstance(result, dict) else None
        row["outcome"] = _text(outcome)
    if record.kind == Kind.OPPORTUNITY:
        row["priority"] = priority(
            formula,
            data.get("customer_value"),
            data.get("business_value"),
            data.get("effort"),
            data.get("reach"),
            data.get("confidence"),
        )
    return row


def list_documents(
    kb: KnowledgeBase,
    kind: Kind | None,
    filters: Filters,
    sort: str = "id",
    limit: int | None = None,
    where: Sequence[str] = (),
) -> Listing:
    """Rows for every valid document matching the filters and the ``where`` queries, in the
    ``sort`` order (one of :data:`SORTS`), at most ``limit``; the documents that cannot be
    read are counted, not listed (validate says why)."""
    if sort not in SORTS:
        raise UsageError(f"cannot sort by '{sort}'", hint=choice_hint(sort, SORTS))
    check_filters(kb.config, kind, filters)
    kinds = [kind] if kind is not None else list(Kind)
    records = load_records(kb, kinds).records
    chosen = [r for r in records if r.fits]
    query = _query(kb, kinds, filters, where, chosen)
    formula = compile_formula(kb.config.scoring.formula)
    rows: list[dict[str, Any]] = []
    for r in chosen:
        assert r.data is not None  # a record that fits has data
        if not query(r.data):
            continue
        row = _row(r, formula)
        row.update(custom_row(kb.config, kinds, r.kind, r.data))  # cxlib.toml's [fields]
        row["path"] = r.path
        rows.append(row)
    key, newest_first = SORTS[sort]
    rows.sort(key=lambda r: (r["kind"], r["id"]))  # ties in the order below keep id order
    rows.sort(key=key, reverse=newest_first)
    listing = Listing(rows if limit is None else rows[:limit], len(records) - len(chosen))
    listing.fields = custom_columns(kb.config, kinds)
    return listing


def _query(
    kb: KnowledgeBase,
    kinds: list[Kind],
    filters: Filters,
    where: Sequence[str],
    chosen: list[Record],
) -> Predicate:
    options = compile_node(filters_query(filters), None)
    if not where:
        return options
    asked = compile_where(where, kb.config, kinds, lambda: (r.data for r in chosen if r.data))
    return lambda data: options(data) and asked(data)


def saved_query(kb: KnowledgeBase, name: str) -> SavedQuery:
    """The query cxlib.toml keeps under ``name`` (exit 2 with the known names otherwise)."""
    saved = kb.config.queries.get(name)
    if saved is None:
        known = sorted(kb.config.queries)
        if not known:
            raise UsageError(
                f"cxlib.toml keeps no query named '{name}' (it keeps none)",
                hint="add one: [queries.NAME] with where = '...' (see the README's Saved queries)",
            )
        raise UsageError(f"cxlib.toml keeps no query named '{name}'", hint=choice_hint(name, known))
    return saved


def run_saved_query(
    kb: KnowledgeBase, name: str, sort: str = "id", limit: int | None = None
) -> Listing:
    """The rows of the saved query ``name``, as ``list --where`` gives them."""
    saved = saved_query(kb, name)
    return list_documents(kb, saved.kind, Filters(), sort, limit, saved.queries())
