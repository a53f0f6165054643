"""``report journey --teams``: which teams have open work at each stage, and which must align.

Open work is an open opportunity (idea, prioritized, in progress) or an experiment in draft,
planned or running. An opportunity is *shared* when the work on it spans two teams or more: its
own team and the teams of the open experiments that name it. A stage where two teams or more
work and no open opportunity there is shared is flagged: teams working the same moment of the
journey apart from one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxlib.model.documents import Document, ExperimentStatus
from cxlib.reports.blocks import Block, Heading, Note, Table
from cxlib.reports.snapshot import OPEN_OPPORTUNITY, Snapshot

NO_TEAM = "(no team)"
FLAG_APART = "teams work apart"
_OPEN_EXPERIMENT = (ExperimentStatus.DRAFT, ExperimentStatus.PLANNED, ExperimentStatus.RUNNING)


@dataclass
class TeamWork:
    team: str
    opportunities: list[str] = field(default_factory=list)
    experiments: list[str] = field(default_factory=list)


@dataclass
class StageTeams:
    stage: str
    name: str
    teams: list[TeamWork]  # by team id; documents without a team last
    shared: list[str]  # open opportunities at the stage whose work spans two teams or more
    flag: str = ""


def journey_teams(snap: Snapshot) -> list[StageTeams]:
    """Every configured stage with the teams that have open work there."""
    work: dict[str, dict[str, TeamWork]] = {s.id: {} for s in snap.config.journey}
    spans: dict[str, set[str]] = {}  # open opportunity -> the teams working on it
    opportunities = [o for o in snap.opportunities if o.status in OPEN_OPPORTUNITY]
    experiments = [e for e in snap.experiments if e.status in _OPEN_EXPERIMENT]
    for o in opportunities:
        _team(work, o).opportunities.append(o.id)
        spans.setdefault(o.id, set()).update([o.team] if o.team else [])
    for e in experiments:
        _team(work, e).experiments.append(e.id)
        if e.opportunity in spans and e.team:
            spans[e.opportunity].add(e.team)
    out: list[StageTeams] = []
    for s in snap.config.journey:
        teams = sorted(work[s.id].values(), key=lambda t: (t.team == NO_TEAM, t.team))
        shared = [o.id for o in opportunities if o.stage == s.id and len(spans[o.id]) > 1]
        named = [t for t in teams if t.team != NO_TEAM]
        flag = FLAG_APART if len(named) > 1 and not shared else ""
        out.append(StageTeams(s.id, s.name or s.id, teams, shared, flag))
    return out


def _team(work: dict[str, dict[str, TeamWork]], doc: Document) -> TeamWork:
    """The document's team's work at its stage (a scratch entry when the stage is unknown)."""
    at = work.get(doc.stage or "", {})
    team = doc.team or NO_TEAM
    return at.setdefault(team, TeamWork(team))


def _work_text(t: TeamWork) -> str:
    return ", ".join([*t.opportunities, *t.experiments])


def team_blocks(stages: list[StageTeams]) -> list[Block]:
    rows: list[list[str]] = []
    for s in stages:
        teams = "; ".join(f"{t.team}: {_work_text(t)}" for t in s.teams)
        rows.append(
            [
                s.name,
                str(len([t for t in s.teams if t.team != NO_TEAM])),
                teams,
                ", ".join(s.shared),
                s.flag,
            ]
        )
    return [
        Heading("Teams per stage"),
        Table(
            ["stage", "teams", "open work by team", "shared opportunities", "flag"],
            rows,
            align="lrlll",
            key="journey-teams",
        ),
        Note(
            "Open work: opportunities that are ideas, prioritized or in progress, and "
            "experiments in draft, planned or running. A shared opportunity has work of two "
            "teams or more: its own team's and that of the open experiments naming it. Teams "
            "work apart: two teams or more have open work at the stage and no opportunity there "
            "is shared."
        ),
    ]
