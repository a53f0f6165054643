"""What every report reads: the valid documents of a library, typed, with their typed backlinks.

Documents whose front-matter cannot be read or does not fit the schema have no model; reports
skip them and say how many were skipped. Documents that load but break a lifecycle rule are kept:
several reports exist to show exactly those (a loss without learnings, an opportunity with no
owner).
"""

from __future__ import annotations

import datetime as dt
import enum
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from cxlib.model.comments import without_comments
from cxlib.model.config import ProgramConfig
from cxlib.model.documents import (
    Document,
    Experiment,
    Insight,
    Opportunity,
    Outcome,
)
from cxlib.model.ids import ID_RE
from cxlib.model.library import Library
from cxlib.model.scoring import Formula, compile_formula, priority
from cxlib.model.source import ParsedFile
from cxlib.model.standing import ExperimentFacts, StandingResult, facts_from_model, weigh

# The groups the reports speak of, defined once in the vocabulary (the reports import them here).
from cxlib.model.vocabulary import CONCLUDED as CONCLUDED
from cxlib.model.vocabulary import DECIDED as DECIDED
from cxlib.model.vocabulary import LINK_FIELDS
from cxlib.model.vocabulary import OPEN_OPPORTUNITY as OPEN_OPPORTUNITY
from cxlib.model.vocabulary import PAST_IDEA as PAST_IDEA


@dataclass
class Snapshot:
    config: ProgramConfig
    today: dt.date
    insights: list[Insight] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)  # by id
    skipped: list[str] = field(default_factory=list)  # paths of documents without a model
    # Typed links into each id from valid documents: target -> [(source id, field)].
    backlinks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    formula: Formula | None = None
    facts: dict[str, ExperimentFacts] | None = None  # what an insight's standing reads, by id
    # Ids of the documents marked restricted (their visibility, or a folder of [site]): the
    # published views (the site, the HTML report) read :func:`public` of the snapshot.
    restricted: set[str] = field(default_factory=set)
    paths: dict[str, str] = field(default_factory=dict)  # each valid document's file, by id
    # The ``## Learnings`` text of concluded experiments, by id, for the reports that quote it:
    # the parse caches keep no prose, so whoever reads the files fills it (:func:`with_texts`).
    learnings: dict[str, str] = field(default_factory=dict)
    # The filters a report was narrowed by (:func:`narrowed`); links, standings and the
    # learnings stay the whole library's.
    filters: Filters | None = None

    @property
    def program(self) -> str:
        return self.config.program.name

    def linked_from(self, target: str, *fields: str) -> list[str]:
        """Ids of valid documents linking ``target`` through one of ``fields``, sorted, unique."""
        return sorted({src for src, name in self.backlinks.get(target, []) if name in fields})

    def outcome(self, e: Experiment) -> Outcome | None:
        return e.result.outcome if e.result else None

    def standing(self, i: Insight) -> StandingResult:
        """The insight's standing from the valid experiments it names
        (:mod:`cxlib.model.standing`)."""
        if self.facts is None:
            self.facts = {e.id: facts_from_model(e) for e in self.experiments}
        return weigh([*i.evidence], [*i.counter_evidence], self.facts)

    def priority(self, o: Opportunity) -> float | None:
        if self.formula is None:
            self.formula = compile_formula(self.config.scoring.formula)
        return priority(
            self.formula,
            o.customer_value,
            o.business_value,
            o.effort,
            o.reach,
            o.confidence.value if o.confidence else None,
        )


def take(library: Library, config: ProgramConfig, today: dt.date) -> Snapshot:
    """The typed, valid documents of ``library``, sorted by id, and what was skipped."""
    snap = Snapshot(config=config, today=today)
    for d in library.docs:
        doc = d.doc
        if doc is None:
            snap.skipped.append(d.path)
            continue
        snap.parsed[doc.id] = d.parsed
        snap.paths[doc.id] = d.path
        if config.restricted(d.path, doc.visibility):
            snap.restricted.add(doc.id)
        if isinstance(doc, Insight):
            snap.insights.append(doc)
        elif isinstance(doc, Opportunity):
            snap.opportunities.append(doc)
        elif isinstance(doc, Experiment):
            snap.experiments.append(doc)
        # The typed front-matter links of the validated model (the same fields as
        # LINK_FIELDS); body [[ID]] mentions are not a follow-up, so they are left out.
        for name in LINK_FIELDS[d.kind]:
            value = getattr(doc, name)
            for target in value if isinstance(value, list) else [value] if value else []:
                if ID_RE.match(target):
                    snap.backlinks.setdefault(target, []).append((doc.id, name))
    for items in (snap.insights, snap.opportunities, snap.experiments):
        items.sort(key=lambda doc: doc.id)
    snap.skipped.sort()
    return snap


