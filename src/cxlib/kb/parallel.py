"""Reading many documents at once: a cold start on a large base parses in several processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cxlib.kb.files import DocFile, read_document
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.tuning import PARSE_CHUNKS_PER_WORKER, PARSE_WORKERS_FROM
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


# What each worker hands every parse to (see parse_in_parallel's ``then``): set in the worker by
# the pool's initializer, inherited through the fork, never pickled.
_then: Callable[[DocFile, ParsedFile], Any] | None = None


def _install(then: Callable[[DocFile, ParsedFile], Any] | None) -> None:
    global _then
    _then = then


def _parse_chunk(
    job: tuple[str, list[DocFile]],
) -> list[tuple[str, Any]] | BaseException:
    # Plain lists and dicts travel between processes several times faster than dataclasses.
    root, files = job
    try:
        out: list[tuple[str, Any]] = []
        for f in files:
            parsed = parse_file(Path(root), f.path, f.size)
            if _then is None:
                out.append((f.path, parsed.to_json(tag_dates=False)))
            elif not vanished(parsed):
                out.append((f.path, _then(f, parsed)))
        return out
    except Exception as e:
        # Returned, not raised: the pool's map would end early on a StopIteration and report a
        # confusing error of its own. The parent raises it as it is.
        return e


def parse_in_parallel(
    root: Path,
    files: list[DocFile],
    minimum: int = PARSE_WORKERS_FROM,
    then: Callable[[DocFile, ParsedFile], Any] | None = None,
) -> dict[str, Any]:
    """Parse ``files`` in worker processes when there are enough of them and more than one CPU.

    Returns {} when it is not worth it; callers parse what is missing themselves. Workers are
    forked, so they start with every module already imported, and die with this process.

    With ``then``, each worker hands every parse to it and returns what it returns (plain
    data), so the work that follows a parse is shared out too; a file deleted since it was
    listed is left out. Without, the parses are returned.
    """
    done: dict[str, Any] = {}
    for chunk in parsed_in_parallel(root, files, minimum, then):
        if then is None:
            done.update((rel, ParsedFile.from_json(raw)) for rel, raw in chunk)
        else:
            done.update(chunk)
    return done


def parsed_in_parallel(
    root: Path,
    files: list[DocFile],
    minimum: int = PARSE_WORKERS_FROM,
    then: Callable[[DocFile, ParsedFile], Any] | None = None,
) -> Iterator[list[tuple[str, Any]]]:
    """What :func:`parse_in_parallel` gives, a piece at a time as the workers finish them
    (nothing when it is not worth it), so this process can take each piece on while the
    workers go on with the next. A parse comes as :meth:`ParsedFile.to_json` gives it."""
    import multiprocessing  # here: start-up never pays for it

    workers = fork_workers(len(files), minimum)
    if not workers:
        return
    size = max(1, len(files) // (workers * PARSE_CHUNKS_PER_WORKER))
    jobs = [(str(root), files[i : i + size]) for i in range(0, len(files), size)]
    context = multiprocessing.get_context("fork")
    with die_with_parent():
        try:
            pool = context.Pool(workers, _install, (then,))
        except OSError:
            return  # no processes to be had: parse in this one
        with pool:
            for chunk in pool.imap(_parse_chunk, jobs):
                if isinstance(chunk, BaseException):
                    raise chunk
                yield chunk
