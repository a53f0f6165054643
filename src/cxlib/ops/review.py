"""``cxlib review``: what a branch changes in the library, for the people reviewing it.

Compares the head (the working tree, or a commit) with the merge base of the base ref: documents
added, changed, renamed and deleted, their status transitions and links, the validation findings
of the changed documents (checked against the whole head tree), ids the base already uses for
other documents, and the checklist the rules imply.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from typing import Any

from cxlib.errors import ConfigError, UsageError
from cxlib.kb import git
from cxlib.kb.config_file import CONFIG_NAME, config_from_data
from cxlib.kb.files import NOT_DOCUMENTS, kind_of_path, read_document
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.model.checks import check_document
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding, Severity, error
from cxlib.model.ids import id_from_filename
from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc
from cxlib.model.library_rules import check_library
from cxlib.model.review import (
    ChangeKind,
    ChecklistItem,
    DocChange,
    Scoring,
    Version,
    checklist,
    compare,
)
from cxlib.model.scoring import compile_formula
from cxlib.ops.loading import Reading, load_checked

DEFAULT_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
_KIND_ORDER = {Kind.INSIGHT: 0, Kind.OPPORTUNITY: 1, Kind.EXPERIMENT: 2}
_CHANGE_ORDER = {k: i for i, k in enumerate(ChangeKind)}


@dataclass
class Collision:
    """A document whose id the base branch already uses for a different document."""

    id: str
    path: str
    base_paths: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "base_paths": self.base_paths,
            "fix": f"cxlib renumber {self.id}",
        }


@dataclass
class ReviewResult:
    base_ref: str
    base_commit: str
    head_ref: str | None  # None: the working tree (uncommitted changes included)
    head_commit: str
    merge_base: str
    changes: list[DocChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == Severity.WARNING for f in self.findings)

    def count(self, change: ChangeKind) -> int:
        return sum(c.change == change for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "base": {"ref": self.base_ref, "commit": self.base_commit},
            "head": {"ref": self.head_ref or "working tree", "commit": self.head_commit},
            "merge_base": self.merge_base,
            "summary": {k.value: self.count(k) for k in ChangeKind}
            | {"errors": self.errors, "warnings": self.warnings},
            "documents": [c.to_json() for c in self.changes],
            "transitions": [
                {
                    "id": c.id,
                    "kind": c.kind.value,
                    "from": c.old_status,
                    "to": c.status,
                    "outcome": c.outcome,
                    "decision": c.decision,
                }
                for c in self.changes
                if c.transition
            ],
            "findings": [f.to_json() for f in self.findings],
            "collisions": [c.to_json() for c in self.collisions],
            "checklist": [i.to_json() for i in self.checklist],
            "revalidated": [
                {"id": c.id, "review_by": c.review_by, "old_review_by": c.old_review_by}
                for c in self.changes
                if c.revalidated
            ],
        }


def _is_document(path: str, config: ProgramConfig) -> Kind | None:
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(".md") or name.lower() in NOT_DOCUMENTS:
        return None
    if any(part.startswith(".") for part in path.split("/")[1:-1]):
        return None  # the lstat walk skips hidden folders; so does review
    return kind_of_path(path, config)


def _config_at(g: git.Session, commit: str, fallback: ProgramConfig) -> ProgramConfig:
    raw = g.file_at(commit, CONFIG_NAME)
    if raw is None:
        return fallback
    try:
        text = raw.decode("utf-8-sig")
        return config_from_data(tomllib.loads(text), text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{CONFIG_NAME} at {commit[:12]}: cannot read it: {e}") from None


def _version(path: str, kind: Kind, raw: bytes, config: ProgramConfig) -> Version:
    return Version(check_document(path, kind, parse_bytes(raw), config), _text(raw))


def _text(raw: bytes) -> str:
    """A file's text as its sections are compared (line for line as the parser counts)."""
    return raw.decode("utf-8-sig", "replace").replace("\r\n", "\n")


