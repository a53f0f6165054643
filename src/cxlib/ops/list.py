"""``cxlib list``: documents of a kind, filtered, as rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cxlib.kb.store import KnowledgeBase
from cxlib.model.documents import Experiment, Opportunity
from cxlib.model.kinds import Kind
from cxlib.model.scoring import compile_formula, priority
from cxlib.ops.loading import load_checked


@dataclass
class Filters:
    status: str | None = None
    stage: str | None = None
    owner: str | None = None
    tag: str | None = None


def list_documents(kb: KnowledgeBase, kind: Kind | None, filters: Filters) -> list[dict[str, Any]]:
    """Rows for every valid document matching the filters (invalid files are left to validate)."""
    library, _ = load_checked(kb)
    formula = compile_formula(kb.config.scoring.formula)
    rows: list[dict[str, Any]] = []
    for d in library.docs:
        doc = d.doc
        if doc is None or (kind is not None and d.kind != kind):
            continue
        status = doc.status.value  # type: ignore[attr-defined]
        if filters.status and status != filters.status:
            continue
        if filters.stage and doc.stage != filters.stage:
            continue
        if filters.owner and filters.owner.lower() not in (doc.owner or "").lower():
            continue
        if filters.tag and filters.tag not in doc.tags:
            continue
        row: dict[str, Any] = {
            "id": doc.id,
            "kind": d.kind.value,
            "title": doc.title,
            "status": status,
            "owner": doc.owner or "",
            "stage": doc.stage or "",
            "created": doc.created.isoformat(),
        }
        if isinstance(doc, Experiment):
            row["outcome"] = doc.result.outcome.value if doc.result and doc.result.outcome else ""
        if isinstance(doc, Opportunity):
            row["priority"] = priority(
                formula,
                doc.customer_value,
                doc.business_value,
                doc.effort,
                doc.reach,
                doc.confidence.value if doc.confidence else None,
            )
        row["path"] = d.path
        rows.append(row)
    rows.sort(key=lambda r: (r["kind"], r["id"]))
    return rows
