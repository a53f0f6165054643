"""``cxlib stats check ID``: an experiment's recorded result against what its counts say."""

from __future__ import annotations

from dataclasses import dataclass, field

from cxlib.errors import UnknownIdError, UsageError
from cxlib.kb.files import read_document
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.model.checks import check_document
from cxlib.model.choices import id_hint
from cxlib.model.codes import Code
from cxlib.model.documents import Experiment, VariantResult
from cxlib.model.findings import Finding
from cxlib.model.kinds import Kind
from cxlib.model.result_rules import ALPHA
from cxlib.model.stats import Comparison, compare_proportions, srm_p_value
from cxlib.ops.docs import file_ids, normalize_id

# The findings about a result's numbers and its design, which the check repeats.
RESULT_CODES = frozenset(
    {
        Code.OUTCOME_EFFECT,
        Code.INTERVAL_ORDER,
        Code.INTERVAL_EFFECT,
        Code.P_VALUE_INTERVAL,
        Code.NOT_SIGNIFICANT,
        Code.RESULT_TOO_EARLY,
        Code.DECISION_OUTCOME,
        Code.ALLOCATION_SUM,
        Code.RESULT_VARIANT_NAME,
        Code.CONVERSIONS_EXCEED,
        Code.SRM,
    }
)


@dataclass
class StatsCheck:
    id: str
    path: str
    alpha: float
    recorded: dict[str, object]  # outcome, effect, p_value, interval as written
    comparisons: list[Comparison] = field(default_factory=list)
    srm_p_value: float | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # where the record says other than its counts (the recorded treatment: the only one, or
    # the one whose effect the record gives most nearly)
    disagreements: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.findings and not self.disagreements


def stats_check(kb: KnowledgeBase, doc_id: str) -> StatsCheck:
    wanted = normalize_id(doc_id)
    files = file_ids(kb).get(wanted)
    if not files:
        raise UnknownIdError(f"unknown id '{wanted}'", hint=id_hint(wanted, file_ids(kb)))
    f = files[0]
    if f.kind != Kind.EXPERIMENT:
        raise UsageError(f"{wanted} is an {f.kind.value}; stats check reads experiments")
    parsed = parse_bytes(read_document(kb.root, f.path, MAX_FILE_BYTES))
    d = check_document(f.path, f.kind, parsed, kb.config)
    doc = d.doc
    if not isinstance(doc, Experiment):
        raise UsageError(f"{f.path} does not pass the schema; 'cxlib validate {f.path}' says why")
    result = doc.result
    alpha = doc.alpha or ALPHA
    check = StatsCheck(
        id=wanted,
        path=f.path,
        alpha=alpha,
        recorded={
            "outcome": result.outcome.value if result and result.outcome else None,
            "effect": result.effect if result else None,
            "p_value": result.p_value if result else None,
            "interval": result.interval if result else None,
        },
        findings=[x for x in d.findings if x.code in RESULT_CODES],
    )
    counts = {r.name: r for r in (result.variants or [])} if result else {}
    declared = doc.arms()
    # The control first: the declared order when the variants are declared, else the results'.
    order = [a.name for a in declared if a.name in counts] or list(counts)
    _compare(check, [counts[n] for n in order], alpha)
    shares = [a.allocation for a in declared]
    if declared and all(a.allocation is not None and a.name in counts for a in declared):
        check.srm_p_value = srm_p_value(
            [counts[a.name].sample_size for a in declared], [s or 0.0 for s in shares]
        )
    if not counts:
        check.notes.append("no per-variant counts (result.variants): nothing to recompute")
    _disagreements(check, result.effect if result else None, result.p_value if result else None)
    return check


def _disagreements(check: StatsCheck, effect: float | None, p_value: float | None) -> None:
    if not check.comparisons:
        return
    recorded = check.comparisons[0]
    if effect is not None:
        recorded = min(check.comparisons, key=lambda c: abs(c.effect - effect))
        if abs(recorded.effect - effect) > max(0.1, abs(effect) * 0.05):
            check.disagreements.append(
                f"the record says effect {effect:g}%, the counts {recorded.effect:+.2f}%"
            )
    if p_value is not None and (p_value < check.alpha) != recorded.significant:
        said = "significant" if p_value < check.alpha else "not significant"
        check.disagreements.append(
            f"the record says {said} (p {p_value:g}), the counts p = {recorded.p_value:.3g}"
        )


def _compare(check: StatsCheck, rows: list[VariantResult], alpha: float) -> None:
    if len(rows) < 2:
        return
    control, treatments = rows[0], rows[1:]
    each = alpha / len(treatments)  # Bonferroni across the treatments
    for t in treatments:
        if control.conversions is None or t.conversions is None:
            check.notes.append(f"'{t.name}': means without variances cannot be recomputed")
            continue
        c = compare_proportions(
            t.name, (control.sample_size, control.conversions), (t.sample_size, t.conversions), each
        )
        if c is not None:
            check.comparisons.append(c)
