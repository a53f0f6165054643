"""The program's single-file rules: identity, journey and metric references, lifecycle.
(The rules across documents are :mod:`cxlib.model.library_rules`.)

Pure functions from loaded documents and the config to findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from cxlib.model.choices import choice_hint
from cxlib.model.codes import Code
from cxlib.model.config import ProgramConfig
from cxlib.model.documents import Document, Experiment, Insight, Opportunity
from cxlib.model.findings import Finding, error, warning
from cxlib.model.ids import ID_RE, id_from_filename, split_id
from cxlib.model.library import LoadedDoc
from cxlib.model.source import ParsedFile
from cxlib.model.vocabulary import (
    LOSS_NOTE,
    LOSSES,
    RUNNING_OR_LATER,
    Requirement,
    Source,
    filled,
    requirements,
    statuses,
)


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
                Code.FILE_NAME,
                d.path,
                f"file name '{name}' does not start with the document id",
                line=0,
                hint=f"rename it to {declared or 'ID'}-<slug>.md",
            )
        )
    elif declared and declared != from_name:
        out.append(
            error(
                Code.ID_MISMATCH,
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
                Code.ID_PREFIX,
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
    names = _Names(d.path, d.parsed)
    _journey_names(names, doc, config)
    if doc.team is not None and doc.team not in {t.id for t in config.teams}:
        names.unknown(Code.UNKNOWN_TEAM, "team", doc.team, (t.id for t in config.teams), "team")
    if isinstance(doc, Insight) and config.segments:
        known = {s.id for s in config.segments}
        for i, seg in enumerate(doc.segments):
            if seg not in known:
                names.unknown(Code.UNKNOWN_SEGMENT, f"segments.{i}", seg, known, "segment")
    _metric_names(names, doc, config)
    return names.found


class _Names:
    """Collects the findings about names that cxlib.toml does not know."""

    def __init__(self, path: str, parsed: ParsedFile) -> None:
        self.path, self.parsed = path, parsed
        self.found: list[Finding] = []

    def unknown(
        self, code: Code, field: str, value: str, choices: Iterable[str], what: str
    ) -> None:
        known = sorted(choices)
        self.found.append(
            error(
                code,
                self.path,
                f"{what} '{value}' is not in cxlib.toml",
                line=self.parsed.line_of(field),
                field=field,
                hint=choice_hint(value, known) if known else "add it to cxlib.toml first",
            )
        )


def _journey_names(names: _Names, doc: Document, config: ProgramConfig) -> None:
    if doc.stage is None:
        if doc.touchpoint is not None:
            names.found.append(
                error(
                    Code.TOUCHPOINT_WITHOUT_STAGE,
                    names.path,
                    "a touchpoint needs a stage",
                    line=names.parsed.line_of("touchpoint"),
                    field="touchpoint",
                )
            )
        return
    stage = config.stage(doc.stage)
    if stage is None:
        stages = (s.id for s in config.journey)
        names.unknown(Code.UNKNOWN_STAGE, "stage", doc.stage, stages, "journey stage")
    elif doc.touchpoint is not None and doc.touchpoint not in stage.touchpoints:
        names.unknown(
            Code.UNKNOWN_TOUCHPOINT,
            "touchpoint",
            doc.touchpoint,
            stage.touchpoints,
            f"touchpoint of stage '{stage.id}'",
        )


def _metric_names(names: _Names, doc: Document, config: ProgramConfig) -> None:
    """Metrics exist in the catalog, and an experiment's primary metric drives the business."""
    metric_ids = {m.id for m in config.metrics}
    fields: list[tuple[str, list[str]]] = []
    if isinstance(doc, Opportunity):
        fields.append(("kpis", doc.kpis))
    if isinstance(doc, Experiment):
        fields.append(("guardrail_metrics", doc.guardrail_metrics))
        guardrails = doc.result.guardrails if doc.result and doc.result.guardrails else []
        for i, g in enumerate(guardrails):
            if g.metric not in metric_ids:
                where = f"result.guardrails.{i}.metric"
                names.unknown(Code.UNKNOWN_METRIC, where, g.metric, metric_ids, "metric")
        primary = doc.primary_metric
        if primary is not None and primary not in metric_ids:
            names.unknown(Code.UNKNOWN_METRIC, "primary_metric", primary, metric_ids, "metric")
        elif primary is not None and not config.drives_business(primary):
            finding = error if doc.status in RUNNING_OR_LATER else warning
            names.found.append(
                finding(
                    Code.METRIC_NOT_BUSINESS,
                    names.path,
                    f"primary metric '{primary}' is not a business KPI and maps to none",
                    line=names.parsed.line_of("primary_metric"),
                    field="primary_metric",
                    hint="pick a business metric, or give the metric a 'kpi' in cxlib.toml",
                )
            )
    for field, values in fields:
        for i, value in enumerate(values):
            if value not in metric_ids:
                names.unknown(Code.UNKNOWN_METRIC, f"{field}.{i}", value, metric_ids, "metric")


