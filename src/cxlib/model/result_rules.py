"""An experiment's result checked against itself, its metric and its decision: a result that
cannot be true (a "won" test whose metric moved the wrong way, an interval that does not hold
its effect, a p-value and an interval that disagree) and a decision that contradicts it.

Significance is judged at the experiment's ``alpha`` (0.05 when it gives none) with the interval
taken as the (1 - alpha) one unless ``result.interval_level`` says otherwise, the convention of
every experimentation platform's default report. A Bayesian result (``chance_to_win``) has no
p-value to judge.
"""

from __future__ import annotations

from cxlib.model.codes import Code
from cxlib.model.config import Direction, ProgramConfig
from cxlib.model.decision_rule import parse as parse_rule
from cxlib.model.documents import DecisionRule, Experiment, Result
from cxlib.model.findings import Finding, error, warning
from cxlib.model.library import LoadedDoc
from cxlib.model.vocabulary import (
    CONCLUDED,
    Decision,
    ExperimentStatus,
    GuardrailStatus,
    Outcome,
)

ALPHA = 0.05  # when the experiment declares none
# Statuses at which an experiment may hold a result: it has been run and stopped.
_RESULT_STATUSES = (*CONCLUDED, ExperimentStatus.ABANDONED)
_NOT_SHIPPABLE = (Outcome.LOST, Outcome.INVALID)
# Shipped on these, the decision departs from the result and says why (a warning, not an error:
# a non-inferiority test ships on an interval inside its agreed margin).
_UNPROVEN = (Outcome.INCONCLUSIVE, Outcome.STOPPED_EARLY)


def check_result(d: LoadedDoc, config: ProgramConfig) -> list[Finding]:
    """The consistency rules of an experiment's result and decision (none for other kinds)."""
    doc = d.doc
    if not isinstance(doc, Experiment):
        return []
    out: list[Finding] = []
    line = d.parsed.line_of
    if doc.end is not None and doc.end < doc.created:
        out.append(
            error(
                Code.END_BEFORE_CREATED,
                d.path,
                f"end {doc.end} is before created {doc.created}",
                line=line("end"),
                field="end",
            )
        )
    if doc.planned_end is not None and doc.start is not None and doc.planned_end <= doc.start:
        out.append(
            error(
                Code.PLANNED_END_BEFORE_START,
                d.path,
                f"planned_end {doc.planned_end} is not after start {doc.start}",
                line=line("planned_end"),
                field="planned_end",
            )
        )
    result = doc.result
    if result is not None and result.outcome is not None and doc.status not in _RESULT_STATUSES:
        out.append(
            error(
                Code.RESULT_TOO_EARLY,
                d.path,
                f"a {doc.status.value} experiment has no result yet (result.outcome is "
                f"{result.outcome.value})",
                line=line("result.outcome"),
                field="result.outcome",
            )
        )
    if result is not None:
        out += _numbers(d, doc, result, _direction(doc, config))
    out += _decision(d, doc)
    return out


def _direction(doc: Experiment, config: ProgramConfig) -> Direction | None:
    metric = config.metric(doc.primary_metric) if doc.primary_metric else None
    return metric.direction if metric is not None else None


