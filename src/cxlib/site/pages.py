"""A document's page: its fields, the experiment's result and decision, the body (the
learnings first for an experiment), its typed links and backlinks in words, and the chain of
the feedback loop through it."""

from __future__ import annotations

import hashlib
import posixpath
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from cxlib.escape import html as esc
from cxlib.model.documents import Experiment, Insight, Opportunity
from cxlib.model.kinds import Kind
from cxlib.reports.interval import interval_chart
from cxlib.site import layout
from cxlib.site.content import PLURAL, Entry, Site
from cxlib.site.figures import CHAIN_DEPTH, chain, reach
from cxlib.site.markdown import Links, Section, external, render_sections

REL = "../"
# Files a document may link to that the site copies (a page of their own could run script:
# no SVG, no HTML).
COPIED = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".pdf",
        ".csv",
        ".txt",
        ".xlsx",
        ".pptx",
    }
)
FILES = "files"  # the site's folder for the copied files, as in the knowledge base
# Siblings in the chain in the loop's order: an opportunity, its experiments, what they taught.
LOOP_ORDER = {Kind.OPPORTUNITY: 0, Kind.EXPERIMENT: 1, Kind.INSIGHT: 2}


@dataclass
class Copies:
    """Files of the knowledge base the pages link to, copied into ``files/``."""

    paths: set[str] = field(default_factory=set)


def body_text(root: Path, entry: Entry) -> str:
    """The markdown below the front-matter, as the file holds it now."""
    raw = (root / entry.path).read_bytes()
    lines = raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").split("\n")
    return "\n".join(lines[max(entry.parsed.body_start - 1, 0) :])


@dataclass
class DocumentPage:
    """A document's page before its body is rendered: ``key`` changes whenever the page would
    (its file, or anything it shows of another document), so an unchanged page is not built."""

    key: str
    html: Callable[[], str]


def document_page(site: Site, entry: Entry, frame: layout.Frame, copies: Copies) -> DocumentPage:
    """The page ``docs/<ID>.html``. Its key is made from what the page shows, read cheaply: the
    file itself, the config, and the face (kind, status, outcome, title) of every document it
    names or that names it; rendering is left to ``html``, for the pages whose key changed."""
    resolve = _resolver(site, entry, copies)
    links = Links(href=resolve, wiki=_wiki(site))
    st = (site.root / entry.path).stat()
    material = [
        frame.program,
        frame.version,
        site.config_digest,
        entry.path,
        f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}",
        *(_face(site, i) for i in _neighbours(site, entry)),
        *(f"{t}={resolve(t)}" for t, _ in entry.parsed.file_links if not external(t)),
        *(links.wiki(t.upper(), None) for t, _ in entry.parsed.wiki_links),
    ]
    key = hashlib.sha256("\x00".join(material).encode()).hexdigest()

    def html() -> str:
        head = _heading(site, entry)
        sections = render_sections(body_text(site.root, entry), links)
        learnings = next((s for s in sections if s.title.lower() == "learnings"), None)
        parts = [head]
        if isinstance(entry.doc, Experiment):
            parts.append(_verdict(entry.doc, learnings is not None))
            if learnings is not None:
                parts.append(_section(learnings, "learnings callout"))
        parts.append(_facts(site, entry))
        parts += [
            _section(s) for s in sections if s is not learnings or entry.kind != Kind.EXPERIMENT
        ]
        parts.append(_links(site, entry) + _chain(site, entry))
        return layout.page(
            frame,
            f"{entry.id} {entry.doc.title}",
            "\n".join(p for p in parts if p),
            REL,
            entry.kind.value,
            searchable=True,
            page_class=f"doc kind-{entry.kind.value}",
        )

    return DocumentPage(key, html)


def _face(site: Site, doc_id: str) -> str:
    """What a page shows of another document: kind, status, outcome and title."""
    e = site.entries.get(doc_id)
    if e is None:
        return f"{doc_id}:-"
    result = getattr(e.doc, "result", None)
    outcome = result.outcome.value if result is not None and result.outcome else ""
    return f"{doc_id}:{e.kind.value}:{e.status}:{outcome}:{e.doc.title}"


