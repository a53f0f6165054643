"""Full-text search: the search page, and the Pagefind index built over the document pages.

Pagefind (``pagefind[bin]``, the ``cxlib[site]`` extra) runs over the built pages and writes
``pagefind/``: an index split into fragments the browser loads as a search needs them, so a
library of 10,000 documents never ships its whole index. Only the document pages are indexed
(their ``<main>`` carries ``data-pagefind-body``); what Pagefind indexes is the rendered text,
so a document's markup reaches a result's excerpt as text.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from cxlib.escape import html as esc
from cxlib.site import layout

INSTALL = "pip install 'cxlib[site]'"
BUNDLE = "pagefind"  # the index's folder in the site


@dataclass(frozen=True)
class SearchIndex:
    """How the search index of a build went: ``pages`` indexed, or why there is none."""

    pages: int | None = None
    missing: str | None = None  # why no index was built (Pagefind not installed, failed)


def search_page(frame: layout.Frame, index: bool) -> str:
    """The page ``search.html``: runs ``?q=TERM`` on load; results are links in
    ``#search-results``."""
    if index:
        status = '<p id="search-status" aria-live="polite"></p>'
        results = '<ol id="search-results"></ol>'
    else:
        status = (
            '<p id="search-status" class="warn">This site was built without its search index. '
            f"To search it, install Pagefind ({esc(INSTALL)}) and run cxlib site again.</p>"
        )
        results = '<ol id="search-results" data-index="missing"></ol>'
    main = (
        "<h1>Search</h1>"
        '<p class="lead">Every document of the library, by the words in its title, fields and '
        "text. A search can be linked: search.html?q=shipping.</p>"
        f"{status}{results}"
    )
    return layout.page(frame, "Search", main, "", "search", page_class="search-page")


def pagefind_binary() -> Path | None:
    """Pagefind's executable from its Python package, None when it is not installed."""
    import importlib

    # Imported by name: an optional package, which the type checker may not have either.
    try:
        service = importlib.import_module("pagefind.service")
    except ImportError:
        return None
    found = service.get_executable()
    return Path(found) if found is not None and Path(found).is_file() else None


def build_index(out: Path) -> SearchIndex:
    """Index the site in ``out`` with Pagefind, replacing the index of the last build."""
    binary = pagefind_binary()
    if binary is None:
        return SearchIndex(missing=f"Pagefind is not installed; for search: {INSTALL}")
    try:
        done = subprocess.run(
            [
                str(binary),
                "--site",
                str(out),
                # Only the document pages hold searchable text: indexes and reports are not read.
                "--glob",
                "docs/*.html",
                "--output-subdir",
                BUNDLE,
                "--force-language",
                "en",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return SearchIndex(missing=f"Pagefind could not run: {e}")
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
        return SearchIndex(missing=f"Pagefind failed: {last[0]}")
    return SearchIndex(pages=_indexed(done.stdout))


def _indexed(log: str) -> int:
    """The number of pages Pagefind says it indexed ("Indexed 47 pages")."""
    import re

    found = re.search(r"Indexed (\d+) pages?", log)
    return int(found.group(1)) if found else 0
