"""The three document kinds as pydantic models of their front-matter.

The models hold what a single file can say about itself; rules that need the config, the body or
other documents live in :mod:`cxlib.model.rules`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from cxlib.model.decision_rule import ShipIf
from cxlib.model.kinds import Kind
from cxlib.model.source import NUMBER_LIMIT
from cxlib.model.vocabulary import (
    Confidence,
    Decision,
    ExperimentStatus,
    FrozenField,
    GuardrailStatus,
    InsightStatus,
    InsightType,
    OpportunityStatus,
    Outcome,
    Source,
)

__all__ = [
    "MODELS",
    "Amendment",
    "Confidence",
    "Decision",
    "DecisionRule",
    "Document",
    "Experiment",
    "ExperimentStatus",
    "GuardrailResult",
    "Insight",
    "InsightStatus",
    "InsightType",
    "Opportunity",
    "OpportunityStatus",
    "Outcome",
    "Result",
    "Source",
    "Variant",
    "VariantResult",
    "Visibility",
]

# ASCII digits only: the schema's regular expressions read ``\d`` as any Unicode digit.
DocId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,9}-[0-9]{1,9}$", examples=["EXP-0042"])]
Name = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Score = Annotated[int, Field(ge=1, le=5)]
# A planning cycle: a quarter (2027-Q1), a half (2027-H2) or a month (2027-03).
Cycle = Annotated[
    str,
    Field(pattern=r"^[0-9]{4}-(Q[1-4]|H[12]|0[1-9]|1[0-2])$", examples=["2027-Q1"]),
]
# The reader bounds YAML numbers; these bound the text pydantic reads as a number ("1e308",
# "nan"), so every number a report adds up or prints as JSON is finite.
Count = Annotated[int, Field(ge=0, lt=NUMBER_LIMIT)]
Number = Annotated[float, Field(allow_inf_nan=False, gt=-NUMBER_LIMIT, lt=NUMBER_LIMIT)]
# Free text is bounded like the title, so no field can carry megabytes into every report and page.
Person = Annotated[str, Field(max_length=100)]
Phrase = Annotated[str, Field(max_length=200)]
Prose = Annotated[str, Field(max_length=2000)]
SourceRef = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9-]{0,30}:[^\x00-\x1f\x7f]{1,300}$", examples=["growthbook:exp_1"]),
]


class Visibility(enum.StrEnum):
    """Who may read a document beyond the repository: everybody the site and the reports reach,
    or only those with the repository (left out of the site, the HTML report and any export,
    named only by its id in pull-request comments)."""

    PUBLIC = "public"
    RESTRICTED = "restricted"


class _Front(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, str_strip_whitespace=True)


Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Fraction = Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]  # a probability: alpha, power


def _shape(value: object) -> str:
    return "(record)" if isinstance(value, dict | BaseModel) else "(text)"


class Variant(_Front):
    """One arm of an experiment's design; the first is the control."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    allocation: Percent | None = Field(
        default=None, description="Share of the traffic, in percent; all variants' sum to 100."
    )
    screenshot: Annotated[str, Field(max_length=500)] | None = Field(
        default=None,
        description="An image of the variant: a path from the knowledge base's folder.",
    )


