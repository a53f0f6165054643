"""``cxlib report``: load the knowledge base once and hand it to a pure report."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlsplit

from cxlib.errors import UsageError
from cxlib.kb.files import DocFile, listed_while
from cxlib.kb.store import KnowledgeBase
from cxlib.kb.tuning import collector_paused
from cxlib.model.kinds import Kind
from cxlib.reports.registry import SPECS, Options, Spec

if TYPE_CHECKING:
    from cxlib.reports.blocks import Rendered
    from cxlib.reports.snapshot import Snapshot

View = Literal["json", "blocks"]


def snapshot(
    kb: KnowledgeBase,
    today: dt.date,
    kinds: Collection[Kind] | None = None,
    listed: list[DocFile] | None = None,
) -> Snapshot:
    """The valid documents of the base (of ``kinds``, when given), as every report reads them;
    ``listed``: the base's files, when the caller listed them already."""
    from cxlib.ops.loading import load_models
    from cxlib.reports.snapshot import take

    library = load_models(kb, kinds, listed)  # reports read models, not rule findings
    return take(library, kb.config, today)


@overload
def report_view(
    kb: KnowledgeBase, name: str, today: dt.date, options: Options, view: Literal["json"]
) -> dict[str, Any]: ...
@overload
def report_view(
    kb: KnowledgeBase, name: str, today: dt.date, options: Options, view: Literal["blocks"]
) -> Rendered: ...
def report_view(
    kb: KnowledgeBase, name: str, today: dt.date, options: Options, view: View
) -> dict[str, Any] | Rendered:
    """Report ``name`` ready to print: its result as JSON data (``view`` "json", what
    ``--format json`` prints) or its display blocks ("blocks").

    While no document and not cxlib.toml changed (nor HEAD, for a report that reads git
    history), the answer given last time to the same request is given again
    (:mod:`cxlib.kb.answers`); a fresh one goes through the same JSON form
    (:func:`cxlib.reports.blocks.rendered_to_json`), so both print the same."""
    from cxlib.kb import answers

    check_options(kb, options)
    spec = _spec(name)
    listed_ns = time.time_ns()
    files, _ = kb.files()  # perhaps listed ahead by the command line
    read = kb.config_digest
    if spec.reads_history(options):
        from cxlib.kb.git import head_state

        head, why = head_state(kb.root)  # a commit changes no document
        read += f":head={head or why}"
    # The files of the kinds it reads: an edited insight leaves the experiments' answers be.
    read_files = [f for f in files if spec.kinds is None or f.kind in spec.kinds]
    base = answers.digest(read_files, read)
    request = json.dumps([view, today.isoformat(), asdict(options)], default=str)
    shown = _shown(answers.answer(kb.root, name, base, request), view)
    if shown is not None:
        return shown
    result = _computed(kb, spec, today, options, files)
    if view == "json":
        from cxlib.reports.registry import to_json

        value = to_json(name, result, options)
    else:
        from cxlib.reports.blocks import rendered_to_json

        value = rendered_to_json(spec.render(result, options))
    answers.record(kb.root, name, base, request, value, read_files, listed_ns)
    shown = _shown(value, view)
    assert shown is not None
    return shown


def _shown(value: Any, view: View) -> dict[str, Any] | Rendered | None:
    """An answer in the form ``view`` prints; None when it has not that form (a damaged kept
    one, which is computed over)."""
    if not isinstance(value, dict):
        return None
    if view == "json":
        return value
    from cxlib.reports.blocks import rendered_from_json

    try:
        return rendered_from_json(value)
    except ValueError:
        return None


def run_report(kb: KnowledgeBase, name: str, today: dt.date, options: Options) -> Any:
    """The result dataclass of report ``name`` (see :data:`cxlib.reports.registry.SPECS`),
    over the documents the options' filters keep.

    The files are listed in a child process while the report's modules load (see
    :func:`listed_while`): on a large base both take about as long."""
    check_options(kb, options)
    files, spec = listed_while(kb.root, kb.config, lambda: _loaded_spec(name))
    return _computed(kb, spec, today, options, list(files))


def _computed(
    kb: KnowledgeBase, spec: Spec, today: dt.date, options: Options, files: list[DocFile]
) -> Any:
    snap = snapshot(kb, today, spec.kinds, files)
    if spec.texts:
        from cxlib.reports.snapshot import with_texts

        with_texts(snap, reader(kb.root))
    result = spec.compute(snap, options)
    if spec.reads_history(options):
        assert spec.history is not None
        result = getattr(spec.module, spec.history)(result, _HISTORY[spec.name](kb, result))
    return result


def _spec(name: str) -> Spec:
    spec = SPECS.get(name)
    if spec is None:
        raise UsageError(f"unknown report {name!r}", hint=f"reports: {', '.join(SPECS)}")
    return spec


def _loaded_spec(name: str) -> Spec:
    """Report ``name``'s spec, with its module and what loading the base needs imported."""
    spec = _spec(name)
    import cxlib.ops.loading  # noqa: F401  (imported here, while the child lists the files)

    assert spec.module is not None
    return spec


