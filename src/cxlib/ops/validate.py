"""``cxlib validate``: every rule over the knowledge base, as findings."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.errors import UsageError
from cxlib.kb.config_file import CONFIG_NAME
from cxlib.kb.files import DocFile, kind_of_path
from cxlib.kb.repository_files import missing_files
from cxlib.kb.run_cache import last_findings, record_findings
from cxlib.kb.store import KnowledgeBase, Progress
from cxlib.kb.tuning import collector_paused
from cxlib.model.file_refs import FileRef, file_refs
from cxlib.model.findings import Finding, Severity
from cxlib.model.kinds import Kind
from cxlib.model.library import DocRef, LoadedDoc
from cxlib.model.library_rules import check_library
from cxlib.model.review_dates import Dated, dated, review_findings
from cxlib.ops.loading import Reading, load_checked, load_named

if TYPE_CHECKING:
    from cxlib.kb.prereg import LockCheck


@dataclass
class ValidationReport:
    findings: list[Finding]
    checked: int  # documents whose findings are reported
    total: int  # documents in the knowledge base
    skipped: list[str] = field(default_factory=list)  # given paths that are not documents
    notes: list[str] = field(default_factory=list)  # said once on stderr (a check skipped)

    @property
    def errors(self) -> int:
        return sum(f.severity == Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == Severity.WARNING for f in self.findings)


def _relative(kb: KnowledgeBase, cwd: Path, given: str) -> str | None:
    path = Path(given)
    absolute = path if path.is_absolute() else cwd / path
    try:
        return Path(os.path.normpath(absolute)).relative_to(kb.root).as_posix()
    except ValueError:
        return None


def validate(
    kb: KnowledgeBase,
    paths: list[str] | None = None,
    cwd: Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    use_cache: bool = True,
    today: dt.date | None = None,
) -> ValidationReport:
    """Validate the whole base, or report only on ``paths`` while checking links and ids against
    the whole base (so pre-commit's batches give the same answer as one run). The rules that
    depend on the date (an expired ``review_by``) judge against ``today``; without it, they are
    not run."""
    report_paths, skipped = _named(kb, paths, cwd or Path.cwd())
    settings = kb.config.validate
    reading = Reading(
        strict=strict,
        reported=report_paths,
        # The created-date rule reads the models; without it cached findings are enough.
        models=settings.check_created_against_git,
        use_cache=use_cache,
    )
    with collector_paused():
        if report_paths is not None and not reading.models:
            # The pre-commit hook: the named files in full, the others by name only.
            named = load_named(kb, reading)
            docs, others, listing, total = named.checked, named.others, named.listing, named.total
        elif use_cache and not reading.models:
            return _whole_base(kb, reading, progress, today)
        else:
            library, listing = load_checked(kb, reading, progress)
            docs, others, total = library.docs, [], len(library.docs)
        checked = [d for d in docs if report_paths is None or d.path in report_paths]
        findings = _rule_findings(kb, checked, [*docs, *others], report_paths, _refs(checked))
        lock = _lock(kb, checked, whole=report_paths is None)
        findings += lock.findings
        findings += _date_findings(_dated(checked), today)
        findings += [f for f in listing if report_paths is None or f.path in report_paths]
        findings.sort(key=lambda f: f.sort_key)
    notes = [] if lock.skipped is None else [_skipped_note(lock.skipped)]
    return ValidationReport(findings, len(checked), total, skipped=skipped, notes=notes)


def _rule_findings(
    kb: KnowledgeBase,
    checked: list[LoadedDoc],
    docs: list[LoadedDoc | DocRef],
    report_paths: set[str] | None,
    refs: list[FileRef],
) -> list[Finding]:
    """The findings of ``checked`` (``refs``: the files they name) against ``docs``."""
    findings = [f for d in checked for f in d.findings]
    findings += missing_files(kb.root, refs)
    findings += check_library(docs, kb.config, report_paths)
    if kb.config.validate.check_created_against_git:
        findings += _created_against_git(kb, checked)
    return findings


def _refs(docs: list[LoadedDoc]) -> list[FileRef]:
    return [r for d in docs for r in file_refs(d.path, d.kind, d.parsed)]


def _dated(docs: list[LoadedDoc]) -> list[Dated]:
    """The review dates the documents declare (from the skeleton on a warm run)."""
    out = []
    for d in docs:
        data = d.parsed.data
        if data and "review_by" in data:
            item = dated(d.path, d.kind, data, d.parsed.line_of("review_by"))
            if item is not None:
                out.append(item)
    return out


def _date_findings(items: list[Dated], today: dt.date | None) -> list[Finding]:
    return [] if today is None else review_findings(items, today)


def _whole_base(
    kb: KnowledgeBase, reading: Reading, progress: Progress | None, today: dt.date | None
) -> ValidationReport:
    """Every document, answered from the last run's findings while no document changed (the
    files they name are looked at again: a deleted screenshot changes no document)."""
    listed_ns = time.time_ns()
    files, listing = kb.files()
    key = kb.rules_key(reading.strict)
    head, why = _lock_state(kb, files)
    if kb.config.validate.preregistration_lock:
        key += f":lock={head or why}"  # a new commit may register an experiment
    last = last_findings(kb.root, files, key)
    total = len(files)
    if last is not None:
        findings, refs, review_dates = last
        findings = [*findings, *missing_files(kb.root, refs)]
    else:
        library, listing = load_checked(kb, reading, progress, listed=(files, listing))
        refs = _refs(library.docs)
        findings = _rule_findings(kb, library.docs, list(library.docs), None, refs)
        if head is not None:
            findings += _lock(kb, library.docs, whole=True, head=head).findings
        review_dates = _dated(library.docs)
        total = len(library.docs)
        if total == len(files):  # else a file vanished while it was read: nothing to keep
            record_findings(kb.root, files, key, findings, refs, listed_ns, review_dates)
    findings += _date_findings(review_dates, today)
    findings = sorted([*findings, *listing], key=lambda f: f.sort_key)
    notes = [] if why is None else [_skipped_note(why)]
    return ValidationReport(findings, checked=total, total=total, notes=notes)


def _lock_state(kb: KnowledgeBase, files: list[DocFile]) -> tuple[str | None, str | None]:
    """HEAD, or why the lock cannot be checked (None, None: the lock is off, or there is no
    experiment to lock)."""
    if not kb.config.validate.preregistration_lock:
        return None, None
    if not any(f.kind == Kind.EXPERIMENT for f in files):
        return None, None
    from cxlib.kb.git import head_state

    return head_state(kb.root)


def _lock(
    kb: KnowledgeBase, checked: list[LoadedDoc], whole: bool, head: str | None = None
) -> LockCheck:
    """The pre-registration lock over the checked documents (see :mod:`cxlib.kb.prereg`)."""
    from cxlib.kb.prereg import LockCheck, check

    if not kb.config.validate.preregistration_lock:
        return LockCheck()
    return check(kb.root, kb.config, checked, whole, head)


def _skipped_note(why: str) -> str:
    return f"pre-registration lock not checked: {why}"


def _named(
    kb: KnowledgeBase, paths: list[str] | None, cwd: Path
) -> tuple[set[str] | None, list[str]]:
    """The documents ``paths`` name (root-relative; a folder names the documents in it), and
    the paths that name none. A path that does not exist, or names a FIFO or a device, is a
    usage error: a typo must not pass as "0 documents checked"."""
    if paths is None:
        return None, []
    report_paths: set[str] = set()
    skipped: list[str] = []
    for given in paths:
        rel = _relative(kb, cwd, given)
        kind = _kind_of_file(cwd / given, given)
        if kind == "folder":
            inside = [] if rel is None else _documents_in(kb, rel)
            report_paths.update(inside)
            if not inside:
                skipped.append(given)
        elif rel is not None and rel == CONFIG_NAME:
            continue  # the config was validated when the base was opened
        elif rel is None or not rel.endswith(".md") or kind_of_path(rel, kb.config) is None:
            skipped.append(given)
        else:
            report_paths.add(rel)
    return report_paths, skipped


def _kind_of_file(path: Path, given: str) -> str:
    """ "folder" or "file" (a regular file or a symlink, which the listing reports itself)."""
    try:
        mode = path.lstat().st_mode
    except OSError as e:
        raise UsageError(f"{given}: {e.strerror or 'cannot be read'}") from None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return "file"
    raise UsageError(f"{given}: not a regular file", hint="give document files or folders")


def _documents_in(kb: KnowledgeBase, folder: str) -> list[str]:
    prefix = "" if folder == "." else folder.rstrip("/") + "/"
    return [f.path for f in kb.names()[0] if f.path.startswith(prefix)]


def _created_against_git(kb: KnowledgeBase, checked: list[LoadedDoc]) -> list[Finding]:
    # Imported here: with the rule off, validate never loads git (start-up budget).
    from cxlib.kb.history import document_history
    from cxlib.model.history_rules import check_created_against_git

    settings = kb.config.validate
    first = {p: h.created_date for p, h in document_history(kb.root, kb.config).items()}
    return check_created_against_git(checked, first, settings.created_tolerance_days)