def _neighbours(site: Site, entry: Entry) -> list[str]:
    """Every document the page names: its links both ways, its evidence, and the chain through
    it (which shows no document beyond ``CHAIN_DEPTH`` steps either way)."""
    found = {i for _, ids in site.outgoing(entry) + site.incoming(entry.id) for i in ids}
    found |= reach(entry.id, lambda i: site.flows(i)[0], CHAIN_DEPTH)
    found |= reach(entry.id, lambda i: site.flows(i)[1], CHAIN_DEPTH)
    found.update(getattr(entry.doc, "evidence", None) or [])
    return sorted(found)


def _heading(site: Site, entry: Entry) -> str:
    kind = entry.kind
    badges = [f'<span class="badge status-{esc(entry.status)}">{esc(entry.status)}</span>']
    if isinstance(entry.doc, Experiment) and entry.doc.result and entry.doc.result.outcome:
        outcome = entry.doc.result.outcome.value
        badges.append(f'<span class="badge outcome-{esc(outcome)}">{esc(outcome)}</span>')
    return (
        f'<p class="kicker"><a href="{REL}kinds/{kind.value}.html">{PLURAL[kind]}</a> · '
        f'<span class="doc-id">{esc(entry.id)}</span></p>'
        f'<h1 data-pagefind-meta="title">{esc(entry.doc.title)}</h1>'
        f'<p class="badges">{" ".join(badges)}</p>'
    )


def _section(s: Section, cls: str = "body-part") -> str:
    # The rendered section starts with its own heading; the wrapper only names it.
    return (
        f'<section class="{cls}" id="{esc(s.anchor)}" aria-label="{esc(s.title or "Text")}">'
        f"{s.html}</section>"
    )


def _dl(rows: list[tuple[str, str]], cls: str = "facts") -> str:
    # The space keeps a label and its value apart in the text the search index reads.
    items = "".join(f"<dt>{esc(k)}</dt> <dd>{v}</dd> " for k, v in rows if v)
    return f'<dl class="{cls}">{items}</dl>' if items else ""


def _verdict(e: Experiment, has_learnings: bool) -> str:
    r = e.result
    rows: list[tuple[str, str]] = []
    if r is not None:
        rows += [
            ("Outcome", esc(r.outcome.value) if r.outcome else ""),
            ("Effect", esc(f"{r.effect:+g}%") if r.effect is not None else ""),
        ]
        if r.interval is not None:
            low, high = r.interval
            level = f"{r.interval_level:.0%} " if r.interval_level else ""
            rows.append(
                (
                    f"{level}Interval",
                    f"{esc(f'{low:+g}% to {high:+g}%')}<br>{interval_chart(low, high, r.effect)}",
                )
            )
        rows += [
            ("p-value", esc(f"{r.p_value:g}") if r.p_value is not None else ""),
            (
                "Chance to win",
                esc(f"{r.chance_to_win:.0%}") if r.chance_to_win is not None else "",
            ),
            (
                "Sample size",
                esc(f"{r.sample_size:,}") if r.sample_size is not None else "",
            ),
            ("Guardrails", _guardrails(e)),
        ]
    rows += [
        ("Decision", f"<strong>{esc(e.decision.value)}</strong>" if e.decision else ""),
        ("Why", esc(e.decision_rationale or "")),
    ]
    if not any(v for _, v in rows):
        return ""
    jump = '<p><a href="#learnings">Read the learnings</a></p>' if has_learnings else ""
    return (
        '<section class="verdict" aria-labelledby="verdict-h"><h2 id="verdict-h">Result and '
        f"decision</h2>{_dl(rows)}{jump}</section>"
    )


def _guardrails(e: Experiment) -> str:
    if e.result is None or not e.result.guardrails:
        return ""
    return ", ".join(
        esc(f"{g.metric} {g.status.value}" + (f" ({g.effect:+g}%)" if g.effect is not None else ""))
        for g in e.result.guardrails
    )


