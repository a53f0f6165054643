"""The whoosh schema, and a record turned into the fields whoosh indexes.

Text is analysed with English stemming (Snowball/porter2: ``shipping`` and ``shipped`` both
become ``ship``, which whoosh's older porter stemmer does not do), and a document id in prose
(``EXP-0003``, ``[[EXP-0003]]``) stays one word rather than ``exp`` and ``0003``, which would
match every text that mentions some EXP and some 0003. Ids and enumerations are exact,
case-insensitive keywords. Only what a result line shows is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cxlib.index import backend  # noqa: F401  (first: how whoosh loads; see there)

# isort: split
from whoosh import fields
from whoosh.analysis import IDAnalyzer, StandardAnalyzer, StemmingAnalyzer
from whoosh.lang.porter2 import stem

from cxlib.index.records import DATE_FIELDS, Record

# Fields a query names, in the order the README documents them.
KEYWORD_FIELDS = (
    "id",
    "kind",
    "status",
    "outcome",
    "decision",
    "stage",
    "touchpoint",
    "team",
    "type",
    "source",
    "primary",
    "metric",
    "tag",
    "segment",
    "link",
)
TEXT_FIELDS = ("title", "hypothesis", "body", "owner")
DEFAULT_FIELDS = ("title", "hypothesis", "body", "id", "link", "tag")
STORED = ("path", "id", "kind", "title", "status", "outcome")
# An id, else whoosh's default word pattern.
WORDS = r"[A-Za-z][A-Za-z0-9]{0,9}-[0-9]{1,9}\b|\w+(\.?\w+)*"


def make_schema(custom: Mapping[str, str] | None = None) -> fields.Schema:
    """The schema, with a field for each of ``custom`` (cxlib.toml's declared fields, name to
    type: see :meth:`cxlib.model.config.ProgramConfig.field_types`)."""
    text = StemmingAnalyzer(expression=WORDS, stemfn=stem)
    exact = IDAnalyzer(lowercase=True)

    def keyword() -> fields.ID:
        return fields.ID(analyzer=exact)

    def keywords() -> fields.KEYWORD:
        return fields.KEYWORD(lowercase=True, commas=True)

    schema = fields.Schema(
        path=fields.ID(stored=True, unique=True),
        id=fields.ID(stored=True, analyzer=exact),
        kind=fields.ID(stored=True, analyzer=exact),
        title=fields.TEXT(stored=True, analyzer=text, field_boost=2.0),
        hypothesis=fields.TEXT(analyzer=text),
        body=fields.TEXT(analyzer=text),
        owner=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None)),
        status=fields.ID(stored=True, analyzer=exact),
        outcome=fields.ID(stored=True, analyzer=exact),
        decision=keyword(),
        stage=keyword(),
        touchpoint=keyword(),
        team=keyword(),
        type=keyword(),
        source=keyword(),
        primary=keyword(),
        metric=keywords(),
        tag=keywords(),
        segment=keywords(),
        link=keywords(),
        created=fields.DATETIME(),
        updated=fields.DATETIME(),
        start=fields.DATETIME(),
        end=fields.DATETIME(),
    )
    # By type: text is words, a value of a list is a keyword, numbers compare as numbers.
    made = {
        "text": lambda: fields.TEXT(analyzer=text),
        "number": lambda: fields.NUMERIC(float, bits=64),
        "integer": lambda: fields.NUMERIC(int, bits=64),
        "date": fields.DATETIME,
        "boolean": keyword,
        "one-of": keyword,
        "list": keywords,
    }
    for name, kind in (custom or {}).items():
        schema.add(name, made[kind]())
    return schema


def to_fields(record: Record) -> dict[str, Any]:
    """The keyword arguments of ``writer.add_document`` for a record; empty values left out."""
    values: dict[str, Any] = {
        "path": record.path,
        "id": record.id,
        "kind": record.kind,
        "title": record.title,
        "hypothesis": record.hypothesis,
        "body": record.body,
        "owner": record.owner,
        "status": record.status,
        "outcome": record.outcome,
        "decision": record.decision,
        "stage": record.stage,
        "touchpoint": record.touchpoint,
        "team": record.team,
        "type": record.type,
        "source": record.source,
        "primary": record.primary,
        # Commas separate keywords, so a comma inside one value must not split it.
        "metric": ",".join(v.replace(",", " ") for v in record.metrics),
        "tag": ",".join(v.replace(",", " ") for v in record.tags),
        "segment": ",".join(v.replace(",", " ") for v in record.segments),
        "link": ",".join(record.links),
    }
    out = {k: v for k, v in values.items() if v or k in STORED}
    for name in DATE_FIELDS:
        day = record.dates.get(name)
        if day is not None:
            out[name] = dt.datetime(day.year, day.month, day.day)
    for name, value in record.custom.items():
        out[name] = _custom_value(value)
    return out


def _custom_value(value: str | float | bool | dt.date | list[str]) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(v.replace(",", " ") for v in value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value
