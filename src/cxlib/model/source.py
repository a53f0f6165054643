"""What a document file says, as plain data: front-matter values with their lines, body facts,
and the problems met while reading it. Produced by :mod:`cxlib.kb.parse`, cached as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Scalar:
    """Where a key starts (1-based), and the source text of its value when that was unquoted."""

    line: int
    column: int
    plain_text: str | None = None


@dataclass
class Problem:
    code: str
    message: str
    line: int = 0
    column: int = 0
    hint: str | None = None


@dataclass
class Section:
    title: str
    line: int
    has_content: bool


@dataclass
class ParsedFile:
    data: dict[str, Any] | None = None
    locations: dict[str, Scalar] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    wiki_links: list[tuple[str, int]] = field(default_factory=list)
    body_start: int = 0
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: str) -> int:
        """The file line of a front-matter key path, falling back to its nearest parent."""
        while path:
            loc = self.locations.get(path)
            if loc is not None:
                return loc.line
            path = path.rpartition(".")[0]
        return 1

    def section(self, title: str) -> Section | None:
        return self.sections.get(title.lower())

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["data"] = to_jsonable(self.data)
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ParsedFile:
        return cls(
            data=from_jsonable(raw["data"]),
            locations={k: Scalar(**v) for k, v in raw["locations"].items()},
            sections={k: Section(**v) for k, v in raw["sections"].items()},
            wiki_links=[(a, b) for a, b in raw["wiki_links"]],
            body_start=raw["body_start"],
            problems=[Problem(**p) for p in raw["problems"]],
        )


def to_jsonable(value: Any) -> Any:
    """Front-matter values as JSON (dates tagged so :func:`from_jsonable` restores them)."""
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    return value


def from_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            if "$date" in value:
                return dt.date.fromisoformat(value["$date"])
            if "$datetime" in value:
                return dt.datetime.fromisoformat(value["$datetime"])
            if "$bytes" in value:
                return bytes.fromhex(value["$bytes"])
        return {k: from_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_jsonable(v) for v in value]
    return value
