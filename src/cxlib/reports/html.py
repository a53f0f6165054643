"""The HTML report: one self-contained page (no script, no external font, stylesheet or image)
with every report and their charts, readable on a laptop and printable."""

from __future__ import annotations

import re

from cxlib.escape import html as esc
from cxlib.reports.blocks import Block, Figures, Heading, Note, Rendered, Table
from cxlib.reports.snapshot import Snapshot, public

GENERATOR = "cxlib"  # the <meta name="generator"> prefix that marks a page this module wrote

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
  border-bottom: 1px solid var(--line); margin-bottom: 8px; }
nav a { color: var(--accent); font-weight: 600; text-decoration: none; margin-right: 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin: 18px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .value { font-size: 25px; font-weight: 700; line-height: 1.2; }
.card .label { color: var(--muted); font-size: 13px; }
section { margin-top: 40px; border-top: 3px solid var(--ink); padding-top: 6px; }
figure { margin: 18px 0 8px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; max-width: 860px; height: auto; font-family: inherit; }
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
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section + section { break-before: page; page-break-before: always; }
  section { border-top: none; margin-top: 16px; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  /* On paper nothing scrolls: tables take the page width and may wrap inside words. */
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 8pt; }
  th, td { padding: 3px 4px; }
  td.title { min-width: 0; }
  .nw { white-space: normal; }
  td.id .nw { white-space: nowrap; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-width: 100%; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


# A word with a hyphen (an id, a metric, a KPI list item) is kept on one line: a table cell
# would otherwise break EXP-0009 after "EXP-". Words are matched whole and tested for a hyphen:
# a pattern around the hyphen retries from every character of a long word (quadratic).
_WORD = re.compile(r"[^\s<>]+")


def _cell(text: str) -> str:
    return _WORD.sub(
        lambda m: f'<span class="nw">{m[0]}</span>' if "-" in m[0] else m[0], esc(text)
    )


_COLUMN_CLASS = {"id": "id", "title": "title"}


def _table(t: Table) -> str:
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
            cells.append(f"<td{attr}>{_cell(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    anchor = f' id="{esc(t.key)}"' if t.key else ""
    caption = f"<h4>{esc(t.title)}</h4>" if t.title else ""
    return (
        f'{caption}<div class="table-wrap"><table{anchor}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _block(b: Block) -> str:
    if isinstance(b, Heading):
        return f"<h3>{esc(b.text)}</h3>"
    if isinstance(b, Figures):
        items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in b.items)
        return f'<dl class="figures">{items}</dl>'
    if isinstance(b, Note):
        cls = "warn" if b.text.startswith("Skipped") else "note"
        return f'<p class="{cls}">{esc(b.text)}</p>'
    return _table(b)


def _section(name: str, r: Rendered, figures: list[tuple[str, str]]) -> str:
    parts = [
        f'<section id="{esc(name)}">',
        f"<h2>{esc(r.title)}</h2>",
        f'<p class="sub">{esc(r.subtitle)}</p>',
    ]
    blocks = list(r.blocks)
    # The charts go right after the headline figures, before the detail tables.
    if blocks and isinstance(blocks[0], Figures):
        parts.append(_block(blocks.pop(0)))
    for svg, caption in figures:
        parts.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    parts += [_block(b) for b in blocks]
    parts.append("</section>")
    return "\n".join(parts)


def page(snap: Snapshot, version: str) -> str:
    """The whole report as one HTML document; the same snapshot always gives the same bytes.
    Documents marked restricted are left out (:func:`~cxlib.reports.snapshot.public`)."""
    from cxlib.reports.registry import SPECS, Options

    snap = public(snap)

    sections: list[str] = []
    cards: list[tuple[str, str]] = []
    for spec in SPECS.values():
        result = spec.compute(snap, Options())
        sections.append(_section(spec.name, spec.render(result), spec.page_figures(result)))
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
            f"<nav>{nav}</nav>",
            *sections,
            f"<footer>Written by {GENERATOR} {esc(version)}. Every figure is defined in the "
            "README, section “Reports”; dates are the documents' front-matter dates.</footer>",
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
