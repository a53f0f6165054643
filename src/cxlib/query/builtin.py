"""The built-in fields of each kind, as a table: every dotted path of the kind's model, in model
order, to whether it holds dates (:data:`~cxlib.query.fields.DATE`).

Queries and export read it on every run; building it from the models would import pydantic and
the models (about 250 ms of a 10,000-document export), so it is written out here, and
``tests/test_query.py`` fails when it no longer says what the models say (regenerate it with
:func:`cxlib.query.fields.fields_of_model`).
"""

from __future__ import annotations

from cxlib.model.kinds import Kind

DATE = "date"
VALUE = "value"

# The fields every kind's model starts with (the common document fields, then its status).
_EVERY_KIND = {
    "id": VALUE,
    "title": VALUE,
    "owner": VALUE,
    "team": VALUE,
    "created": DATE,
    "updated": DATE,
    "tags": VALUE,
    "stage": VALUE,
    "touchpoint": VALUE,
    "anonymized": VALUE,
    "visibility": VALUE,
    "source_ref": VALUE,
    "status": VALUE,
}

MODEL_FIELDS: dict[Kind, dict[str, str]] = {
    Kind.INSIGHT: {
        **_EVERY_KIND,
        "type": VALUE,
        "source": VALUE,
        "evidence": VALUE,
        "counter_evidence": VALUE,
        "confidence": VALUE,
        "segments": VALUE,
        "review_by": DATE,
    },
    Kind.OPPORTUNITY: {
        **_EVERY_KIND,
        "insights": VALUE,
        "customer_value": VALUE,
        "business_value": VALUE,
        "effort": VALUE,
        "reach": VALUE,
        "confidence": VALUE,
        "hypothesis": VALUE,
        "kpis": VALUE,
        "review_by": DATE,
        "cycle": VALUE,
        "target": DATE,
    },
    Kind.EXPERIMENT: {
        **_EVERY_KIND,
        "opportunity": VALUE,
        "insights": VALUE,
        "follows": VALUE,
        "hypothesis": VALUE,
        "primary_metric": VALUE,
        "guardrail_metrics": VALUE,
        "audience": VALUE,
        "variants": VALUE,
        "variants.name": VALUE,
        "variants.allocation": VALUE,
        "variants.screenshot": VALUE,
        "start": DATE,
        "end": DATE,
        "planned_end": DATE,
        "planned_days": VALUE,
        "baseline": VALUE,
        "mde": VALUE,
        "alpha": VALUE,
        "power": VALUE,
        "planned_sample_size": VALUE,
        "decision_rule": VALUE,
        "decision_rule.ship_if": VALUE,
        "decision_rule.text": VALUE,
        "amendments": VALUE,
        "amendments.date": DATE,
        "amendments.field": VALUE,
        "amendments.reason": VALUE,
        "result": VALUE,
        "result.variants": VALUE,
        "result.variants.name": VALUE,
        "result.variants.sample_size": VALUE,
        "result.variants.conversions": VALUE,
        "result.variants.mean": VALUE,
        "result.outcome": VALUE,
        "result.effect": VALUE,
        "result.p_value": VALUE,
        "result.interval": VALUE,
        "result.sample_size": VALUE,
        "result.interval_level": VALUE,
        "result.chance_to_win": VALUE,
        "result.guardrails": VALUE,
        "result.guardrails.metric": VALUE,
        "result.guardrails.status": VALUE,
        "result.guardrails.effect": VALUE,
        "decision": VALUE,
        "decision_rationale": VALUE,
    },
}
