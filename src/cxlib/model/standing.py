"""An insight's standing: what the experiments behind it say, by one documented rule.

The experiments an insight lists under ``evidence`` support it; those under
``counter_evidence`` contradict it (which list an experiment is in says what its result means
for the insight: a lost test can support "a threshold message alone does not grow baskets").
Each experiment weighs by what it showed:

- a read result (``won`` or ``lost``, the experiment ``concluded`` or ``implemented``) that is
  significant at the experiment's ``alpha`` (default 0.05; by its p-value and interval, or a
  Bayesian ``chance_to_win``, as :func:`cxlib.model.result_rules.significant` judges): 2;
- a read result not shown to be significant: 1;
- anything else (``inconclusive``, ``invalid``, ``stopped-early``, or not concluded yet): 0 — a
  test that could not tell weighs nothing either way;
- recency: a result that ended more than two years (730 days) before the newest weighed result
  of the same insight counts half, so a newer test outweighs an older one of the same strength.
  Counted between the insight's own results, not against today, so the standing of a library
  does not change by itself overnight (and validate's warning needs no date).

Research references (URLs and files in ``evidence``) count 1 for support, however many there
are: they are why the insight was written, and a significant test outweighs them. Then, with S
the support (research and supporting tests) and C the contradiction:

- **emerging**: no test weighs either way (research only, or tests not concluded);
- **confirmed**: C = 0 and at least two significant, recent supporting results;
- **supported**: C = 0 otherwise, or C < S;
- **refuted**: C > 0 and nothing supports it (S = 0);
- **contested**: C ≥ S > 0 — the contradicting results weigh at least as much as the support.

Pure, on plain front-matter values, so that the cross-document rule can judge from the facts
cache's skeletons (status, end, alpha and the result's outcome, p-value, interval, interval level
and chance to win) without building models.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cxlib.model.ids import ID_RE
from cxlib.model.vocabulary import CONCLUDED, Outcome

if TYPE_CHECKING:
    from cxlib.model.documents import Experiment

ALPHA = 0.05  # when the experiment declares none (as result_rules.ALPHA)
STRONG, WEAK, RESEARCH = 2.0, 1.0, 1.0
RECENT_DAYS = 730  # older than this before the insight's newest result: half the weight
_READ = (Outcome.WON, Outcome.LOST)


class Standing(enum.StrEnum):
    EMERGING = "emerging"
    SUPPORTED = "supported"
    CONFIRMED = "confirmed"
    CONTESTED = "contested"
    REFUTED = "refuted"


@dataclass(frozen=True)
class ExperimentFacts:
    """What the rule reads of one experiment."""

    status: str | None
    outcome: str | None
    significant: bool
    end: dt.date | None
    alpha: float


@dataclass(frozen=True)
class Weighed:
    """One experiment behind an insight, with its side, weight and the reason for it."""

    id: str
    side: str  # "supports" or "contradicts"
    weight: float
    why: str  # "won, significant at alpha 0.05", "inconclusive: weighs nothing", ...
    end: dt.date | None

    def to_json(self) -> dict[str, Any]:
        end = self.end.isoformat() if self.end else None
        return {
            "id": self.id,
            "side": self.side,
            "weight": self.weight,
            "why": self.why,
            "end": end,
        }


@dataclass(frozen=True)
class StandingResult:
    standing: Standing
    support: float  # research + supporting results
    contradiction: float
    research: int  # research references in evidence (counted 1 together when any)
    tests: tuple[Weighed, ...]

    def summary(self) -> str:
        """``contested: contradicted 2 against 1 supporting (research 1)``, for a line."""
        parts = [f"support {self.support:g}", f"contradiction {self.contradiction:g}"]
        return f"{self.standing.value} ({', '.join(parts)})"

    def to_json(self) -> dict[str, Any]:
        return {
            "standing": self.standing.value,
            "support": self.support,
            "contradiction": self.contradiction,
            "research": self.research,
            "experiments": [t.to_json() for t in self.tests],
        }


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def significant_values(result: Mapping[str, Any], alpha: float) -> bool:
    """Significance from a result's plain values, as
    :func:`cxlib.model.result_rules.significant` judges it from the model: a Bayesian chance to
    win of at least 1 - alpha; else the p-value below alpha and the (1 - alpha) interval
    excluding zero, one of them given and neither saying otherwise."""
    chance = _number(result.get("chance_to_win"))
    if chance is not None:
        return chance >= 1 - alpha
    p = _number(result.get("p_value"))
    by_p = None if p is None else p < alpha
    interval = result.get("interval")
    bounds = (
        [_number(x) for x in interval] if isinstance(interval, list) and len(interval) == 2 else []
    )
    level = _number(result.get("interval_level"))
    by_interval = None
    if len(bounds) == 2 and bounds[0] is not None and bounds[1] is not None:
        low, high = bounds[0], bounds[1]
        at_alpha = level is None or abs(level - (1 - alpha)) <= 1e-9
        if low <= high and at_alpha:
            by_interval = low > 0 or high < 0
    return True in (by_p, by_interval) and False not in (by_p, by_interval)


def facts_from_data(data: Mapping[str, Any]) -> ExperimentFacts:
    """The facts of an experiment from its front-matter (or its cached skeleton)."""
    result = data.get("result")
    result = result if isinstance(result, dict) else {}
    alpha = _number(data.get("alpha"))
    alpha = alpha if alpha is not None and 0 < alpha < 1 else ALPHA
    status, outcome, end = data.get("status"), result.get("outcome"), data.get("end")
    return ExperimentFacts(
        status=status if isinstance(status, str) else None,
        outcome=outcome if isinstance(outcome, str) else None,
        significant=significant_values(result, alpha),
        end=end if isinstance(end, dt.date) else None,
        alpha=alpha,
    )


def facts_from_model(e: Experiment) -> ExperimentFacts:
    """The facts of an experiment from its model (the reports' snapshot)."""
    from cxlib.model.result_rules import significant

    alpha = e.alpha if e.alpha is not None else ALPHA
    outcome = e.result.outcome if e.result is not None else None
    return ExperimentFacts(
        status=e.status.value,
        outcome=outcome.value if outcome is not None else None,
        significant=e.result is not None and significant(e.result, alpha),
        end=e.end,
        alpha=alpha,
    )


def _base_weight(f: ExperimentFacts) -> tuple[float, str]:
    if f.status not in CONCLUDED:
        return 0.0, f"{f.status or 'no status'}: no result yet, weighs nothing"
    if f.outcome not in _READ:
        return 0.0, f"{f.outcome or 'no outcome'}: weighs nothing"
    if f.significant:
        return STRONG, f"{f.outcome}, significant at alpha {f.alpha:g}"
    return WEAK, f"{f.outcome}, not shown significant at alpha {f.alpha:g}"


def _sort(
    evidence: list[object],
    counter_evidence: list[object],
    experiments: Mapping[str, ExperimentFacts],
) -> tuple[list[Weighed], int]:
    """Each named experiment with its side and base weight, and the research references."""
    research = 0
    out: list[Weighed] = []
    for side, items in (("supports", evidence), ("contradicts", counter_evidence)):
        for item in items:
            ref = item.strip() if isinstance(item, str) else ""
            if not ID_RE.match(ref):
                research += side == "supports" and bool(ref)
            elif ref in experiments:
                facts = experiments[ref]
                weight, why = _base_weight(facts)
                out.append(Weighed(ref, side, weight, why, facts.end))
    return out, research


def _recency(tests: list[Weighed]) -> list[Weighed]:
    """Results that ended more than RECENT_DAYS before the newest weighed one count half."""
    newest = max((t.end for t in tests if t.weight > 0 and t.end is not None), default=None)
    if newest is None:
        return tests
    return [
        Weighed(t.id, t.side, t.weight / 2, f"{t.why}; over two years before {newest}: half", t.end)
        if t.weight > 0 and t.end is not None and (newest - t.end).days > RECENT_DAYS
        else t
        for t in tests
    ]


def weigh(
    evidence: list[object],
    counter_evidence: list[object],
    experiments: Mapping[str, ExperimentFacts],
) -> StandingResult:
    """The standing of an insight from its two lists and the facts of the experiments they
    name (ids that name no experiment of ``experiments`` are left out: a broken link is a
    finding of its own; text that is no id is research)."""
    sorted_, research = _sort(evidence, counter_evidence, experiments)
    tests = _recency(sorted_)
    support_tests = sum(t.weight for t in tests if t.side == "supports")
    contradiction = sum(t.weight for t in tests if t.side == "contradicts")
    support = support_tests + (RESEARCH if research else 0.0)
    strong = sum(1 for t in tests if t.side == "supports" and t.weight >= STRONG)
    if contradiction == 0 and support_tests == 0:
        standing = Standing.EMERGING
    elif contradiction == 0:
        standing = Standing.CONFIRMED if strong >= 2 else Standing.SUPPORTED
    elif support == 0:
        standing = Standing.REFUTED
    elif contradiction >= support:
        standing = Standing.CONTESTED
    else:
        standing = Standing.SUPPORTED
    return StandingResult(standing, support, contradiction, research, tuple(tests))


def weigh_data(
    data: Mapping[str, Any], experiments: Mapping[str, ExperimentFacts]
) -> StandingResult:
    """:func:`weigh` for an insight's front-matter (or skeleton)."""

    def listed(key: str) -> list[object]:
        value = data.get(key)
        return list(value) if isinstance(value, list) else []

    return weigh(listed("evidence"), listed("counter_evidence"), experiments)


# The declared statuses a standing contradicts: what validate's insight-standing warns about.
DISAGREES: dict[str, tuple[Standing, ...]] = {
    "validated": (Standing.CONTESTED, Standing.REFUTED),
    "rejected": (Standing.SUPPORTED, Standing.CONFIRMED),
}
