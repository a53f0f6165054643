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
from typing import Any

from cxlib.kb.cache import FactsCache, ParseCache
from cxlib.kb.files import DocFile, kind_of_path, signature
from cxlib.kb.store import KnowledgeBase, Progress
from cxlib.kb.tuning import PARSE_WORKERS_FROM, collector_paused
from cxlib.model.codes import Scope
from cxlib.model.findings import Finding
from cxlib.model.ids import id_from_filename
from cxlib.model.kinds import Kind
from cxlib.model.library import DocRef, Library, LoadedDoc
from cxlib.model.library_rules import id_key
from cxlib.model.source import ParsedFile, json_default, json_object_hook
from cxlib.workers import fork_workers


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
    kb: KnowledgeBase,
    reading: Reading = Reading(),
    progress: Progress | None = None,
    listed: tuple[list[DocFile], list[Finding]] | None = None,
) -> tuple[Library, list[Finding]]:
    """Every document with its single-file findings (see :class:`Reading`), and the findings
    of the listing itself (symlinks, unreadable folders); ``listed`` is that listing, when the
    caller already took it."""
    with collector_paused():
        files, listing = listed if listed is not None else kb.files()
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
        # A file to be checked is parsed again even when its parse is cached: the checks read
        # its text, which no cache keeps.
        fills_facts = facts is not None and not reading.models  # see _checked
        unchecked = {
            f.path
            for f, cached in todo
            if cached is None and (fills_facts or _reported(f, reading))
        }
        if fills_facts:
            assert facts is not None
            # Every file to read is checked here and only its facts kept: on a cold run the
            # workers that parse check too (the checks were a third of the work, left to this
            # one process while the others waited).
            ahead = _checked_in_workers(kb, [f for f, _ in todo], facts, reading)
            docs.update(ahead)
            todo = [(f, cached) for f, cached in todo if f.path not in ahead]
        parsed = kb.parse([f for f, _ in todo], parses, progress, fresh=unchecked)
        for f, cached in todo:
            if f.path in parsed:  # else deleted since it was listed
                docs[f.path] = _checked(f, parsed[f.path], cached, facts, kb, reading)
        for cache in (facts, parses):
            if cache is not None:
                cache.prune({f.path for f in files})
                cache.save()
    return Library([docs[f.path] for f in files if f.path in docs]), listing


@dataclass(frozen=True)
class Named:
    """What the hook reads: the named documents checked in full, the other documents it needs
    (those sharing their ids or named by their links, as :class:`DocRef`), the findings of the
    listing, and how many documents the base holds."""

    checked: list[LoadedDoc]
    others: list[DocRef]
    listing: list[Finding]
    total: int


def load_named(kb: KnowledgeBase, reading: Reading) -> Named:
    """The documents ``reading.reported`` names, checked in full, against every other
    document's id as its file name gives it (the pre-commit hook).

    The ids come from the id index (:mod:`cxlib.kb.idindex`): while no folder changed, no
    other file is opened, stat-ed or even listed, so the cost does not grow with the base. An id
    must match its file name (``id-mismatch`` otherwise), so the answer is a whole run's, except
    where another file's front-matter id differs from its name: that file's own error, which
    the whole run reports.
    """
    from cxlib.kb import idindex

    assert reading.reported is not None
    with collector_paused():
        index = idindex.load(kb.root, kb.config)
        listed = [rel for rel in sorted(reading.reported) if rel in index.paths(_key_of(rel))]
        facts = FactsCache(kb.root, kb.rules_key(reading.strict)) if reading.use_cache else None
        named = [DocFile(rel, _kind(kb, rel), 0, 0, 0) for rel in listed]
        checked = _check_named(kb, named, facts, reading)
        if facts is not None:
            facts.save()
    keys = {id_key(d.id) for d in checked if d.id}
    keys |= {id_key(link.target) for d in checked for link in d.links()}
    others = [
        ref
        for key in sorted(keys)
        for ref in index.refs(key, kb.config)
        if ref.path not in reading.reported
    ]
    return Named(checked, others, index.listing, index.total)


