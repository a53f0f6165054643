"""What the site tests share: the example (with a hostile document) built into a folder, and a
reader of the pages' markup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import example_copy

from cxlib import __version__
from cxlib.kb.store import KnowledgeBase
from cxlib.site.build import BuildResult, build_site

TODAY = dt.date(2026, 7, 1)

# Everything a page must show as text: script tags, event handlers, javascript: links, raw HTML.
HOSTILE = """\
---
id: INS-0090
title: "<script>alert('title')</script><img src=x onerror=alert(1)>"
status: draft
owner: "<b onmouseover=alert(2)>Eve</b>"
created: 2026-01-05
tags: ["<script>", "x onerror=y"]
stage: purchase
evidence: ["javascript:alert(3)", "https://example.com/ok"]
---

## Summary

<!-- a template's guidance that no reader should see -->
<script>alert('body')</script>
<img src=x onerror=alert(4)>
<iframe src="https://evil.example.com"></iframe>
[click me](javascript:alert(5)) and [again](JaVaScRiPt:alert(6)) and <javascript:alert(7)>
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)
![pixel](https://tracker.example.com/p.png) [safe](https://example.com/page) [[EXP-0003]]
[a file](../assets/EXP-0003-threshold-banner.png) [nowhere](../missing/file.png)
"""


def hostile_copy(dest: Path) -> Path:
    base = example_copy(dest)
    (base / "insights" / "INS-0090-hostile.md").write_text(HOSTILE)
    return base


def build(base: Path, out: Path) -> BuildResult:
    return build_site(KnowledgeBase.open(base), out, TODAY, __version__)


@dataclass
class Markup(HTMLParser):
    """Every element of a page with its attributes, and its text."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def urls(self) -> list[tuple[str, str]]:
        """(tag, url) of every href and src."""
        return [
            (tag, value)
            for tag, attrs in self.elements
            for name, value in attrs.items()
            if name in ("href", "src") and value is not None
        ]


def read(path: Path) -> Markup:
    markup = Markup()
    markup.feed(path.read_text("utf-8"))
    markup.close()
    return markup


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.relative_to(out).parts)
