"""Expected failures of the search index, as the user should read them."""

from __future__ import annotations

from cxlib.errors import CxError


class IndexBusyError(CxError):
    """Another process held the writer lock for longer than we were willing to wait."""


class IndexRefusedError(CxError):
    """The index folder is not one cxlib may open (behind a symlink)."""


class IndexWriteError(CxError):
    """The index (or its lock) cannot be written: no space left, a read-only or damaged cache
    folder. The documents are untouched; only searching is unavailable."""


class InvalidQueryError(CxError):
    """The query names an unknown field, a bad date or an unknown value."""


class IndexDamagedError(Exception):
    """The backend could not read its files; the caller rebuilds (never shown to the user)."""