def _key_of(rel: str) -> str:
    doc_id = id_from_filename(rel.rsplit("/", 1)[-1])
    return id_key(doc_id) if doc_id else ""


def _kind(kb: KnowledgeBase, rel: str) -> Kind:
    kind = kind_of_path(rel, kb.config)
    assert kind is not None  # validate names only files in the kind folders
    return kind


def _check_named(
    kb: KnowledgeBase, named: list[DocFile], facts: FactsCache | None, reading: Reading
) -> list[LoadedDoc]:
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
        from cxlib.model.checks import check_document  # only for files the cache cannot answer

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
            declared = kb.config.custom_fields(f.kind)
            doc = check_schema(f.path, f.kind, parsed, reading.strict, declared)[0]
        return LoadedDoc(path=f.path, kind=f.kind, parsed=parsed, doc=doc, findings=cached)
    d = check_document(f.path, f.kind, parsed, kb.config, reading.strict)
    if facts is not None:
        facts.put(f, parsed, d.findings, d.id)
    return d


def _checked_in_workers(
    kb: KnowledgeBase, files: list[DocFile], facts: FactsCache, reading: Reading
) -> dict[str, LoadedDoc]:
    """``files`` parsed and checked in worker processes (none when there are too few files or
    CPUs: then {}), each recorded in ``facts`` and given as its skeleton and findings, as a
    warm run reads it from the facts cache. A file deleted since it was listed is left out."""
    if not fork_workers(len(files), PARSE_WORKERS_FROM):
        return {}  # parsed and checked here, one by one (and nothing imported for none)
    import json

    from cxlib.cachefile import dumps
    from cxlib.kb.cache import facts_entry
    from cxlib.kb.parallel import parsed_in_parallel
    from cxlib.model.checks import check_document

    def check(f: DocFile, parsed: ParsedFile) -> tuple[str, list[dict[str, Any]]]:
        d = check_document(f.path, f.kind, parsed, kb.config, reading.strict)
        # The entry keeps the single-file findings; the others travel beside it. Encoded here,
        # where the work is shared out, and read back as a warm run reads it.
        others = [x.to_json() for x in d.findings if x.scope != Scope.FILE]
        return dumps(facts_entry(f, parsed, d.findings, d.id), default=json_default), others

    done: dict[str, LoadedDoc] = {}
    by_path = {f.path: f for f in files}
    decode = json.JSONDecoder(object_hook=json_object_hook).decode  # made once, not per entry
    # Each piece is taken on here as it comes, while the workers go on with the next ones.
    for chunk in parsed_in_parallel(kb.root, files, then=check):
        for rel, (text, others) in chunk:
            f = by_path[rel]
            entry = decode(text)
            facts.put_entry(f, entry, text)
            # Of a document not reported on only the id and links are read, as _checked
            # gives it.
            found = [*entry["findings"], *others] if _reported(f, reading) else []
            parsed = ParsedFile.from_json(entry["skeleton"])
            done[rel] = LoadedDoc(
                f.path, f.kind, parsed, findings=[Finding.from_json(x) for x in found]
            )
    return done


def load_models(
    kb: KnowledgeBase, kinds: Collection[Kind] | None = None, listed: list[DocFile] | None = None
) -> Library:
    """Every document (of ``kinds``) with its model, for reports: the schema is checked, the
    rules are not (a report shows documents that break them). ``listed``: the base's files,
    when the caller listed them already."""
    with collector_paused():
        if listed is None:
            files, _ = kb.files(kinds)
        else:
            files = [f for f in listed if kinds is None or f.kind in kinds]
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
    doc, findings = check_schema(f.path, f.kind, parsed, declared=kb.config.custom_fields(f.kind))
    return LoadedDoc(path=f.path, kind=f.kind, parsed=parsed, doc=doc, findings=findings)
