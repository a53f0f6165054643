"""What the interactive ``cxlib new`` asks for each kind, and how an answer is checked.

The questions are what a kind's first statuses need (the lifecycle's requirements table: an
opportunity past ``idea`` needs an owner and its scores, an experiment that runs needs a
hypothesis and a primary metric) plus the insight's research facts that the template would
otherwise fill with a default nobody chose. Choices come from ``cxlib.toml`` and the enums; a
wrong answer gets a reason and a "did you mean", so the prompt can ask again. No terminal here:
the CLI asks (:mod:`cxlib.cli.prompts`), this module decides what and checks the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from cxlib.model.choices import closest
from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import Confidence, InsightType, Source

Answer = str | int | None
Form = Literal["choice", "text", "score", "person"]

SCORE_MIN, SCORE_MAX = 1, 5
MAX_TEXT = 2000  # a hypothesis is a sentence or two, not a body

# The fields asked, in order, by kind. ``touchpoint`` is asked only when the stage has some.
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.INSIGHT: ("stage", "touchpoint", "type", "source", "confidence", "owner", "team"),
    Kind.OPPORTUNITY: (
        "stage",
        "touchpoint",
        "owner",
        "team",
        "customer_value",
        "business_value",
        "effort",
    ),
    Kind.EXPERIMENT: ("hypothesis", "primary_metric", "stage", "touchpoint", "owner", "team"),
}

_LABELS = {
    "stage": "Journey stage",
    "touchpoint": "Touchpoint",
    "type": "Type of insight",
    "source": "Research source",
    "confidence": "Confidence",
    "owner": "Owner (the one accountable person)",
    "team": "Team",
    "customer_value": "Customer value (1-5)",
    "business_value": "Business value (1-5)",
    "effort": "Effort (1-5, 5 = most work)",
    "hypothesis": "Hypothesis (We believe that CHANGE for AUDIENCE will cause EFFECT)",
    "primary_metric": "Primary metric",
}
_NAMES = {  # how a message names the field
    "type": "type of insight",
    "source": "research source",
    "primary_metric": "metric",
    "customer_value": "score",
    "business_value": "score",
    "effort": "score",
}
# Asked with no empty answer: the template would put a value nobody chose.
_REQUIRED = {"owner", "type", "source", "confidence"}


@dataclass(frozen=True)
class Question:
    field: str
    label: str
    form: Form
    choices: tuple[str, ...] = ()
    required: bool = False
    default: str = ""

    @property
    def prompt(self) -> str:
        return self.label + ("" if self.required else " (empty: none yet)")

    def check(self, text: str) -> str | None:
        """Why ``text`` is no answer (with a "did you mean" for a near miss), or None."""
        text = text.strip()
        name = _NAMES.get(self.field, self.field)
        if not text:
            if self.form == "person":
                return "an owner is needed: the one person accountable for it"
            return f"choose a {name}: {', '.join(self.choices)}" if self.required else None
        if self.form == "choice" and _match(text, self.choices) is None:
            guess = closest(text, self.choices)
            if guess:  # the whole list is one Tab away; a long one would hide the guess
                return f"'{text}' is not a {name}: did you mean {guess}?"
            return f"'{text}' is not a {name}: known: {', '.join(self.choices)}"
        if self.form == "score" and _score(text) is None:
            return f"a score is a whole number from {SCORE_MIN} to {SCORE_MAX} (got '{text}')"
        if len(text) > MAX_TEXT:
            return f"at most {MAX_TEXT} characters ({len(text)} given)"
        return None

    def value(self, text: str) -> Answer:
        """The checked answer as the document holds it (None for an empty one)."""
        text = text.strip()
        if self.check(text) is not None:
            raise ValueError(f"{self.field}: {text!r} is not a valid answer")
        if not text:
            return None
        if self.form == "choice":
            return _match(text, self.choices)
        if self.form == "score":
            return _score(text)
        return " ".join(text.split())


def _match(text: str, choices: tuple[str, ...]) -> str | None:
    lowered = {c.lower(): c for c in choices}
    return lowered.get(text.lower())


def _score(text: str) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    n = int(text)
    return n if SCORE_MIN <= n <= SCORE_MAX else None


def question(
    kind: Kind, field: str, config: ProgramConfig, answers: Mapping[str, Answer], default: str = ""
) -> Question | None:
    """The question for ``field`` given the answers so far, or None when there is nothing to
    ask (no teams configured, a stage without touchpoints)."""
    label = _LABELS[field]
    required = field in _REQUIRED
    choices: tuple[str, ...] = ()
    form: Form = "choice"
    if field == "stage":
        choices = tuple(s.id for s in config.journey)
    elif field == "touchpoint":
        stage = config.stage(str(answers.get("stage") or ""))
        choices = tuple(stage.touchpoints) if stage is not None else ()
    elif field == "team":
        choices = tuple(t.id for t in config.teams)
    elif field == "primary_metric":
        choices = tuple(m.id for m in config.metrics)
    elif field in ("type", "source", "confidence"):
        enum = {"type": InsightType, "source": Source, "confidence": Confidence}[field]
        choices = tuple(e.value for e in enum)
    elif field in ("customer_value", "business_value", "effort"):
        form = "score"
    elif field == "owner":
        form = "person"
    else:
        form = "text"
    if form == "choice" and not choices:
        return None
    return Question(field, label, form, choices, required, default)


def fields_to_ask(kind: Kind, given: Mapping[str, object]) -> list[str]:
    """The kind's questions less the fields already given (options, ``--set``)."""
    return [f for f in FIELDS[kind] if given.get(f) is None]