def public(snap: Snapshot) -> Snapshot:
    """The snapshot without its restricted documents, their ids taken out of the other
    documents' links too, and without the skipped files of restricted folders: what a published
    view may show."""
    gone = snap.restricted
    if not gone and not snap.config.site.restricted:
        return snap
    out = Snapshot(config=snap.config, today=snap.today, formula=snap.formula, restricted=gone)
    out.insights = [_without(d, gone) for d in snap.insights if d.id not in gone]
    out.opportunities = [_without(d, gone) for d in snap.opportunities if d.id not in gone]
    out.experiments = [_without(d, gone) for d in snap.experiments if d.id not in gone]
    out.parsed = {k: v for k, v in snap.parsed.items() if k not in gone}
    out.paths = {k: v for k, v in snap.paths.items() if k not in gone}
    out.learnings = {k: v for k, v in snap.learnings.items() if k not in gone}
    out.filters = snap.filters
    out.skipped = [p for p in snap.skipped if not snap.config.site.restricts(p)]
    out.backlinks = {
        target: [(src, name) for src, name in links if src not in gone]
        for target, links in snap.backlinks.items()
        if target not in gone
    }
    return out


# -- filters ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """What ``--team``, ``--stage``, ``--owner``, ``--tag`` and ``--since`` keep: documents of
    that team, at that stage, of that owner (any case), with that tag, and, with ``since``, the
    documents still in play and those closed on or after it (:func:`in_window`)."""

    team: str | None = None
    stage: str | None = None
    owner: str | None = None
    tag: str | None = None
    since: dt.date | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def keeps(self, doc: Document) -> bool:
        return (
            (self.team is None or doc.team == self.team)
            and (self.stage is None or doc.stage == self.stage)
            and (self.owner is None or (doc.owner or "").casefold() == self.owner.casefold())
            and (self.tag is None or self.tag in doc.tags)
            and (self.since is None or in_window(doc, self.since))
        )

    def words(self) -> list[str]:
        """The filters as a report's subtitle names them."""
        return [
            f"{f.name} {getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) is not None
        ]


# Statuses of documents still in play: ``--since`` never hides them.
_IN_PLAY = {
    "experiment": {"draft", "planned", "running"},
    "insight": {"draft", "validated"},
    "opportunity": {"idea", "prioritized", "in-progress"},
}


def closing_date(doc: Document) -> dt.date:
    """When a document was last closed or changed, as its front-matter says: ``end``, else
    ``updated``, else ``start``, else ``created``."""
    end = getattr(doc, "end", None)
    start = getattr(doc, "start", None)
    return end or doc.updated or start or doc.created


def in_window(doc: Document, since: dt.date | None) -> bool:
    """Documents still in play are always current; the others count when they closed (or last
    changed) on or after ``since`` (:func:`closing_date`)."""
    if since is None:
        return True
    status = str(getattr(doc, "status", ""))
    return status in _IN_PLAY.get(doc.kind.value, set()) or closing_date(doc) >= since


def narrowed(snap: Snapshot, filters: Filters) -> Snapshot:
    """The snapshot with only the documents ``filters`` keeps. Links, the insights' standings
    and the learnings are still read from the whole library: an insight another team's
    experiment uses is used, and an experiment outside the filter still weighs on a standing.
    With ``stage``, the journey holds that stage alone."""
    if not filters:
        return snap
    if snap.facts is None:
        snap.facts = {e.id: facts_from_model(e) for e in snap.experiments}
    config = snap.config
    if filters.stage is not None:
        config = replace(config, journey=[s for s in config.journey if s.id == filters.stage])
    out = replace(snap, config=config, filters=filters)
    out.insights = [d for d in snap.insights if filters.keeps(d)]
    out.opportunities = [d for d in snap.opportunities if filters.keeps(d)]
    out.experiments = [d for d in snap.experiments if filters.keeps(d)]
    return out


