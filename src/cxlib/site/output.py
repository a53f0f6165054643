"""The site's folder: checked before anything is written, and written page by page, each page
only when its bytes changed since the last build (a manifest of page hashes in the folder says
so), so a rebuild after one edit rewrites only the pages that show it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from cxlib.errors import UsageError, WriteFailedError

MANIFEST = ".cxlib-site.json"
FORMAT = 1


def check_output(out: Path, root: Path, kind_folders: list[str]) -> None:
    """Refuse a folder the site must not be written to: a file, a folder of the knowledge base's
    documents, the knowledge base itself or a folder holding it, a folder with other files."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder", hint="name a folder for the site")
    target, base = out.resolve(), root.resolve()
    for folder in kind_folders:
        if target.is_relative_to((base / folder).resolve()):
            raise UsageError(
                f"{out} is inside the document folder {folder}/: the site would mix with the "
                "documents",
                hint="build it beside them, e.g. cxlib site -o _site",
            )
    if base.is_relative_to(target):
        raise UsageError(
            f"{out} holds the knowledge base itself",
            hint="name a folder of its own for the site, e.g. _site",
        )
    if target.is_dir() and not (target / MANIFEST).is_file() and any(target.iterdir()):
        raise UsageError(
            f"{out} is not empty and was not written by cxlib site; nothing was written",
            hint="name an empty or new folder, or remove this one",
        )


class Writer:
    """Writes the pages of one build into ``out``; :meth:`finish` removes the pages of the last
    build that this one no longer has and saves the manifest."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.old = _read_manifest(out)
        self.pages: dict[str, list[str]] = {}  # path -> [hash of bytes, key of inputs]
        self.written: list[str] = []
        self.removed: list[str] = []
        self._folders: set[Path] = set()

    def unchanged(self, rel: str, key: str) -> bool:
        """Whether the page ``rel`` of the last build was built from the same inputs ``key``
        and is still there; it is then kept as it is."""
        old = self.old.get(rel)
        if old is None or old[1] != key or not (self.out / rel).is_file():
            return False
        self.pages[rel] = old
        return True

    def put(self, rel: str, data: bytes, key: str = "") -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.pages[rel] = [digest, key]
        old = self.old.get(rel)
        path = self.out / rel
        if old is not None and old[0] == digest and path.is_file():
            return
        self._write(path, data)
        self.written.append(rel)

    def _write(self, path: Path, data: bytes) -> None:
        folder = path.parent
        try:
            if folder not in self._folders:
                folder.mkdir(parents=True, exist_ok=True)
                self._folders.add(folder)
            temp = path.with_name(f".{path.name}.tmp")
            temp.write_bytes(data)
            os.replace(temp, path)
        except OSError as e:
            raise WriteFailedError(str(path), str(e.strerror or e)) from None

    def finish(self) -> None:
        for rel in sorted(set(self.old) - set(self.pages)):
            with contextlib.suppress(FileNotFoundError):
                (self.out / rel).unlink()
                self.removed.append(rel)
        data = json.dumps({"format": FORMAT, "pages": self.pages}, sort_keys=True, indent=0)
        self._write(self.out / MANIFEST, data.encode())

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _read_manifest(out: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
        pages = data["pages"] if data.get("format") == FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {
        rel: value
        for rel, value in pages.items()
        if isinstance(rel, str)
        and _inside(rel)
        and isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, str) for v in value)
    }


def _inside(rel: str) -> bool:
    """A manifest names files inside the site only: it decides what a build may delete."""
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and ".." not in parts and "\\" not in rel
