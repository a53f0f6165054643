"""Refusing an edit whose result the rules forbid, before anything is written.

The would-be file is checked exactly as ``validate`` would check it (schema, identity, config
references, lifecycle, and links against the whole library). Problems the document already had
do not block an edit; new ones do, each explained.
"""

from __future__ import annotations

from cxlib.errors import WriteRefusedError
from cxlib.kb.parse import parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.model.checks import check_document
from cxlib.model.codes import Code
from cxlib.model.findings import Finding, Severity
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.library_rules import check_library


def _fix(code: str) -> str | None:
    """The cxlib command that fixes a finding, from the rule table."""
    try:
        return Code(code).rule.fix
    except ValueError:
        return None


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def _key(f: Finding) -> tuple[str, str | None, str]:
    return (f.code, f.field, f.message)


def check_change(
    kb: KnowledgeBase, library: Library, d: LoadedDoc, after: bytes, what: str
) -> LoadedDoc:
    """Raise when ``after`` (the new bytes of ``d``) breaks a rule ``d`` did not break."""
    new = check_document(d.path, d.kind, parse_bytes(after), kb.config)
    old = check_document(d.path, d.kind, d.parsed, kb.config)
    # Cross-file rules about d concern only the documents sharing its id or named by its links.
    named = {d.id} | {link.target for x in (old, new) for link in x.links()}
    others = [x for x in library.docs if x is not d and x.id in named]
    before = _errors(old.findings) + _errors(check_library([*others, old], kb.config, {d.path}))
    now = _errors(new.findings) + _errors(check_library([*others, new], kb.config, {d.path}))
    known = {_key(f) for f in before}
    fresh = [f for f in now if _key(f) not in known]
    if fresh:
        lines = "\n".join(f"  - {f.message}" for f in fresh)
        hints = []
        for f in fresh:
            hint = _fix(f.code) or f.hint
            if hint and hint not in hints:
                hints.append(hint.replace(" ID ", f" {d.id} "))
        raise WriteRefusedError(
            f"{d.id} {what} would break the rules; nothing was written:\n{lines}",
            hint="\n".join(hints) if hints else None,
        )
    return new
