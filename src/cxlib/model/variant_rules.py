"""An experiment's variants against their design: allocations that add up, result counts
named after the declared variants and possible, and the sample-ratio mismatch check every
serious experimentation platform runs (a split that is not the planned one means the
assignment is broken, and the result cannot be trusted)."""

from __future__ import annotations

from cxlib.model.codes import Code
from cxlib.model.documents import Experiment
from cxlib.model.findings import Finding, error
from cxlib.model.library import LoadedDoc

SRM_ALPHA = 0.001  # the threshold platforms use: a false alarm once in a thousand tests


def check_variants(d: LoadedDoc) -> list[Finding]:
    doc = d.doc
    if not isinstance(doc, Experiment):
        return []
    arms = doc.arms()
    out: list[Finding] = []
    shares = [a.allocation for a in arms]
    given = [s for s in shares if s is not None]
    if given and (len(given) != len(shares) or abs(sum(given) - 100) > 0.01):
        out.append(
            error(
                Code.ALLOCATION_SUM,
                d.path,
                "variant allocations must be given for every variant and add up to 100 "
                f"(they add up to {sum(given):g} over {len(given)} of {len(shares)})",
                line=d.parsed.line_of("variants"),
                field="variants",
            )
        )
    results = doc.result.variants if doc.result and doc.result.variants else []
    names = [a.name for a in arms]
    for i, r in enumerate(results):
        where = f"result.variants.{i}"
        if names and r.name not in names:
            out.append(
                error(
                    Code.RESULT_VARIANT_NAME,
                    d.path,
                    f"result variant '{r.name}' is not one of the variants ({', '.join(names)})",
                    line=d.parsed.line_of(f"{where}.name"),
                    field=f"{where}.name",
                )
            )
        if r.conversions is not None and r.conversions > r.sample_size:
            out.append(
                error(
                    Code.CONVERSIONS_EXCEED,
                    d.path,
                    f"'{r.name}' has {r.conversions:,} conversions from {r.sample_size:,} visitors",
                    line=d.parsed.line_of(f"{where}.conversions"),
                    field=f"{where}.conversions",
                )
            )
    if not out:
        out += _srm(d, doc)
    return out


def _srm(d: LoadedDoc, doc: Experiment) -> list[Finding]:
    from cxlib.model.stats import srm_p_value

    arms = doc.arms()
    counts = {r.name: r.sample_size for r in (doc.result.variants or [])} if doc.result else {}
    if not arms or any(a.allocation is None or a.name not in counts for a in arms):
        return []
    observed = [counts[a.name] for a in arms]
    p = srm_p_value(observed, [a.allocation or 0.0 for a in arms])
    if p is None or p >= SRM_ALPHA:
        return []
    split = " / ".join(f"{o:,}" for o in observed)
    planned = " / ".join(f"{a.allocation:g}%" for a in arms)
    return [
        error(
            Code.SRM,
            d.path,
            f"sample-ratio mismatch: {split} visitors against a planned {planned} "
            f"(chi-square p = {p:.2g} < {SRM_ALPHA:g})",
            line=d.parsed.line_of("result.variants"),
            field="result.variants",
        )
    ]
