"""The site's home: counts per kind and status, recent changes, and the way to every index,
the journey, every report and the search; it says how many documents it leaves out."""

from __future__ import annotations

from cxlib.escape import html as esc
from cxlib.model.kinds import Kind
from cxlib.site import layout
from cxlib.site.content import KINDS, PLURAL, Site
from cxlib.site.queries import home_items

RECENT = 12


def left_out_sentence(n: int) -> str:
    if n == 0:
        return "Every document of the library is published here; none is marked restricted."
    if n == 1:
        return "1 document marked restricted is not published."
    return f"{n} documents marked restricted are not published."


def home_page(site: Site, frame: layout.Frame) -> str:
    from cxlib.reports.registry import SPECS

    counts = ", ".join(f"{len(site.of_kind(k))} {PLURAL[k].lower()}" for k in KINDS)
    parts = [
        f"<h1>{esc(site.snap.program)}</h1>",
        f'<p class="lead">The program\'s library of customer insights, opportunities and '
        f"experiments: {esc(counts)}.</p>",
        f'<p class="muted" id="left-out">{left_out_sentence(site.left_out)}</p>',
    ]
    if site.snap.skipped:
        parts.append(
            f'<p class="warn">{len(site.snap.skipped)} document(s) could not be read or do not '
            "fit the schema and are not shown; run 'cxlib validate'.</p>"
        )
    parts.append('<section aria-labelledby="kinds-h"><h2 id="kinds-h">The library</h2>')
    parts.append('<div class="grid">' + "".join(_kind_card(site, k) for k in KINDS) + "</div>")
    parts.append("</section>")
    parts.append(_recent(site))
    reports = "".join(
        f'<li><a href="reports/{name}.html">{esc(name.capitalize())}</a> — {esc(spec.summary)}</li>'
        for name, spec in SPECS.items()
    )
    parts.append(
        '<section aria-labelledby="more-h"><h2 id="more-h">Views of the program</h2>'
        '<ul class="plain">'
        '<li><a href="journey.html">Journey map</a> — every document in its stage, by kind '
        "(the Journey report below counts them)</li>"
        f"{reports}"
        '<li><a href="search.html">Search</a> — every document, full text</li>'
        "</ul></section>"
    )
    saved = home_items(site)
    if saved:
        parts.append(
            '<section aria-labelledby="queries-h"><h2 id="queries-h">Saved queries</h2>'
            f'<ul class="plain">{saved}</ul></section>'
        )
    return layout.page(frame, "Home", "\n".join(parts), "", "home", page_class="home")


def _kind_card(site: Site, kind: Kind) -> str:
    entries = site.of_kind(kind)
    by_status: dict[str, int] = {}
    for e in entries:
        by_status[e.status] = by_status.get(e.status, 0) + 1
    rows = "".join(
        f'<tr><th scope="row">{esc(s)}</th><td class="num">{n}</td></tr>'
        for s, n in sorted(by_status.items())
    )
    name = PLURAL[kind]
    value = kind.value
    table = (
        f'<table class="counts"><caption>{esc(name)} by status</caption><thead><tr>'
        '<th scope="col">Status</th><th scope="col" class="num">Documents</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        if rows
        else '<p class="muted">None yet.</p>'
    )
    return (
        f'<div class="card"><h3><a href="kinds/{value}.html">{esc(name)}</a> '
        f'<span class="muted">({len(entries)})</span></h3>{table}</div>'
    )


def _recent(site: Site) -> str:
    latest = sorted(
        site.entries.values(),
        key=lambda e: ((e.doc.updated or e.doc.created).isoformat(), e.id),
        reverse=True,
    )[:RECENT]
    rows = [
        f'<tr><td class="nw">{esc((e.doc.updated or e.doc.created).isoformat())}</td>'
        f'<td><a href="{layout.doc_href(e.id, "")}"><span class="doc-id">{esc(e.id)}</span> '
        f"{esc(e.doc.title)}</a></td><td>{esc(e.kind.value)}</td><td>{esc(e.status)}</td></tr>"
        for e in latest
    ]
    return (
        '<section aria-labelledby="recent-h"><h2 id="recent-h">Recent changes</h2>'
        + layout.table(["Date", "Document", "Kind", "Status"], rows, "Recently changed documents")
        + "</section>"
    )