def default_base(g: git.Session, candidates: tuple[str, ...]) -> str:
    for ref in candidates:
        if g.try_commit(ref) is not None:
            return ref
    raise UsageError(
        "no base branch to compare with (none of " + ", ".join(candidates) + " exists)",
        hint="pass --base REF, e.g. --base origin/main",
    )


Pair = tuple[ChangeKind, Version | None, Version | None]


def _pair_renames(pairs: list[Pair]) -> None:
    """A deletion and an addition of the same id are one rename (git pairs renames by content
    similarity, and not at all for files not yet added; the id is the document's identity)."""
    added = {
        (new.doc.kind, new.doc.id): i
        for i, (ck, _, new) in enumerate(pairs)
        if ck == ChangeKind.ADDED and new is not None and new.doc.id
    }
    drop: list[int] = []
    for i, (ck, old, _) in enumerate(pairs):
        if ck != ChangeKind.DELETED or old is None or not old.doc.id:
            continue
        j = added.pop((old.doc.kind, old.doc.id), None)
        if j is not None:
            pairs[j] = (ChangeKind.RENAMED, old, pairs[j][2])
            drop.append(i)
    for i in sorted(drop, reverse=True):
        del pairs[i]


def _docs_at(
    g: git.Session, commit: str, folders: list[str], config: ProgramConfig
) -> dict[str, Version]:
    """The documents of a commit's tree, checked one by one, by path."""
    docs: dict[str, Version] = {}
    for path, blob in g.tree(commit, folders).items():
        kind = _is_document(path, config)
        if kind is not None:
            docs[path] = _version(path, kind, g.blob(blob), config)
    return docs


def _old_docs(g: git.Session, raw: list[git.Change], config: ProgramConfig) -> list[Version | None]:
    """The merge-base side of each change, checked; None where there is no document."""
    olds: list[Version | None] = []
    for ch in raw:
        old_path = ch.old_path or ch.path
        old_kind = _is_document(old_path, config)
        olds.append(
            _version(old_path, old_kind, g.blob(ch.old_blob), config)
            if ch.status != "A" and ch.old_blob and old_kind is not None
            else None
        )
    return olds


def _resolve(
    raw: list[git.Change], olds: list[Version | None], heads: dict[str, Version]
) -> list[Pair]:
    """Each change that involves a document, as (what happened, before, after)."""
    resolved: list[Pair] = []
    for ch, old in zip(raw, olds, strict=True):
        new = heads.get(ch.path) if ch.status != "D" else None
        if old is None and new is None:
            continue
        if old is None:
            ck = ChangeKind.ADDED
        elif new is None:
            ck = ChangeKind.DELETED
        elif old.doc.path != new.doc.path:
            ck = ChangeKind.RENAMED
        else:
            ck = ChangeKind.CHANGED
        resolved.append((ck, old, new))
    return resolved


