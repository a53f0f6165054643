"""An opportunity's evidence factor and its weighted priority, term by term.

The priority is the program's formula of the opportunity's own scores
(:mod:`cxlib.model.scoring`). The evidence factor says how well the evidence backs it:

    factor = 1 + insights + sources + experiments, held within [floor, ceiling]

- *insights*: each insight it rests on that is ``validated`` or ``draft`` adds the weight of
  its standing (``confirmed``, ``supported``, ``emerging``, ``contested``, ``refuted``;
  :mod:`cxlib.model.standing`), times ``draft`` for a draft, times ``due_for_review`` when its
  review date has passed (:mod:`cxlib.model.review_dates`): count, standing and recency;
- *sources*: ``per_source`` for each research source (``source``) of those insights beyond the
  first, at most ``max_sources``: research that several methods agree on;
- *experiments*: ``won`` or ``lost`` for each concluded experiment at the opportunity's stage
  whose primary metric is one of its KPIs, the sum held within ±``max_experiments``: what
  tests on the same ground found.

weighted priority = priority x factor. The weights are ``[scoring.evidence]`` in cxlib.toml.
Every term names the documents and the weight it comes from, so ``report roadmap --explain``
shows a score line by line and a change to it reads as a diff. Pure: the facts in, the terms out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxlib.model.config import EvidenceWeights
from cxlib.model.scoring import NAMED_FORMULAS, VARIABLES

ONE = 1.0  # the factor before any evidence: a neutral multiplier


@dataclass(frozen=True)
class InsightFacts:
    id: str
    status: str  # validated or draft (others add nothing)
    standing: str
    source: str | None
    due: str | None  # why its review is due ("updated + 12 months = 2026-05-06"), or None


@dataclass(frozen=True)
class ExperimentOutcome:
    id: str
    outcome: str  # won, lost, inconclusive ...
    metric: str


@dataclass(frozen=True)
class Term:
    """One line of a breakdown: what it adds, why, which documents it comes from and the
    ``cxlib.toml`` keys of the weights it uses."""

    label: str
    value: float
    detail: str
    documents: tuple[str, ...] = ()
    weights: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": round(self.value, 4),
            "detail": self.detail,
            "documents": list(self.documents),
            "weights": list(self.weights),
        }


@dataclass(frozen=True)
class EvidenceScore:
    factor: float
    terms: tuple[Term, ...]
    clamped: str | None  # "floor" or "ceiling" when the sum was held, else None


def _key(name: str) -> str:
    return f"scoring.evidence.{name}"


def _insight_terms(insights: Sequence[InsightFacts], w: EvidenceWeights) -> list[Term]:
    terms: list[Term] = []
    for i in insights:
        if i.status not in ("validated", "draft"):
            continue
        weight = float(getattr(w, i.standing))
        keys = [_key(i.standing)]
        detail = f"{i.standing} ({i.status}) {weight:+g}"
        value = weight
        if i.status == "draft":
            value *= w.draft
            keys.append(_key("draft"))
            detail += f" x draft {w.draft:g}"
        if i.due is not None:
            value *= w.due_for_review
            keys.append(_key("due_for_review"))
            detail += f" x due for review {w.due_for_review:g} ({i.due})"
        terms.append(Term(f"insight {i.id}", value, detail, (i.id,), tuple(keys)))
    return terms


def _source_term(insights: Sequence[InsightFacts], w: EvidenceWeights) -> Term | None:
    counted = [i for i in insights if i.status in ("validated", "draft")]
    sources = sorted({i.source for i in counted if i.source})
    if not sources:
        return None
    extra = min(max(len(sources) - 1, 0), w.max_sources)
    value = extra * w.per_source
    detail = (
        f"{len(sources)} research source{'s' * (len(sources) != 1)} ({', '.join(sources)}): "
        f"{extra} beyond the first x {w.per_source:g}"
    )
    ids = tuple(i.id for i in counted if i.source)
    return Term("sources", value, detail, ids, (_key("per_source"), _key("max_sources")))


def _experiment_weights(
    experiments: Sequence[ExperimentOutcome], w: EvidenceWeights
) -> tuple[list[float | None], float, float | None]:
    """Each experiment's weight (None: it neither won nor lost), their sum, and the bound the
    sum is held to when it lies beyond it (else None)."""
    weights = [{"won": w.won, "lost": w.lost}.get(e.outcome) for e in experiments]
    total = sum(0.0 if x is None else x for x in weights)
    bound = w.max_experiments
    if abs(total) <= bound + 1e-12:
        return weights, total, None
    return weights, total, bound if total > 0 else -bound


def _experiment_terms(
    experiments: Sequence[ExperimentOutcome],
    weights: list[float | None],
    total: float,
    held: float | None,
) -> list[Term]:
    """A line per experiment, and a correction line when the sum is held within the bound."""
    terms: list[Term] = []
    for e, weight in zip(experiments, weights, strict=True):
        if weight is None:
            terms.append(Term(f"experiment {e.id}", 0.0, f"{e.outcome} on {e.metric}", (e.id,)))
        else:
            detail = f"{e.outcome} on {e.metric} {weight:+g}"
            terms.append(Term(f"experiment {e.id}", weight, detail, (e.id,), (_key(e.outcome),)))
    if held is not None:
        detail = f"the experiments add {total:+g}, held to {held:+g}"
        terms.append(Term("experiments held", held - total, detail, (), (_key("max_experiments"),)))
    return terms


def evidence_score(
    insights: Sequence[InsightFacts],
    experiments: Sequence[ExperimentOutcome],
    w: EvidenceWeights,
    explain: bool = True,
) -> EvidenceScore:
    """The factor and its terms (insights in the order the opportunity lists them, then the
    sources, then the experiments by id). Without ``explain`` the terms are left out: an
    opportunity may have hundreds of experiments on its ground, and only the breakdown
    names them."""
    terms = _insight_terms(insights, w)
    source = _source_term(insights, w)
    if source is not None:
        terms.append(source)
    weights, total, held = _experiment_weights(experiments, w)
    # Summed in the order of the terms, each experiment's and the correction's alike, so the
    # factor is the same to the last bit with or without them.
    values = [t.value for t in terms] + [0.0 if x is None else x for x in weights]
    if held is not None:
        values.append(held - total)
    if explain:
        terms += _experiment_terms(experiments, weights, total, held)
    raw = ONE + sum(values)
    factor = min(max(raw, w.floor), w.ceiling)
    clamped = None if factor == raw else ("floor" if raw < w.floor else "ceiling")
    return EvidenceScore(round(factor, 4), tuple(terms) if explain else (), clamped)


def explain_priority(formula: str, values: Mapping[str, float], assumed: Sequence[str]) -> str:
    """The formula with each score's value beside its name: ``(customer_value 4 +
    business_value 4) / effort 2``; a score taken by default says so."""
    source = NAMED_FORMULAS.get(formula, formula)
    names = "|".join(VARIABLES)

    def value(m: re.Match[str]) -> str:
        name = m.group(0)
        shown = f"{values[name]:g}"
        return f"{name} {shown}" + (" (assumed)" if name in assumed else "")

    return re.sub(rf"\b({names})\b", value, source)