def check_lifecycle(d: LoadedDoc, declared: tuple[Requirement, ...] = ()) -> list[Finding]:
    """What each status requires (:data:`cxlib.model.vocabulary.REQUIREMENTS`, then the
    program's ``declared`` ones), then the dates and the insight's loop. Messages say what is
    missing, on the status line.

    A document the schema refused is still checked against what its status requires, from its
    front-matter as written, so that one run reports everything there is to fix; the rules that
    compare typed values (dates, the evidence of an experiment-sourced insight) wait for a
    document the schema accepts."""
    status = _status_of(d)
    if status is None:
        return []
    out: list[Finding] = []
    for req in requirements(d.kind, status, declared):
        finding = _unmet(req, d.path, d.doc, d.parsed, status) if req.error else None
        if finding is not None:
            out.append(finding)
    if d.doc is not None:
        out += _insight_loop(d.path, d.doc, d.parsed)
        out += _dates_in_order(d.path, d.doc, d.parsed)
    return out


def _status_of(d: LoadedDoc) -> str | None:
    if d.doc is not None:
        return str(d.doc.status.value)  # type: ignore[attr-defined]
    status = (d.parsed.data or {}).get("status")
    return status if isinstance(status, str) and status in statuses(d.kind) else None


_ABSENT = object()


def field_value(doc: Document | None, dotted: str, data: dict[str, object] | None = None) -> object:
    """The value at a dotted path (``result.outcome``): the model's, or, for a field the model
    does not have (one a program declares in cxlib.toml) or a document the schema refused, the
    front-matter's; None when a parent is missing."""
    if doc is None:
        value: object = data
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value
    if "." not in dotted:  # most requirements name a top-level field
        value = getattr(doc, dotted, _ABSENT)
        if value is not _ABSENT:
            return value
        return data.get(dotted) if data is not None else None
    top = dotted.split(".", 1)[0]
    value = doc if top in type(doc).model_fields or data is None else data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value


def _unmet(
    req: Requirement, path: str, doc: Document | None, parsed: ParsedFile, status: str
) -> Finding | None:
    """The finding for a requirement ``doc`` does not meet, or None."""
    status_line = parsed.line_of("status")
    if req.section is not None:
        section = parsed.section(req.section)
        if section is not None and section.has_content:
            return None
        message = req.message.format(status=status)
        outcome = field_value(doc, "result.outcome", parsed.data)
        if req.code == Code.EXPERIMENT_LEARNINGS and outcome in LOSSES:
            message += f" — {LOSS_NOTE}"
        line = section.line if section else status_line
        return error(req.code or "", path, message, line=line)
    if req.any_of:
        if any(filled(field_value(doc, f, parsed.data)) for f in req.any_of):
            return None
        missing: list[str] = list(req.any_of)
    else:
        missing = [f for f in req.fields if not filled(field_value(doc, f, parsed.data))]
        if not missing:
            return None
    message = req.message.format(status=status, missing=", ".join(missing))
    return error(req.code or "", path, message, line=status_line, field="status", hint=req.hint)


def _insight_loop(path: str, doc: Document, parsed: ParsedFile) -> list[Finding]:
    """An insight learned from an experiment names that experiment (closing the loop)."""
    if not isinstance(doc, Insight) or doc.source != Source.EXPERIMENT:
        return []
    if any(ID_RE.match(e) for e in doc.evidence):
        return []
    return [
        error(
            Code.INSIGHT_LOOP,
            path,
            "an insight learned from an experiment must name that experiment in 'evidence'",
            line=parsed.line_of("source"),
            field="source",
            hint="add the experiment id, e.g. EXP-0042",
        )
    ]


def _dates_in_order(path: str, doc: Document, parsed: ParsedFile) -> list[Finding]:
    out: list[Finding] = []
    if isinstance(doc, Experiment) and doc.start and doc.end and doc.end < doc.start:
        out.append(
            error(
                Code.EXPERIMENT_DATES,
                path,
                f"end {doc.end} is before start {doc.start}",
                line=parsed.line_of("end"),
                field="end",
            )
        )
    if doc.updated is not None and doc.updated < doc.created:
        out.append(
            error(
                Code.UPDATED_BEFORE_CREATED,
                path,
                f"updated {doc.updated} is before created {doc.created}",
                line=parsed.line_of("updated"),
                field="updated",
            )
        )
    return out
