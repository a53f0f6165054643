"""Every report by name, in the order the HTML page shows them: how it is computed, what it
reads, which options it takes, its help, and how it is rendered, flattened to CSV rows, drawn
and summed up on the page's cards.

The CLI sub-commands, ``ops.report``, the HTML page and the golden tests are all driven from
:data:`SPECS`: a new report is one module and one entry here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from cxlib.model.kinds import Kind

# Light by design: the CLI builds its sub-commands from this module at start-up, so it imports
# no report (they load pydantic models); a report's module is imported when it runs.


# The filters every report takes (``--team``, ``--stage``, ``--owner``, ``--tag``, ``--since``):
# they narrow the snapshot once, before the report runs (:func:`cxlib.reports.snapshot.narrowed`).
FILTERS = ("team", "stage", "owner", "tag", "since")


@dataclass
class Options:
    """The options of ``cxlib report NAME``: the filters, which every report takes, and those a
    report declares (``Spec.options``), which it reads."""

    since: dt.date | None = None
    team: str | None = None
    stage: str | None = None
    owner: str | None = None
    tag: str | None = None
    touchpoints: bool = False
    explain: bool = False
    metric: str | None = None  # report learnings: only experiments with this primary metric
    by: str | None = None  # report learnings: group by stage (default) or metric
    git: bool = False  # report digest: add the documents git saw added or changed
    metrics_by: str | None = None  # report metrics --by: the average per stage or tag
    drivers: bool = False  # report metrics: rank the levers of each metric
    roadmap_by: str | None = None  # report roadmap --by: cycle
    kpis: bool = False  # report journey: the KPIs of each stage and touchpoint
    teams: bool = False  # report journey: the teams with open work at each stage

    @property
    def filters(self) -> Any:
        """The filters as :class:`cxlib.reports.snapshot.Filters`."""
        from cxlib.reports.snapshot import Filters

        return Filters(self.team, self.stage, self.owner, self.tag, self.since)


Figure = tuple[str, str]  # an SVG chart and its caption
Card = tuple[str, str]  # a headline figure of the page: label and value


@dataclass(frozen=True)
class Spec:
    """One report. Its module is ``cxlib.reports.<name>`` and offers ``function`` (the report:
    a Snapshot and the declared options as keywords in, a result dataclass out), ``render``,
    ``CSV_COLUMNS`` and ``csv_rows``; ``figures`` and ``cards`` name functions of
    :mod:`cxlib.reports.figures` that draw it on the HTML page."""

    name: str
    summary: str
    help: str  # the sub-command's --help, with an example
    function: str
    options: tuple[str, ...] = ()  # fields of Options the report reads (and the CLI offers)
    kinds: frozenset[Kind] | None = None  # the kinds it reads (None: all)
    figures: str | None = None
    cards: str | None = None
    # A function of the module that adds what git history says to the result (the command
    # reads it; the page and the goldens' copies have none).
    history: str | None = None
    # The option that asks for the history (None: always read).
    history_when: str | None = None
    # Whether it quotes the learnings of concluded experiments (read from their files).
    texts: bool = False
    # False when ``--since`` is where the report starts rather than a filter (the digest).
    since_filters: bool = True
    # An option a report's ``--stage`` turns on (the journey shows the stage's touchpoints).
    stage_detail: str | None = None

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(f"cxlib.reports.{self.name}")

    def compute(self, snap: Any, options: Options) -> Any:
        """The report over ``snap`` narrowed by the options' filters."""
        from cxlib.reports.snapshot import narrowed

        given = {o: getattr(options, o) for o in self.options}
        if self.stage_detail is not None and options.stage is not None:
            given[self.stage_detail] = True
        filters = options.filters
        if not self.since_filters:
            filters = replace(filters, since=None)
        return getattr(self.module, self.function)(narrowed(snap, filters), **given)

    def reads_history(self, options: Options) -> bool:
        """Whether the command adds what git history says (never the page or the site)."""
        return self.history is not None and (
            self.history_when is None or bool(getattr(options, self.history_when))
        )

    def render(self, result: Any, options: Options | None = None) -> Any:
        """The report's display blocks; the filters, when given, close its subtitle."""
        rendered = self.module.render(result)
        filters = options.filters if options is not None else None
        if filters is not None and not self.since_filters:
            filters = replace(filters, since=None)  # the report names its own start
        words = filters.words() if filters is not None else []
        if words:
            rendered.subtitle = " · ".join([rendered.subtitle, *words])
        return rendered

    @property
    def csv_columns(self) -> list[str]:
        return list(self.module.CSV_COLUMNS)

    def csv_rows(self, result: Any) -> list[dict[str, object]]:
        return list(self.module.csv_rows(result))

    def page_figures(self, result: Any) -> list[Figure]:
        return _figures(self.figures, result)

    def page_cards(self, result: Any) -> list[Card]:
        return _figures(self.cards, result)


