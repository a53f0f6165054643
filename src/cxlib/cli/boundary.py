"""The one place where what went wrong becomes a message and an exit code, never a traceback:
for commands run through typer (:mod:`cxlib.cli.main`) and for the hook's validate, run without
it (:mod:`cxlib.cli.early`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from cxlib import cachefile
from cxlib.cli.output import Output
from cxlib.errors import CxError, ExitCode


def guarded(output: Output, call: Callable[[], int]) -> int:
    """``call``'s exit code; an expected error is printed with its hint, an interruption and a
    reader gone away are no errors, and anything else is reported as the bug it is."""
    try:
        code = call()
    except CxError as e:
        output.error(e.message, e.hint)
        code = int(e.exit_code)
    except KeyboardInterrupt:
        output.note("interrupted")
        code = int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (``cxlib list | head``); that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = int(ExitCode.OK)
    except Exception as e:  # the one place a bug is turned into a short message
        if os.environ.get("CXLIB_DEBUG"):
            raise
        output.error(
            f"internal error: {type(e).__name__}: {e}",
            "this is a bug in cxlib; rerun with CXLIB_DEBUG=1 for the traceback and report it",
        )
        code = int(ExitCode.BUG)
    problem = cachefile.take_problem()
    if problem is not None:
        output.note(f"working without cxlib's cache, which cannot be used: {problem}")
    return code
