"""A page per saved query of cxlib.toml (``[queries.NAME]``): its title, description and query,
and the published documents it finds, as ``cxlib query NAME`` lists them."""

from __future__ import annotations

from cxlib.escape import html as esc
from cxlib.model.kinds import Kind
from cxlib.site import layout
from cxlib.site.content import Entry, Site

REL = "../"


def query_href(name: str, rel: str = "") -> str:
    return f"{rel}queries/{name}.html"


def query_pages(site: Site, frame: layout.Frame) -> dict[str, str]:
    """Each saved query's page, by its path in the site."""
    return {query_href(name): _page(site, frame, name) for name in sorted(site.snap.config.queries)}


def matches(site: Site, name: str) -> list[Entry]:
    """The published documents the saved query finds, in id order."""
    from cxlib.query.predicates import compile_where

    saved = site.snap.config.queries[name]
    kinds = [saved.kind] if saved.kind is not None else list(Kind)
    entries = [e for e in site.entries.values() if e.kind in kinds]
    datas = [e.parsed.data or {} for e in entries]
    test = compile_where(saved.queries(), site.snap.config, kinds, lambda: datas)
    return [e for e, data in zip(entries, datas, strict=True) if test(data)]


def _page(site: Site, frame: layout.Frame, name: str) -> str:
    saved = site.snap.config.queries[name]
    found = matches(site, name)
    rows = [
        "<tr>"
        f'<td class="title"><a href="{layout.doc_href(e.id, REL)}"><span class="doc-id">'
        f"{esc(e.id)}</span> {esc(e.doc.title)}</a></td>"
        f"<td>{esc(e.kind.value)}</td><td>{esc(e.status)}</td>"
        f"<td>{esc(e.doc.stage or '')}</td><td>{esc(e.doc.owner or '')}</td>"
        f"<td>{esc((e.doc.updated or e.doc.created).isoformat())}</td>"
        "</tr>"
        for e in found
    ]
    head = ["Document", "Kind", "Status", "Stage", "Owner", "Updated"]
    title = saved.title or name
    where = " and ".join(f"({q})" if len(saved.queries()) > 1 else q for q in saved.queries())
    kind = f" among {saved.kind.value} documents" if saved.kind else ""
    table = (
        layout.table(head, rows, f"{title}: {len(found)}")
        if found
        else '<p class="muted">No published document matches it today.</p>'
    )
    main = (
        f"<h1>{esc(title)}</h1>"
        + (f'<p class="lead">{esc(saved.description)}</p>' if saved.description else "")
        + f'<p class="muted">The saved query <code>{esc(name)}</code>{esc(kind)}: '
        f"<code>{esc(where)}</code>. Run it with <code>cxlib query {esc(name)}</code>.</p>" + table
    )
    return layout.page(frame, title, main, REL, "queries", page_class="index")


def home_items(site: Site) -> str:
    """The home page's list items of the saved queries."""
    out = []
    for name in sorted(site.snap.config.queries):
        saved = site.snap.config.queries[name]
        about = f" — {esc(saved.description)}" if saved.description else ""
        out.append(f'<li><a href="{query_href(name)}">{esc(saved.title or name)}</a>{about}</li>')
    return "".join(out)
