"""The typed links between documents: which front-matter field holds each relation, and what it
means in the feedback loop (research → insight → opportunity → experiment → learning → insight).

A link is stored once, on the later document of the loop, in the field its two kinds determine
(:data:`cxlib.model.documents.LINK_FIELDS`). Read in the loop's direction it runs the other way:
an opportunity lists the insights it rests on, so each of those insights *feeds* the opportunity.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.model.kinds import Kind

MENTION = "mentions"  # a [[ID]] link in a body; it has no direction in the loop
MENTIONED = "mentioned by"


@dataclass(frozen=True)
class Relation:
    source: Kind  # the kind whose front-matter stores the link
    field: str
    target: Kind
    single: bool  # one id (experiment.opportunity), else a list of ids
    flow: str  # the label read in the loop's direction: target --flow--> source
    names: tuple[str, ...]  # what --rel accepts for it
    stored: str = ""  # the label read from the document that stores it: source --stored--> target

    def describe(self) -> str:
        return f"{self.source.value}.{self.field} -> {self.target.value}"


RELATIONS: tuple[Relation, ...] = (
    Relation(Kind.OPPORTUNITY, "insights", Kind.INSIGHT, False, "feeds", ("insights",), "rests on"),
    Relation(
        Kind.EXPERIMENT,
        "opportunity",
        Kind.OPPORTUNITY,
        True,
        "tested by",
        ("opportunity",),
        "tests",
    ),
    Relation(
        Kind.EXPERIMENT, "insights", Kind.INSIGHT, False, "inspires", ("insights",), "inspired by"
    ),
    Relation(
        Kind.EXPERIMENT,
        "follows",
        Kind.EXPERIMENT,
        False,
        "followed up by",
        ("follows", "follow-up", "follows-up"),
        "follows up",
    ),
    Relation(
        Kind.INSIGHT,
        "evidence",
        Kind.EXPERIMENT,
        False,
        "supports",
        ("evidence", "supports"),
        "supported by",
    ),
    Relation(
        Kind.INSIGHT,
        "counter_evidence",
        Kind.EXPERIMENT,
        False,
        "contradicts",
        ("counter_evidence", "counter-evidence", "contradicts"),
        "contradicted by",
    ),
)


def link_words(source: Kind, field: str, outgoing: bool) -> str:
    """How a link reads from one of its two documents: from the one that stores it
    (``outgoing``: an experiment *tests* its opportunity) or from the other (the opportunity is
    *tested by* the experiment); a body mention *mentions*, or is *mentioned by*."""
    relation = relation_of(source, field)
    if relation is None:
        return MENTION if outgoing else MENTIONED
    return relation.stored if outgoing else relation.flow


def relation_of(source: Kind, field: str) -> Relation | None:
    """The relation a link field of ``source`` stands for."""
    return next((r for r in RELATIONS if r.source == source and r.field == field), None)


def relations_between(source: Kind, target: Kind) -> list[Relation]:
    """The relations a ``source`` document may store towards a ``target`` document; the first is
    the default (for an insight pointing at an experiment: evidence, i.e. the experiment supports
    it)."""
    return [r for r in RELATIONS if r.source == source and r.target == target]


def answers_to(relation: Relation, name: str) -> bool:
    """Whether ``--rel name`` names this relation (``counter_evidence``, ``counter-evidence`` and
    ``contradicts`` all name the same one)."""
    wanted = name.strip().lower().replace("_", "-")
    return wanted in {n.replace("_", "-") for n in relation.names}


def relation_named(source: Kind, target: Kind, name: str) -> Relation | None:
    return next((r for r in relations_between(source, target) if answers_to(r, name)), None)


def targets_of(source: Kind) -> list[Relation]:
    return [r for r in RELATIONS if r.source == source]
