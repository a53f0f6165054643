"""The whoosh backend: build, update and read an index folder. Only this module touches whoosh's
index files; whatever whoosh raises while reading them becomes IndexDamagedError.

whoosh unpickles the index's table of contents and its stored fields, so this module must only be
given folders cxlib made (the service checks that first).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from cxlib.index import backend  # noqa: F401  (first: how whoosh loads; see there)

# isort: split
# What opening an index loads on first use: loaded with this module, so that a caller
# overlapping the loading with other work (service.load_backend) overlaps all of it.
import whoosh.codec.whoosh3
import whoosh.searching  # noqa: F401
from whoosh import highlight, index, query

from cxlib.index.errors import IndexDamagedError
from cxlib.index.records import Record
from cxlib.index.results import END, START, Hit, Snippet
from cxlib.index.schema import make_schema, to_fields
from cxlib.index.snippets import Snippets
from cxlib.workers import die_with_parent

# Weights of the fields "more like this" draws key terms from: the title says most.
SIMILAR_FIELDS = {"title": 3.0, "hypothesis": 2.0, "body": 1.0}
# How many key terms each field gives (whoosh's default is 5): more terms match more documents
# and cost more to score (10,000 generated documents: 8/10/20 terms 2.1 s, 5/6/10 terms 0.8 s),
# with the same nearest documents on the example base.
SIMILAR_TERMS = {"title": 5, "hypothesis": 6, "body": 10}
WHOOSH_LOCK_SECONDS = 2.0  # cxlib's own lock is held already; this only guards against surprises
# A segment is written as its own files, not packed into one compound file: whoosh reads a
# compound file by copying each part into memory, which cost every search 25-45 ms on 10,000
# documents; separate files open in under 1 ms.
WRITER_OPTIONS: dict[str, Any] = {"compound": False}


def backend_files(folder: Path) -> dict[str, int]:
    """whoosh's committed files in ``folder`` and their sizes: the table of contents
    (``_MAIN_<generation>.toc``) and the segments (``MAIN_<id>.*``); not the lock, the manifest
    or a table of contents still being written (``_MAIN_<generation>.toc.<time>``)."""
    out: dict[str, int] = {}
    with os.scandir(folder) as entries:
        for e in entries:
            name = e.name
            ours = name.startswith(("MAIN_", "_MAIN_")) and not name.endswith("WRITELOCK")
            if ours and ".toc." not in name and e.is_file(follow_symlinks=False):
                out[name] = e.stat(follow_symlinks=False).st_size
    return out


def build(
    folder: Path,
    records: Iterable[Record],
    procs: int = 1,
    limitmb: int = 128,
    custom: Mapping[str, str] | None = None,
) -> None:
    """Create a new index in the empty ``folder`` holding ``records`` (``custom``: the declared
    fields it has, name to type).

    With ``procs`` > 1, whoosh's multiprocessing writer: each worker writes its own segment
    (merging them again would cost as much as it saves). Its workers are forked and share the
    documents through files, so other start methods fall back to one process; they die with this
    process and never hold its lock.
    """
    import multiprocessing

    ix = index.create_in(str(folder), make_schema(custom))
    options: dict[str, Any] = {"limitmb": limitmb, **WRITER_OPTIONS}
    if procs > 1 and multiprocessing.get_start_method() == "fork":
        options.update(procs=procs, multisegment=True)
    # The workers are forked while documents are added, and wait on a queue for more: killed,
    # this process must take them along.
    with die_with_parent():
        writer = ix.writer(**options)
        try:
            for record in records:
                writer.add_document(**to_fields(record))
        except BaseException:
            # whoosh's cancel() does not reach the workers, which would wait for work forever.
            for task in getattr(writer, "tasks", []):
                task.terminate()
                task.join()
            writer.cancel()
            raise
        writer.commit()


def update(
    folder: Path,
    removed: Iterable[str],
    records: Iterable[Record],
    custom: Mapping[str, str] | None = None,
) -> None:
    """Delete documents by path and add or replace others, in one commit."""
    try:
        ix = index.open_dir(str(folder), schema=make_schema(custom))
        writer = ix.writer(timeout=WHOOSH_LOCK_SECONDS, **WRITER_OPTIONS)
    except Exception as e:  # whoosh raises what its file readers raise
        raise IndexDamagedError(f"{type(e).__name__}: {e}") from e
    try:
        for path in removed:
            writer.delete_by_term("path", path)
        for record in records:
            writer.update_document(**to_fields(record))
    except BaseException as e:
        writer.cancel()
        if isinstance(e, Exception) and not isinstance(e, OSError):
            raise IndexDamagedError(f"{type(e).__name__}: {e}") from e
        raise
    writer.commit()


class _Marks(highlight.Formatter):  # type: ignore[misc]
    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{START}{highlight.get_text(text, token, replace)}{END}"


def highlighting(results: Any) -> Any:
    """whoosh ``results`` set to mark matches as snippets show them: passages of up to 120
    characters around the matches, with 40 characters of context."""
    results.formatter = _Marks()
    results.fragmenter = highlight.ContextFragmenter(maxchars=120, surround=40)
    return results


def _release(error: BaseException) -> None:
    """Close the files whoosh opened for a segment it then failed to read: only the frames of
    ``error``'s traceback hold them, and they would stay open while the error is handled."""
    import traceback  # only for a damaged index: a search does not load it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        traceback.clear_frames(error.__traceback__)


