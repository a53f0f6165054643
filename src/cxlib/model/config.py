"""The program configuration (``cxlib.toml``) as a pydantic model."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxlib.model.kinds import Kind

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricKind(enum.StrEnum):
    BUSINESS = "business"
    EXPERIENCE = "experience"
    GUARDRAIL = "guardrail"


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


class Metric(_Strict):
    id: Slug
    name: str
    kind: MetricKind
    unit: str = ""
    direction: Direction = Direction.UP
    kpi: Slug | None = Field(
        default=None,
        description="The business metric (KPI) this metric drives, when not itself one.",
    )


class Stage(_Strict):
    id: Slug
    name: str = ""
    touchpoints: list[Slug] = []


class Team(_Strict):
    id: Slug
    name: str = ""


class Segment(_Strict):
    id: Slug
    name: str = ""


class Program(_Strict):
    name: str
    owner: str = ""
    north_star: Slug
    stale_after_days: Annotated[int, Field(ge=1)] = 30


class Scoring(_Strict):
    formula: str = Field(
        default="value-over-effort",
        description="value-over-effort, rice, ice, or an arithmetic expression over the scores.",
    )

    @field_validator("formula")
    @classmethod
    def _compiles(cls, value: str) -> str:
        from cxlib.model.scoring import compile_formula

        compile_formula(value)
        return value


class ValidateSettings(_Strict):
    """Optional rules of ``cxlib validate`` (the ``[validate]`` table)."""

    check_created_against_git: bool = Field(
        default=False,
        description="Warn when a document's 'created' date contradicts its first commit.",
    )
    created_tolerance_days: Annotated[int, Field(ge=0)] = Field(
        default=1, description="How many days 'created' may differ from the first commit."
    )


class KindSettings(_Strict):
    folder: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    prefix: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,9}$")]
    digits: Annotated[int, Field(ge=1, le=9)] = 4


DEFAULT_KINDS: dict[Kind, KindSettings] = {
    Kind.INSIGHT: KindSettings(folder="insights", prefix="INS"),
    Kind.OPPORTUNITY: KindSettings(folder="opportunities", prefix="OPP"),
    Kind.EXPERIMENT: KindSettings(folder="experiments", prefix="EXP"),
}


class ProgramConfig(_Strict):
    """Everything a document may name is checked against this."""

    program: Program
    scoring: Scoring = Scoring()
    metrics: list[Metric]
    journey: list[Stage]
    teams: list[Team] = []
    segments: list[Segment] = []
    kinds: dict[Kind, KindSettings] = {}
    # ``validate`` would shadow a BaseModel method, so the TOML key is an alias.
    validation: ValidateSettings = Field(default=ValidateSettings(), alias="validate")

    @model_validator(mode="before")
    @classmethod
    def _fill_kinds(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("kinds", {}), dict):
            given = data.get("kinds", {})
            merged: dict[str, Any] = {}
            for kind, default in DEFAULT_KINDS.items():
                value = given.get(kind.value, {})
                merged[kind.value] = (
                    default.model_dump() | value if isinstance(value, dict) else value
                )
            merged.update({k: v for k, v in given.items() if k not in merged})
            data = {**data, "kinds": merged}
        return data

    @model_validator(mode="after")
    def _check_references(self) -> ProgramConfig:
        problems: list[str] = []
        for label, items in (
            ("metrics", self.metrics),
            ("journey", self.journey),
            ("teams", self.teams),
            ("segments", self.segments),
        ):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    problems.append(f"{label}: id '{item.id}' is defined twice")
                seen.add(item.id)
        metric_kinds = {m.id: m.kind for m in self.metrics}
        if self.program.north_star not in metric_kinds:
            problems.append(
                f"program.north_star: '{self.program.north_star}' is not a metric in [[metrics]]"
            )
        for m in self.metrics:
            if m.kpi is not None and metric_kinds.get(m.kpi) != MetricKind.BUSINESS:
                problems.append(f"metrics: '{m.id}' kpi '{m.kpi}' is not a business metric")
        for attr in ("prefix", "folder"):
            values = [getattr(s, attr) for s in self.kinds.values()]
            if len(set(values)) != len(values):
                problems.append(f"kinds: every kind needs its own {attr}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # Lookups used by the rules; derived, so cheap to recompute and never stale.
    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.journey if s.id == stage_id), None)

    def settings(self, kind: Kind) -> KindSettings:
        return self.kinds[kind]

    def kind_for_prefix(self, prefix: str) -> Kind | None:
        return next((k for k, s in self.kinds.items() if s.prefix == prefix), None)

    def kind_for_folder(self, folder: str) -> Kind | None:
        return next((k for k, s in self.kinds.items() if s.folder == folder), None)

    def drives_business(self, metric_id: str) -> bool:
        """Tied to the business: a business KPI, the north star, or a metric that maps to a KPI."""
        m = self.metric(metric_id)
        if m is None:
            return False
        return (
            m.kind == MetricKind.BUSINESS
            or metric_id == self.program.north_star
            or (m.kpi is not None)
        )