def _numbers(
    d: LoadedDoc, doc: Experiment, result: Result, direction: Direction | None
) -> list[Finding]:
    out: list[Finding] = []
    effect, outcome, interval = result.effect, result.outcome, result.interval
    if outcome in (Outcome.WON, Outcome.LOST) and effect is not None and direction is not None:
        good = effect > 0 if direction == Direction.UP else effect < 0
        if good != (outcome == Outcome.WON):
            way = "up" if direction == Direction.UP else "down"
            out.append(
                error(
                    Code.OUTCOME_EFFECT,
                    d.path,
                    f"outcome {outcome.value} with effect {effect:g}, but "
                    f"'{doc.primary_metric}' is better {way}",
                    line=d.parsed.line_of("result.effect"),
                    field="result.effect",
                )
            )
    ordered = interval is not None and interval[0] <= interval[1]
    if interval is not None and not ordered:
        out.append(
            error(
                Code.INTERVAL_ORDER,
                d.path,
                f"interval [{interval[0]:g}, {interval[1]:g}] is not [low, high]",
                line=d.parsed.line_of("result.interval"),
                field="result.interval",
            )
        )
    if (
        interval is not None
        and ordered
        and effect is not None
        and not interval[0] <= effect <= interval[1]
    ):
        out.append(
            error(
                Code.INTERVAL_EFFECT,
                d.path,
                f"effect {effect:g} lies outside its interval [{interval[0]:g}, {interval[1]:g}]",
                line=d.parsed.line_of("result.interval"),
                field="result.interval",
            )
        )
    if result.chance_to_win is None:
        out += _significance(d, result, interval if ordered else None, doc.alpha or ALPHA)
    return out


def _verdicts(
    result: Result, interval: list[float] | None, alpha: float
) -> tuple[bool | None, bool | None]:
    """Whether the p-value, and the interval (when at the 1 - alpha level), say significant."""
    by_p = None if result.p_value is None else result.p_value < alpha
    level = result.interval_level
    if level is not None and abs(level - (1 - alpha)) > 1e-9:
        interval = None  # an interval at another level says nothing about this alpha
    by_interval = None if interval is None else (interval[0] > 0 or interval[1] < 0)
    return by_p, by_interval


def significant(result: Result, alpha: float) -> bool:
    """Significant at ``alpha``: by the p-value or the interval, or for a Bayesian result a
    chance to win of at least 1 - alpha. Unknown counts as not significant."""
    if result.chance_to_win is not None:
        return result.chance_to_win >= 1 - alpha
    interval = result.interval
    if interval is not None and interval[0] > interval[1]:
        interval = None
    by_p, by_interval = _verdicts(result, interval, alpha)
    return True in (by_p, by_interval) and False not in (by_p, by_interval)


def _significance(
    d: LoadedDoc, result: Result, interval: list[float] | None, alpha: float
) -> list[Finding]:
    by_p, by_interval = _verdicts(result, interval, alpha)
    if by_p is not None and by_interval is not None and by_p != by_interval:
        assert interval is not None and result.p_value is not None
        said = "significant" if by_p else "not significant"
        return [
            error(
                Code.P_VALUE_INTERVAL,
                d.path,
                f"p_value {result.p_value:g} says {said} at alpha {alpha:g}, but the interval "
                f"[{interval[0]:g}, {interval[1]:g}] {'includes' if by_p else 'excludes'} zero",
                line=d.parsed.line_of("result.p_value"),
                field="result.p_value",
            )
        ]
    if result.outcome in (Outcome.WON, Outcome.LOST) and False in (by_p, by_interval):
        why = (
            f"p_value {result.p_value:g} >= {alpha:g}"
            if by_p is False
            else "its interval includes zero"
        )
        return [
            warning(
                Code.NOT_SIGNIFICANT,
                d.path,
                f"{result.outcome.value}, but not significant: {why} (inconclusive?)",
                line=d.parsed.line_of("result.outcome"),
                field="result.outcome",
            )
        ]
    return []


def _guardrails(d: LoadedDoc, doc: Experiment) -> list[Finding]:
    results = doc.result.guardrails if doc.result and doc.result.guardrails else []
    out: list[Finding] = []
    for i, g in enumerate(results):
        if doc.guardrail_metrics and g.metric not in doc.guardrail_metrics:
            out.append(
                warning(
                    Code.GUARDRAIL_UNDECLARED,
                    d.path,
                    f"a result for '{g.metric}', which is not one of the guardrail_metrics "
                    f"({', '.join(doc.guardrail_metrics)})",
                    line=d.parsed.line_of(f"result.guardrails.{i}.metric"),
                    field=f"result.guardrails.{i}.metric",
                )
            )
    breached = [g.metric for g in results if g.status == GuardrailStatus.BREACHED]
    if doc.decision == Decision.SHIP and breached and not doc.decision_rationale:
        out.append(
            error(
                Code.GUARDRAIL_BREACHED,
                d.path,
                f"decision ship with a breached guardrail ({', '.join(breached)}), with no "
                "decision_rationale",
                line=d.parsed.line_of("decision"),
                field="decision",
            )
        )
    return out


