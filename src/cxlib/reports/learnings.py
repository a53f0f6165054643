"""``report learnings``: the program's memory in one read — every concluded experiment's
learnings and decision, newest first, grouped by journey stage or by primary metric, with the
insights it created or changed.

An experiment is *concluded* when its status is ``concluded`` or ``implemented``; it is dated by
its ``end`` (else ``updated``, else ``created``). An insight it *created or changed* names it in
``evidence`` or ``counter_evidence``, or the experiment's body mentions the insight as ``[[ID]]``.
The learnings are the text of its ``## Learnings`` section, which the caller reads from the
files (:func:`cxlib.reports.snapshot.with_texts`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from cxlib.model.documents import Experiment, Insight
from cxlib.reports.blocks import CsvColumns, Figures, Heading, Note, Rendered, signed, skipped_note
from cxlib.reports.snapshot import CONCLUDED, Snapshot

NO_GROUP = "(no stage or unknown stage)"
NO_METRIC = "(no primary metric or not in the catalog)"
_BULLET = ("- ", "* ", "+ ")
# A body link ``[[ID]]`` (with a slug, heading or alias after the id) quoted as its id alone;
# every part is bounded and stops at a bracket, so a scan stays linear.
_WIKI = re.compile(r"\[\[([A-Za-z][A-Za-z0-9]{0,9}-[0-9]{1,9})[^\[\]\n]{0,300}\]\]")


@dataclass
class Related:
    """An insight an experiment created or changed."""

    id: str
    title: str
    status: str
    standing: str
    how: str  # "evidence", "counter-evidence" or "mentioned"


@dataclass
class Learned:
    id: str
    title: str
    stage: str | None
    primary_metric: str | None
    owner: str | None
    team: str | None
    end: str  # its date: end, else updated, else created
    outcome: str | None
    effect: float | None
    interval: list[float] | None
    interval_level: float | None
    decision: str | None
    learnings: str  # the section's text ("" when it has none)
    points: list[str]  # the learnings as items: each bullet or paragraph, on one line
    insights: list[Related] = field(default_factory=list)


@dataclass
class Group:
    key: str  # a stage or metric id; "" for none or one the config does not know
    name: str
    experiments: list[Learned]


@dataclass
class LearningsReport:
    program: str
    today: str
    by: str  # "stage" or "metric"
    metric: str | None  # --metric: only experiments with this primary metric
    total: int
    without_learnings: int
    groups: list[Group]
    skipped: list[str] = field(default_factory=list)


RESTRICTED = "(a restricted document)"  # a link to one, as every published page reads it


def points(text: str, hidden: Collection[str] = ()) -> list[str]:
    """A learnings section as items: each list item or paragraph joined onto one line, a body
    link quoted as its id (or, to a document of ``hidden``, the restricted ones, as
    :data:`RESTRICTED`: a report that is published names none)."""

    def quoted(m: re.Match[str]) -> str:
        return RESTRICTED if m[1].upper() in hidden else m[1]

    items: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            items.append(" ".join(current))
            current.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            close()
            continue
        marker = _marker(line)
        if marker:
            close()
            line = line[marker:].strip()
        current.append(_WIKI.sub(quoted, line))
    close()
    return [i for i in items if i]


def _marker(line: str) -> int:
    """The length of a list marker at the start of ``line`` (0 when there is none)."""
    if line.startswith(_BULLET):
        return 2
    digits = len(line) - len(line.lstrip("0123456789"))
    if 0 < digits <= 3 and line[digits : digits + 2] in (". ", ") "):
        return digits + 2
    return 0


def _related(snap: Snapshot, e: Experiment, insights: dict[str, Insight]) -> list[Related]:
    found: dict[str, str] = {}
    for src, name in snap.backlinks.get(e.id, []):
        if src in insights and name in ("evidence", "counter_evidence"):
            found.setdefault(src, name.replace("_", "-"))
    parsed = snap.parsed.get(e.id)
    for target, _ in parsed.wiki_links if parsed else []:
        key = target.upper()
        if key in insights:
            found.setdefault(key, "mentioned")
    return [
        Related(
            i,
            insights[i].title,
            insights[i].status.value,
            snap.standing(insights[i]).standing.value,
            how,
        )
        for i, how in sorted(found.items())
    ]


def _unpublished(snap: Snapshot) -> set[str]:
    """The restricted documents this snapshot left out (none in a report for the terminal,
    which reads them all; every one in a published page's)."""
    present = {d.id for d in (*snap.insights, *snap.opportunities, *snap.experiments)}
    return snap.restricted - present


def _learned(
    snap: Snapshot, e: Experiment, insights: dict[str, Insight], hidden: Collection[str]
) -> Learned:
    result = e.result
    text = snap.learnings.get(e.id, "")
    return Learned(
        id=e.id,
        title=e.title,
        stage=e.stage,
        primary_metric=e.primary_metric,
        owner=e.owner,
        team=e.team,
        end=(e.end or e.updated or e.created).isoformat(),
        outcome=result.outcome.value if result and result.outcome else None,
        effect=result.effect if result else None,
        interval=list(result.interval) if result and result.interval else None,
        interval_level=result.interval_level if result else None,
        decision=e.decision.value if e.decision else None,
        learnings=text,
        points=points(text, hidden),
        insights=_related(snap, e, insights),
    )


def learnings(snap: Snapshot, metric: str | None = None, by: str | None = None) -> LearningsReport:
    """Every concluded experiment of the snapshot (with ``metric`` as its primary metric, when
    given), newest first within groups by stage (journey order) or metric (catalog order)."""
    by = by or "stage"
    insights = {i.id: i for i in snap.insights}
    chosen = [
        e
        for e in snap.experiments
        if e.status in CONCLUDED and (metric is None or e.primary_metric == metric)
    ]
    hidden = _unpublished(snap)
    rows = [_learned(snap, e, insights, hidden) for e in chosen]
    rows.sort(key=lambda r: r.id)
    rows.sort(key=lambda r: r.end, reverse=True)
    if by == "metric":
        order = [(m.id, m.name or m.id) for m in snap.config.metrics]
        key_of = {r.id: r.primary_metric or "" for r in rows}
        none = NO_METRIC
    else:
        order = [(s.id, s.name or s.id) for s in snap.config.journey]
        key_of = {r.id: r.stage or "" for r in rows}
        none = NO_GROUP
    known = {k for k, _ in order}
    groups: list[Group] = []
    for key, name in [*order, ("", none)]:
        members = [r for r in rows if (key_of[r.id] if key_of[r.id] in known else "") == key]
        if members:
            groups.append(Group(key, name, members))
    return LearningsReport(
        program=snap.program,
        today=snap.today.isoformat(),
        by=by,
        metric=metric,
        total=len(rows),
        without_learnings=sum(1 for r in rows if not r.points),
        groups=groups,
        skipped=snap.skipped,
    )


def result_words(r: Learned) -> str:
    """The outcome with its effect and interval: "lost, -1.1% (95% interval -2.1% to -0.1%)"."""
    words = r.outcome or "no outcome"
    if r.effect is not None:
        words += f", {signed(r.effect)}"
    if r.interval is not None:
        level = f"{r.interval_level * 100:g}% " if r.interval_level else ""
        words += f" ({level}interval {r.interval[0]:+g}% to {r.interval[1]:+g}%)"
    return words


def render(r: LearningsReport) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    scope = [r.today, f"by {r.by}"] + ([f"metric {r.metric}"] if r.metric else [])
    out = Rendered(f"Learnings — {r.program}", " · ".join(scope))
    out.blocks.append(
        Figures(
            [
                ("Concluded experiments", str(r.total)),
                ("Without learnings", str(r.without_learnings)),
            ]
        )
    )
    if not r.groups:
        out.blocks.append(Note("No concluded experiment yet."))
    for g in r.groups:
        out.blocks.append(Heading(g.name))
        for x in g.experiments:
            out.blocks.append(Heading(f"{x.id} {x.title}", level=3))
            items = [
                ("Ended", x.end),
                ("Result", result_words(x)),
                ("Decision", x.decision or "pending"),
            ]
            items += [("Learned", p) for p in x.points] or [("Learned", "no learnings written")]
            items += [
                ("Insight", f"{i.id} {i.title} ({i.how}; {i.status}, {i.standing})")
                for i in x.insights
            ]
            out.blocks.append(Figures(items))
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


def csv_rows(r: LearningsReport) -> list[dict[str, object]]:
    """One CSV row per concluded experiment."""
    return _CSV.rows(x for g in r.groups for x in g.experiments)


_CSV: CsvColumns[Learned] = CsvColumns(
    {
        "id": lambda x: x.id,
        "title": lambda x: x.title,
        "stage": lambda x: x.stage,
        "primary_metric": lambda x: x.primary_metric,
        "end": lambda x: x.end,
        "outcome": lambda x: x.outcome,
        "effect": lambda x: x.effect,
        "decision": lambda x: x.decision,
        "learnings": lambda x: " / ".join(x.points),
        "insights": lambda x: " ".join(i.id for i in x.insights),
    }
)
CSV_COLUMNS = _CSV.names
