"""The program configuration (``cxlib.toml``): plain frozen dataclasses.

No pydantic here: every command, the pre-commit hook first, reads the config, and importing
pydantic and building models would cost the hook more than its own work. The constraints live
in the annotations as plain markers (:class:`Constrained`) that pydantic understands when
:mod:`cxlib.model.config_check` validates a ``cxlib.toml``, which happens only when the file
changed (:mod:`cxlib.kb.config_file` keeps the validated result).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any

from cxlib.model.kinds import Kind

# Unknown keys are refused: a typo in cxlib.toml must not be silently ignored.
_STRICT = {"extra": "forbid"}

# The newest document format this cxlib reads (``format =`` in cxlib.toml; none means 1). Format
# N is introduced by cxlib 0.N.0, so a library in a newer format names the release it needs.
LIBRARY_FORMAT = 2


def format_release(library_format: int) -> str:
    """The cxlib release that introduced ``library_format``: format N came with 0.N.0."""
    return f"0.{library_format}.0"


class Constrained:
    """Bounds on a value (``pattern``, ``max_length``, ``ge``, ``le``), as pydantic's core schema
    names them; applied by pydantic's validation, inert otherwise."""

    def __init__(self, **bounds: object) -> None:
        self.bounds = bounds

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return {**handler(source), **self.bounds}


