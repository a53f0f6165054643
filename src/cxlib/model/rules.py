"""The program's rules: lifecycle, journey and metric references, links and unique ids.

Pure functions from loaded documents and the config to findings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from cxlib.model.config import ProgramConfig
from cxlib.model.documents import (
    LINK_FIELDS,
    Experiment,
    ExperimentStatus,
    Insight,
    InsightStatus,
    Opportunity,
    OpportunityStatus,
    Outcome,
    Source,
)
from cxlib.model.findings import Finding, error, warning
from cxlib.model.ids import ID_RE, id_from_filename, split_id
from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc

PAST_IDEA = {
    OpportunityStatus.PRIORITIZED,
    OpportunityStatus.IN_PROGRESS,
    OpportunityStatus.DELIVERED,
}
RUNNING_OR_LATER = {
    ExperimentStatus.RUNNING,
    ExperimentStatus.CONCLUDED,
    ExperimentStatus.IMPLEMENTED,
}
CONCLUDED = {ExperimentStatus.CONCLUDED, ExperimentStatus.IMPLEMENTED}
OPPORTUNITY_SECTIONS = ("why", "what", "how")


def check_identity(d: LoadedDoc, config: ProgramConfig) -> list[Finding]:
    """The id agrees with the file name and the folder's prefix."""
    out: list[Finding] = []
    declared = d.id
    name = d.path.rsplit("/", 1)[-1]
    from_name = id_from_filename(name)
    line = d.parsed.line_of("id")
    if from_name is None:
        out.append(
            error(
                "file-name",
                d.path,
                f"file name '{name}' does not start with the document id",
                line=0,
                hint=f"rename it to {declared or 'ID'}-<slug>.md",
            )
        )
    elif declared and declared != from_name:
        out.append(
            error(
                "id-mismatch",
                d.path,
                f"id {declared} does not match the file name ({from_name})",
                line=line,
                field="id",
                hint="rename the file or fix the id",
            )
        )
    parts = split_id(declared) if declared else None
    expected = config.settings(d.kind).prefix
    if parts and parts[0] != expected:
        out.append(
            error(
                "id-prefix",
                d.path,
                f"id {declared} has prefix {parts[0]}, but "
                f"{d.kind.plural} in '{config.settings(d.kind).folder}/' use {expected}",
                line=line,
                field="id",
            )
        )
    return out


def check_references(d: LoadedDoc, config: ProgramConfig) -> list[Finding]:
    """Stage, touchpoint, team, segment and metric names exist in the config."""
    doc = d.doc
    if doc is None:
        return []
    out: list[Finding] = []
    p = d.parsed

    def unknown(code: str, field: str, value: str, choices: Iterable[str], what: str) -> None:
        names = sorted(choices)
        listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        out.append(
            error(
                code,
                d.path,
                f"{what} '{value}' is not in cxlib.toml",
                line=p.line_of(field),
                field=field,
                hint=f"known: {listed}" if names else "add it to cxlib.toml first",
            )
        )

    if doc.stage is not None:
        stage = config.stage(doc.stage)
        if stage is None:
            unknown(
                "unknown-stage", "stage", doc.stage, (s.id for s in config.journey), "journey stage"
            )
        elif doc.touchpoint is not None and doc.touchpoint not in stage.touchpoints:
            unknown(
                "unknown-touchpoint",
                "touchpoint",
                doc.touchpoint,
                stage.touchpoints,
                f"touchpoint of stage '{stage.id}'",
            )
    elif doc.touchpoint is not None:
        out.append(
            error(
                "touchpoint-without-stage",
                d.path,
                "a touchpoint needs a stage",
                line=p.line_of("touchpoint"),
                field="touchpoint",
            )
        )
    if doc.team is not None and doc.team not in {t.id for t in config.teams}:
        unknown("unknown-team", "team", doc.team, (t.id for t in config.teams), "team")
    metric_ids = {m.id for m in config.metrics}
    metric_fields: list[tuple[str, list[str]]] = []
    if isinstance(doc, Insight):
        known = {s.id for s in config.segments}
        for i, seg in enumerate(doc.segments):
            if config.segments and seg not in known:
                unknown("unknown-segment", f"segments.{i}", seg, known, "segment")
    if isinstance(doc, Opportunity):
        metric_fields.append(("kpis", doc.kpis))
    if isinstance(doc, Experiment):
        metric_fields.append(("guardrail_metrics", doc.guardrail_metrics))
        if doc.primary_metric is not None:
            if doc.primary_metric not in metric_ids:
                unknown(
                    "unknown-metric", "primary_metric", doc.primary_metric, metric_ids, "metric"
                )
            elif not config.drives_business(doc.primary_metric):
                finding = error if doc.status in RUNNING_OR_LATER else warning
                out.append(
                    finding(
                        "metric-not-business",
                        d.path,
                        f"primary metric '{doc.primary_metric}' is not a business KPI and maps to "
                        "none",
                        line=p.line_of("primary_metric"),
                        field="primary_metric",
                        hint="pick a business metric, or give the metric a 'kpi' in cxlib.toml",
                    )
                )
    for field, values in metric_fields:
        for i, value in enumerate(values):
            if value not in metric_ids:
                unknown("unknown-metric", f"{field}.{i}", value, metric_ids, "metric")
    return out