def with_texts(snap: Snapshot, read: Callable[[str], str | None]) -> Snapshot:
    """``snap`` with the learnings of its concluded experiments, ``read(path)`` giving a file's
    text (None when it cannot be read any more). Only sections the parse found with content are
    read, so a library without learnings costs nothing."""
    for e in snap.experiments:
        if e.status not in CONCLUDED or e.id in snap.learnings:
            continue
        parsed = snap.parsed.get(e.id)
        section = parsed.section("learnings") if parsed else None
        path = snap.paths.get(e.id)
        if section is None or not section.has_content or path is None:
            continue
        text = read(path)
        if text is not None:
            snap.learnings[e.id] = section_text(text, section.line)
    return snap


LEARNINGS_LIMIT = 4000  # characters of a section a report quotes; the file has the rest


def section_text(text: str, line: int) -> str:
    """The prose of the section whose heading is on ``line`` (1-based) of ``text``: up to the
    next heading of the same or a higher level, outside code fences, without HTML comments,
    trimmed, at most :data:`LEARNINGS_LIMIT` characters."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return ""
    heading = lines[line - 1]
    level = len(heading) - len(heading.lstrip("#"))
    body: list[str] = []
    fence = False
    size = 0
    for raw in lines[line:]:
        stripped = raw.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
        elif not fence and stripped.startswith("#"):
            depth = len(stripped) - len(stripped.lstrip("#"))
            if 0 < depth <= max(level, 1) and stripped[depth : depth + 1] in (" ", ""):
                break
        body.append(raw)
        size += len(raw) + 1
        if size > LEARNINGS_LIMIT * 2:
            break
    prose = without_comments("\n".join(body)).strip()
    return prose if len(prose) <= LEARNINGS_LIMIT else prose[: LEARNINGS_LIMIT - 1] + "…"


def _without(doc: Any, gone: set[str]) -> Any:
    """``doc`` without links to the ids in ``gone``."""
    update: dict[str, Any] = {}
    for name in LINK_FIELDS[doc.kind]:
        value = getattr(doc, name)
        if isinstance(value, list):
            kept = [v for v in value if v not in gone]
            if len(kept) != len(value):
                update[name] = kept
        elif value in gone:
            update[name] = None
    return doc.model_copy(update=update) if update else doc


# -- small shared helpers --------------------------------------------------------------------------
class Pace(enum.StrEnum):
    """Where a running experiment stands against its plan (the experiments and health reports
    judge it the same way)."""

    ON_TIME = "on time"
    ENDING = "ending this week"  # its planned end falls in the next seven days, today included
    OVERDUE = "overdue"  # past its planned end and the grace days
    STALE = "stale"  # no planned end, and running longer than stale_after_days


def pace(e: Experiment, today: dt.date, config: ProgramConfig) -> Pace:
    program = config.program
    stop = e.planned_stop()
    if stop is None:
        running = (today - (e.start or e.created)).days
        return Pace.STALE if running > program.stale_after_days else Pace.ON_TIME
    if today > stop + dt.timedelta(days=program.grace_days):
        return Pace.OVERDUE
    return Pace.ENDING if today <= stop <= today + dt.timedelta(days=6) else Pace.ON_TIME


def month_of(day: dt.date) -> str:
    """ "YYYY-MM" of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every calendar month from ``first`` to ``last`` (``YYYY-MM``), inclusive."""
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out: list[str] = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def shift_month(month: str, by: int) -> str:
    """The month ``by`` months after ``month`` (before, when negative)."""
    year, m = map(int, month.split("-"))
    index = year * 12 + (m - 1) + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def quarter_of(day: dt.date) -> str:
    """ "YYYY-Qn" of a date."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places, None when ``whole`` is 0 (no data, not 0%)."""
    return round(part / whole, 4) if whole else None


def median(values: list[int]) -> float | None:
    """The median, None for no values."""
    return float(statistics.median(values)) if values else None


def jsonable(value: Any) -> Any:
    """Result dataclasses as JSON values (dates as ISO text, enums as their value).

    Walks the dataclasses directly: ``dataclasses.asdict`` deep-copies every value first, which
    costs more than the report itself on a large base.
    """
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value.value if isinstance(value, enum.Enum) else value
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.setdefault(type(value), tuple(f.name for f in fields(value)))
    if names is not None:
        return {name: jsonable(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"not JSON data: {type(value).__name__}")


_FIELDS: dict[type, tuple[str, ...]] = {}
