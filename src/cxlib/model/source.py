"""What a document file says, as plain data: front-matter values with their lines, body facts,
and the problems met while reading it. Produced by :mod:`cxlib.kb.parse`, cached as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# Every number in front-matter is below this in size: real values (scores, sample sizes, effects
# in percent) are far inside it, a sum over a whole library stays finite, and JSON readers that
# hold numbers as doubles read each one exactly.
NUMBER_DIGITS = 15
NUMBER_LIMIT = 10**NUMBER_DIGITS


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


@dataclass(frozen=True)
class ParsedFile:
    """What a file says, built once by :func:`cxlib.kb.parse.parse_bytes` (or read back from a
    cache) and never changed."""

    data: dict[str, Any] | None = None
    locations: Mapping[str, Scalar] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    wiki_links: list[tuple[str, int]] = field(default_factory=list)
    # Targets of the body's markdown links and images, with their lines (URLs included).
    file_links: list[tuple[str, int]] = field(default_factory=list)
    body_start: int = 0
    problems: list[Problem] = field(default_factory=list)
    # The whole text as read (LF line endings), for the checks that read prose: set by the
    # parser, carried to the process that checks the file, never written to a cache (a parse
    # read back from one has None, and a file to be checked is parsed again).
    text: str | None = field(default=None, repr=False, compare=False)

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

    def to_json(self, tag_dates: bool = True) -> dict[str, Any]:
        """A compact form for the cache (short keys, locations as one string: see
        :func:`pack_locations`); JSON when ``tag_dates``, else plain values, the text and the
        locations as lists included, for pickling between processes."""
        between_processes = {} if tag_dates else {"t": self.text}
        return between_processes | parse_json(
            data=to_jsonable(self.data) if tag_dates else self.data,
            locations=pack_locations(self.locations)
            if tag_dates
            else _location_lists(self.locations),
            sections={k: [v.title, v.line, v.has_content] for k, v in self.sections.items()},
            wiki_links=self.wiki_links,
            file_links=self.file_links,
            body_start=self.body_start,
            problems=[[p.code, p.message, p.line, p.column, p.hint] for p in self.problems],
        )

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ParsedFile:
        """Rebuild from :meth:`to_json` output decoded with ``object_hook=json_object_hook``."""
        return cls(
            data=raw["d"],
            locations=LocationMap(raw["l"]),
            sections={k: Section(*v) for k, v in raw["s"].items()},
            wiki_links=[(a, b) for a, b in raw["w"]],
            file_links=[(a, b) for a, b in raw["f"]],
            body_start=raw["b"],
            problems=[Problem(*p) for p in raw["p"]],
            text=raw.get("t"),
        )


def parse_json(
    *,
    data: Any,
    locations: str | dict[str, list[Any]],
    sections: dict[str, list[Any]],
    wiki_links: list[tuple[str, int]],
    file_links: list[tuple[str, int]],
    body_start: int,
    problems: list[list[Any]],
) -> dict[str, Any]:
    """The compact JSON form of a parse that :meth:`ParsedFile.from_json` reads (short keys),
    from its parts already in JSON form: the one place its layout is written."""
    return {
        "d": data,
        "l": locations,
        "s": sections,
        "w": wiki_links,
        "f": file_links,
        "b": body_start,
        "p": problems,
    }


def _location_lists(locations: Mapping[str, Scalar]) -> dict[str, list[Any]]:
    return {
        k: [v.line, v.column] if v.plain_text is None else [v.line, v.column, v.plain_text]
        for k, v in locations.items()
    }


def pack_locations(locations: Mapping[str, Scalar]) -> str | dict[str, list[Any]]:
    """Locations as one string of ``key TAB line TAB column [TAB plain text]`` lines.

    A report reads every cached parse and almost never a location: as one JSON string they cost
    the decoder one value instead of ~30 small lists (reading the parse cache took 40% less).
    A key or text holding a tab or a line break keeps the list form."""
    if isinstance(locations, LocationMap) and locations.packed is not None:
        return locations.packed  # read from a cache and never looked at: written back as read
    lines = []
    for k, v in locations.items():
        plain = v.plain_text
        if "\t" in k or "\n" in k or (plain is not None and ("\t" in plain or "\n" in plain)):
            return _location_lists(locations)
        line = f"{k}\t{v.line}\t{v.column}"
        lines.append(line if plain is None else f"{line}\t{plain}")
    return "\n".join(lines)


def _unpack_locations(packed: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for line in packed.split("\n") if packed else ():
        key, *rest = line.split("\t")
        try:
            out[key] = [int(rest[0]), int(rest[1]), *rest[2:3]]
        except (IndexError, ValueError):
            continue  # a damaged cache: the key falls back to its parent's line
    return out


class LocationMap(Mapping[str, Scalar]):
    """Locations read from the cache, turned into :class:`Scalar` objects only when looked up.

    A warm run touches a handful of the ~25 locations per document, and a report none; building
    them all is what made reading the cache slow. A read-only mapping (not a ``dict``), so
    every way of reading it — ``m[k]``, ``get``, ``items``, ``dict(m)`` — gives the same
    Scalars. A packed string (:func:`pack_locations`) is split on first use.
    """

    def __init__(self, raw: dict[str, Any] | str) -> None:
        self.packed = raw if isinstance(raw, str) else None
        # A copy: the raw lists belong to the cache's decoded shard, which may be written back.
        self._lists: dict[str, Any] | None = None if isinstance(raw, str) else dict(raw)

    @property
    def _raw(self) -> dict[str, Any]:
        if self._lists is None:
            self._lists = _unpack_locations(self.packed or "")
        return self._lists

    def __getitem__(self, key: str) -> Scalar:
        raw = self._raw
        value = raw[key]
        if isinstance(value, list):
            value = raw[key] = Scalar(*value)
        return value  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw


_AS_THEY_ARE = (str, int, float, bool, type(None))


def to_jsonable(value: Any) -> Any:
    """Front-matter values as JSON; dates are tagged so :func:`json_object_hook` restores them,
    and a user's own one-key ``{"$...": ...}`` mapping is wrapped so it is never mistaken."""
    if type(value) in _AS_THEY_ARE:
        return value  # most values (checked first: a cold run converts every skeleton)
    if isinstance(value, dict):
        out = {k: to_jsonable(v) for k, v in value.items()}
        if len(out) == 1 and next(iter(out)).startswith("$"):
            # As pairs, so the decoder's bottom-up hook never reads the user's key as a tag.
            return {"$dict": [[k, v] for k, v in out.items()]}
        return out
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    return json_default(value) if isinstance(value, (dt.date, bytes)) else value


def json_default(value: Any) -> Any:
    """For ``json.dumps(default=...)``: the tags of :func:`to_jsonable` for dates and bytes."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def json_object_hook(value: dict[str, Any]) -> Any:
    """For ``json.loads``: restore what :func:`to_jsonable` tagged (in C-driven decoding, much
    faster than walking the decoded values again)."""
    if len(value) == 1:
        try:
            if "$date" in value:
                return dt.date.fromisoformat(value["$date"])
            if "$datetime" in value:
                return dt.datetime.fromisoformat(value["$datetime"])
            if "$bytes" in value:
                return bytes.fromhex(value["$bytes"])
        except (TypeError, ValueError):
            return value
        if "$dict" in value and isinstance(value["$dict"], list):
            return {k: v for k, v in value["$dict"]}
    return value
