"""Rendering and validating thousands of imported documents on every CPU.

Each document is rendered from the template and checked by the same rules as ``validate``: a
few milliseconds each, so an import of thousands is worth forking for. The workers start with
the plan's context already in memory (fork) and die with this process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from cxlib.workers import die_with_parent, fork_workers

# Fewer documents than this are rendered in this process: forking costs more than it saves.
RENDER_WORKERS_FROM = 600

C = TypeVar("C")
I = TypeVar("I")  # noqa: E741
R = TypeVar("R")

# The context and the function of the running fork, which the workers inherit.
_job: tuple[Any, Callable[[Any, Any], Any]] | None = None


def _one(item: Any) -> Any:
    assert _job is not None
    ctx, work = _job
    return work(ctx, item)


def render_all(ctx: C, items: list[I], work: Callable[[C, I], R]) -> list[R]:
    """``work(ctx, item)`` for every item, in order: in forked workers when there are enough
    items and CPUs, else here."""
    global _job
    import multiprocessing  # here: start-up never pays for it

    workers = fork_workers(len(items), RENDER_WORKERS_FROM)
    if not workers:
        return [work(ctx, item) for item in items]
    _job = (ctx, work)
    try:
        size = max(1, len(items) // (workers * 4))
        with die_with_parent(), multiprocessing.get_context("fork").Pool(workers) as pool:
            return list(pool.map(_one, items, chunksize=size))
    except OSError:
        return [work(ctx, item) for item in items]  # no processes to be had
    finally:
        _job = None
