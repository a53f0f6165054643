"""Reading many documents at once: a cold start on a large base parses in several processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxlib.kb.files import DocFile, read_document
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.tuning import PARSE_WORKERS_FROM
from cxlib.model.source import ParsedFile, Problem
from cxlib.workers import die_with_parent, fork_workers

VANISHED = "vanished"  # never a finding: the file is left out, as if it had not been listed


def parse_file(root: Path, rel: str, size: int) -> ParsedFile:
    """Parse one document; problems (including unreadable or oversized files) are in the result."""
    if size > MAX_FILE_BYTES:
        return parse_bytes(b"", size=size)
    try:
        return parse_bytes(read_document(root, rel))
    except FileNotFoundError:
        # Deleted since it was listed (a checkout while the hook runs): not a document now.
        return ParsedFile(problems=[Problem(VANISHED, "deleted while being read")])
    except OSError as e:
        return ParsedFile(problems=[Problem("unreadable", f"cannot read file: {e.strerror}")])


def vanished(parsed: ParsedFile) -> bool:
    return bool(parsed.problems) and parsed.problems[0].code == VANISHED


def _parse_chunk(
    job: tuple[str, list[tuple[str, int]]],
) -> list[tuple[str, dict[str, Any]]] | BaseException:
    # Plain lists and dicts travel between processes several times faster than dataclasses.
    root, items = job
    try:
        return [
            (rel, parse_file(Path(root), rel, size).to_json(tag_dates=False)) for rel, size in items
        ]
    except Exception as e:
        # Returned, not raised: the pool's map would end early on a StopIteration and report a
        # confusing error of its own. The parent raises it as it is.
        return e


def parse_in_parallel(
    root: Path, files: list[DocFile], minimum: int = PARSE_WORKERS_FROM
) -> dict[str, ParsedFile]:
    """Parse ``files`` in worker processes when there are enough of them and more than one CPU.

    Returns {} when it is not worth it; callers parse what is missing themselves. Workers are
    forked, so they start with every module already imported, and die with this process.
    """
    import multiprocessing  # here: start-up never pays for it

    workers = fork_workers(len(files), minimum)
    if not workers:
        return {}
    items = [(f.path, f.size) for f in files]
    size = max(1, len(items) // (workers * 4))
    jobs = [(str(root), items[i : i + size]) for i in range(0, len(items), size)]
    try:
        with die_with_parent(), multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.map(_parse_chunk, jobs)
    except OSError:
        return {}  # no processes to be had: parse in this one
    parsed: dict[str, ParsedFile] = {}
    for chunk in chunks:
        if isinstance(chunk, BaseException):
            raise chunk
        parsed.update((rel, ParsedFile.from_json(raw)) for rel, raw in chunk)
    return parsed
