"""The commits that recorded experiments' decisions, for ``report decisions``.

For each experiment asked about: one path-limited ``git log`` (following renames) and its
versions through the session's one ``cat-file`` process, newest first, for as long as
``decision`` has the value it has on disk; the oldest of those commits recorded it. A decision
that differs from HEAD's is not committed yet.
"""

from __future__ import annotations

from pathlib import Path

from cxlib.kb import git

Recorded = tuple[str, str, str]  # commit id, author date (ISO), author


def decision_commits(
    root: Path, wanted: dict[str, tuple[str, str | None]]
) -> tuple[dict[str, Recorded | None], str | None]:
    """By id, the commit that recorded the decision (None: not committed yet), for ``wanted``:
    id -> (path, the decision on disk); or no answer and why history cannot be read."""
    head, why = git.head_state(root)
    if head is None:
        return {}, why
    from cxlib.kb.parse import parse_bytes

    out: dict[str, Recorded | None] = {}
    with git.session(root) as g:
        for doc_id, (path, decision) in wanted.items():
            found: Recorded | None = None
            for c in g.file_log(path):
                ch = next((x for x in c.changes if x.new_blob), None)
                if ch is None or ch.new_blob is None:
                    break
                data = parse_bytes(g.blob(ch.new_blob)).data
                if data is None or _text(data.get("decision")) != decision:
                    break
                found = (c.sha, c.date, c.author)
            out[doc_id] = found
    return out, None


def _text(value: object) -> str | None:
    return None if value is None else str(value)
