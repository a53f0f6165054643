"""A document's body as safe HTML: markdown-it with raw HTML off, links limited to http(s),
mailto and relative paths, ``[[ID]]`` links, and the body cut into its ``##`` sections.

markdown-it's default preset passes ``<script>`` and ``onerror=`` through; with ``html`` off
every tag is shown as text. Where a link or an image points is decided by a :class:`Links`
the page gives (a document's page, a copied file, or nothing: the text alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from cxlib.escape import html as esc
from cxlib.model.comments import without_comments
from cxlib.model.ids import WIKI_LINK_RE

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

# The schemes a document may link to; anything else (javascript:, data:, vbscript:, file:) is
# shown as text. Browsers ignore tabs, line feeds and leading controls in a URL's scheme, so
# they are removed before it is read.
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url: str) -> str | None:
    """The URL's scheme in lower case, as a browser reads it; None for a relative path."""
    match = _SCHEME.match(_CONTROLS.sub("", url).lower())
    return match.group(1) if match else None


def allowed(url: str) -> bool:
    """Whether a document may link to ``url``: http(s), mailto, or a relative path."""
    scheme = scheme_of(url)
    return scheme is None or scheme in _SAFE_SCHEMES


def external(url: str) -> bool:
    return scheme_of(url) in _SAFE_SCHEMES


@dataclass
class Links:
    """How the body's links resolve: ``href(target)`` gives the href of a relative link or an
    image (None: show the text alone), ``wiki(id)`` the HTML of an ``[[ID]]`` link."""

    href: Callable[[str], str | None]
    wiki: Callable[[str, str | None], str]
    dropped: list[bool] = field(default_factory=list)


@dataclass
class Section:
    title: str  # "" for the text before the first heading
    anchor: str
    html: str


def render_sections(text: str, links: Links) -> list[Section]:
    """The body as HTML, one :class:`Section` per ``##`` heading (``#`` reads as ``##``: the page's
    title is its only ``h1``)."""
    md = _parser()
    env: dict[str, Any] = {"links": links}
    tokens = md.parse(without_comments(text), env)
    for t in tokens:
        if t.type in ("heading_open", "heading_close") and t.tag == "h1":
            t.tag = "h2"
    sections: list[Section] = []
    start, title = 0, ""
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.tag == "h2":
            _add(sections, md, tokens[start:i], title, env)
            start, title = i, tokens[i + 1].content.strip()
    _add(sections, md, tokens[start:], title, env)
    return sections


def _add(
    sections: list[Section],
    md: MarkdownIt,
    tokens: Sequence[Token],
    title: str,
    env: Any,
) -> None:
    if not tokens:
        return
    html = md.renderer.render(tokens, md.options, env)
    if html.strip():
        sections.append(Section(title, anchor(title, len(sections)), html))


def anchor(title: str, n: int) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:40] or f"part-{n + 1}"


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    class SafeMarkdown(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            return allowed(url)

    md = SafeMarkdown("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "wiki_link", _wiki_rule)
    md.add_render_rule("wiki_link", _render_wiki)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("table_open", lambda *_: '<div class="table-wrap"><table>\n')
    md.add_render_rule("table_close", lambda *_: "</table></div>\n")
    return md


def _wiki_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    # Every form cxlib and Obsidian write (model.wikilinks); the window keeps a line of many
    # unclosed ``[[`` linear.
    match = WIKI_LINK_RE.match(state.src, state.pos, min(state.posMax, state.pos + 600))
    if match is None:
        return False
    if not silent:
        token = state.push("wiki_link", "", 0)
        token.meta = {"id": match.group(1).upper(), "label": match.group(4)}
    state.pos = match.end()
    return True


def _render_wiki(_self: Any, tokens: Sequence[Token], idx: int, _opts: Any, env: Any) -> str:
    meta = tokens[idx].meta
    links: Links = env["links"]
    return links.wiki(meta["id"], meta["label"])


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, opts: Any, env: Any) -> str:
    links: Links = env["links"]
    target = str(tokens[idx].attrGet("href") or "")
    href = target if external(target) else links.href(target)
    links.dropped.append(href is None)
    if href is None:
        return ""
    rel = ' rel="noopener noreferrer"' if external(target) else ""
    return f'<a href="{esc(href)}"{rel}>'


def _render_link_close(self: Any, tokens: Sequence[Token], idx: int, opts: Any, env: Any) -> str:
    links: Links = env["links"]
    return "" if links.dropped and links.dropped.pop() else "</a>"


def _render_image(self: Any, tokens: Sequence[Token], idx: int, opts: Any, env: Any) -> str:
    token = tokens[idx]
    links: Links = env["links"]
    alt = self.renderInlineAsText(token.children or [], opts, env)
    target = str(token.attrGet("src") or "")
    if external(target):
        # No image from another host (the page's policy forbids it): a link to it instead.
        return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(alt or target)}</a>'
    src = links.href(target)
    if src is None:
        return f"<span>{esc(alt)}</span>"
    return f'<img src="{esc(src)}" alt="{esc(alt)}" loading="lazy">'
