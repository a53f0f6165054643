"""The three kinds of document and how users may name them."""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    INSIGHT = "insight"
    OPPORTUNITY = "opportunity"
    EXPERIMENT = "experiment"

    @property
    def plural(self) -> str:
        return {"insight": "insights", "opportunity": "opportunities", "experiment": "experiments"}[
            self.value
        ]


_ALIASES = (
    {k.value: k for k in Kind}
    | {k.plural: k for k in Kind}
    | {
        "ins": Kind.INSIGHT,
        "opp": Kind.OPPORTUNITY,
        "exp": Kind.EXPERIMENT,
    }
)


def parse_kind(text: str) -> Kind | None:
    """Return the kind named by ``text`` (singular, plural or short form), or None."""
    return _ALIASES.get(text.strip().lower())


KIND_NAMES = ", ".join(k.value for k in Kind)
