"""Findings: what validation reports about a file, as data.

Plain frozen dataclasses, no pydantic: the pre-commit hook reads them from the cache on every
run, and importing pydantic alone costs it more than its own work."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any

from cxlib.model.codes import Code, Scope


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem in one file, located at a 1-based line (0 when it concerns the whole file)."""

    code: str
    severity: Severity
    path: str
    line: int = 0
    column: int = 0
    field: str | None = None
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"severity": self.severity.value}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Finding:
        """A finding written by :meth:`to_json` (a cache's own data, trusted as such)."""
        return cls(**{**raw, "severity": Severity(raw["severity"])})

    @property
    def scope(self) -> str:
        """What the finding depends on (:class:`cxlib.model.codes.Scope`): only single-file
        findings may be cached with their file."""
        try:
            return Code(self.code).rule.scope
        except ValueError:
            return Scope.FILE

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def error(code: str, path: str, message: str, line: int = 0, **kw: Any) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, path=path, line=line, message=message, **kw)


def warning(code: str, path: str, message: str, line: int = 0, **kw: Any) -> Finding:
    return Finding(
        code=code, severity=Severity.WARNING, path=path, line=line, message=message, **kw
    )
