"""The frame every page shares: head (the content security policy, the one stylesheet and
script), the header with the search form and navigation, the skip link, and the footer.

Every link is relative (``rel`` leads from the page back to the site's root), so the site works
on any static host, in a subfolder, and opened from disk.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.escape import html as esc

# Only the site's own script and stylesheet, Pagefind's WebAssembly, images of the site itself.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)
GENERATOR = "cxlib site"  # the <meta name="generator"> prefix of every page

NAV = (
    ("kinds/insight.html", "Insights", "insight"),
    ("kinds/opportunity.html", "Opportunities", "opportunity"),
    ("kinds/experiment.html", "Experiments", "experiment"),
    ("journey.html", "Journey", "journey"),
    ("reports/roadmap.html", "Reports", "reports"),
)


@dataclass(frozen=True)
class Frame:
    """What every page of one build shares."""

    program: str
    version: str


def page(
    frame: Frame,
    title: str,
    main: str,
    rel: str = "",
    current: str = "",
    searchable: bool = False,
    page_class: str = "",
) -> str:
    """A whole HTML page around ``main`` (already HTML); ``rel`` is "" at the root, "../" a
    folder down; ``current`` names the navigation entry this page belongs to; ``searchable``
    marks the main content for the search index."""
    nav = "".join(
        f'<li><a href="{rel}{href}"{_current(key, current)}>{label}</a></li>'
        for href, label, key in NAV
    )
    body_attr = ' data-pagefind-body=""' if searchable else ""
    cls = f' class="{page_class}"' if page_class else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="color-scheme" content="light dark">',
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="{GENERATOR} {esc(frame.version)}">',
            f"<title>{esc(title)} · {esc(frame.program)}</title>",
            f'<link rel="stylesheet" href="{rel}assets/site.css">',
            # The site's own icon: without one a browser asks the host for /favicon.ico, and
            # a site in a folder of an intranet host gets a 404 on every page.
            f'<link rel="icon" href="{rel}assets/icon.svg" type="image/svg+xml">',
            f'<script src="{rel}assets/site.js" defer></script>',
            "</head>",
            f"<body{cls}>",
            '<a class="skip" href="#main">Skip to the content</a>',
            '<header class="top"><div class="bar">',
            f'<a class="brand" href="{rel}index.html"{_current("home", current)}>'
            f"{esc(frame.program)}</a>",
            f'<nav aria-label="Site"><ul>{nav}</ul></nav>',
            f'<form role="search" action="{rel}search.html" class="search-form">'
            '<input type="search" name="q" id="search-input" aria-label="Search the library" '
            'placeholder="Search the library"></form>',
            "</div></header>",
            f'<main id="main"{body_attr}>',
            main,
            "</main>",
            f'<footer class="foot"><p>Built by cxlib {esc(frame.version)} from the files of '
            f"{esc(frame.program)}'s knowledge base.</p></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _current(key: str, current: str) -> str:
    return ' aria-current="page"' if key == current else ""


def doc_href(doc_id: str, rel: str) -> str:
    return f"{rel}docs/{doc_id}.html"


def table(head: list[str], rows: list[str], caption: str = "", attrs: str = "") -> str:
    """A table in a wrapper that scrolls sideways on a narrow screen (the page never does);
    ``rows`` are ``<tr>`` elements already."""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    label = esc(caption or "table")
    return (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
        f"<table{attrs}>{cap}<thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</div>"
    )
