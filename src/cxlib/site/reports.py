"""A page per report of the registry (:data:`cxlib.reports.registry.SPECS`): the report's own
display blocks and charts, with every document id linked to its page."""

from __future__ import annotations

import re

from cxlib.escape import html as esc
from cxlib.reports.blocks import Block, Figures, Heading, Note, Rendered, Table
from cxlib.reports.html import chart_figure
from cxlib.site import layout
from cxlib.site.content import Site

REL = "../"
# An id as the reports write it, whole (EXP-0003, not part of "XEXP-00031").
_ID = re.compile(r"(?<![A-Za-z0-9-])([A-Z][A-Z0-9]{0,9}-[0-9]{1,9})(?![A-Za-z0-9])")


def linked(site: Site, text: str) -> str:
    """Plain text as HTML with every published document's id a link to its page."""

    def link(m: re.Match[str]) -> str:
        doc_id = m.group(1)
        if doc_id not in site.entries:
            return doc_id
        return f'<a href="{layout.doc_href(doc_id, REL)}" class="doc-id">{doc_id}</a>'

    return _ID.sub(link, esc(text))


def _table(site: Site, t: Table) -> str:
    if not t.rows:
        return f'<p class="muted">{esc(t.empty)}</p>'
    head = [esc(c) for c in t.columns]
    rows = []
    for row in t.rows:
        cells = "".join(
            f'<td class="num">{linked(site, v)}</td>'
            if t.alignment(i) == "r"
            else f"<td>{linked(site, v)}</td>"
            for i, v in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    attrs = f' id="{esc(t.key)}"' if t.key else ""
    return layout.table(head, rows, t.title, attrs)


def _block(site: Site, b: Block) -> str:
    if isinstance(b, Heading):
        return f"<h{b.level}>{linked(site, b.text)}</h{b.level}>"
    if isinstance(b, Figures):
        items = "".join(f"<dt>{linked(site, k)}</dt><dd>{linked(site, v)}</dd>" for k, v in b.items)
        return f'<dl class="figures">{items}</dl>'
    if isinstance(b, Note):
        return f'<p class="muted">{linked(site, b.text)}</p>'
    return _table(site, b)


def report_page(
    site: Site,
    name: str,
    rendered: Rendered,
    figures: list[tuple[str, str]],
    frame: layout.Frame,
) -> str:
    """The page ``reports/<name>.html``."""
    from cxlib.reports.registry import SPECS

    current = ' aria-current="page"'
    others = " · ".join(
        f'<a href="{n}.html"{current if n == name else ""}>{esc(n.capitalize())}</a>' for n in SPECS
    )
    parts = [
        f'<nav aria-label="Reports" class="kicker">{others}</nav>',
        f"<h1>{esc(rendered.title)}</h1>",
        f'<p class="lead">{esc(rendered.subtitle)}</p>',
    ]
    blocks = list(rendered.blocks)
    if blocks and isinstance(blocks[0], Figures):
        parts.append(_block(site, blocks.pop(0)))
    for svg, caption in figures:
        parts.append(chart_figure(svg, caption, linked(site, caption)))
    parts += [_block(site, b) for b in blocks]
    return layout.page(frame, rendered.title, "\n".join(parts), REL, "reports", page_class="report")


def report_pages(site: Site, frame: layout.Frame) -> dict[str, str]:
    """Every report's page, by its path in the site."""
    from cxlib.ops.report import reader
    from cxlib.reports.registry import SPECS, Options
    from cxlib.reports.snapshot import with_texts

    pages: dict[str, str] = {}
    for name, spec in SPECS.items():
        if spec.texts:  # the learnings the report quotes, read from the files once
            with_texts(site.snap, reader(site.root))
        result = spec.compute(site.snap, Options())
        pages[f"reports/{name}.html"] = report_page(
            site, name, spec.render(result), spec.page_figures(result), frame
        )
    return pages
