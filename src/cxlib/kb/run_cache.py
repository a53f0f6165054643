"""The rules' findings of the last whole-base ``validate``, answered again while nothing changed.

A warm ``validate`` of 10,000 documents would otherwise decode every cached entry and run the
rules across files again (most of its time) to find the answer it gave last time. The answer is
kept with a digest of the listing: every document's path and signature (size, modification and
change times, inode), under the rules key (config, options, tool version). Any edit, addition,
removal or rename changes the digest. The findings of the listing itself (a symlink, an
unreadable folder) are not kept: they are the listing's, made anew by every run.

Like every cache here it follows git's racy-clean rule: an answer is recorded only when every
file was last modified well before the listing was taken, so an edit within the same clock tick
cannot hide behind an unchanged signature.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cxlib import __version__
from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.kb.cache import RACY_NS
from cxlib.kb.files import DocFile
from cxlib.model.codes import Scope
from cxlib.model.file_refs import FileRef
from cxlib.model.findings import Finding
from cxlib.model.review_dates import Dated

NAME = "last-run.json"
FORMAT = 4  # 2: the repository files documents name; 3: the review dates; 4: link forms


def listing_digest(files: list[DocFile], key: str) -> str:
    """A digest of every document's path and signature, and of ``key`` and the tool's version:
    it changes with any edit, addition, removal or rename."""
    h = hashlib.sha256(f"{__version__}:{key}\n".encode())
    for f in files:
        h.update(f"{f.path}\0{f.sig}\n".encode())
    return h.hexdigest()


def settled(files: list[DocFile], listed_ns: int) -> bool:
    """Whether every file was last modified well before the listing taken at ``listed_ns``:
    only then may an answer be kept under the files' signatures."""
    newest = max((f.mtime_ns for f in files), default=0)
    return newest + RACY_NS < listed_ns


def _digest(files: list[DocFile], rules_key: str) -> str:
    return listing_digest(files, f"{FORMAT}:{rules_key}")


def last_findings(
    root: Path, files: list[DocFile], rules_key: str
) -> tuple[list[Finding], list[FileRef], list[Dated]] | None:
    """The findings of the last whole run, when it saw exactly these files, the repository
    files its documents name and the review dates they declare (whose findings are made
    afresh); else None."""
    raw = read_json(cache_folder(root) / NAME)
    try:
        if raw["digest"] != _digest(files, rules_key):
            return None
        findings = [Finding.from_json(x) for x in raw["findings"]]
        dated = [Dated.from_json(x) for x in raw["dated"]]
        return findings, [FileRef.from_json(x) for x in raw["refs"]], dated
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # none yet, another version's, or damaged: run the rules


def record_findings(
    root: Path,
    files: list[DocFile],
    rules_key: str,
    findings: list[Finding],
    refs: list[FileRef],
    listed_ns: int,
    dated: list[Dated],
) -> None:
    """Keep the findings of a whole run over ``files``, listed at ``listed_ns``, when that is
    safe: no file changed within the racy window. Findings about the files documents name, and
    those that depend on today's date, are not kept: the names and the dates are, and the next
    run judges them again."""
    if not settled(files, listed_ns):
        return
    if make_folder(cache_folder(root)):
        record = {
            "digest": _digest(files, rules_key),
            "findings": [
                f.to_json() for f in findings if f.scope not in (Scope.REPOSITORY, Scope.DATE)
            ],
            "refs": [r.to_json() for r in refs],
            "dated": [d.to_json() for d in dated],
        }
        write_text(cache_folder(root) / NAME, dumps(record))