Slug = Annotated[str, Constrained(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class MetricKind(enum.StrEnum):
    BUSINESS = "business"
    EXPERIENCE = "experience"
    GUARDRAIL = "guardrail"


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, kw_only=True)
class Metric:
    __pydantic_config__ = _STRICT

    id: Slug
    name: str
    kind: MetricKind
    unit: str = ""
    direction: Direction = Direction.UP
    kpi: Slug | None = None  # the business metric (KPI) this metric drives, when not itself one
    # Ids this metric had before ``cxlib rename`` (oldest first): an experiment registered under
    # a former id still names this metric for the pre-registration lock.
    renamed_from: list[Slug] = field(default_factory=list)


Target = Annotated[float, Constrained(allow_inf_nan=False, ge=-1e15, le=1e15)]


@dataclass(frozen=True, kw_only=True)
class Touchpoint:
    """A touchpoint written as a table: its name, the KPIs measured at it and their targets."""

    __pydantic_config__ = _STRICT

    id: Slug
    name: str = ""
    metrics: list[Slug] = field(default_factory=list)  # metric ids of the catalog
    # a realistic target of each of those metrics, in the metric's unit (78 for 78 %)
    targets: dict[Slug, Target] = field(default_factory=dict)


class TouchpointForms:
    """A stage's ``touchpoints`` may mix ids and ``{id, name, metrics, targets}`` tables. The
    stage keeps every id, in order, in ``touchpoints`` (what every reader of the journey reads)
    and each table under its position in ``touchpoint_tables``; a problem in a table is
    reported at its place in ``touchpoints`` (:mod:`cxlib.model.config_check`)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_split_touchpoints, handler(source))


def _split_touchpoints(value: Any) -> Any:
    if not isinstance(value, dict):
        return value  # pydantic says what is wrong with it
    if TOUCHPOINT_TABLES in value:
        raise ValueError(f"unknown key '{TOUCHPOINT_TABLES}'")
    given = value.get("touchpoints")
    if not isinstance(given, list):
        return value
    tables = {k: item for k, item in enumerate(given) if isinstance(item, dict)}
    if not tables:
        return value
    ids = [item.get("id") if isinstance(item, dict) else item for item in given]
    return {**value, "touchpoints": ids, TOUCHPOINT_TABLES: tables}


TOUCHPOINT_TABLES = "touchpoint_tables"


@dataclass(frozen=True, kw_only=True)
class Stage:
    __pydantic_config__ = _STRICT

    id: Slug
    name: str = ""
    # validated before touchpoints, so a table without an id is reported as such
    touchpoint_tables: dict[int, Touchpoint] = field(default_factory=dict)
    touchpoints: list[Slug] = field(default_factory=list)  # the ids, whatever form they take
    metrics: list[Slug] = field(default_factory=list)  # the stage's KPIs, metric ids

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        """The touchpoint's table, when cxlib.toml gives it as one."""
        return next((t for t in self.touchpoint_tables.values() if t.id == touchpoint_id), None)


@dataclass(frozen=True, kw_only=True)
class Team:
    __pydantic_config__ = _STRICT

    id: Slug
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class Segment:
    __pydantic_config__ = _STRICT

    id: Slug
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class Program:
    __pydantic_config__ = _STRICT

    name: str
    owner: str = ""
    north_star: Slug
    stale_after_days: Annotated[int, Constrained(ge=1)] = 30
    # a running experiment is overdue this many days past its planned end
    grace_days: Annotated[int, Constrained(ge=0)] = 3


Weight = Annotated[float, Constrained(ge=-1, le=1, allow_inf_nan=False)]
Share = Annotated[float, Constrained(ge=0, le=1, allow_inf_nan=False)]


@dataclass(frozen=True, kw_only=True)
class EvidenceWeights:
    """The evidence factor's weights (the ``[scoring.evidence]`` table); the README's roadmap
    definition says how they combine, and ``report roadmap --explain`` names each it uses."""

    __pydantic_config__ = _STRICT

    # each insight the opportunity rests on, by its standing (cxlib.model.standing)
    confirmed: Weight = 0.15
    supported: Weight = 0.10
    emerging: Weight = 0.05
    contested: Weight = -0.15
    refuted: Weight = -0.25
    draft: Share = 0.5  # a draft insight counts this share of its standing's weight
    due_for_review: Share = 0.5  # an insight past its review date counts this share
    per_source: Weight = 0.05  # each research source beyond the first ...
    max_sources: Annotated[int, Constrained(ge=0, le=10)] = 2  # ... up to this many
    # each concluded experiment at the opportunity's stage on one of its KPIs
    won: Weight = 0.05
    lost: Weight = -0.05
    max_experiments: Share = 0.15  # the experiments' term stays within +- this
    floor: Annotated[float, Constrained(gt=0, le=1, allow_inf_nan=False)] = 0.5
    ceiling: Annotated[float, Constrained(ge=1, le=10, allow_inf_nan=False)] = 1.5


@dataclass(frozen=True, kw_only=True)
class Scoring:
    __pydantic_config__ = _STRICT

    # value-over-effort, rice, ice, or an arithmetic expression over the scores
    formula: str = "value-over-effort"
    # rank the roadmap by priority x evidence factor (off by default: see the README)
    evidence_weighting: bool = False
    evidence: EvidenceWeights = EvidenceWeights()


@dataclass(frozen=True, kw_only=True)
class ValidateSettings:
    """Optional rules of ``cxlib validate`` (the ``[validate]`` table)."""

    __pydantic_config__ = _STRICT

    # warn when a document's 'created' date contradicts its first commit
    check_created_against_git: bool = False
    # how many days 'created' may differ from the first commit
    created_tolerance_days: Annotated[int, Constrained(ge=0)] = 1
    # a running experiment's design may change only through an amendment (needs git history)
    preregistration_lock: bool = True


@dataclass(frozen=True, kw_only=True)
class EditSettings:
    """How the edit commands write (the ``[edit]`` table)."""

    __pydantic_config__ = _STRICT

    # set, status, link, unlink and renumber set 'updated:' to today on the document they edit
    touch_updated: bool = True


@dataclass(frozen=True, kw_only=True)
class ReviewSettings:
    """When research is due to be checked again (the ``[review]`` table)."""

    __pydantic_config__ = _STRICT

    # 'cxlib status INS-... validated' writes review_by: today + this many months; an insight
    # without review_by is due this long after its 'updated' (else 'created') date
    insight_months: Annotated[int, Constrained(ge=1, le=120)] = 12
    # an opportunity without review_by is due this long after its 'updated' (else 'created')
    opportunity_months: Annotated[int, Constrained(ge=1, le=120)] = 12


@dataclass(frozen=True, kw_only=True)
class ExperimentSettings:
    """How ``report experiments`` and ``report health`` judge the win rate (the
    ``[experiments]`` table); the README says where the default band comes from."""

    __pydantic_config__ = _STRICT

    # the healthy band of the rolling win rate: above it a program may be playing safe, below
    # it testing blind; a convention around the one test in three that wins (see the README)
    win_rate_low: Share = 0.2
    win_rate_high: Share = 0.4
    # the rolling win rate covers the experiments that ended in this many months up to today
    rolling_months: Annotated[int, Constrained(ge=1, le=120)] = 12
    # a quarter (or the rolling window) with fewer won, lost or inconclusive tests shows no rate
    min_tests: Annotated[int, Constrained(ge=1, le=1000)] = 3

    def __post_init__(self) -> None:
        if self.win_rate_low > self.win_rate_high:
            raise ValueError(
                f"win_rate_low ({self.win_rate_low}) is above win_rate_high ({self.win_rate_high})"
            )


HealthWeight = Annotated[float, Constrained(ge=0, le=100, allow_inf_nan=False)]


@dataclass(frozen=True, kw_only=True)
class HealthWeights:
    """The weight of each area in the overall health score (``[health.weights]``); 0 leaves an
    area out of it. All 1 by default: the overall score is the plain mean of the areas."""

    __pydantic_config__ = _STRICT

    insights: HealthWeight = 1.0
    evidence: HealthWeight = 1.0
    opportunities: HealthWeight = 1.0
    learning: HealthWeight = 1.0
    ownership: HealthWeight = 1.0
    pace: HealthWeight = 1.0
    review: HealthWeight = 1.0


@dataclass(frozen=True, kw_only=True)
class HealthSettings:
    """``report health`` (the ``[health]`` table)."""

    __pydantic_config__ = _STRICT

    weights: HealthWeights = HealthWeights()


# A name or a string of the [privacy] lists: at least two characters, one line.
PrivacyEntry = Annotated[str, Constrained(min_length=2, max_length=200, pattern=r"^[^\n]*$")]


@dataclass(frozen=True, kw_only=True)
class PrivacySettings:
    """The personal-data guard of ``cxlib validate`` (the ``[privacy]`` table)."""

    __pydantic_config__ = _STRICT

    # names reported wherever a document has them (any case, whole words): interviewees,
    # customers who wrote to support
    deny: Annotated[list[PrivacyEntry], Constrained(max_length=10_000)] = field(
        default_factory=list
    )
    # strings never reported (any case), such as the company's own support address
    allow: Annotated[list[PrivacyEntry], Constrained(max_length=10_000)] = field(
        default_factory=list
    )


# A folder of the knowledge base, relative to cxlib.toml: names joined by "/", never "..".
FolderPath = Annotated[
    str,
    Constrained(
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$", max_length=300
    ),
]


@dataclass(frozen=True, kw_only=True)
class SiteSettings:
    """What the published views leave out (the ``[site]`` table)."""

    __pydantic_config__ = _STRICT

    # folders whose documents are restricted, as if each said 'visibility: restricted': left
    # out of the site, the HTML report and exports, named only by id in pull-request comments
    restricted: Annotated[list[FolderPath], Constrained(max_length=1000)] = field(
        default_factory=list
    )

    def restricts(self, path: str) -> bool:
        """Whether ``path`` (relative to cxlib.toml) is in a restricted folder."""
        return any(path == f or path.startswith(f + "/") for f in self.restricted)


@dataclass(frozen=True, kw_only=True)
class ImportSettings:
    """How ``cxlib import`` names a platform's metrics in the catalog (the ``[import]`` table:
    ``[import.metrics] "gb_met_abc" = "conversion-rate"``)."""

    __pydantic_config__ = _STRICT

    metrics: Annotated[
        dict[Annotated[str, Constrained(min_length=1, max_length=200)], Slug],
        Constrained(max_length=100_000),
    ] = field(default_factory=dict)


class FieldType(enum.StrEnum):
    """The types a program's own front-matter field may have (the ``[fields]`` table)."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"
    ONE_OF = "one-of"
    LIST = "list"


# A custom field's name: a front-matter key that reads the same in YAML, queries and search.
FieldName = Annotated[str, Constrained(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
# One of a one-of field's values: a short word, as a stage or team id is.
FieldValue = Annotated[str, Constrained(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")]


@dataclass(frozen=True, kw_only=True)
class CustomField:
    """A field a program declares for a kind (``[fields.<kind>.<name>]``), checked by validate
    like a built-in one (:mod:`cxlib.model.custom_fields`)."""

    __pydantic_config__ = _STRICT

    type: FieldType
    # one-of: the values it takes; a list of one-of values: the values its items take
    values: Annotated[list[FieldValue], Constrained(max_length=500)] = field(default_factory=list)
    # list: the type of its items, text or one-of (text when not given)
    items: FieldType | None = None
    description: Annotated[str, Constrained(max_length=500)] = ""
    # the status from which the field must be filled (that status and the later ones)
    required_from: str | None = None


class QueryCheck:
    """A saved query's ``where`` (text, or a list of texts) must parse: checked by pydantic's
    validation of a changed ``cxlib.toml``, with the grammar imported only then."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_parsed_query, handler(source))


def _parsed_query(value: str | list[str]) -> str | list[str]:
    from cxlib.query.grammar import parse
    from cxlib.query.nodes import QueryError

    texts = [value] if isinstance(value, str) else value
    if not texts:
        raise ValueError("a saved query needs a where: a query, or a list of queries")
    for text in texts:
        try:
            parse(text)
        except QueryError as e:
            raise ValueError(e.message) from None
    return value


QueryName = Annotated[str, Constrained(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


@dataclass(frozen=True, kw_only=True)
class SavedQuery:
    """A query kept under a name (the ``[queries.<name>]`` tables), run by ``cxlib query NAME``."""

    __pydantic_config__ = _STRICT

    # one query, or several that are and-ed (as several --where are)
    where: Annotated[str | list[str], QueryCheck()]
    kind: Kind | None = None  # only documents of this kind (default: every kind)
    title: Annotated[str, Constrained(max_length=200)] = ""
    description: Annotated[str, Constrained(max_length=2000)] = ""

    def queries(self) -> list[str]:
        return [self.where] if isinstance(self.where, str) else list(self.where)


@dataclass(frozen=True, kw_only=True)
class KindSettings:
    __pydantic_config__ = _STRICT

    folder: Annotated[str, Constrained(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    prefix: Annotated[str, Constrained(pattern=r"^[A-Z][A-Z0-9]{0,9}$")]
    digits: Annotated[int, Constrained(ge=1, le=9)] = 4


DEFAULT_KINDS: dict[Kind, KindSettings] = {
    Kind.INSIGHT: KindSettings(folder="insights", prefix="INS"),
    Kind.OPPORTUNITY: KindSettings(folder="opportunities", prefix="OPP"),
    Kind.EXPERIMENT: KindSettings(folder="experiments", prefix="EXP"),
}


def with_default_kinds(data: dict[str, Any]) -> dict[str, Any]:
    """Raw config data (as TOML gives it) with each ``[kinds.X]`` table over the defaults of
    kind X, key by key; anything else left for the validation to say what is wrong with it."""
    given = data.get("kinds", {})
    if not isinstance(given, dict):
        return data
    merged: dict[str, Any] = {}
    for kind, default in DEFAULT_KINDS.items():
        value = given.get(kind.value, {})
        merged[kind.value] = asdict(default) | value if isinstance(value, dict) else value
    merged.update({k: v for k, v in given.items() if k not in merged})
    return {**data, "kinds": merged}


@dataclass(frozen=True, kw_only=True)
class ProgramConfig:
    """Everything a document may name is checked against this."""

    __pydantic_config__ = _STRICT

    program: Program
    # The library's document format (see LIBRARY_FORMAT); strict: 2.0 or "2" is no format. A
    # newer format is refused before validation, naming the release that reads it.
    format: Annotated[int, Constrained(ge=1, le=LIBRARY_FORMAT, strict=True)] = 1
    scoring: Scoring = Scoring()
    metrics: list[Metric]
    journey: list[Annotated[Stage, TouchpointForms()]]
    teams: list[Team] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    kinds: dict[Kind, KindSettings] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    # The ``[validate]`` table; "validate" as the TOML key, as the command is named.
    validate: ValidateSettings = ValidateSettings()
    edit: EditSettings = EditSettings()
    review: ReviewSettings = ReviewSettings()
    privacy: PrivacySettings = PrivacySettings()
    site: SiteSettings = SiteSettings()
    experiments: ExperimentSettings = ExperimentSettings()
    health: HealthSettings = HealthSettings()
    # The program's own fields, by kind and name (the ``[fields.<kind>.<name>]`` tables).
    fields: dict[Kind, dict[FieldName, CustomField]] = field(default_factory=dict)
    # Queries kept under a name (the ``[queries.<name>]`` tables).
    queries: dict[QueryName, SavedQuery] = field(default_factory=dict)
    # A platform's names for the catalog's metrics (the ``[import]`` table; ``import`` is a
    # Python keyword, so the field is ``imports``).
    imports: ImportSettings = ImportSettings()

    # Lookups used by the rules; derived, so cheap to recompute and never stale.
    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def metric_renames(self) -> dict[str, str]:
        """Each former metric id (``renamed_from``) and the metric's id now."""
        return {old: m.id for m in self.metrics for old in m.renamed_from}

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.journey if s.id == stage_id), None)

    def settings(self, kind: Kind) -> KindSettings:
        return self.kinds[kind]

    def kind_for_prefix(self, prefix: str) -> Kind | None:
        return next((k for k, s in self.kinds.items() if s.prefix == prefix), None)

    def kind_for_folder(self, folder: str) -> Kind | None:
        return next((k for k, s in self.kinds.items() if s.folder == folder), None)

    def custom_fields(self, kind: Kind) -> dict[str, CustomField]:
        """The fields cxlib.toml declares for ``kind``, by name (none: an empty dict)."""
        return self.fields.get(kind, {})

    def field_types(self) -> dict[str, str]:
        """Every declared field's name and type (a name has one type in every kind), by name:
        what the search index holds of them, and so what a change of rebuilds it."""
        types = {name: f.type.value for k in Kind for name, f in self.custom_fields(k).items()}
        return dict(sorted(types.items()))

    def one_of_values(self) -> dict[str, set[str]]:
        """The values of each declared one-of field (or list of them), lower case, by name:
        search refuses a value no document can have."""
        out: dict[str, set[str]] = {}
        for k in Kind:
            for name, spec in self.custom_fields(k).items():
                if spec.values:
                    out.setdefault(name, set()).update(v.lower() for v in spec.values)
        return out

    def restricted(self, path: str, visibility: object) -> bool:
        """Whether a document (its path, its ``visibility`` as written) is restricted."""
        return str(visibility) == "restricted" or self.site.restricts(path)

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


def config_from_plain(plain: dict[str, Any]) -> ProgramConfig:
    """The config from the plain data of :func:`dataclasses.asdict` of one that was validated
    (the cache of :mod:`cxlib.kb.config_file`), without validating it again."""
    return ProgramConfig(
        program=Program(**plain["program"]),
        format=plain["format"],
        scoring=Scoring(
            **{
                **plain["scoring"],
                "evidence": EvidenceWeights(**plain["scoring"].get("evidence", {})),
            }
        ),
        metrics=[
            Metric(**{**m, "kind": MetricKind(m["kind"]), "direction": Direction(m["direction"])})
            for m in plain["metrics"]
        ],
        journey=[_stage(s) for s in plain["journey"]],
        teams=[Team(**t) for t in plain["teams"]],
        segments=[Segment(**s) for s in plain["segments"]],
        kinds={Kind(k): KindSettings(**s) for k, s in plain["kinds"].items()},
        validate=ValidateSettings(**plain["validate"]),
        edit=EditSettings(**plain["edit"]),
        review=ReviewSettings(**plain.get("review", {})),
        privacy=PrivacySettings(**plain["privacy"]),
        site=SiteSettings(**plain.get("site", {})),
        experiments=ExperimentSettings(**plain.get("experiments", {})),
        health=HealthSettings(weights=HealthWeights(**plain.get("health", {}).get("weights", {}))),
        fields={
            Kind(k): {name: _custom_field(f) for name, f in declared.items()}
            for k, declared in plain.get("fields", {}).items()
        },
        queries={
            name: SavedQuery(**{**q, "kind": Kind(q["kind"]) if q.get("kind") else None})
            for name, q in plain.get("queries", {}).items()
        },
        imports=ImportSettings(**plain.get("imports", {})),
    )


def _stage(plain: dict[str, Any]) -> Stage:
    tables = plain.get(TOUCHPOINT_TABLES, {})
    return Stage(
        **{
            **plain,
            TOUCHPOINT_TABLES: {int(k): Touchpoint(**t) for k, t in tables.items()},
        }
    )


def _custom_field(plain: dict[str, Any]) -> CustomField:
    items = plain.get("items")
    return CustomField(
        **{
            **plain,
            "type": FieldType(plain["type"]),
            "items": FieldType(items) if items is not None else None,
        }
    )