def _hit(fields: Mapping[str, Any], score: float) -> Hit:
    return Hit(
        path=fields.get("path", ""),
        id=fields.get("id", ""),
        kind=fields.get("kind", ""),
        title=fields.get("title", ""),
        status=fields.get("status", ""),
        outcome=fields.get("outcome", ""),
        score=round(float(score), 3),
    )


class Reader:
    """A read-only view of one committed state of the index; use as a context manager."""

    def __init__(self, folder: Path, custom: Mapping[str, str] | None = None) -> None:
        try:
            self._ix = index.open_dir(str(folder), readonly=True, schema=make_schema(custom))
            self._searcher = self._ix.searcher()
        except Exception as e:
            _release(e)
            raise IndexDamagedError(f"{type(e).__name__}: {e}") from e

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._searcher.close()

    def count(self) -> int:
        return int(self._searcher.doc_count())

    def paths_of(self, doc_id: str) -> list[str]:
        """Paths of the documents with this id (several when the id is duplicated)."""
        try:
            found = self._searcher.documents(id=doc_id.lower())
            return sorted(fields["path"] for fields in found)
        except Exception as e:
            raise IndexDamagedError(f"{type(e).__name__}: {e}") from e

    def search(
        self,
        q: query.Query,
        limit: int,
        kind: str | None = None,
        text_of: Callable[[str], str] | None = None,
    ) -> list[Hit]:
        """The best ``limit`` hits, with a snippet of ``text_of(path)`` around the matches."""
        try:
            results = self._searcher.search(
                q, limit=limit, filter=query.Term("kind", kind) if kind else None, terms=True
            )
            snippets = Snippets(highlighting(results), "body", top=2)
            hits = []
            for found in results:
                hit = _hit(found.fields(), found.score)
                text = text_of(hit.path) if text_of else ""
                marked = snippets.of(found, text) if text else ""
                hit.snippet = Snippet.from_marked(marked) if marked else _opening(text)
                hits.append(hit)
            return hits
        except Exception as e:
            raise IndexDamagedError(f"{type(e).__name__}: {e}") from e

    def similar(
        self, texts: Mapping[str, str], limit: int, exclude: Iterable[str] = ()
    ) -> list[Hit]:
        """Documents most like ``texts`` (title, hypothesis, body): whoosh's key terms of each
        field, weighted by the field, searched together ("more like this" over several fields)."""
        try:
            terms = []
            for name, weight in SIMILAR_FIELDS.items():
                text = texts.get(name, "")
                if not text.strip():
                    continue
                for word, score in self._searcher.key_terms_from_text(
                    name, text, numterms=SIMILAR_TERMS[name], normalize=True
                ):
                    terms.append(query.Term(name, word, boost=score * weight))
            if not terms:
                return []
            masked = [query.Term("path", p) for p in exclude]
            results = self._searcher.search(
                query.Or(terms), limit=limit, mask=query.Or(masked) if masked else None
            )
            return [_hit(found.fields(), found.score) for found in results]
        except Exception as e:
            raise IndexDamagedError(f"{type(e).__name__}: {e}") from e


def _opening(text: str, length: int = 160) -> Snippet:
    words = " ".join(text.split())
    if len(words) > length:
        words = words[:length].rsplit(" ", 1)[0] + " …"
    return Snippet(words)