def check_lifecycle(d: LoadedDoc) -> list[Finding]:
    """What each status requires. Messages say what is missing, on the status line."""
    doc = d.doc
    if doc is None:
        return []
    p = d.parsed
    status_line = p.line_of("status")
    out: list[Finding] = []

    def need(code: str, message: str, hint: str | None = None, field: str = "status") -> None:
        out.append(error(code, d.path, message, line=status_line, field=field, hint=hint))

    status = doc.status.value  # type: ignore[attr-defined]
    if isinstance(doc, Insight):
        if doc.status == InsightStatus.VALIDATED:
            if not doc.evidence:
                need(
                    "insight-evidence",
                    "a validated insight needs at least one piece of evidence",
                    "list URLs, files or experiment ids under 'evidence'",
                )
            if doc.confidence is None:
                need(
                    "insight-confidence",
                    "a validated insight needs a confidence (low, medium, high)",
                )
        if doc.source == Source.EXPERIMENT and not any(ID_RE.match(e) for e in doc.evidence):
            out.append(
                error(
                    "insight-loop",
                    d.path,
                    "an insight learned from an experiment must name that experiment in 'evidence'",
                    line=p.line_of("source"),
                    field="source",
                    hint="add the experiment id, e.g. EXP-0042",
                )
            )
    elif isinstance(doc, Opportunity):
        if doc.status in PAST_IDEA:
            if not doc.owner:
                need("opportunity-owner", f"a {status} opportunity needs an owner")
            missing = [
                f for f in ("customer_value", "business_value", "effort") if getattr(doc, f) is None
            ]
            if missing:
                need(
                    "opportunity-scores",
                    f"a {status} opportunity needs scores: {', '.join(missing)} (1-5)",
                )
            if not doc.insights:
                need(
                    "opportunity-insight",
                    f"a {status} opportunity needs at least one insight",
                    "list the insight ids it rests on under 'insights'",
                )
            for title in OPPORTUNITY_SECTIONS:
                section = p.section(title)
                if section is None or not section.has_content:
                    line = section.line if section else status_line
                    out.append(
                        error(
                            "opportunity-section",
                            d.path,
                            f"a {status} opportunity needs a non-empty '## "
                            f"{title.capitalize()}' section",
                            line=line,
                        )
                    )
    elif isinstance(doc, Experiment):
        if doc.status != ExperimentStatus.DRAFT and not doc.opportunity and not doc.insights:
            need(
                "experiment-origin",
                f"a {status} experiment must come from an opportunity or an insight",
                "set 'opportunity' or 'insights': ideas come from customers",
            )
        if doc.status in RUNNING_OR_LATER:
            if doc.start is None:
                need("experiment-start", f"a {status} experiment needs a start date")
            if not doc.hypothesis:
                need(
                    "experiment-hypothesis",
                    f"a {status} experiment needs a hypothesis",
                    "We believe that CHANGE for AUDIENCE will cause EFFECT, measured by METRIC",
                )
            if not doc.primary_metric:
                need("experiment-metric", f"a {status} experiment needs a primary_metric")
        if doc.status in CONCLUDED:
            if doc.end is None:
                need("experiment-end", f"a {status} experiment needs an end date")
            if doc.result is None or doc.result.outcome is None:
                need(
                    "experiment-outcome",
                    f"a {status} experiment needs result.outcome "
                    "(won, lost, inconclusive, invalid, stopped-early)",
                )
            learnings = p.section("learnings")
            if learnings is None or not learnings.has_content:
                outcome = doc.result.outcome if doc.result else None
                why = (
                    " — a loss or an inconclusive result needs its learnings most of all"
                    if outcome in (Outcome.LOST, Outcome.INCONCLUSIVE)
                    else ""
                )
                out.append(
                    error(
                        "experiment-learnings",
                        d.path,
                        f"a {status} experiment needs a non-empty '## Learnings' section{why}",
                        line=learnings.line if learnings else status_line,
                    )
                )
        if doc.start and doc.end and doc.end < doc.start:
            out.append(
                error(
                    "experiment-dates",
                    d.path,
                    f"end {doc.end} is before start {doc.start}",
                    line=p.line_of("end"),
                    field="end",
                )
            )
    if doc.updated is not None and doc.updated < doc.created:
        out.append(
            error(
                "updated-before-created",
                d.path,
                f"updated {doc.updated} is before created {doc.created}",
                line=p.line_of("updated"),
                field="updated",
            )
        )
    return out


