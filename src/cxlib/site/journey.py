"""The journey page: the configured stages by the three kinds, each cell linking to its
documents — the journey poster made navigable."""

from __future__ import annotations

from urllib.parse import quote

from cxlib.escape import html as esc
from cxlib.site import layout
from cxlib.site.content import KINDS, PLURAL, Entry, Site

SHOWN = 25  # documents listed in a cell; the rest through the kind's index, filtered


def journey_page(site: Site, frame: layout.Frame) -> str:
    """The page ``journey.html``."""
    stages = [(s.id, s.name or s.id, s.touchpoints) for s in site.snap.config.journey]
    known = {s for s, _, _ in stages}
    cells: dict[tuple[str, object], list[Entry]] = {}
    for entry in site.entries.values():
        stage = entry.doc.stage if entry.doc.stage in known else ""
        cells.setdefault((stage or "", entry.kind), []).append(entry)
    if any(stage == "" for stage, _ in cells):
        stages.append(("", "No stage", []))
    rows = []
    for stage_id, name, touchpoints in stages:
        anchor = f' id="stage-{esc(stage_id)}"' if stage_id else ' id="no-stage"'
        points = (
            f'<br><span class="muted">{esc(", ".join(touchpoints))}</span>' if touchpoints else ""
        )
        tds = "".join(_cell(cells.get((stage_id, k), []), k.value, stage_id) for k in KINDS)
        rows.append(f'<tr{anchor}><th scope="row">{esc(name)}{points}</th>{tds}</tr>')
    head = ["Stage", *(PLURAL[k] for k in KINDS)]
    main = (
        "<h1>The customer journey</h1>"
        '<p class="lead">Every document in its place on the journey: where the pain points are, '
        "where the work is, and where nobody works yet.</p>"
        + layout.table(head, rows, "Documents by journey stage and kind", ' class="journey"')
    )
    return layout.page(frame, "Journey", main, "", "journey", page_class="journey-page")


def _cell(entries: list[Entry], kind: str, stage: str) -> str:
    if not entries:
        return '<td><span class="muted">none</span></td>'
    items = "".join(
        f'<li><a href="{layout.doc_href(e.id, "")}"><span class="doc-id">{esc(e.id)}</span> '
        f'{esc(e.doc.title)}</a> <span class="muted">({esc(e.status)})</span></li>'
        for e in entries[:SHOWN]
    )
    more = ""
    if len(entries) > SHOWN:
        target = f"kinds/{kind}.html" + (f"?stage={quote(stage)}" if stage else "")
        more = f'<li><a href="{esc(target)}">all {len(entries)}</a></li>'
    return f"<td><ul>{items}{more}</ul></td>"
