"""The index of each kind: one table of its documents that filters (status, stage, owner, team,
tag, outcome) and sorts in the browser; without JavaScript, a plain full table."""

from __future__ import annotations

from cxlib.escape import html as esc
from cxlib.model.documents import Experiment, Opportunity
from cxlib.model.kinds import Kind
from cxlib.site import layout
from cxlib.site.content import PLURAL, Entry, Site

REL = "../"
# (select name, label, what a row says for it)
FILTERS = (
    ("status", "Status"),
    ("stage", "Stage"),
    ("owner", "Owner"),
    ("team", "Team"),
    ("tag", "Tag"),
    ("outcome", "Outcome"),
)


def _outcome(entry: Entry) -> str:
    doc = entry.doc
    if isinstance(doc, Experiment) and doc.result and doc.result.outcome:
        return doc.result.outcome.value
    return ""


def _values(entry: Entry) -> dict[str, str]:
    d = entry.doc
    return {
        "status": entry.status,
        "stage": d.stage or "",
        "owner": d.owner or "",
        "team": d.team or "",
        "outcome": _outcome(entry),
    }


def _columns(kind: Kind) -> list[tuple[str, str]]:
    """(heading, sort type) of each column after the document's."""
    extra = {
        Kind.EXPERIMENT: [("Outcome", ""), ("Decision", "")],
        Kind.OPPORTUNITY: [("Priority", "num")],
        Kind.INSIGHT: [("Confidence", "")],
    }[kind]
    return [
        ("Status", ""),
        ("Stage", ""),
        ("Owner", ""),
        ("Team", ""),
        *extra,
        ("Updated", ""),
    ]


def _extra_cells(site: Site, entry: Entry) -> list[str]:
    d = entry.doc
    if isinstance(d, Experiment):
        return [esc(_outcome(entry)), esc(d.decision.value if d.decision else "")]
    if isinstance(d, Opportunity):
        p = site.snap.priority(d)
        return [esc(f"{p:g}") if p is not None else ""]
    return [esc(getattr(d, "confidence", None) or "")]


def _row(site: Site, entry: Entry) -> str:
    values = _values(entry)
    attrs = "".join(f' data-{k}="{esc(v)}"' for k, v in values.items())
    attrs += f' data-tags="{esc(" ".join(entry.doc.tags))}"'
    d = entry.doc
    first = (
        f'<a href="{layout.doc_href(entry.id, REL)}"><span class="doc-id">{esc(entry.id)}</span> '
        f"{esc(d.title)}</a>"
    )
    cells = [
        first,
        esc(entry.status),
        esc(d.stage or ""),
        esc(d.owner or ""),
        esc(d.team or ""),
        *_extra_cells(site, entry),
        esc((d.updated or d.created).isoformat()),
    ]
    tds = "".join(
        f'<td class="title" data-value="{esc(entry.id)}">{c}</td>' if i == 0 else f"<td>{c}</td>"
        for i, c in enumerate(cells)
    )
    return f"<tr{attrs}>{tds}</tr>"


def _filters(entries: list[Entry], kind: Kind) -> str:
    fields = [f for f in FILTERS if f[0] != "outcome" or kind == Kind.EXPERIMENT]
    selects: list[str] = []
    for name, label in fields:
        if name == "tag":
            options = sorted({t for e in entries for t in e.doc.tags})
        else:
            options = sorted({_values(e)[name] for e in entries} - {""})
        opts = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in options)
        selects.append(
            f'<label for="f-{name}">{label}<select id="f-{name}" name="{name}">'
            f'<option value="">All</option>{opts}</select></label>'
        )
    return (
        '<form id="filters" hidden aria-label="Filter the table">'
        + "".join(selects)
        + '<button type="reset">Show all</button>'
        '<p id="shown-count" class="muted" aria-live="polite"></p></form>'
    )


def kind_page(site: Site, kind: Kind, frame: layout.Frame) -> str:
    """The page ``kinds/<kind>.html``."""
    entries = site.of_kind(kind)
    columns = [("Document", ""), *_columns(kind)]
    head = [
        f'<button type="button" data-sort="{i}"'
        + (' data-type="num"' if sort == "num" else "")
        + f">{esc(name)}</button>"
        for i, (name, sort) in enumerate(columns)
    ]
    rows = [_row(site, e) for e in entries]
    name = PLURAL[kind]
    table = layout.table(head, rows, f"{name}: {len(entries)}", ' id="doc-table"')
    main = (
        f"<h1>{esc(name)}</h1>"
        f'<p class="lead">{len(entries)} {esc(name.lower())} in the library. Choose a value '
        "below to see only the documents that have it; the column headings sort.</p>"
        f"{_filters(entries, kind)}{table}"
    )
    return layout.page(frame, name, main, REL, kind.value, page_class="index")
