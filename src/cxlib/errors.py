"""Expected failures and the process exit codes they map to.

Anything that is not a :class:`CxError` reaching the CLI boundary is a bug.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    BUG = 3
    INTERRUPTED = 130


class CxError(Exception):
    """An expected failure: a message written for the user, and a hint on what to do."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotAKnowledgeBaseError(CxError):
    """No ``cxlib.toml`` was found walking up from the starting folder."""


class ConfigError(CxError):
    """``cxlib.toml`` is missing a key, has a bad value, or is not valid TOML."""


class UsageError(CxError):
    """The command line asked for something that cannot be done."""


class UnknownIdError(UsageError):
    """An id given on the command line names no document."""


class GitError(CxError):
    """git is missing, refuses the repository, or a git command failed."""


class WriteRefusedError(CxError):
    """A write was refused to protect the user's files."""


class NotAGitRepositoryError(GitError):
    """A command that reads git history was run outside a git repository."""


class RefError(GitError):
    """A ref given on the command line is invalid, missing, or not available in this clone."""


class WriteFailedError(WriteRefusedError):
    """The operating system refused a write (disk full, permissions); that file is as it was."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"cannot write {name}: {reason}; the file was not changed")
        self.name = name
        self.reason = reason


class UnfinishedChangeError(WriteRefusedError):
    """A change to several files stopped midway (a failed write, Ctrl-C); its journal remains."""

    def __init__(self, message: str, hint: str, interrupted: bool = False) -> None:
        super().__init__(message, hint)
        if interrupted:
            self.exit_code = ExitCode.INTERRUPTED
