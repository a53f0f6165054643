"""The HTML report: one self-contained page (no script, no external font, stylesheet or image)
with every report and their charts, readable from a phone to a laptop, and printable."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from cxlib.escape import html as esc
from cxlib.reports.blocks import Block, Figures, Heading, Note, Rendered, Table
from cxlib.reports.snapshot import Snapshot, public

GENERATOR = "cxlib"  # the <meta name="generator"> prefix that marks a page this module wrote

# Phone widths (a 400 px screen) get their own rules at the end: no text below 12 px, nothing
# wider than the screen. A chart is never drawn smaller than its viewBox, so its 12-unit labels
# stay 12 px: where it is wider than the screen it scrolls inside its own frame (a timeline of
# 24 months or a six-column heatmap reads well scrolled, but not shrunk to half size).
STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #e2e2e2; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f6; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 36px 48px; background: #fff; }
h1 { font-size: 27px; margin: 0 0 2px; }
h2 { font-size: 21px; margin: 0 0 2px; padding-top: 8px; }
h3 { font-size: 16px; margin: 24px 0 6px; }
.sub { color: var(--muted); margin: 0 0 12px; }
nav { position: sticky; top: 0; z-index: 1; background: #fff; padding: 10px 0;
  border-bottom: 1px solid var(--line); margin-bottom: 8px;
  display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav a { color: var(--accent); font-weight: 600; text-decoration: none; }
a { color: var(--accent); }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--accent);
  outline-offset: 2px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin: 18px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .value { font-size: 25px; font-weight: 700; line-height: 1.2; }
.card .label { color: var(--muted); font-size: 13px; }
section { margin-top: 40px; border-top: 3px solid var(--ink); padding-top: 6px;
  scroll-margin-top: 48px; }
figure { margin: 18px 0 8px; break-inside: avoid; page-break-inside: avoid; }
.chart-wrap { overflow-x: auto; }
figure svg { display: block; width: 100%; max-width: 860px; min-width: max-content;
  height: auto; font-family: inherit; }
figure svg a text { text-decoration: underline; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px;
  margin: 12px 0; }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; font-weight: 600; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: auto; max-width: 100%; font-size: 13.5px;
  margin: 6px 0 4px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid var(--line); }
th { background: #f1f1f1; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id { white-space: nowrap; font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
  font-size: 0.93em; }
td.title { min-width: 16em; }
.nw { white-space: nowrap; }
p.empty { color: var(--muted); font-style: italic; margin: 4px 0; }
p.note { color: var(--muted); font-size: 13px; }
p.warn { background: #FFF4E5; border-left: 4px solid #E69F00; padding: 8px 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
article.result { border-top: 1px solid var(--line); padding: 10px 0 4px; }
article.result h4 { font-size: 15px; margin: 0 0 4px; }
article.result ul { margin: 4px 0; padding-left: 1.3em; }
.iv-axis { stroke: var(--muted); stroke-width: 1.5; }
.iv-zero { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 3 3; }
.iv-range.iv-up { fill: #009E73; }
.iv-range.iv-down { fill: #D55E00; }
.iv-range.iv-flat { fill: #999999; }
.iv-point { fill: #fff; stroke: var(--ink); stroke-width: 2; }
svg.interval { display: block; max-width: 100%; height: auto; }
@media (max-width: 640px) {
  main { padding: 16px 16px 32px; }
  h1 { font-size: 23px; }
  h2 { font-size: 19px; }
  /* A label beside its value leaves the value a sliver of a phone's width: stack them. */
  dl.figures { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.figures dd { margin-bottom: 6px; overflow-wrap: anywhere; }
  td.title { min-width: 12em; }
  .cards { grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section + section { break-before: page; page-break-before: always; }
  section { border-top: none; margin-top: 16px; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  /* On paper nothing scrolls: tables and charts take the page width, tables may wrap inside
     words. */
  .table-wrap, .chart-wrap { overflow: visible; }
  table { width: 100%; font-size: 8pt; }
  th, td { padding: 3px 4px; }
  td.title { min-width: 0; }
  .nw { white-space: normal; }
  td.id .nw { white-space: nowrap; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-width: 100%; min-width: 0; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# An id in running text: ``EXP-0014`` in "(EXP-0014)" or "OPP-0002," but not inside a longer
# word such as a slug. Every quantifier is bounded, so a scan stays linear.
_ID_IN_TEXT = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9]{0,9}-[0-9]{1,9}(?![A-Za-z0-9-])")
# A chart label that is exactly one id (the value/effort matrix labels its points so). The
# charts are built by cxlib.reports.charts, which escapes every user string: a '>' or '<'
# never occurs inside an attribute or a label, so these bounds are the element's own.
_SVG_ID_LABEL = re.compile(r"<text [^<>]*>([A-Z][A-Z0-9]{0,9}-[0-9]{1,9})</text>")


class DocumentLinks:
    """Where each document id of the page links: ``base/docs/<ID>.html``, the page ``cxlib
    site`` builds for it, for the documents the report read; other ids (a document that does
    not validate, or none at all) and every id when there is no ``base`` stay text. ``base`` is
    trusted: :func:`cxlib.ops.report.site_base` checked it."""

    def __init__(self, ids: Collection[str], base: str | None) -> None:
        self.known = frozenset(ids) if base is not None else frozenset()
        self.root = esc((base or "").rstrip("/"))

    def href(self, doc_id: str) -> str | None:
        return f"{self.root}/docs/{doc_id}.html" if doc_id in self.known else None

    def text(self, markup: str) -> str:
        """Escaped text with each known id made a link."""
        if not self.known:
            return markup

        def one(m: re.Match[str]) -> str:
            href = self.href(m[0])
            return m[0] if href is None else f'<a href="{href}">{m[0]}</a>'

        return _ID_IN_TEXT.sub(one, markup)

    def chart(self, svg: str) -> str:
        """An SVG chart with each label that is a known id made a link."""
        if not self.known:
            return svg

        def one(m: re.Match[str]) -> str:
            href = self.href(m[1])
            return m[0] if href is None else f'<a href="{href}">{m[0]}</a>'

        return _SVG_ID_LABEL.sub(one, svg)


# A word with a hyphen (an id, a metric, a KPI list item) is kept on one line: a table cell
# would otherwise break EXP-0009 after "EXP-". Words are matched whole and tested for a hyphen:
# a pattern around the hyphen retries from every character of a long word (quadratic).
_WORD = re.compile(r"[^\s<>]+")


def _cell(text: str, link: DocumentLinks) -> str:
    return _WORD.sub(
        lambda m: f'<span class="nw">{link.text(m[0])}</span>' if "-" in m[0] else m[0], esc(text)
    )


_COLUMN_CLASS = {"id": "id", "title": "title"}


def _table(t: Table, link: DocumentLinks, label: str) -> str:
    if not t.rows:
        return f'<p class="empty">{esc(t.empty)}</p>'
    head = "".join(
        f'<th class="num">{esc(c)}</th>' if t.alignment(i) == "r" else f"<th>{esc(c)}</th>"
        for i, c in enumerate(t.columns)
    )
    body: list[str] = []
    for row in t.rows:
        cells: list[str] = []
        for i, value in enumerate(row):
            cls = "num" if t.alignment(i) == "r" else _COLUMN_CLASS.get(t.columns[i], "")
            attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{attr}>{_cell(value, link)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    anchor = f' id="{esc(t.key)}"' if t.key else ""
    caption = f"<h4>{esc(t.title)}</h4>" if t.title else ""
    # A table wider than a phone scrolls in its frame, which the keyboard can then reach.
    frame = f'class="table-wrap" tabindex="0" role="region" aria-label="{esc(t.title or label)}"'
    return (
        f"{caption}<div {frame}><table{anchor}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _block(b: Block, link: DocumentLinks, label: str) -> str:
    if isinstance(b, Heading):
        return f"<h3>{link.text(esc(b.text))}</h3>"
    if isinstance(b, Figures):
        items = "".join(
            f"<dt>{link.text(esc(k))}</dt><dd>{link.text(esc(v))}</dd>" for k, v in b.items
        )
        return f'<dl class="figures">{items}</dl>'
    if isinstance(b, Note):
        cls = "warn" if b.text.startswith("Skipped") else "note"
        return f'<p class="{cls}">{link.text(esc(b.text))}</p>'
    return _table(b, link, label)


def chart_figure(svg: str, caption: str, caption_html: str) -> str:
    """A chart in its figure (the page's and the site's). A chart keeps its own size, since its
    labels would shrink with it, so its frame scrolls a chart wider than a phone; the frame
    takes the keyboard focus so that it can be scrolled without a pointer, and is named after
    the chart for a screen reader."""
    return (
        f'<figure><div class="chart-wrap" tabindex="0" role="group" aria-label="{esc(caption)}">'
        f"{svg}</div><figcaption>{caption_html}</figcaption></figure>"
    )


def _chart(svg: str, caption: str, link: DocumentLinks) -> str:
    return chart_figure(link.chart(svg), caption, link.text(esc(caption)))


def _section(name: str, r: Rendered, figures: list[tuple[str, str]], link: DocumentLinks) -> str:
    parts = [
        f'<section id="{esc(name)}">',
        f"<h2>{esc(r.title)}</h2>",
        f'<p class="sub">{esc(r.subtitle)}</p>',
    ]
    blocks = list(r.blocks)
    # The charts go right after the headline figures, before the detail tables.
    if blocks and isinstance(blocks[0], Figures):
        parts.append(_block(blocks.pop(0), link, r.title))
    for svg, caption in figures:
        parts.append(_chart(svg, caption, link))
    label = r.title  # a table without a title is named after the heading above it
    for b in blocks:
        label = b.text if isinstance(b, Heading) else label
        parts.append(_block(b, link, label))
    parts.append("</section>")
    return "\n".join(parts)


def _learnings_section(r: Rendered, result: Any, link: DocumentLinks) -> str:
    """The learnings on the page: each concluded experiment, newest first by stage, with its
    result, its interval drawn against zero, its decision, what was learned and the insights it
    created or changed."""
    from cxlib.reports.interval import interval_chart
    from cxlib.reports.learnings import result_words

    parts = [
        '<section id="learnings">',
        f"<h2>{esc(r.title)}</h2>",
        f'<p class="sub">{esc(r.subtitle)}</p>',
    ]
    if r.blocks and isinstance(r.blocks[0], Figures):
        parts.append(_block(r.blocks[0], link, r.title))
    if not result.groups:
        parts.append('<p class="empty">No concluded experiment yet.</p>')
    for group in result.groups:
        parts.append(f"<h3>{esc(group.name)}</h3>")
        for x in group.experiments:
            drawn = (
                interval_chart(x.interval[0], x.interval[1], x.effect)
                if x.interval is not None
                else '<p class="empty">no interval recorded</p>'
            )
            learned = "".join(f"<li>{link.text(esc(p))}</li>" for p in x.points)
            insights = "".join(
                f"<li>{link.text(esc(f'{i.id} {i.title}'))} ({esc(i.how)}; {esc(i.status)}, "
                f"{esc(i.standing)})</li>"
                for i in x.insights
            )
            parts += [
                f'<article class="result" id="result-{esc(x.id)}">',
                f"<h4>{link.text(esc(x.id))} {esc(x.title)}</h4>",
                '<dl class="figures">',
                f"<dt>Ended</dt><dd>{esc(x.end)}</dd>",
                f"<dt>Result</dt><dd>{esc(result_words(x))}</dd>",
                f"<dt>Decision</dt><dd>{esc(x.decision or 'pending')}</dd>",
                "</dl>",
                drawn,
                f"<p><strong>Learned</strong></p><ul>{learned}</ul>"
                if learned
                else '<p class="empty">no learnings written</p>',
                f"<p><strong>Insights</strong></p><ul>{insights}</ul>" if insights else "",
                "</article>",
            ]
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def page(snap: Snapshot, version: str, site_url: str | None = None) -> str:
    """The whole report as one HTML document; the same snapshot always gives the same bytes.
    With ``site_url`` (the root of the site ``cxlib site`` builds), every id of a document the
    report read links to that document's page. Documents marked restricted are left out
    (:func:`~cxlib.reports.snapshot.public`)."""
    from cxlib.reports.registry import SPECS, Options

    snap = public(snap)

    ids = [d.id for d in (*snap.insights, *snap.opportunities, *snap.experiments)]
    link = DocumentLinks(ids, site_url)
    sections: list[str] = []
    cards: list[tuple[str, str]] = []
    for spec in SPECS.values():
        result = spec.compute(snap, Options())
        if spec.name == "learnings":
            sections.append(_learnings_section(spec.render(result), result, link))
        else:
            figures = spec.page_figures(result)
            sections.append(_section(spec.name, spec.render(result), figures, link))
        cards += spec.page_cards(result)
    counts = (
        f"{len(snap.insights)} insights, {len(snap.opportunities)} opportunities, "
        f"{len(snap.experiments)} experiments"
    )
    skipped = (
        f'<p class="warn">Skipped {len(snap.skipped)} document(s) that could not be read or do '
        "not fit the schema; run 'cxlib validate'.</p>"
        if snap.skipped
        else ""
    )
    nav = "".join(f'<a href="#{n}">{n.capitalize()}</a>' for n in SPECS)
    card_html = "".join(
        f'<div class="card"><div class="value">{esc(v)}</div><div class="label">{esc(k)}</div>'
        "</div>"
        for k, v in cards
    )
    title = f"{snap.program} — program report, {snap.today.isoformat()}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="{GENERATOR} {esc(version)}">',
            f"<title>{esc(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            "<header>",
            f"<h1>{esc(snap.program)}</h1>",
            f'<p class="sub">Program report of {esc(snap.today.isoformat())} · {esc(counts)}</p>',
            skipped,
            f'<div class="cards">{card_html}</div>',
            "</header>",
            f'<nav aria-label="Reports">{nav}</nav>',
            *sections,
            f"<footer>Written by {GENERATOR} {esc(version)}. Every figure is defined in the "
            "README, section “Reports”; dates are the documents' front-matter dates.</footer>",
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
