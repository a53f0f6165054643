"""Reading the files a user saved from another tool: bounded, UTF-8, and named in every error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxlib.errors import UsageError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # a saved page of 100 experiments is well under 1 MiB


class ImportInputError(UsageError):
    """A file given to ``cxlib import`` that cannot be read as its source's format."""


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    try:
        if not path.is_file():
            raise ImportInputError(f"{path}: not a file", hint="give the files you saved")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as e:
        raise ImportInputError(f"{path}: cannot read: {e.strerror or e}") from None
    if len(data) > limit:
        raise ImportInputError(f"{path}: larger than {limit // (1024 * 1024)} MiB; not read")
    return data


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportInputError(f"{path}: not valid UTF-8 at byte {e.start}") from None


def read_json(path: Path) -> Any:
    """A JSON file; numbers that are no JSON (NaN, Infinity) are refused, as cxlib's output
    never writes them."""

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number JSON allows")

    text = read_text(path)
    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as e:
        raise ImportInputError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    except (ValueError, RecursionError) as e:
        raise ImportInputError(f"{path}: invalid JSON: {e}") from None