def _figures(name: str | None, result: Any) -> list[tuple[str, str]]:
    if name is None:
        return []
    return list(getattr(importlib.import_module("cxlib.reports.figures"), name)(result))


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec(
            "roadmap",
            "open opportunities ranked by priority",
            """Open opportunities ranked by the configured priority formula, grouped as prioritized,
    in progress and candidate ideas, with owner, stage, KPIs, backing insights, experiments and
    flags (no owner, no validated insight, scores missing, target passed), each insight's
    standing, and the evidence factor and weighted priority; --explain shows how every score is
    made, line by line, with the documents and the cxlib.toml weights behind each term; --by
    cycle shows the pipeline per planning cycle with owners and targets.

    Example: cxlib report roadmap --by cycle --format markdown
    """,
            "roadmap",
            options=("explain", "roadmap_by"),
            figures="roadmap_figures",
            cards="roadmap_cards",
        ),
        Spec(
            "experiments",
            "outcomes, win rate, velocity, durations, stale and un-learned",
            """Counts by status and outcome, win rate (won / (won + lost + inconclusive)), velocity,
    durations, stale running experiments and losses without learnings.

    Example: cxlib report experiments --since 2026-01-01 --team checkout
    """,
            "experiments_report",
            options=("since", "team"),
            kinds=frozenset({Kind.EXPERIMENT}),
            figures="experiments_figures",
            cards="experiments_cards",
        ),
        Spec(
            "learnings",
            "what we learned: every concluded experiment's learnings",
            """Every concluded experiment's learnings and decision, newest first, grouped by
    journey stage (or by primary metric with --by metric), with its result and the insights it
    created or changed: the program's memory in one read.

    Example: cxlib report learnings --since 2026-01-01 --by metric
    """,
            "learnings",
            options=("metric", "by"),
            texts=True,
        ),
        Spec(
            "digest",
            "what changed since a date, ready to paste",
            """What changed since --since DATE (default: 7 days before today): experiments
    concluded (outcome, decision, learning) and started, ending this week and overdue, new and
    re-validated insights, opportunities that moved, decisions pending and on whom; --git adds
    the documents git saw added or changed. Markdown for a chat or an e-mail with -f markdown.

    Example: cxlib report digest --since 2026-10-25 --git --format markdown
    """,
            "digest",
            options=("since", "git"),
            history="with_git",
            history_when="git",
            texts=True,
            since_filters=False,
        ),
        Spec(
            "journey",
            "stage x kind: where the pain is, where the work is",
            """A stage x kind matrix over the configured journey: insights and pain points, open
    opportunities, experiments running and concluded, wins; where nobody works. --kpis adds the
    KPIs of each stage and touchpoint with their targets and the experiments moving them;
    --teams the teams with open work at each stage, and where they work apart.

    Example: cxlib report journey --kpis --teams --format markdown
    """,
            "journey",
            options=("touchpoints", "kpis", "teams"),
            figures="journey_figures",
            stage_detail="touchpoints",
        ),
        Spec(
            "metrics",
            "what moves each metric, and what moves none",
            """For the north star and each catalog metric: experiments using it as primary or
    guardrail, their outcomes, and the average effect of a test (a random-effects pooled effect
    with its interval, tau squared and I squared; --by stage or tag splits it); the shipped
    tests' effects; experiments on no business KPI, or on one through another metric; metrics
    nothing moves. --drivers ranks the levers (stages, touchpoints, tags, opportunities) of the
    north star and each KPI by the average effect of their tests: observational, not causal.

    Example: cxlib report metrics --by stage --format markdown
    """,
            "metrics_report",
            options=("metrics_by", "drivers"),
        ),
        Spec(
            "health",
            "is the feedback loop closed",
            """Is the feedback loop closed? Unused validated insights, untested opportunities,
    results nobody followed up, documents without owner, stale drafts and running experiments,
    and a score per area.

    Example: cxlib report health --format json
    """,
            "health",
            cards="health_cards",
        ),
        Spec(
            "decisions",
            "did decisions follow the rules declared before the tests",
            """Every concluded or implemented experiment: its declared decision rule, outcome,
    decision and a verdict (follows the rule, departs with or without a rationale, decided
    before the planned end, pending, rule in words); how often the program follows its own
    rules; each departure with the commit that recorded it.

    Example: cxlib report decisions --format markdown
    """,
            "decisions",
            kinds=frozenset({Kind.EXPERIMENT}),
            history="with_log",
        ),
    )
}


def to_json(name: str, result: Any, options: Options | None = None) -> dict[str, Any]:
    """The report's result as JSON data, with its name first, and the filters when any was
    given."""
    from cxlib.reports.snapshot import jsonable

    data: dict[str, Any] = jsonable(result)
    filters = options.filters if options is not None else None
    if filters:
        return {"report": name, "filters": jsonable(filters), **data}
    return {"report": name, **data}