class VariantResult(_Front):
    """What one variant observed; names match ``variants[].name``, the control first."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    sample_size: Count
    conversions: Count | None = None
    mean: Number | None = None


class GuardrailResult(_Front):
    """How one guardrail metric fared: ``breached`` when it moved past what the test allows."""

    metric: Name
    status: GuardrailStatus
    effect: Number | None = Field(
        default=None, description="Observed relative change of the guardrail metric, in percent."
    )


class Amendment(_Front):
    """A deliberate change of a frozen design field after the experiment started running."""

    date: dt.date
    field: FrozenField
    reason: Annotated[Prose, Field(min_length=1)]


class DecisionRule(_Front):
    """A decision declared before the test, in words and in a form cxlib can evaluate."""

    ship_if: ShipIf
    text: Prose | None = Field(default=None, description="The rule in words.")


# Fields written as text or as a record: only the branch the value's shape picks is validated, so
# a record's error is reported once, at its key (the schema check drops the branch's tag).
VariantSpec = Annotated[
    Annotated[Phrase, Tag("(text)")] | Annotated[Variant, Tag("(record)")],
    Discriminator(_shape),
]
RuleSpec = Annotated[
    Annotated[Prose, Tag("(text)")] | Annotated[DecisionRule, Tag("(record)")],
    Discriminator(_shape),
]


class Result(_Front):
    """What an experiment observed. The decision taken is a separate field of the experiment."""

    variants: list[VariantResult] | None = Field(
        default=None, description="Per-variant counts: name, sample_size, conversions or mean."
    )

    outcome: Outcome | None = None
    effect: Number | None = Field(
        default=None, description="Observed relative change of the primary metric, in percent."
    )
    p_value: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    interval: Annotated[list[Number], Field(min_length=2, max_length=2)] | None = Field(
        default=None, description="Confidence interval of the effect, [low, high], in percent."
    )
    sample_size: Count | None = None
    interval_level: Fraction | None = Field(
        default=None, description="The interval's level (default 1 - alpha), e.g. 0.95."
    )
    chance_to_win: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = Field(
        default=None, description="A Bayesian result: the chance the treatment beats control."
    )
    guardrails: list[GuardrailResult] | None = Field(
        default=None, description="Each guardrail metric's result: metric, status (ok, breached)."
    )


class Document(_Front):
    """Fields every kind has."""

    kind: ClassVar[Kind]

    id: DocId
    title: Annotated[str, Field(min_length=1, max_length=200)]
    owner: Person | None = None
    team: Name | None = None
    created: dt.date
    updated: dt.date | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=64)]] = []
    stage: Name | None = None
    touchpoint: Name | None = None
    anonymized: bool = Field(
        default=False,
        description="The document holds no personal data: validate does not look for any.",
    )
    visibility: Visibility | None = Field(
        default=None,
        description="restricted: left out of the site, the HTML report and exports; named only "
        "by its id in pull-request comments (default: public).",
    )
    source_ref: SourceRef | None = Field(
        default=None,
        description="Where the document was imported from (cxlib import): the source and its "
        "record's id, e.g. growthbook:exp_123. A second import of the record finds it by this.",
    )

    @field_validator(
        "created",
        "updated",
        "start",
        "end",
        "review_by",
        "target",
        mode="before",
        check_fields=False,
    )
    @classmethod
    def _no_datetimes(cls, value: object) -> object:
        # A date with a time of day is almost always a mistaken format; pydantic would truncate it.
        if isinstance(value, dt.datetime):
            raise ValueError("expected a date like 2025-03-01, without a time")
        return value


class Insight(Document):
    """Something learned about customers, with evidence."""

    kind: ClassVar[Kind] = Kind.INSIGHT

    status: InsightStatus
    type: InsightType | None = None
    source: Source | None = None
    evidence: list[Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        default=[], description="URLs, repository files or experiment ids that support the insight."
    )
    counter_evidence: list[DocId] = Field(
        default=[], description="Experiment ids whose results contradict the insight."
    )
    confidence: Confidence | None = None
    segments: list[Name] = []
    review_by: dt.date | None = Field(
        default=None, description="When the research is to be checked again (validate warns after)."
    )


class Opportunity(Document):
    """A concrete, owned improvement chance derived from validated insights."""

    kind: ClassVar[Kind] = Kind.OPPORTUNITY

    status: OpportunityStatus
    insights: list[DocId] = []
    customer_value: Score | None = None
    business_value: Score | None = None
    effort: Score | None = None
    reach: Count | None = None
    confidence: Confidence | None = None
    hypothesis: Prose | None = None
    kpis: list[Name] = []
    review_by: dt.date | None = Field(
        default=None, description="When the opportunity is to be looked at again."
    )
    cycle: Cycle | None = Field(
        default=None,
        description="The planning cycle it is planned for: a quarter (2027-Q1), a half "
        "(2027-H2) or a month (2027-03).",
    )
    target: dt.date | None = Field(
        default=None, description="The date it is to be delivered by (the roadmap flags it after)."
    )


class Experiment(Document):
    """A test of a hypothesis, tied to a metric of the catalog."""

    def arms(self) -> list[Variant]:
        """The variants as records, names given alone read as records without allocation."""
        return [v if isinstance(v, Variant) else Variant(name=v) for v in self.variants]

    def planned_stop(self) -> dt.date | None:
        """The planned end: ``planned_end``, else ``start`` + ``planned_days``."""
        if self.planned_end is not None:
            return self.planned_end
        if self.start is not None and self.planned_days is not None:
            return self.start + dt.timedelta(days=self.planned_days)
        return None

    kind: ClassVar[Kind] = Kind.EXPERIMENT

    status: ExperimentStatus
    opportunity: DocId | None = None
    insights: list[DocId] = []
    follows: list[DocId] = Field(default=[], description="Earlier experiments this one follows up.")
    hypothesis: Prose | None = None
    primary_metric: Name | None = None
    guardrail_metrics: list[Name] = []
    audience: Prose | None = None
    # Names alone, or {name, allocation, screenshot}: the plain list stays accepted.
    variants: list[VariantSpec] = []
    start: dt.date | None = None
    end: dt.date | None = None
    planned_end: dt.date | None = Field(
        default=None, description="When the test is planned to stop (or give planned_days)."
    )
    planned_days: Annotated[int, Field(ge=1, le=3650)] | None = Field(
        default=None, description="How many days the test is planned to run from its start."
    )
    baseline: Annotated[float, Field(ge=0, allow_inf_nan=False, lt=NUMBER_LIMIT)] | None = Field(
        default=None, description="The primary metric's current value, e.g. 0.032."
    )
    mde: Number | None = Field(
        default=None, description="Minimum detectable effect: a relative change, in percent."
    )
    alpha: Fraction | None = Field(default=None, description="Significance level (default 0.05).")
    power: Fraction | None = Field(default=None, description="Power (default 0.8).")
    planned_sample_size: Count | None = Field(
        default=None, description="Visitors per variant the design needs."
    )
    decision_rule: RuleSpec | None = Field(
        default=None,
        description="The decision declared before the test: words, or {ship_if: 'significant-win "
        "and guardrails-ok', text: ...} which validate checks the decision against.",
    )
    amendments: list[Amendment] = Field(
        default=[],
        description="Deliberate changes of the design after the start: {date, field, reason}.",
    )
    result: Result | None = None
    decision: Decision | None = None
    decision_rationale: Prose | None = Field(
        default=None,
        description="Why the decision departs from the outcome (e.g. ship on inconclusive).",
    )


MODELS: dict[Kind, type[Document]] = {
    Kind.INSIGHT: Insight,
    Kind.OPPORTUNITY: Opportunity,
    Kind.EXPERIMENT: Experiment,
}
