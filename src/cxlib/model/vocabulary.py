"""The program's vocabulary, as data: the statuses of each kind and the moves between them, the
named groups of statuses and outcomes, the link fields, and what each status requires.

Everything that speaks of a status reads this module: the lifecycle rules, the review checklist,
the lifecycle commands and their hints, the reports and the JSON Schema (through the enums).
A new term (say, "decision pending") is a new line here, not a new constant beside a report.
Plain Python, no pydantic: the pre-commit path can read it cheaply.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal, get_args

from cxlib.model.codes import Code
from cxlib.model.kinds import Kind

# -- statuses and the other closed sets of values ----------------------------------------------


class InsightStatus(enum.StrEnum):
    DRAFT = "draft"
    VALIDATED = "validated"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class OpportunityStatus(enum.StrEnum):
    IDEA = "idea"
    PRIORITIZED = "prioritized"
    IN_PROGRESS = "in-progress"
    DELIVERED = "delivered"
    PARKED = "parked"
    REJECTED = "rejected"


class ExperimentStatus(enum.StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    RUNNING = "running"
    CONCLUDED = "concluded"
    IMPLEMENTED = "implemented"
    ABANDONED = "abandoned"


class Outcome(enum.StrEnum):
    WON = "won"
    LOST = "lost"
    INCONCLUSIVE = "inconclusive"
    INVALID = "invalid"
    STOPPED_EARLY = "stopped-early"


class Decision(enum.StrEnum):
    SHIP = "ship"
    ITERATE = "iterate"
    RERUN = "rerun"
    ABANDON = "abandon"


class GuardrailStatus(enum.StrEnum):
    OK = "ok"
    BREACHED = "breached"


class InsightType(enum.StrEnum):
    PAIN_POINT = "pain-point"
    NEED = "need"
    BEHAVIOUR = "behaviour"
    MOMENT_OF_TRUTH = "moment-of-truth"
    DELIGHT = "delight"
    EXPECTATION = "expectation"
    BARRIER = "barrier"


class Source(enum.StrEnum):
    INTERVIEW = "interview"
    SURVEY = "survey"
    USABILITY_TEST = "usability-test"
    ANALYTICS = "analytics"
    SUPPORT = "support"
    SOCIAL = "social"
    REVIEW = "review"
    FIELD_STUDY = "field-study"
    EXPERIMENT = "experiment"
    OTHER = "other"


class Confidence(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


STATUS_ENUMS: dict[Kind, type[enum.StrEnum]] = {
    Kind.INSIGHT: InsightStatus,
    Kind.OPPORTUNITY: OpportunityStatus,
    Kind.EXPERIMENT: ExperimentStatus,
}

# -- the moves between statuses ----------------------------------------------------------------

TRANSITIONS: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.EXPERIMENT: {
        "draft": ("planned", "abandoned"),
        "planned": ("running", "draft", "abandoned"),
        "running": ("concluded", "abandoned"),
        "concluded": ("implemented", "abandoned"),
        "implemented": ("abandoned",),
        "abandoned": (),
    },
    Kind.INSIGHT: {
        "draft": ("validated", "rejected"),
        # New counter-evidence can overturn a validated insight.
        "validated": ("archived", "rejected"),
        "rejected": ("archived",),
        "archived": (),
    },
    Kind.OPPORTUNITY: {
        "idea": ("prioritized", "parked", "rejected"),
        "prioritized": ("in-progress", "idea", "parked", "rejected"),
        "in-progress": ("delivered", "parked"),
        "parked": ("idea", "prioritized", "rejected"),
        "delivered": (),
        "rejected": (),
    },
}

# -- named groups (members compare equal to plain strings: StrEnum) ----------------------------

OPEN_OPPORTUNITY: tuple[OpportunityStatus, ...] = (
    OpportunityStatus.IDEA,
    OpportunityStatus.PRIORITIZED,
    OpportunityStatus.IN_PROGRESS,
)
PAST_IDEA: tuple[OpportunityStatus, ...] = (
    OpportunityStatus.PRIORITIZED,
    OpportunityStatus.IN_PROGRESS,
    OpportunityStatus.DELIVERED,
)
OPEN_EXPERIMENT: tuple[ExperimentStatus, ...] = (
    ExperimentStatus.DRAFT,
    ExperimentStatus.PLANNED,
    ExperimentStatus.RUNNING,
)
PAST_DRAFT: tuple[ExperimentStatus, ...] = tuple(
    s for s in ExperimentStatus if s != ExperimentStatus.DRAFT
)
RUNNING_OR_LATER: tuple[ExperimentStatus, ...] = (
    ExperimentStatus.RUNNING,
    ExperimentStatus.CONCLUDED,
    ExperimentStatus.IMPLEMENTED,
)
# The design fields frozen once an experiment runs (the pre-registration lock, model/prereg.py).
FrozenField = Literal[
    "hypothesis",
    "primary_metric",
    "guardrail_metrics",
    "audience",
    "variants",
    "mde",
    "alpha",
    "planned_sample_size",
    "decision_rule",
]
FROZEN_FIELDS: tuple[str, ...] = get_args(FrozenField)

CONCLUDED: tuple[ExperimentStatus, ...] = (ExperimentStatus.CONCLUDED, ExperimentStatus.IMPLEMENTED)
VALIDATED: tuple[InsightStatus, ...] = (InsightStatus.VALIDATED,)
PAST_DRAFT_INSIGHT: tuple[InsightStatus, ...] = tuple(
    s for s in InsightStatus if s != InsightStatus.DRAFT
)
# The outcomes a win rate is computed over (in this order); invalid and stopped-early tests
# could not be read.
DECIDED: tuple[Outcome, ...] = (Outcome.WON, Outcome.LOST, Outcome.INCONCLUSIVE)
LOSSES: tuple[Outcome, ...] = (Outcome.LOST, Outcome.INCONCLUSIVE)


@dataclass(frozen=True)
class Group:
    """A named set of statuses (or outcomes) that rules and reports speak of."""

    kind: Kind
    members: tuple[str, ...]
    meaning: str


GROUPS: dict[str, Group] = {
    "open-opportunity": Group(Kind.OPPORTUNITY, OPEN_OPPORTUNITY, "still to be delivered"),
    "past-idea": Group(Kind.OPPORTUNITY, PAST_IDEA, "committed to: owned, scored, grounded"),
    "validated": Group(Kind.INSIGHT, VALIDATED, "backed by evidence"),
    "open-experiment": Group(Kind.EXPERIMENT, OPEN_EXPERIMENT, "not concluded yet"),
    "past-draft": Group(Kind.EXPERIMENT, PAST_DRAFT, "designed from an opportunity or insight"),
    "running-or-later": Group(Kind.EXPERIMENT, RUNNING_OR_LATER, "started"),
    "concluded": Group(Kind.EXPERIMENT, CONCLUDED, "read, with an outcome and learnings"),
    "decided": Group(Kind.EXPERIMENT, DECIDED, "outcomes a win rate counts"),
    "losses": Group(Kind.EXPERIMENT, LOSSES, "outcomes whose learnings matter most"),
}

# -- links ---------------------------------------------------------------------------------------

# Front-matter fields that hold links to other documents, by kind: (field, target kinds).
LINK_FIELDS: dict[Kind, dict[str, tuple[Kind, ...]]] = {
    Kind.INSIGHT: {"evidence": (Kind.EXPERIMENT,), "counter_evidence": (Kind.EXPERIMENT,)},
    Kind.OPPORTUNITY: {"insights": (Kind.INSIGHT,)},
    Kind.EXPERIMENT: {
        "opportunity": (Kind.OPPORTUNITY,),
        "insights": (Kind.INSIGHT,),
        "follows": (Kind.EXPERIMENT,),
    },
}

# -- what each status requires ------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """What a document in one of ``statuses`` must have.

    Exactly one of: ``fields`` (each filled; one finding naming the missing ones), ``any_of``
    (at least one filled) or ``section`` (a body section with content; its finding sits on the
    section's heading). ``message`` may use ``{status}`` and ``{missing}``. A requirement with
    ``error=False`` is only shown to reviewers (``review`` names the check in the checklist).
    """

    code: Code | None
    kind: Kind
    statuses: tuple[str, ...]
    message: str
    fields: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    section: str | None = None
    hint: str | None = None
    review: str | None = None  # the checklist's name for this check
    error: bool = True


_SCORES = ("customer_value", "business_value", "effort")

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        Code.INSIGHT_EVIDENCE,
        Kind.INSIGHT,
        VALIDATED,
        "a {status} insight needs at least one piece of evidence",
        fields=("evidence",),
        hint="list URLs, files or experiment ids under 'evidence'",
        review="evidence",
    ),
    Requirement(
        Code.INSIGHT_CONFIDENCE,
        Kind.INSIGHT,
        VALIDATED,
        "a {status} insight needs a confidence (low, medium, high)",
        fields=("confidence",),
        review="confidence",
    ),
    Requirement(
        Code.INSIGHT_OWNER,
        Kind.INSIGHT,
        PAST_DRAFT_INSIGHT,
        "a {status} insight needs an owner",
        fields=("owner",),
    ),
    Requirement(
        Code.OPPORTUNITY_OWNER,
        Kind.OPPORTUNITY,
        PAST_IDEA,
        "a {status} opportunity needs an owner",
        fields=("owner",),
        review="owner",
    ),
    Requirement(
        Code.OPPORTUNITY_SCORES,
        Kind.OPPORTUNITY,
        PAST_IDEA,
        "a {status} opportunity needs scores: {missing} (1-5)",
        fields=_SCORES,
        review="scores",
    ),
    Requirement(
        Code.OPPORTUNITY_INSIGHT,
        Kind.OPPORTUNITY,
        PAST_IDEA,
        "a {status} opportunity needs at least one insight",
        fields=("insights",),
        hint="list the insight ids it rests on under 'insights'",
        review="insights",
    ),
    *(
        Requirement(
            Code.OPPORTUNITY_SECTION,
            Kind.OPPORTUNITY,
            PAST_IDEA,
            f"a {{status}} opportunity needs a non-empty '## {title.capitalize()}' section",
            section=title,
        )
        for title in ("why", "what", "how")
    ),
    Requirement(
        Code.EXPERIMENT_ORIGIN,
        Kind.EXPERIMENT,
        PAST_DRAFT,
        "a {status} experiment must come from an opportunity or an insight",
        any_of=("opportunity", "insights"),
        hint="set 'opportunity' or 'insights': ideas come from customers",
    ),
    Requirement(
        Code.EXPERIMENT_OWNER,
        Kind.EXPERIMENT,
        PAST_DRAFT,
        "a {status} experiment needs an owner",
        fields=("owner",),
    ),
    Requirement(
        Code.EXPERIMENT_START,
        Kind.EXPERIMENT,
        RUNNING_OR_LATER,
        "a {status} experiment needs a start date",
        fields=("start",),
    ),
    Requirement(
        Code.EXPERIMENT_HYPOTHESIS,
        Kind.EXPERIMENT,
        RUNNING_OR_LATER,
        "a {status} experiment needs a hypothesis",
        fields=("hypothesis",),
        hint="We believe that CHANGE for AUDIENCE will cause EFFECT, measured by METRIC",
    ),
    Requirement(
        Code.EXPERIMENT_METRIC,
        Kind.EXPERIMENT,
        RUNNING_OR_LATER,
        "a {status} experiment needs a primary_metric",
        fields=("primary_metric",),
    ),
    Requirement(
        Code.EXPERIMENT_END,
        Kind.EXPERIMENT,
        CONCLUDED,
        "a {status} experiment needs an end date",
        fields=("end",),
    ),
    Requirement(
        Code.EXPERIMENT_OUTCOME,
        Kind.EXPERIMENT,
        CONCLUDED,
        "a {status} experiment needs result.outcome "
        "(won, lost, inconclusive, invalid, stopped-early)",
        fields=("result.outcome",),
        review="outcome",
    ),
    Requirement(
        None,
        Kind.EXPERIMENT,
        CONCLUDED,
        "a {status} experiment states the decision taken",
        fields=("decision",),
        review="decision",
        error=False,
    ),
    Requirement(
        Code.EXPERIMENT_LEARNINGS,
        Kind.EXPERIMENT,
        CONCLUDED,
        "a {status} experiment needs a non-empty '## Learnings' section",
        section="learnings",
        review="learnings",
    ),
)

# Added to the learnings finding when the outcome is a loss: the program's first rule.
LOSS_NOTE = "a loss or an inconclusive result needs its learnings most of all"


def requirements(
    kind: Kind, status: str, declared: tuple[Requirement, ...] = ()
) -> list[Requirement]:
    """What a document of ``kind`` in ``status`` must have, in the order findings are given:
    the built-in table, then ``declared`` (a program's own, from cxlib.toml), which may name
    fields the document models do not have."""
    return [r for r in (*REQUIREMENTS, *declared) if r.kind == kind and status in r.statuses]


# What people write for "not yet": it counts as empty in every required field and section.
PLACEHOLDERS = frozenset(
    {
        "tbd",
        "tbc",
        "tba",
        "todo",
        "to do",
        "n/a",
        "na",
        "none",
        "-",
        "--",
        "\u2013",  # en dash
        "—",
        "?",
        "...",
        "…",
        "xxx",
        "fixme",
        "wip",
        "later",
        "coming soon",
        "to be done",
        "to be defined",
    }
)
_PLACEHOLDER_EDGES = " \t*_`>#-+.:!()[]"


def is_placeholder(text: str) -> bool:
    """Whether a line or a value says nothing yet: empty, or a placeholder such as ``TBD``,
    ``- TODO``, ``n/a`` or ``...`` (with any list marker, emphasis or end punctuation)."""
    bare = text.strip()
    if bare in PLACEHOLDERS:
        return True
    core = bare.strip(_PLACEHOLDER_EDGES).lower()
    return not core or core in PLACEHOLDERS


def filled(value: object) -> bool:
    """Whether a field counts as given: not missing, not empty or placeholder text (``TBD``),
    not a list of nothing but those."""
    if isinstance(value, str):
        return not is_placeholder(value)
    if isinstance(value, list):
        return any(filled(item) for item in value)  # [TBD] is no evidence
    return value not in (None, {})


def statuses(kind: Kind) -> tuple[str, ...]:
    return tuple(TRANSITIONS[kind])
