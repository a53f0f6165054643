"""The single-file checks as one entry point: a parsed document and the config in, findings out.

Reading files is the knowledge base's business (:mod:`cxlib.kb`); what the rules say about a
document is decided here, so the same checks serve validate, the edit commands' guard, review
and ``new``.
"""

from __future__ import annotations

from cxlib.model.config import ProgramConfig
from cxlib.model.custom_fields import check_custom_fields, declared_requirements
from cxlib.model.findings import Finding, error
from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc
from cxlib.model.privacy_rules import check_personal_data
from cxlib.model.result_rules import check_result
from cxlib.model.rules import check_identity, check_lifecycle, check_references
from cxlib.model.schema_check import check_schema
from cxlib.model.source import ParsedFile
from cxlib.model.variant_rules import check_variants


def check_document(
    path: str, kind: Kind, parsed: ParsedFile, config: ProgramConfig, strict: bool = False
) -> LoadedDoc:
    """Single-file checks: parse problems, schema, identity, config references, lifecycle,
    personal data."""
    if parsed.problems or parsed.data is None:
        problems = [
            error(p.code, path, p.message, line=p.line, column=p.column, hint=p.hint)
            for p in parsed.problems
        ]
        return LoadedDoc(path=path, kind=kind, parsed=parsed, findings=problems)
    declared = config.custom_fields(kind)
    doc, findings = check_schema(path, kind, parsed, strict, declared)
    # The rules read the document they add to: its findings list is filled here, its one
    # place of building, before anyone else sees it.
    d = LoadedDoc(path=path, kind=kind, parsed=parsed, doc=doc, findings=findings)
    findings += check_identity(d, config)
    findings += check_references(d, config)
    if declared:
        findings += check_custom_fields(path, kind, parsed, config)
    findings += check_lifecycle(d, declared_requirements(config, kind) if declared else ())
    findings += check_result(d, config)
    findings += check_variants(d)
    findings += _amendments(d)
    findings += check_personal_data(d, config)
    return d


def _amendments(d: LoadedDoc) -> list[Finding]:
    from cxlib.model.documents import Experiment
    from cxlib.model.prereg import check_amendments

    doc = d.doc
    if not isinstance(doc, Experiment) or not doc.amendments:
        return []
    return check_amendments(d.path, doc.amendments, doc.planned_stop(), d.parsed.line_of)
