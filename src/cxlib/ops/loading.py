"""How commands read the knowledge base: the files parsed (:mod:`cxlib.kb.store`), checked
(:mod:`cxlib.model.checks`), with the single-file findings of unchanged files taken from the
facts cache.

Three ways in, named for what a command needs: :func:`load_checked` (every document with its
model and findings, or, for validate and review, only the documents reported on in full),
:func:`load_models` (models for reports, no rules) and ``KnowledgeBase.load_parsed`` (parses
only, for links and the graph).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from cxlib.kb.cache import FactsCache, ParseCache
from cxlib.kb.files import DocFile, signature
from cxlib.kb.store import KnowledgeBase, Progress
from cxlib.kb.tuning import collector_paused
from cxlib.model.findings import Finding
from cxlib.model.kinds import Kind
from cxlib.model.library import DocRef, Library, LoadedDoc
from cxlib.model.source import ParsedFile


@dataclass(frozen=True)
class Reading:
    """What a checked load should give.

    ``reported``: the paths reported on (None: all). Of the other documents only the id (or
    the parse) is read, which is all the cross-file rules need (the pre-commit case).
    ``models``: give every reported document its model; without, an unchanged file is answered
    from its cached findings and skeleton alone (validate). ``use_cache``: read and write the
    caches.
    """

    strict: bool = False
    reported: Collection[str] | None = None
    models: bool = True
    use_cache: bool = True


def load_checked(
    kb: KnowledgeBase, reading: Reading = Reading(), progress: Progress | None = None
) -> tuple[Library, list[Finding]]:
    """Every document with its single-file findings (see :class:`Reading`), and the findings
    of the listing itself (symlinks, unreadable folders)."""
    with collector_paused():
        files, listing = kb.files()
        facts = FactsCache(kb.root, kb.rules_key(reading.strict)) if reading.use_cache else None
        parses = ParseCache(kb.root, writable=reading.models) if reading.use_cache else None
        docs: dict[str, LoadedDoc] = {}
        todo: list[tuple[DocFile, list[Finding] | None]] = []
        for f in files:
            known = _from_facts(f, facts, reading)
            if isinstance(known, LoadedDoc):
                docs[f.path] = known
            else:
                todo.append((f, known))
        parsed = kb.parse([f for f, _ in todo], parses, progress)
        for f, cached in todo:
            if f.path in parsed:  # else deleted since it was listed
                docs[f.path] = _checked(f, parsed[f.path], cached, facts, kb, reading)
        for cache in (facts, parses):
            if cache is not None:
                cache.prune({f.path for f in files})
                cache.save()
    return Library([docs[f.path] for f in files if f.path in docs]), listing


def load_named(
    kb: KnowledgeBase, reading: Reading
) -> tuple[list[LoadedDoc], list[DocRef], list[Finding]]:
    """The documents ``reading.reported`` names, checked in full; every other document as a
    :class:`DocRef`, known by the id its file name gives (the pre-commit hook); and the
    findings of the listing.

    No other file is opened or even stat-ed, so the cost does not grow with the base beyond
    reading its folders. An id must match its file name (``id-mismatch`` otherwise), so the
    answer is a whole run's, except where another file's front-matter id differs from its
    name: that file's own error, which the whole run reports.
    """
    assert reading.reported is not None
    with collector_paused():
        names, listing = kb.names()
        facts = FactsCache(kb.root, kb.rules_key(reading.strict)) if reading.use_cache else None
        named = [f for f in names if f.path in reading.reported]
        checked = _check_named(kb, named, facts, reading)
        refs = [DocRef.from_name(f.path, f.kind) for f in names if f.path not in reading.reported]
        if facts is not None:
            facts.save()
    return checked, refs, listing


def _check_named(
    kb: KnowledgeBase, named: list[DocFile], facts: FactsCache | None, reading: Reading
) -> list[LoadedDoc]:
    from cxlib.model.checks import check_document  # only for files the cache cannot answer

    out: list[LoadedDoc] = []
    for listed in named:
        f = signature(kb.root / listed.path, listed.path, listed.kind)
        if f is None:
            continue  # gone since it was listed
        hit = facts.get(f) if facts is not None else None
        if hit is not None and hit[0] is not None:
            out.append(LoadedDoc(f.path, f.kind, hit[0], findings=hit[1]))
            continue
        parsed = kb.parse([f]).get(f.path)
        if parsed is None:
            continue  # deleted since it was listed
        d = check_document(f.path, f.kind, parsed, kb.config, reading.strict)
        if facts is not None:
            facts.put(f, parsed, d.findings, d.id)
        out.append(d)
    return out


def _reported(f: DocFile, reading: Reading) -> bool:
    return reading.reported is None or f.path in reading.reported


def _from_facts(
    f: DocFile, facts: FactsCache | None, reading: Reading
) -> LoadedDoc | list[Finding] | None:
    """A document answered by the facts cache alone; or the cached findings of an unchanged
    file that must still be parsed (for its model); or None."""
    if facts is None:
        return None
    reported = _reported(f, reading)
    if not reported:
        known = facts.get_id(f)
        if known is not None:
            # Only the id of a file that is not reported on matters (duplicates, targets).
            return LoadedDoc(f.path, f.kind, ParsedFile(), known_id=known[0])
    hit = facts.get(f, skeleton=not reading.models)
    if hit is None:
        return None
    skeleton, findings = hit
    if reading.models:
        return findings
    assert skeleton is not None
    return LoadedDoc(f.path, f.kind, skeleton, findings=findings if reported else [])


def _checked(
    f: DocFile,
    parsed: ParsedFile,
    cached: list[Finding] | None,
    facts: FactsCache | None,
    kb: KnowledgeBase,
    reading: Reading,
) -> LoadedDoc:
    from cxlib.model.checks import check_document
    from cxlib.model.schema_check import check_schema

    if not _reported(f, reading):
        if facts is not None and not reading.models:
            # Checked once now so that the next one-file run finds this file's id (and
            # findings) in the small facts shards instead of parsing it again.
            d = check_document(f.path, f.kind, parsed, kb.config, reading.strict)
            facts.put(f, parsed, d.findings, d.id)
        return LoadedDoc(path=f.path, kind=f.kind, parsed=parsed)
    if cached is not None:
        doc = None
        if parsed.data is not None and not parsed.problems:
            doc = check_schema(f.path, f.kind, parsed, reading.strict)[0]
        return LoadedDoc(path=f.path, kind=f.kind, parsed=parsed, doc=doc, findings=cached)
    d = check_document(f.path, f.kind, parsed, kb.config, reading.strict)
    if facts is not None:
        facts.put(f, parsed, d.findings, d.id)
    return d


def load_models(kb: KnowledgeBase, kinds: Collection[Kind] | None = None) -> Library:
    """Every document (of ``kinds``) with its model, for reports: the schema is checked, the
    rules are not (a report shows documents that break them)."""
    with collector_paused():
        files, _ = kb.files(kinds)
        cache = ParseCache(kb.root)
        parsed = kb.parse(files, cache)
        docs = [_model(f, parsed[f.path], kb) for f in files if f.path in parsed]
        cache.save()
    return Library(docs)


def _model(f: DocFile, parsed: ParsedFile, kb: KnowledgeBase) -> LoadedDoc:
    from cxlib.model.checks import check_document
    from cxlib.model.schema_check import check_schema

    if parsed.problems or parsed.data is None:
        return check_document(f.path, f.kind, parsed, kb.config)
    doc, findings = check_schema(f.path, f.kind, parsed)
    return LoadedDoc(path=f.path, kind=f.kind, parsed=parsed, doc=doc, findings=findings)
