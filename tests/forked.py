"""Many real cxlib processes at once, started cheaply, stopped at an exact step of a write.

A fresh interpreter takes about half a second to import cxlib; this script imports it once and
forks one child process per run, so a child starts in milliseconds. The children wait on a pipe
(a gate) until every one is forked, then all run the real CLI entry point together. A run may
name a step of a write (``cxlib.kb.write.AT_STEP``: "temporary", "replaced", "linked",
"removed") at which its process sends itself SIGKILL, sends itself SIGINT, or has the write fail
with ENOSPC. Every child records each write step it reaches, unbuffered, so a killed child's
record is complete up to its death.

Used by the tests through :func:`run_forked`; run as a script it reads the runs as JSON on stdin
and prints the results as JSON.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn


@dataclass
class Run:
    returncode: int  # negative: the signal that ended the process
    stdout: str
    stderr: str
    steps: list[tuple[str, str]]  # (step, absolute path) of every write step reached


def run_rounds(
    rounds: list[list[dict[str, Any]]], work: Path, listing: Path | None = None
) -> list[tuple[list[Run], list[str]]]:
    """Run each round's runs in processes of their own, all at once, one round after the other,
    from one interpreter. A run is ``{"args": [...], "at": N, "step": NAME, "action": "kill" |
    "interrupt" | "fail"}``; ``at`` counts the write steps (only those named ``step``, when
    given) and is optional. For each round: its results in order, and the file names in
    ``listing`` once every process of the round has ended."""
    work.mkdir(parents=True, exist_ok=True)
    spec = json.dumps({"rounds": rounds, "work": str(work), "listing": listing and str(listing)})
    done = subprocess.run(
        [sys.executable, __file__], input=spec, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return [
        (
            [
                Run(r["returncode"], r["stdout"], r["stderr"], [tuple(s) for s in r["steps"]])
                for r in round_["runs"]
            ],
            round_["listing"],
        )
        for round_ in json.loads(done.stdout)
    ]


def run_forked(runs: list[dict[str, Any]], work: Path) -> list[Run]:
    """One round: every run in a process of its own, all at once (see :func:`run_rounds`)."""
    return run_rounds([runs], work)[0][0]


def _seam(run: dict[str, Any], trace: int) -> Any:
    seen = 0

    def at_step(name: str, path: Path) -> None:
        nonlocal seen
        os.write(trace, f"{name}\t{path}\n".encode())
        if run.get("step") in (None, name):
            seen += 1
        if seen != run.get("at"):
            return
        action = run["action"]
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "interrupt":
            os.kill(os.getpid(), signal.SIGINT)
        else:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return at_step


def _child(run: dict[str, Any], gate: int, prefix: str) -> NoReturn:
    code = 99
    try:
        os.read(gate, 1)  # end of file once the parent has forked every child
        for fd, suffix in ((1, "out"), (2, "err")):
            os.dup2(os.open(f"{prefix}.{suffix}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        trace = os.open(f"{prefix}.steps", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        from cxlib.cli.main import main
        from cxlib.kb import write

        write.AT_STEP = _seam(run, trace)
        code = main(run["args"])
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except FileNotFoundError:
        return ""


# What the commands the tests run import late, imported once in the parent rather than in every
# child (a child would otherwise spend most of its life importing).
WARM = (
    "git",
    "cxlib.cli.main",
    "cxlib.cli.edit_view",
    "cxlib.cli.search_view",
    "cxlib.index.store",
    "cxlib.kb.parallel",
    "cxlib.ops.new",
    "cxlib.ops.renumber",
    "cxlib.ops.similar",
)


def _warm() -> None:
    import importlib

    for name in WARM:
        importlib.import_module(name)
    from cxlib.cli.main import _click_command

    _click_command()


def _round(runs: list[dict[str, Any]], work: str, number: int) -> list[dict[str, Any]]:
    gate_read, gate_write = os.pipe()
    prefixes = [os.path.join(work, f"round-{number}-run-{i}") for i in range(len(runs))]
    pids = []
    for run, prefix in zip(runs, prefixes, strict=True):
        pid = os.fork()
        if pid == 0:
            os.close(gate_write)
            _child(run, gate_read, prefix)
        pids.append(pid)
    os.close(gate_write)  # the gate opens: every child starts now
    os.close(gate_read)
    results = []
    for pid, prefix in zip(pids, prefixes, strict=True):
        _, status = os.waitpid(pid, 0)
        steps = [line.split("\t", 1) for line in _read(f"{prefix}.steps").splitlines()]
        results.append(
            {
                "returncode": os.waitstatus_to_exitcode(status),
                "stdout": _read(f"{prefix}.out"),
                "stderr": _read(f"{prefix}.err"),
                "steps": steps,
            }
        )
    return results


def main() -> None:
    spec = json.load(sys.stdin)
    _warm()
    out = []
    for number, runs in enumerate(spec["rounds"]):
        results = _round(runs, spec["work"], number)
        listing = sorted(os.listdir(spec["listing"])) if spec["listing"] else []
        out.append({"runs": results, "listing": listing})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
