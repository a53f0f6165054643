"""What the HTML page draws and sums up for each report: its charts (SVG and caption) and its
headline cards. Pure functions of a report's result; :mod:`cxlib.reports.registry` names them
per report and :mod:`cxlib.reports.html` lays them out."""

from __future__ import annotations

from cxlib.reports import charts, journey
from cxlib.reports.blocks import num, pct
from cxlib.reports.experiments import ExperimentsReport
from cxlib.reports.health import HealthReport
from cxlib.reports.journey import JourneyReport
from cxlib.reports.roadmap import FLAG_SCORES, Roadmap


def roadmap_figures(road: Roadmap) -> list[tuple[str, str]]:
    points = [
        charts.Point(
            i.id,
            i.title,
            i.status,
            (i.customer_value + i.business_value) / 2,
            i.effort,
            i.priority,
        )
        for i in road.items
        if i.customer_value is not None and i.business_value is not None and i.effort is not None
    ]
    unplotted = [i.id for i in road.items if FLAG_SCORES in i.flags]
    caption = "Open opportunities by value and effort; quadrants split at 3. " + (
        f"Not plotted, scores missing: {', '.join(unplotted)}." if unplotted else ""
    )
    return [(charts.value_effort(points), caption.strip())]


def roadmap_cards(road: Roadmap) -> list[tuple[str, str]]:
    return [("Open opportunities", str(len(road.items)))]


def experiments_figures(exp: ExperimentsReport) -> list[tuple[str, str]]:
    bars = [
        charts.MonthBar(m.month, {name: getattr(m, name) for name, _ in charts.OUTCOME_COLOURS})
        for m in exp.months[-24:]
    ]
    least = exp.band.min_tests
    rates = [charts.RatePoint(q.quarter, q.win_rate, q.decided, least) for q in exp.quarters[-12:]]
    return [
        (
            charts.outcomes_per_month(bars),
            "Concluded experiments per month of their end date (last 24 months).",
        ),
        (
            charts.win_rate_trend(rates, exp.win_rate),
            "Win rate per quarter: won / (won + lost + inconclusive); n = that "
            f"denominator. A quarter with fewer than {least} such tests is hatched grey, not "
            "drawn as a rate. Invalid and stopped-early tests are left out.",
        ),
    ]


def experiments_cards(exp: ExperimentsReport) -> list[tuple[str, str]]:
    return [
        ("Win rate", pct(exp.win_rate, 0)),
        ("Concluded experiments", str(exp.concluded)),
        ("Concluded per month", num(exp.velocity.per_month, 2)),
        # Overdue (past the planned end) and stale (no plan, too long) alike: late either way.
        ("Running late", str(len(exp.overdue) + len(exp.stale))),
    ]


def journey_figures(jour: JourneyReport) -> list[tuple[str, str]]:
    heat = [
        charts.HeatRow(s.name, [s.counts.value(m) for m in journey.MEASURES], s.attention)
        for s in jour.stages
    ]
    return [
        (
            charts.heatmap(journey.LABELS, heat),
            "Each column is shaded against its own maximum: vermillion where the pain "
            "is, blue where the work is, green where results are.",
        )
    ]


def health_cards(hea: HealthReport) -> list[tuple[str, str]]:
    return [("Health", "n/a" if hea.overall is None else f"{hea.overall}/100")]
