"""What the site publishes: the valid, public documents with their files, typed links in both
directions, and body mentions; every page reads this one object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cxlib.model.documents import Document
from cxlib.model.kinds import Kind
from cxlib.model.library import Library
from cxlib.model.source import ParsedFile
from cxlib.model.vocabulary import LINK_FIELDS
from cxlib.reports.snapshot import Snapshot

KINDS = (Kind.INSIGHT, Kind.OPPORTUNITY, Kind.EXPERIMENT)
PLURAL = {
    Kind.INSIGHT: "Insights",
    Kind.OPPORTUNITY: "Opportunities",
    Kind.EXPERIMENT: "Experiments",
}

# Each typed link in words, read from the document that stores it and from the one it names.
OUTGOING = {
    (Kind.OPPORTUNITY, "insights"): "Rests on",
    (Kind.EXPERIMENT, "opportunity"): "Tests",
    (Kind.EXPERIMENT, "insights"): "Comes from",
    (Kind.EXPERIMENT, "follows"): "Follows up",
    (Kind.INSIGHT, "evidence"): "Supported by",
    (Kind.INSIGHT, "counter_evidence"): "Contradicted by",
}
INCOMING = {
    (Kind.OPPORTUNITY, "insights"): "Used by",
    (Kind.EXPERIMENT, "opportunity"): "Tested by",
    (Kind.EXPERIMENT, "insights"): "Used by",
    (Kind.EXPERIMENT, "follows"): "Followed by",
    (Kind.INSIGHT, "evidence"): "Supports",
    (Kind.INSIGHT, "counter_evidence"): "Contradicts",
}
MENTIONED = "Mentioned in"


@dataclass(frozen=True)
class Entry:
    """A published document: its model, its file and what the file says."""

    doc: Document
    path: str  # repository-relative POSIX path of its file
    parsed: ParsedFile

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def kind(self) -> Kind:
        return self.doc.kind

    @property
    def status(self) -> str:
        return str(getattr(self.doc, "status", ""))


@dataclass
class Site:
    root: Path  # the knowledge base's folder
    snap: Snapshot
    entries: dict[str, Entry] = field(default_factory=dict)  # by id, sorted
    by_path: dict[str, str] = field(default_factory=dict)  # file path -> id
    left_out: int = 0  # documents marked restricted, not published
    mentions: dict[str, list[str]] = field(default_factory=dict)  # id -> ids mentioning it
    restricted_ids: frozenset[str] = frozenset()  # never named on a page
    restricted_folders: tuple[str, ...] = ()  # nothing copied from these
    config_digest: str = ""  # of cxlib.toml: names and formulas the pages show come from it
    # Each document's steps in the loop, found once: every page's chain walks its neighbours'.
    _flows: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict, repr=False)

    def restricts(self, path: str) -> bool:
        """Whether a file of the knowledge base is in a restricted folder."""
        return any(path == f or path.startswith(f + "/") for f in self.restricted_folders)

    def of_kind(self, kind: Kind) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def outgoing(self, entry: Entry) -> list[tuple[str, list[str]]]:
        """The typed links ``entry`` stores, in words, each with the published ids it names."""
        groups: list[tuple[str, list[str]]] = []
        for name in LINK_FIELDS[entry.kind]:
            value = getattr(entry.doc, name)
            ids = [v for v in (value if isinstance(value, list) else [value]) if v in self.entries]
            if ids:
                groups.append((OUTGOING[(entry.kind, name)], ids))
        return groups

    def incoming(self, doc_id: str) -> list[tuple[str, list[str]]]:
        """The typed links into ``doc_id``, in words, then the other bodies mentioning it."""
        words: dict[str, list[str]] = {}
        for source, name in self.snap.backlinks.get(doc_id, []):
            src = self.entries.get(source)
            if src is not None:
                label = INCOMING[(src.kind, name)]
                if source not in words.setdefault(label, []):
                    words[label].append(source)
        # A body mention of a document a typed link already names, either way, is said once.
        linked = {i for ids in words.values() for i in ids}
        entry = self.entries.get(doc_id)
        if entry is not None:
            linked.update(i for _, ids in self.outgoing(entry) for i in ids)
        mentioned = [
            m for m in self.mentions.get(doc_id, []) if m in self.entries and m not in linked
        ]
        if mentioned:
            words[MENTIONED] = mentioned
        return [(label, sorted(ids)) for label, ids in words.items()]

    def flows(self, doc_id: str) -> tuple[list[str], list[str]]:
        """The documents one step before ``doc_id`` in the loop (research → insight → opportunity
        → experiment → follow-up → insight), and one step after. A link is stored on the later
        document of the two, so what a document names comes before it and what names it after."""
        known = self._flows.get(doc_id)
        if known is None:
            entry = self.entries[doc_id]
            before = {i for _, ids in self.outgoing(entry) for i in ids}
            after = {s for s, _ in self.snap.backlinks.get(doc_id, []) if s in self.entries}
            known = self._flows[doc_id] = (sorted(before - {doc_id}), sorted(after - {doc_id}))
        return known


def site_of(root: Path, library: Library, snap: Snapshot) -> Site:
    """The site's content: each valid document of ``snap`` with the file ``library`` read it
    from (a second file with the same id is left out: validate reports it)."""
    site = Site(root=root, snap=snap)
    wanted = {d.id for d in (*snap.insights, *snap.opportunities, *snap.experiments)}
    for loaded in sorted(library.docs, key=lambda d: d.path):
        doc = loaded.doc
        if doc is None or doc.id not in wanted or doc.id in site.entries:
            continue
        site.entries[doc.id] = Entry(doc, loaded.path, loaded.parsed)
        site.by_path[loaded.path] = doc.id
    site.entries = dict(sorted(site.entries.items()))
    for entry in site.entries.values():
        for target, _line in entry.parsed.wiki_links:
            target = target.upper()
            if target != entry.id:
                mentioned = site.mentions.setdefault(target, [])
                if entry.id not in mentioned:
                    mentioned.append(entry.id)
    return site