def check_options(kb: KnowledgeBase, options: Options) -> None:
    """A team, stage or metric the config does not know is a usage error naming the known
    ones (a typo would otherwise give an empty report that looks like a real one)."""
    config = kb.config
    checks = (
        ("team", options.team, [t.id for t in config.teams]),
        ("stage", options.stage, [s.id for s in config.journey]),
        ("metric", options.metric, [m.id for m in config.metrics]),
    )
    for what, given, known in checks:
        if given is not None and given not in known:
            raise UsageError(
                f"unknown {what} {given!r}",
                hint=f"{what}s in cxlib.toml: {', '.join(known) or 'none'}",
            )
    if options.by is not None and options.by not in ("stage", "metric"):
        raise UsageError(f"--by {options.by!r}: group by stage or metric", hint="--by metric")


def reader(root: Path) -> Callable[[str], str | None]:
    """Reads a document's text by its path in the base; None when it is gone or unreadable
    (it was loaded a moment before: a report then quotes no learnings for it)."""

    def read(path: str) -> str | None:
        try:
            return (root / path).read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:
            return None

    return read


def _git_changes(kb: KnowledgeBase, result: Any) -> Any:
    """What git saw added or changed since the digest's date (``--git``)."""
    from cxlib.errors import CxError
    from cxlib.kb.history import document_history
    from cxlib.model.ids import id_from_filename
    from cxlib.reports.digest import GitChanges, Touched

    since = dt.date.fromisoformat(result.since)
    try:
        histories = document_history(kb.root, kb.config, require_git=True)
    except CxError as e:
        return GitChanges(unavailable=e.message)
    touched: list[Touched] = []
    for path, h in sorted(histories.items()):
        if h.changed_date < since:
            continue
        doc_id = id_from_filename(path.rsplit("/", 1)[-1]) or path
        change = "added" if h.created_date >= since else "changed"
        touched.append(Touched(doc_id, path, change, h.changed[:10], h.changed_by))
    return GitChanges(touched)


def _decision_log(kb: KnowledgeBase, result: Any) -> Any:
    """The commits that recorded the linked decisions of ``report decisions``."""
    from cxlib.kb.decision_log import decision_commits
    from cxlib.model.ids import id_from_filename
    from cxlib.reports.decisions import DecisionLog, Recorded

    rows = result.linked()
    if not rows:
        return DecisionLog()
    files, _ = kb.files([Kind.EXPERIMENT])
    paths = {id_from_filename(f.path.rsplit("/", 1)[-1]): f.path for f in files}
    wanted = {r.id: (paths[r.id], r.decision) for r in rows if r.id in paths}
    found, why = decision_commits(kb.root, wanted)
    if why is not None:
        return DecisionLog(unavailable=why)
    return DecisionLog(
        {
            doc_id: None if c is None else Recorded(c[0][:7], c[1][:10], c[2])
            for doc_id, c in found.items()
        }
    )


_HISTORY: dict[str, Callable[[KnowledgeBase, Any], Any]] = {
    "decisions": _decision_log,
    "digest": _git_changes,
}


@dataclass
class HtmlReport:
    text: str
    path: Path | None  # None when written to stdout
    skipped: int


# A scheme is what comes before the first ':' when no '/', '?' or '#' comes earlier (RFC 3986).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SITE_URL_HINT = (
    "give the address of the site 'cxlib site' built: an http(s) URL "
    "(--site-url https://cx.example.com/library) or a path relative to the report "
    "(--site-url _site)"
)


def site_base(url: str) -> str:
    """``url`` checked as the root of a published site: an http(s) URL with a host, or a
    relative path. A page's links are followed by whoever opens it, so anything else — a
    ``javascript:`` or ``data:`` URL, another scheme, a host without a scheme (``//host``, or
    ``\\host``, which browsers read the same) — is refused, not rewritten."""

    def refuse(why: str) -> UsageError:
        return UsageError(f"--site-url {url!r} {why}", hint=_SITE_URL_HINT)

    if not url:
        raise refuse("is empty")
    if any(not ch.isprintable() or ch.isspace() or ch in "\\\"'<>`" for ch in url):
        raise refuse("holds a space, a quote, a backslash or a control character")
    if "?" in url or "#" in url:
        raise refuse("has a query or a fragment; the document pages are found under it")
    scheme = _SCHEME.match(url)
    if scheme is None:
        if url.startswith("//"):
            raise refuse("names a host without a scheme; write https:// before it")
        return url
    if scheme[1].lower() not in ("http", "https"):
        raise refuse(f"uses the {scheme[1]}: scheme; only http(s) URLs and paths are linked")
    if not urlsplit(url).hostname:
        raise refuse("names no host")
    return url


def html_report(
    kb: KnowledgeBase,
    today: dt.date,
    version: str,
    output: Path | None,
    site_url: str | None = None,
) -> HtmlReport:
    """The HTML page; written to ``output`` (replacing only an earlier report) unless None.
    With ``site_url``, every document id links to its page on the site ``cxlib site`` built."""
    from cxlib.kb.output_file import write_generated
    from cxlib.reports.html import GENERATOR, page
    from cxlib.reports.snapshot import with_texts

    base = None if site_url is None else site_base(site_url)
    with collector_paused():  # the loaded base lives until the page is built
        snap = with_texts(snapshot(kb, today), reader(kb.root))
        text = page(snap, version, base)
    if output is not None:
        marker = f'<meta name="generator" content="{GENERATOR} '.encode()
        write_generated(output, text.encode("utf-8"), marker)
    return HtmlReport(text, output, len(snap.skipped))
