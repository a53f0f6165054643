"""What the experimentation platforms' readers share: metric ids through ``[import.metrics]``,
traffic shares as variants, and statuses the library's vocabulary has."""

from __future__ import annotations

from typing import Any

from cxlib.importers.records import Batch, Incoming, SourceOptions, text_of

# The fields a platform owns on the experiments it imports: --update may rewrite them.
OWNED = (
    "status",
    "tags",
    "hypothesis",
    "primary_metric",
    "guardrail_metrics",
    "variants",
    "start",
    "end",
    "result",
    "decision",
)


def metric(options: SourceOptions, batch: Batch, ref: str, platform_id: Any) -> str | None:
    """The catalog metric a platform's metric id maps to; an unmapped one is reported."""
    if not isinstance(platform_id, str) or not platform_id:
        return None
    mapped = options.config.imports.metrics.get(platform_id)
    if mapped is None or options.config.metric(mapped) is None:
        batch.unmapped(text_of(platform_id, 200), ref)
        return None
    return mapped


def variants(names: list[str], shares: list[float] | None) -> list[Any]:
    """Variant records (the control first); allocations in percent that add up to 100 when the
    platform gave every share."""
    if shares is None or len(shares) != len(names) or sum(shares) <= 0:
        return [{"name": n} for n in names]
    total = sum(shares)
    allocations = [round(100 * s / total, 2) for s in shares]
    allocations[-1] = round(100 - sum(allocations[:-1]), 2)
    return [{"name": n, "allocation": a} for n, a in zip(names, allocations, strict=True)]


def names(values: list[Any], limit: int = 200) -> list[str]:
    """Variant names, each non-empty and unique (a repeated name gets its position)."""
    out: list[str] = []
    for i, value in enumerate(values, 1):
        name = text_of(value, limit) or f"variant {i}"
        out.append(name if name not in out else f"{name} ({i})")
    return out


def tags(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    out = [text_of(v, 64) for v in values if isinstance(v, str)]
    return list(dict.fromkeys(t for t in out if t))


def tags_and_hypothesis(inc: Incoming, exp: dict[str, Any]) -> None:
    """The tags and the hypothesis (a field, and the body's section) of a platform's experiment,
    where both platforms name them alike."""
    inc.fields["tags"] = tags(exp.get("tags"))
    hypothesis = text_of(exp.get("hypothesis"), 2000)
    if hypothesis:
        inc.fields["hypothesis"] = hypothesis
        inc.sections["Hypothesis"] = hypothesis


def unknown_status(inc: Incoming, status: Any) -> None:
    inc.fields["status"] = "draft"
    inc.notes.append(f"unknown status {text_of(status, 40)!r}: imported as a draft")
