"""The structured form of a pre-declared decision rule: ``ship_if`` conditions joined by ``and``
and ``or`` (``and`` binds tighter), e.g. ``significant-win and guardrails-ok``.

Only the grammar lives here (the schema checks it as it reads a document); what each condition
means for a result is decided by :mod:`cxlib.model.result_rules`, which evaluates the rule.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

# What each condition asks of the experiment's result.
CONDITIONS: dict[str, str] = {
    "significant-win": "the outcome is won and significant at the experiment's alpha",
    "win": "the outcome is won",
    "not-lost": "the outcome is neither lost nor invalid",
    "guardrails-ok": "every guardrail metric has a result and none is breached",
}


def parse(rule: str) -> list[list[str]]:
    """The rule as alternatives of conjunctions: ``a and b or c`` is ``[[a, b], [c]]``.
    Raises ValueError naming the word it cannot read."""
    words = rule.split()
    out: list[list[str]] = [[]]
    expect_term = True
    for word in words:
        if expect_term:
            if word not in CONDITIONS:
                raise ValueError(
                    f"unknown condition '{word}' (conditions: {', '.join(CONDITIONS)}, "
                    "joined by 'and' / 'or')"
                )
            out[-1].append(word)
        elif word == "or":
            out.append([])
        elif word != "and":
            raise ValueError(f"expected 'and' or 'or' before '{word}'")
        expect_term = not expect_term
    if expect_term:
        raise ValueError("the rule ends without a condition" if words else "the rule is empty")
    return out


def _checked(rule: str) -> str:
    parse(rule)
    return rule


ShipIf = Annotated[str, Field(max_length=500), AfterValidator(_checked)]