def review(
    kb: KnowledgeBase,
    base: str | None = None,
    head: str | None = None,
    base_candidates: tuple[str, ...] = DEFAULT_BASES,
) -> ReviewResult:
    """Compare ``head`` (default: the working tree) with the merge base of ``base`` and it."""
    folders = [s.folder for s in kb.config.kinds.values()]
    with git.session(kb.root) as g:
        head_commit = g.commit(head, "head") if head else g.head()
        if head_commit is None:
            head_commit = g.commit("HEAD", "head")  # raises: no commits yet
        base_ref = base if base else default_base(g, base_candidates)
        base_commit = g.commit(base_ref, "base ref")
        merge_base = g.merge_base(base_commit, head_commit, (base_ref, head or "HEAD"))
        config = _config_at(g, head_commit, kb.config) if head else kb.config
        raw = g.diff(merge_base, head_commit if head else None, folders)
        base_tree = g.tree(base_commit, folders)
        versions = _docs_at(g, head_commit, folders, config) if head else {}
        olds = _old_docs(g, raw, config)
    scan_findings: list[Finding] = []
    if not head:
        # The changed documents in full; the others by id (for links and duplicate ids).
        changed = {ch.path for ch in raw if ch.status != "D"}
        library, scan_findings = load_checked(kb, Reading(reported=changed))
        versions = {
            d.path: Version(d, _working_text(kb, d.path) if d.path in changed else "")
            for d in library.docs
        }
    heads = {path: v.doc for path, v in versions.items()}
    resolved = _resolve(raw, olds, versions)
    _pair_renames(resolved)
    scoring = Scoring(compile_formula(config.scoring.formula), config.scoring.formula)
    changes = [
        _named_by_id(
            compare(ck, old, new, (new or old).doc.kind, scoring),  # type: ignore[union-attr]
            [v.doc for v in (old, new) if v is not None],
            config,
        )
        for ck, old, new in resolved
    ]
    changes.sort(key=lambda c: (_KIND_ORDER[c.kind], _CHANGE_ORDER[c.change], c.id or "", c.path))
    report = {c.path for c in changes if c.change != ChangeKind.DELETED}
    docs = list(heads.values())
    findings = [f for d in docs if d.path in report for f in d.findings]
    findings += [f for f in scan_findings if f.path in report]
    findings += check_library(docs, config, report)
    collisions = _collisions(changes, base_tree, heads)
    findings += [_collision_finding(c, heads[c.path], base_ref) for c in collisions]
    findings.sort(key=lambda f: f.sort_key)
    return ReviewResult(
        base_ref=base_ref,
        base_commit=base_commit,
        head_ref=head,
        head_commit=head_commit,
        merge_base=merge_base,
        changes=changes,
        findings=findings,
        collisions=collisions,
        checklist=checklist(changes, heads),
    )


def _named_by_id(change: DocChange, sides: list[LoadedDoc], config: ProgramConfig) -> DocChange:
    """A restricted document (on either side of the change) is named by its id alone: a
    pull-request comment may be read beyond the repository, so no title, owner, field values or
    sections of it."""
    if not any(config.restricted(d.path, (d.parsed.data or {}).get("visibility")) for d in sides):
        return change
    return dataclasses.replace(change, title="", owner="", fields=[], sections=[], priority=None)


def _working_text(kb: KnowledgeBase, path: str) -> str:
    try:
        return _text(read_document(kb.root, path, MAX_FILE_BYTES))
    except OSError:
        return ""  # gone since it was listed: its sections are not compared


def _collision_finding(c: Collision, doc: LoadedDoc, base_ref: str) -> Finding:
    return error(
        "id-collision",
        c.path,
        f"id {c.id} is already used on {base_ref} by {', '.join(c.base_paths)}",
        line=doc.parsed.line_of("id"),
        field="id",
        hint=f"run 'cxlib renumber {c.id}' to take the next free id and update every "
        "reference to it",
    )


def _collisions(
    changes: list[DocChange], base_tree: dict[str, str], heads: dict[str, LoadedDoc]
) -> list[Collision]:
    """Documents this branch adds (or renumbers) whose id the base tip uses elsewhere: the two
    branches merge cleanly, and the library then holds one id twice."""
    on_base: dict[str, list[str]] = {}
    for path in base_tree:
        doc_id = id_from_filename(path.rsplit("/", 1)[-1])
        if doc_id:
            on_base.setdefault(doc_id.upper(), []).append(path)
    out: list[Collision] = []
    for c in changes:
        if c.change not in (ChangeKind.ADDED, ChangeKind.RENAMED) or not c.id:
            continue
        if c.path not in heads:
            continue
        same = {c.path, c.old_path}
        others = [p for p in on_base.get(c.id.upper(), []) if p not in same]
        if others:
            out.append(Collision(c.id, c.path, sorted(others)))
    return out