def rule_holds(doc: Experiment, condition: str) -> bool:
    """Whether one condition of :data:`cxlib.model.decision_rule.CONDITIONS` holds."""
    result = doc.result
    outcome = result.outcome if result else None
    if condition == "win":
        return outcome == Outcome.WON
    if condition == "significant-win":
        return (
            result is not None
            and outcome == Outcome.WON
            and significant(result, doc.alpha or ALPHA)
        )
    if condition == "not-lost":
        return outcome is not None and outcome not in _NOT_SHIPPABLE
    recorded = {g.metric: g.status for g in (result.guardrails or [])} if result else {}
    return all(recorded.get(m) == GuardrailStatus.OK for m in doc.guardrail_metrics) and (
        GuardrailStatus.BREACHED not in recorded.values()
    )


def ship_rule_holds(doc: Experiment) -> bool | None:
    """Whether the declared ``ship_if`` says ship (None without a structured rule)."""
    rule = doc.decision_rule
    if not isinstance(rule, DecisionRule):
        return None
    return any(all(rule_holds(doc, c) for c in conj) for conj in parse_rule(rule.ship_if))


def _departs(d: LoadedDoc, doc: Experiment) -> list[Finding]:
    holds = ship_rule_holds(doc)
    if holds is None or doc.decision is None or doc.decision_rationale:
        return []
    shipped = doc.decision == Decision.SHIP
    if holds == shipped:
        return []
    assert isinstance(doc.decision_rule, DecisionRule)
    says = "says ship" if holds else "does not say ship"
    return [
        warning(
            Code.DECISION_RULE,
            d.path,
            f"decision {doc.decision.value}, but the declared rule (ship_if: "
            f"{doc.decision_rule.ship_if}) {says}, and no decision_rationale says why",
            line=d.parsed.line_of("decision"),
            field="decision",
        )
    ]


def _decision(d: LoadedDoc, doc: Experiment) -> list[Finding]:
    found = _guardrails(d, doc) + _departs(d, doc)
    return found + _outcome_decision(d, doc)


def _outcome_decision(d: LoadedDoc, doc: Experiment) -> list[Finding]:
    outcome = doc.result.outcome if doc.result else None
    line = d.parsed.line_of
    departs = outcome in _NOT_SHIPPABLE or outcome in _UNPROVEN
    if doc.decision == Decision.SHIP and departs and not doc.decision_rationale:
        assert outcome is not None
        make = error if outcome in _NOT_SHIPPABLE else warning
        article = "an" if outcome.value[0] in "aeiou" else "a"
        return [
            make(
                Code.DECISION_OUTCOME,
                d.path,
                f"decision ship on {article} {outcome.value} result, with no decision_rationale",
                line=line("decision"),
                field="decision",
            )
        ]
    if doc.status == ExperimentStatus.IMPLEMENTED and doc.decision != Decision.SHIP:
        taken = doc.decision.value if doc.decision else "none"
        return [
            error(
                Code.IMPLEMENTED_NOT_SHIPPED,
                d.path,
                f"an implemented experiment was shipped, but its decision is {taken}",
                line=line("decision") if doc.decision else line("status"),
                field="decision",
            )
        ]
    if doc.status == ExperimentStatus.CONCLUDED and doc.decision is None:
        return [
            warning(
                Code.DECISION_PENDING,
                d.path,
                "decision pending: a concluded experiment states the decision taken",
                line=line("status"),
                field="status",
            )
        ]
    return []
