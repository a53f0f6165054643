"""The personal-data guard: what the detectors (:mod:`cxlib.model.personal_data`) find in a
document's whole text — front-matter values and body — as findings, unless the document says
``anonymized: true``.

A finding names the line, the column, the field and the kind of data, never the value: the
output of ``validate`` lands in terminals, CI logs and pull-request comments, which must not
spread what the guard is there to stop.
"""

from __future__ import annotations

from cxlib.model.codes import Code
from cxlib.model.config import PrivacySettings, ProgramConfig
from cxlib.model.findings import Finding, error, warning
from cxlib.model.library import LoadedDoc
from cxlib.model.personal_data import DataKind, Match, Scanner
from cxlib.model.source import ParsedFile

CODES = {
    DataKind.EMAIL: Code.PERSONAL_EMAIL,
    DataKind.PHONE: Code.PERSONAL_PHONE,
    DataKind.IBAN: Code.PERSONAL_IBAN,
    DataKind.CARD: Code.PERSONAL_CARD,
    DataKind.ADDRESS: Code.PERSONAL_ADDRESS,
    DataKind.NAME: Code.PERSONAL_NAME,
}
# Errors, so the pre-commit hook refuses them before they enter history: what a checksum
# confirms, what has one unmistakable form, and what the program listed itself. The phone and
# address patterns are heuristics: warnings.
ERRORS = frozenset({DataKind.EMAIL, DataKind.IBAN, DataKind.CARD, DataKind.NAME})
# Past this many places of one kind in one document, the last finding counts the rest.
SHOWN_PER_KIND = 10

_scanners: dict[int, tuple[PrivacySettings, Scanner]] = {}


def check_personal_data(d: LoadedDoc, config: ProgramConfig) -> list[Finding]:
    """Personal data in ``d``'s text, one finding per place (see :data:`SHOWN_PER_KIND`)."""
    parsed = d.parsed
    if parsed.text is None or parsed.data is None or _anonymized(d):
        return []
    matches = _scanner(config.privacy).scan(parsed.text)
    by_kind: dict[DataKind, list[Match]] = {}
    for m in matches:
        by_kind.setdefault(m.kind, []).append(m)
    out: list[Finding] = []
    for kind, places in by_kind.items():
        for n, m in enumerate(places[:SHOWN_PER_KIND], start=1):
            field = _field_at(parsed, m)
            where = "the body" if field == "body" else f"'{field}'"
            message = f"personal data: {kind.label} in {where}"
            if n == SHOWN_PER_KIND and len(places) > n:
                message += f" (and {len(places) - n} more further on)"
            make = error if kind in ERRORS else warning
            out.append(
                make(
                    CODES[kind],
                    d.path,
                    message,
                    line=m.line,
                    column=m.column,
                    field=field,
                    hint=CODES[kind].rule.hint,
                )
            )
    return out


def _anonymized(d: LoadedDoc) -> bool:
    if d.doc is not None:
        return d.doc.anonymized
    # The schema refused the document for another reason: only a plain 'true' counts.
    return (d.parsed.data or {}).get("anonymized") is True


def _scanner(privacy: PrivacySettings) -> Scanner:
    """One scanner per config (its lists made tuples once, not once per document)."""
    known = _scanners.get(id(privacy))
    if known is None or known[0] is not privacy:
        _scanners.clear()
        known = (privacy, Scanner(deny=tuple(privacy.deny), allow=tuple(privacy.allow)))
        _scanners[id(privacy)] = known
    return known[1]


def _field_at(parsed: ParsedFile, m: Match) -> str:
    """The front-matter key (path) whose value holds the place, or "body"."""
    if m.line >= parsed.body_start:
        return "body"
    best, at = "front-matter", (0, 0)
    for path in parsed.locations:
        loc = parsed.locations[path]
        if at <= (loc.line, loc.column) <= (m.line, m.column):
            best, at = path, (loc.line, loc.column)
    return best
