"""Findings: what validation reports about a file, as data."""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel, ConfigDict

from cxlib.model.codes import Code, Scope


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Finding(BaseModel):
    """One problem in one file, located at a 1-based line (0 when it concerns the whole file)."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    path: str
    line: int = 0
    column: int = 0
    field: str | None = None
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

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
