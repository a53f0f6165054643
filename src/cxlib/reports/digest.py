"""``report digest``: what changed since a date (by default the seven days before today), for a
weekly meeting, ready to paste into a chat or an e-mail.

Dated by front-matter, as every report: *concluded* = an experiment concluded or implemented
with its ``end`` in the window; *started* = its ``start`` in the window; *ending this week* and
*overdue* = running experiments judged by their plan (:func:`cxlib.reports.snapshot.pace`);
*insights* = created in the window (new), or validated and ``updated`` in it (re-validated or
edited); *opportunities* = created or ``updated`` in the window; *decisions pending* = every
concluded experiment without a decision, by owner. With ``--git`` the documents git saw added or
changed in the window are listed too, marked as coming from git history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cxlib.model.documents import Experiment, ExperimentStatus, InsightStatus
from cxlib.reports.blocks import CsvColumns, Figures, Heading, Note, Rendered, skipped_note
from cxlib.reports.learnings import points
from cxlib.reports.snapshot import CONCLUDED, Pace, Snapshot, pace

DAYS = 7  # the default window: the seven days before today


@dataclass
class Item:
    """One line of the digest: a document and what happened to it."""

    section: str  # concluded, started, ending, overdue, insight, opportunity, pending
    id: str
    title: str
    owner: str | None
    date: str  # the date that put it here
    what: str  # outcome and decision, status, planned end...
    learning: str = ""  # a concluded experiment's first learning


@dataclass
class Touched:
    """A document git saw added or changed in the window."""

    id: str
    path: str
    change: str  # "added" or "changed"
    date: str  # of its last commit
    author: str


@dataclass
class GitChanges:
    touched: list[Touched] = field(default_factory=list)
    unavailable: str | None = None  # why git could not tell (not a repository, ...)


@dataclass
class Digest:
    program: str
    today: str
    since: str
    concluded: list[Item]
    started: list[Item]
    ending: list[Item]
    overdue: list[Item]
    insights: list[Item]
    opportunities: list[Item]
    pending: dict[str, list[Item]]  # decisions pending, by owner ("" for none)
    git: GitChanges | None = None  # with --git
    skipped: list[str] = field(default_factory=list)


def digest(snap: Snapshot, since: dt.date | None = None, git: bool = False) -> Digest:
    """What changed from ``since`` (default: :data:`DAYS` days before today) to today. With
    ``git`` the command then adds what git history says (:func:`with_git`): the report itself
    reads no history."""
    today = snap.today
    start = since or today - dt.timedelta(days=DAYS)
    out = Digest(snap.program, today.isoformat(), start.isoformat(), [], [], [], [], [], [], {})
    window = _Window(start, today)
    for e in snap.experiments:
        _experiment(snap, e, window, out)
    _insights(snap, window, out)
    _opportunities(snap, window, out)
    for items in (out.concluded, out.started, out.ending, out.insights, out.opportunities):
        items.sort(key=lambda x: (x.date, x.id), reverse=True)
    out.overdue.sort(key=lambda x: (x.date, x.id))
    out.pending = {k: out.pending[k] for k in sorted(out.pending, key=lambda k: (k == "", k))}
    out.skipped = snap.skipped
    return out


@dataclass(frozen=True)
class _Window:
    start: dt.date
    end: dt.date

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _experiment(snap: Snapshot, e: Experiment, window: _Window, out: Digest) -> None:
    outcome = snap.outcome(e)
    read = outcome.value if outcome else "no outcome"
    if e.status in CONCLUDED and window.holds(e.end):
        what = f"{read}; decision " + (e.decision.value if e.decision else "pending")
        learned = points(snap.learnings.get(e.id, ""))
        first = learned[0] if learned else "no learnings written"
        out.concluded.append(Item("concluded", e.id, e.title, e.owner, str(e.end), what, first))
    if window.holds(e.start):
        out.started.append(Item("started", e.id, e.title, e.owner, str(e.start), e.status.value))
    if e.status == ExperimentStatus.RUNNING:
        judged = pace(e, snap.today, snap.config)
        stop = e.planned_stop()
        if judged in (Pace.ENDING, Pace.OVERDUE) and stop is not None:
            where = out.ending if judged == Pace.ENDING else out.overdue
            late = (snap.today - stop).days
            what = f"planned end {stop}" + (f", {late} days ago" if late > 0 else "")
            where.append(Item(judged.value, e.id, e.title, e.owner, str(stop), what))
    if e.status == ExperimentStatus.CONCLUDED and e.decision is None:
        item = Item(
            "pending", e.id, e.title, e.owner, str(e.end or e.created), f"{read}, decision pending"
        )
        out.pending.setdefault(e.owner or "", []).append(item)


def _insights(snap: Snapshot, window: _Window, out: Digest) -> None:
    for i in snap.insights:
        if window.holds(i.created):
            what = f"new, {i.status.value}"
            out.insights.append(Item("insight", i.id, i.title, i.owner, str(i.created), what))
        elif i.status == InsightStatus.VALIDATED and window.holds(i.updated):
            what = "validated; re-validated or edited"
            out.insights.append(Item("insight", i.id, i.title, i.owner, str(i.updated), what))


def _opportunities(snap: Snapshot, window: _Window, out: Digest) -> None:
    for o in snap.opportunities:
        if window.holds(o.created):
            what, day = f"new, {o.status.value}", str(o.created)
        elif window.holds(o.updated):
            what, day = f"now {o.status.value}", str(o.updated)
        else:
            continue
        out.opportunities.append(Item("opportunity", o.id, o.title, o.owner, day, what))


def with_git(d: Digest, changes: GitChanges) -> Digest:
    """The digest with what git history says (``--git``)."""
    d.git = changes
    return d


def _lines(items: list[Item], learning: bool = False) -> Figures | Note:
    if not items:
        return Note("None.")
    rows: list[tuple[str, str]] = []
    for x in items:
        who = f" ({x.owner})" if x.owner else ""
        learned = f"; learned: {x.learning}" if learning else ""
        rows.append((f"{x.id} {x.title}", f"{x.what}{who}{learned}"))
    return Figures(rows)


def render(d: Digest) -> Rendered:
    """The digest as display blocks: short lists, ready to paste into a chat or an e-mail."""
    out = Rendered(f"Digest — {d.program}", f"what changed from {d.since} to {d.today}")
    out.blocks.append(Heading("Concluded"))
    out.blocks.append(_lines(d.concluded, learning=True))
    out.blocks.append(Heading("Started"))
    out.blocks.append(_lines(d.started))
    out.blocks.append(Heading("Ending this week"))
    out.blocks.append(_lines(d.ending))
    out.blocks.append(Heading("Overdue"))
    out.blocks.append(_lines(d.overdue))
    out.blocks.append(Heading("Insights, new and re-validated"))
    out.blocks.append(_lines(d.insights))
    out.blocks.append(Heading("Opportunities that moved"))
    out.blocks.append(_lines(d.opportunities))
    out.blocks.append(Heading("Decisions pending, and on whom"))
    if not d.pending:
        out.blocks.append(Note("None."))
    for owner, items in d.pending.items():
        listed = ", ".join(f"{x.id} {x.title} ({x.what})" for x in items)
        out.blocks.append(Figures([(owner or "no owner", listed)]))
    if d.git is not None:
        out.blocks.append(Heading(f"Added or changed in git since {d.since} (from git history)"))
        if d.git.unavailable:
            out.blocks.append(Note(f"git history not read: {d.git.unavailable}."))
        elif not d.git.touched:
            out.blocks.append(Note("None."))
        else:
            out.blocks.append(
                Figures(
                    [
                        (t.id, f"{t.change} (git), last commit {t.date} by {t.author}: {t.path}")
                        for t in d.git.touched
                    ]
                )
            )
    note = skipped_note(d.skipped)
    if note:
        out.blocks.append(note)
    return out


def csv_rows(d: Digest) -> list[dict[str, object]]:
    """One CSV row per item of the digest."""
    pending = [x for items in d.pending.values() for x in items]
    items = [*d.concluded, *d.started, *d.ending, *d.overdue, *d.insights, *d.opportunities]
    return _CSV.rows([*items, *pending])


_CSV: CsvColumns[Item] = CsvColumns(
    {
        "section": lambda x: x.section,
        "id": lambda x: x.id,
        "title": lambda x: x.title,
        "owner": lambda x: x.owner,
        "date": lambda x: x.date,
        "what": lambda x: x.what,
        "learning": lambda x: x.learning,
    }
)
CSV_COLUMNS = _CSV.names