def _id_key(doc_id: str) -> str:
    return unicodedata.normalize("NFKC", doc_id).upper()


def check_library(
    docs: list[LoadedDoc], config: ProgramConfig, report_paths: set[str] | None = None
) -> list[Finding]:
    """Rules across files: unique ids, links to existing documents of the right kind.

    All documents are read; findings are reported only for ``report_paths`` when given (the
    pre-commit case), so a batch run agrees with a whole run on the files it names.
    """
    kind_of: dict[str, Kind] = {}
    owners: dict[str, list[LoadedDoc]] = {}
    for d in docs:
        if d.id:
            owners.setdefault(_id_key(d.id), []).append(d)
            kind_of.setdefault(d.id, d.kind)
    out: list[Finding] = []
    for same in owners.values():
        if len(same) > 1:
            paths = [x.path for x in same]
            for d in same:
                others = ", ".join(p for p in paths if p != d.path)
                out.append(
                    error(
                        "duplicate-id",
                        d.path,
                        f"duplicate id {d.id}: also used by {others}",
                        line=d.parsed.line_of("id"),
                        field="id",
                        hint="give one of them a new id ('cxlib new' picks a free one)",
                    )
                )
    for d in docs:
        if report_paths is not None and d.path not in report_paths:
            continue
        allowed = LINK_FIELDS[d.kind]
        seen: set[tuple[str, str]] = set()
        for link in d.links():
            target_kind = kind_of.get(link.target)
            if link.target == d.id:
                out.append(
                    error(
                        "self-link",
                        d.path,
                        f"{link.field} links the document to itself",
                        line=link.line,
                        field=link.field,
                    )
                )
            elif target_kind is None:
                out.append(
                    error(
                        "broken-link",
                        d.path,
                        f"link target {link.target} does not exist",
                        line=link.line,
                        field=link.field,
                        hint="check the id, or create the document first",
                    )
                )
            elif link.field != "body" and target_kind not in allowed[link.field]:
                wanted = " or ".join(k.value for k in allowed[link.field])
                out.append(
                    error(
                        "link-kind",
                        d.path,
                        f"'{link.field}' must name an {wanted}, "
                        f"but {link.target} is an {target_kind.value}",
                        line=link.line,
                        field=link.field,
                    )
                )
            if link.field != "body" and (link.field, link.target) in seen:
                out.append(
                    warning(
                        "duplicate-link",
                        d.path,
                        f"{link.target} is listed twice in '{link.field}'",
                        line=link.line,
                        field=link.field,
                    )
                )
            seen.add((link.field, link.target))
    if report_paths is not None:
        out = [f for f in out if f.path in report_paths]
    return out
