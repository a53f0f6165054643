"""``cxlib site``: the static site of the whole library, built from the files alone.

The pages are written into one folder (``_site/`` beside cxlib.toml by default), all links
relative: a page per document, the home, and the assets. A page is written only when it
changed since the last build (:mod:`cxlib.site.output`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cxlib.kb.store import KnowledgeBase
from cxlib.ops.loading import load_models
from cxlib.reports.snapshot import public, take
from cxlib.site import layout
from cxlib.site.content import KINDS, Site, site_of
from cxlib.site.home import home_page
from cxlib.site.indexes import kind_page
from cxlib.site.journey import journey_page
from cxlib.site.output import Writer, check_output
from cxlib.site.pages import FILES, Copies, document_page
from cxlib.site.queries import query_pages
from cxlib.site.reports import report_pages
from cxlib.site.search import (
    BUNDLE,
    SearchIndex,
    build_index,
    pagefind_binary,
    search_page,
)

DEFAULT_FOLDER = "_site"
ASSETS = ("site.css", "site.js", "icon.svg")

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    out: Path
    pages: int  # pages and files the site holds
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents: int = 0
    left_out: int = 0  # restricted documents not published
    skipped: int = 0  # documents that do not fit the schema
    search: SearchIndex | None = None  # None: built without search (--no-search)


def load_site(kb: KnowledgeBase, today: dt.date) -> Site:
    """What the site publishes: the valid documents of the base that are not restricted."""
    library = load_models(kb)
    snap = public(take(library, kb.config, today))
    site = site_of(kb.root, library, snap)
    site.left_out = len(snap.restricted)
    site.restricted_ids = frozenset(snap.restricted)
    site.restricted_folders = tuple(kb.config.site.restricted)
    site.config_digest = kb.config_digest
    return site


def build_site(
    kb: KnowledgeBase,
    out: Path,
    today: dt.date,
    version: str,
    progress: Progress | None = None,
    search: bool = True,
) -> BuildResult:
    """Build the site of ``kb`` into ``out``; see the module's documentation."""
    check_output(out, kb.root, [s.folder for s in kb.config.kinds.values()])
    site = load_site(kb, today)
    frame = layout.Frame(site.snap.program, version)
    writer = Writer(out)
    copies = Copies()
    total = len(site.entries)
    for n, entry in enumerate(site.entries.values()):
        rel = f"docs/{entry.id}.html"
        page = document_page(site, entry, frame, copies)
        if not writer.unchanged(rel, page.key):
            writer.put(rel, page.html().encode("utf-8"), page.key)
        if progress is not None and n % 100 == 0:
            progress(n, total)
    writer.put("index.html", home_page(site, frame).encode("utf-8"))
    for kind in KINDS:
        writer.put(f"kinds/{kind.value}.html", kind_page(site, kind, frame).encode("utf-8"))
    writer.put("journey.html", journey_page(site, frame).encode("utf-8"))
    for rel, html in [*report_pages(site, frame).items(), *query_pages(site, frame).items()]:
        writer.put(rel, html.encode("utf-8"))
    searching = search and pagefind_binary() is not None
    writer.put("search.html", search_page(frame, searching).encode("utf-8"))
    for name in ASSETS:
        writer.put(f"assets/{name}", asset(name))
    for rel in sorted(copies.paths):
        writer.put(f"{FILES}/{rel}", (kb.root / rel).read_bytes())
    if progress is not None:
        progress(total, total)
    writer.finish()
    index = _search_index(out, search, writer.changed)
    return BuildResult(
        out=out,
        pages=len(writer.pages),
        written=writer.written,
        removed=writer.removed,
        documents=total,
        left_out=site.left_out,
        skipped=len(site.snap.skipped),
        search=index,
    )


def _search_index(out: Path, search: bool, changed: bool) -> SearchIndex | None:
    """The Pagefind index over the pages, rebuilt when a page changed; None when the build was
    asked for none (the index of an earlier build is then removed: the search page says there
    is none)."""
    bundle = out / BUNDLE
    if not search:
        if bundle.is_dir() and not bundle.is_symlink():
            shutil.rmtree(bundle)
        return None
    if not changed and (bundle / "pagefind.js").is_file():
        return SearchIndex(pages=None)
    return build_index(out)


def asset(name: str) -> bytes:
    """The site's stylesheet or script, as shipped in the package."""
    return resources.files("cxlib.site").joinpath("assets", name).read_bytes()