def _facts(site: Site, entry: Entry) -> str:
    d = entry.doc
    stage = ""
    if d.stage:
        name = esc(_stage_name(site, d.stage))
        stage = f'<a href="{REL}journey.html#stage-{esc(d.stage)}">{name}</a>'
    rows = [
        ("Owner", esc(d.owner or "")),
        ("Team", esc(d.team or "")),
        ("Journey stage", stage),
        ("Touchpoint", esc(d.touchpoint or "")),
        ("Created", esc(d.created.isoformat())),
        ("Updated", esc(d.updated.isoformat()) if d.updated else ""),
        ("Tags", " ".join(f'<span class="tag">{esc(t)}</span>' for t in d.tags)),
        *_kind_facts(site, entry),
        *_custom_facts(site, entry),
    ]
    return f'<section aria-labelledby="facts-h"><h2 id="facts-h">About</h2>{_dl(rows)}</section>'


def _custom_facts(site: Site, entry: Entry) -> list[tuple[str, str]]:
    """The fields cxlib.toml declares for the kind, named as declared, in words."""
    data = entry.parsed.data or {}
    rows = []
    for name in site.snap.config.custom_fields(entry.kind):
        value = data.get(name)
        if value in (None, "", []):
            continue
        shown = ", ".join(map(_word, value)) if isinstance(value, list) else _word(value)
        rows.append((name.replace("_", " ").capitalize(), esc(shown)))
    return rows


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _stage_name(site: Site, stage: str) -> str:
    found = site.snap.config.stage(stage)
    return (found.name or stage) if found else stage


def _metric(site: Site, metric: str) -> str:
    found = site.snap.config.metric(metric)
    return esc(f"{found.name} ({metric})" if found and found.name else metric)


def _kind_facts(site: Site, entry: Entry) -> list[tuple[str, str]]:
    d = entry.doc
    if isinstance(d, Experiment):
        return _experiment_facts(site, d)
    if isinstance(d, Opportunity):
        priority = site.snap.priority(d)
        return [
            ("Hypothesis", esc(d.hypothesis or "")),
            ("Customer value", esc(d.customer_value or "")),
            ("Business value", esc(d.business_value or "")),
            ("Effort", esc(d.effort or "")),
            ("Reach", esc(d.reach if d.reach is not None else "")),
            ("Confidence", esc(d.confidence.value if d.confidence else "")),
            ("Priority", esc(f"{priority:g}") if priority is not None else ""),
            ("KPIs", ", ".join(_metric(site, k) for k in d.kpis)),
            ("Review by", esc(d.review_by.isoformat()) if d.review_by else ""),
        ]
    assert isinstance(d, Insight)
    return [
        ("Type", esc(d.type.value if d.type else "")),
        ("Source", esc(d.source.value if d.source else "")),
        ("Confidence", esc(d.confidence.value if d.confidence else "")),
        ("Segments", esc(", ".join(d.segments))),
        ("Evidence", _evidence(site, d.evidence)),
        ("Review by", esc(d.review_by.isoformat()) if d.review_by else ""),
    ]


def _experiment_facts(site: Site, d: Experiment) -> list[tuple[str, str]]:
    rule = d.decision_rule
    rule_text = rule if isinstance(rule, str) else (rule.text or str(rule.ship_if)) if rule else ""
    stop = d.planned_stop()
    return [
        ("Hypothesis", esc(d.hypothesis or "")),
        ("Primary metric", _metric(site, d.primary_metric) if d.primary_metric else ""),
        ("Guardrail metrics", ", ".join(_metric(site, m) for m in d.guardrail_metrics)),
        ("Audience", esc(d.audience or "")),
        ("Variants", esc(", ".join(v.name for v in d.arms()))),
        ("Start", esc(d.start.isoformat()) if d.start else ""),
        ("Planned end", esc(stop.isoformat()) if stop else ""),
        ("End", esc(d.end.isoformat()) if d.end else ""),
        ("Decision rule", esc(rule_text)),
    ]


def _evidence(site: Site, items: list[str]) -> str:
    """Evidence as a list: an experiment id links to its page, a URL to its site, a file of the
    knowledge base is named."""
    out: list[str] = []
    for item in items:
        if item in site.entries:
            out.append(_ref(site, item))
        elif external(item):
            out.append(f'<a href="{esc(item)}" rel="noopener noreferrer">{esc(item)}</a>')
        elif item not in site.restricted_ids:
            out.append(esc(item))
    return "<ul class='plain'>" + "".join(f"<li>{o}</li>" for o in out) + "</ul>" if out else ""


