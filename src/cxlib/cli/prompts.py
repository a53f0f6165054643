"""Asking in a terminal, with questionary (on prompt_toolkit): the interactive ``new``.

Imported only when a terminal is there to answer: questionary and prompt_toolkit take about
220 ms to import, which ``cxlib --help`` and every scripted command must not pay. An answer the
question refuses (:meth:`cxlib.ops.new_questions.Question.check`) is not accepted: the reason
shows under the prompt and the same prompt waits for a better answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind
from cxlib.ops.new_questions import Answer, Question, fields_to_ask, question


def ask_new(
    config: ProgramConfig,
    kind: Kind,
    given: Mapping[str, object],
    defaults: Mapping[str, str],
) -> dict[str, object]:
    """Ask the kind's questions not already ``given``, in order; the answers by field (None for
    one left empty). Ctrl-C or Ctrl-D at a prompt raises KeyboardInterrupt."""
    known: dict[str, Answer] = {
        k: v for k, v in given.items() if isinstance(v, str | int) or v is None
    }
    answers: dict[str, object] = {}
    for field in fields_to_ask(kind, given):
        q = question(kind, field, config, known, defaults.get(field, ""))
        if q is None:
            continue
        value = q.value(ask(q))
        known[field] = answers[field] = value
    return answers


def ask(q: Question) -> str:
    """One question, asked until its answer passes ``q.check``; the text typed."""
    import questionary

    def validate(text: str) -> bool | str:
        return q.check(text) or True

    if q.form == "choice":
        prompt = questionary.autocomplete(
            q.prompt + " [Tab: choices]",
            choices=list(q.choices),
            default=q.default,
            validate=validate,
            match_middle=True,
        )
    else:
        prompt = questionary.text(q.prompt, default=q.default, validate=validate)
    try:
        answer = prompt.unsafe_ask()
    except EOFError:  # Ctrl-D: the user is leaving, as with Ctrl-C
        raise KeyboardInterrupt from None
    if answer is None:
        raise KeyboardInterrupt
    return str(answer)
