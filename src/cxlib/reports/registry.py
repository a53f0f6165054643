"""Every report by name, in the order the HTML page shows them: how it is computed, what it
reads, which options it takes, its help, and how it is rendered, flattened to CSV rows, drawn
and summed up on the page's cards.

The CLI sub-commands, ``ops.report``, the HTML page and the golden tests are all driven from
:data:`SPECS`: a new report is one module and one entry here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from cxlib.model.kinds import Kind

# Light by design: the CLI builds its sub-commands from this module at start-up, so it imports
# no report (they load pydantic models); a report's module is imported when it runs.


@dataclass
class Options:
    """The options of ``cxlib report NAME``; each report reads those it declares."""

    since: dt.date | None = None
    team: str | None = None
    touchpoints: bool = False
    explain: bool = False
    metrics_by: str | None = None  # report metrics --by: the average per stage or tag
    drivers: bool = False  # report metrics: rank the levers of each metric
    roadmap_by: str | None = None  # report roadmap --by: cycle
    kpis: bool = False  # report journey: the KPIs of each stage and touchpoint
    teams: bool = False  # report journey: the teams with open work at each stage


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

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(f"cxlib.reports.{self.name}")

    def compute(self, snap: Any, options: Options) -> Any:
        given = {o: getattr(options, o) for o in self.options}
        return getattr(self.module, self.function)(snap, **given)

    def render(self, result: Any) -> Any:
        return self.module.render(result)

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


def to_json(name: str, result: Any) -> dict[str, Any]:
    """The report's result as JSON data, with its name first."""
    from cxlib.reports.snapshot import jsonable

    data: dict[str, Any] = jsonable(result)
    return {"report": name, **data}