def _ref(site: Site, doc_id: str, rel: str = REL) -> str:
    e = site.entries[doc_id]
    return (
        f'<a href="{layout.doc_href(doc_id, rel)}"><span class="doc-id">{esc(doc_id)}</span> '
        f"{esc(e.doc.title)}</a>"
    )


def _item(site: Site, doc_id: str) -> str:
    e = site.entries[doc_id]
    return f'{_ref(site, doc_id)} <span class="muted">({esc(e.kind.value)}, {esc(e.status)})</span>'


def _links(site: Site, entry: Entry) -> str:
    groups = site.outgoing(entry) + site.incoming(entry.id)
    if not groups:
        return ""
    parts = []
    for label, ids in groups:
        items = "".join(f"<li>{_item(site, i)}</li>" for i in ids)
        parts.append(f'<h3>{esc(label)}</h3><ul class="plain">{items}</ul>')
    return (
        '<section class="links" aria-labelledby="links-h" data-pagefind-ignore="">'
        f'<h2 id="links-h">Links</h2>{"".join(parts)}</section>'
    )


def _chain(site: Site, entry: Entry) -> str:
    before, after = site.flows(entry.id)
    if not before and not after:
        return ""

    def item(doc_id: str) -> str:
        e = site.entries[doc_id]
        label = f"{e.kind.value} {doc_id}: {e.doc.title}"
        if doc_id == entry.id:
            return f"<strong>{esc(label)}</strong> (this page)"
        return f'<a href="{layout.doc_href(doc_id, REL)}">{esc(label)}</a>'

    def rank(doc_id: str) -> tuple[int, str]:
        return LOOP_ORDER[site.entries[doc_id].kind], doc_id

    graph = chain(entry.id, lambda i: site.flows(i)[0], lambda i: site.flows(i)[1], item, rank)
    return (
        '<section class="loop" aria-labelledby="loop-h" data-pagefind-ignore="">'
        '<h2 id="loop-h">In the feedback loop</h2><p class="muted">Insight → opportunity → '
        f"experiment → follow-up, through this document.</p>{graph}</section>"
    )


def _wiki(site: Site) -> Callable[[str, str | None], str]:
    def render(doc_id: str, label: str | None) -> str:
        if doc_id in site.entries:
            title = esc(site.entries[doc_id].doc.title)
            text = esc(label.strip()) if label and label.strip() else esc(doc_id)
            return f'<a href="{layout.doc_href(doc_id, REL)}" title="{title}">{text}</a>'
        if doc_id in site.restricted_ids:
            return '<span class="muted">(a restricted document)</span>'
        return f'<span class="missing">{esc(doc_id)}</span>'

    return render


def _resolver(site: Site, entry: Entry, copies: Copies) -> Callable[[str], str | None]:
    folder = posixpath.dirname(entry.path)

    def href(target: str) -> str | None:
        if target.startswith("#"):
            return target
        path, hash_, fragment = target.partition("#")
        path = unquote(path.partition("?")[0])
        if not path or path.startswith("/"):
            return None
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved == ".." or resolved.startswith("../"):
            return None
        suffix = hash_ + fragment
        if resolved in site.by_path:
            return layout.doc_href(site.by_path[resolved], REL) + suffix
        if _copyable(site, resolved):
            copies.paths.add(resolved)
            return f"{REL}{FILES}/{quote(resolved)}{suffix}"
        return None

    return href


def _copyable(site: Site, rel: str) -> bool:
    """A regular file of the knowledge base (no symlink, nothing git or cxlib keeps, nothing in
    a restricted folder) of a kind the site copies."""
    parts = rel.split("/")
    if parts[0] in (".git", ".cxlib") or posixpath.splitext(rel)[1].lower() not in COPIED:
        return False
    if site.restricts(rel):
        return False
    path = site.root / rel
    try:
        inside = path.resolve().is_relative_to(site.root.resolve())
        return inside and stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False
