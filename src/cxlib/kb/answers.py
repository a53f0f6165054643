"""The last answers of ``cxlib report``, given again while nothing they read has changed.

A report over 10,000 documents spends most of its time reading every document's cached parse
and checking it against the schema, to reach the answer it gave a moment before. An answer is
kept with a digest of what it was computed from: every document's path and signature (as for
validate's last run, :mod:`cxlib.kb.run_cache`), the config's digest and the tool's version;
the request (the report, its options, the day it was made for and its form) picks the answer.
Any edit, addition, removal or rename of a document, or of cxlib.toml, changes the digest and
every report is computed afresh; for a report that reads git history the digest also holds
HEAD (a commit changes no document).

Answers follow the racy-clean rule of every cache here, and are plain JSON: a damaged or
foreign file is simply computed over.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.kb.files import DocFile
from cxlib.kb.run_cache import listing_digest, settled

FOLDER = "reports"
FORMAT = 1
# Answers kept per report: its options, days and forms vary; the oldest goes first.
KEEP = 8


def digest(files: list[DocFile], read: str) -> str:
    """What an answer is computed from: the files, and ``read``, the digest of whatever else
    it reads (the config's; HEAD)."""
    return listing_digest(files, f"answers:{FORMAT}:{read}")


def _path(root: Path, report: str) -> Path:
    return cache_folder(root) / FOLDER / f"{report}.json"


def answer(root: Path, report: str, base: str, request: str) -> Any:
    """The answer kept for ``request`` over the base whose digest is ``base``; else None."""
    raw = read_json(_path(root, report))
    if not isinstance(raw, dict) or raw.get("digest") != base:
        return None
    answers = raw.get("answers")
    return answers.get(request) if isinstance(answers, dict) else None


def record(
    root: Path,
    report: str,
    base: str,
    request: str,
    value: Any,
    files: list[DocFile],
    listed_ns: int,
) -> None:
    """Keep ``value`` (JSON data) as the answer to ``request`` over ``files``, listed at
    ``listed_ns``, when that is safe (see :func:`cxlib.kb.run_cache.settled`)."""
    if not settled(files, listed_ns):
        return
    raw = read_json(_path(root, report))
    kept: dict[str, Any] = {}
    if isinstance(raw, dict) and raw.get("digest") == base and isinstance(raw.get("answers"), dict):
        kept = raw["answers"]
    kept.pop(request, None)
    kept[request] = value
    kept = dict(list(kept.items())[-KEEP:])
    folder = cache_folder(root)
    if make_folder(folder) and make_folder(folder / FOLDER):
        write_text(_path(root, report), dumps({"digest": base, "answers": kept}))
