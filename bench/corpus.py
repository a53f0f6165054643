"""A seeded, deterministic generator of realistic cxlib knowledge bases, for benchmarks.

    python bench/corpus.py OUT_DIR --docs N [--seed S] [--git]

The base copies ``examples/northwind/cxlib.toml`` and holds about 30% insights, 15% opportunities
and 55% experiments, created along one timeline so every link points back in time: opportunities
rest on earlier insights, experiments come from earlier opportunities and insights and follow up
earlier experiments, and insights cite earlier experiments as evidence. Every status and outcome
occurs, and every document satisfies the lifecycle rules, so ``cxlib validate`` on the result
reports no error and no warning.

The same ``--docs`` and ``--seed`` always give byte-identical files (and, with ``--git``, the same
commit id): nothing depends on the clock, the locale or hash ordering. The generator reads the
config with ``tomllib`` and does not import cxlib, so it measures the tool without sharing its code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = REPO / "examples" / "northwind" / "cxlib.toml"

INSIGHT, OPPORTUNITY, EXPERIMENT = "insight", "opportunity", "experiment"
FOLDERS = {INSIGHT: "insights", OPPORTUNITY: "opportunities", EXPERIMENT: "experiments"}
PREFIXES = {INSIGHT: "INS", OPPORTUNITY: "OPP", EXPERIMENT: "EXP"}
SHARES = {INSIGHT: 0.30, OPPORTUNITY: 0.15}  # experiments take the rest (~55%)
DIGITS = 4  # ids are INS-0001...; a kind with more documents than that takes 5 digits
MAX_PER_KIND = 10 ** (DIGITS + 1) - 1

# The timeline: creation dates spread evenly over four years, so dates never depend on today.
EPOCH = dt.date(2021, 6, 7)
SPAN_DAYS = 4 * 365
BODY_BYTES = (1024, 3700)  # target body size; each section may overshoot by one sentence
RECENT = 400  # links prefer the most recent documents, as real follow-ups do

# A fixed identity and date for the --git commit, so its id is reproducible too.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "cxlib bench",
    "GIT_AUTHOR_EMAIL": "bench@cxlib.invalid",
    "GIT_COMMITTER_NAME": "cxlib bench",
    "GIT_COMMITTER_EMAIL": "bench@cxlib.invalid",
    "GIT_AUTHOR_DATE": "2025-06-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2025-06-01T12:00:00+00:00",
}

# Status weights: a mature program, with every value present.
INSIGHT_STATUS = {"draft": 25, "validated": 50, "rejected": 12, "archived": 13}
OPPORTUNITY_STATUS = {
    "idea": 20,
    "prioritized": 20,
    "in-progress": 15,
    "delivered": 20,
    "parked": 12,
    "rejected": 13,
}
EXPERIMENT_STATUS = {
    "draft": 12,
    "planned": 13,
    "running": 12,
    "concluded": 33,
    "implemented": 18,
    "abandoned": 12,
}
PAST_IDEA = {"prioritized", "in-progress", "delivered"}
ASSETS = "assets"  # the folder of the experiments' screenshots
_NOTE = re.compile(r"^  - (research/[0-9]{4}/[a-z-]+-[0-9]{3}\.md)$", re.MULTILINE)
_ASSET = re.compile(r"\]\(\.\./assets/([A-Z]+-[0-9]+\.png)\)")
OUTCOMES = ("won", "lost", "inconclusive", "invalid", "stopped-early")
DECISIONS = {
    "won": ("ship", "ship", "iterate"),
    "lost": ("abandon", "iterate"),
    "inconclusive": ("iterate", "rerun"),
    "invalid": ("rerun",),
    "stopped-early": ("abandon", "rerun"),
}
INSIGHT_TYPES = (
    "pain-point",
    "need",
    "behaviour",
    "moment-of-truth",
    "delight",
    "expectation",
    "barrier",
)
SOURCES = (
    "interview",
    "survey",
    "usability-test",
    "analytics",
    "support",
    "social",
    "review",
    "field-study",
    "experiment",
    "other",
)
CONFIDENCE = ("low", "medium", "high")

# -- vocabulary ------------------------------------------------------------------------------------
OWNERS = (
    "Maya Lindqvist",
    "Jonas Berg",
    "Priya Raman",
    "Tomas Novak",
    "Aisha Karimi",
    "Lena Fischer",
    "Mateo Alvarez",
    "Sofia Rossi",
    "Kwame Mensah",
    "Hannah Kowalski",
    "Elif Demir",
    "Oskar Nilsson",
    "Chloe Martin",
    "Ravi Iyer",
    "Ines Moreau",
    "Sam Okafor",
)
NOUNS = (
    "delivery promise",
    "return label",
    "size guide",
    "basket summary",
    "delivery step",
    "order confirmation",
    "points balance",
    "help article",
    "chat queue",
    "product photos",
    "care instructions",
    "shipping fee",
    "promo code field",
    "wish list",
    "stock message",
    "payment options",
    "address form",
    "tracking link",
    "review snippets",
    "fit feedback",
    "store locator",
    "gift wrapping",
    "exchange flow",
    "repair service",
    "bundle offer",
)
PROBLEM_VERBS = (
    "struggle with",
    "hesitate at",
    "overlook",
    "distrust",
    "complain about",
    "abandon at",
    "search for",
    "misread",
    "ignore",
    "compare",
)
GOOD_VERBS = ("praise", "rely on", "return to", "share", "recommend")
FEELINGS = (
    "frustration",
    "anxiety",
    "confusion",
    "doubt",
    "impatience",
    "uncertainty",
    "effort",
    "irritation",
)  # what a change should reduce
METHODS = (
    "interviews",
    "survey answers",
    "session recordings",
    "support tickets",
    "app reviews",
    "funnel analytics",
    "diary entries",
    "usability sessions",
    "social posts",
)
CHANGES = (
    "Sticky",
    "Inline",
    "Simplified",
    "Personalised",
    "Earlier",
    "Clearer",
    "Shorter",
    "Proactive",
    "Progressive",
    "One-tap",
)
ACTIONS = (
    "Simplify",
    "Clarify",
    "Personalise",
    "Speed up",
    "Rethink",
    "Surface",
    "Streamline",
    "Explain",
)
TAGS = (
    "shipping",
    "returns",
    "sizing",
    "checkout",
    "payment",
    "mobile",
    "loyalty",
    "email",
    "search",
    "reviews",
    "pricing",
    "content",
    "service",
    "app",
    "accessibility",
    "performance",
    "onboarding",
    "sustainability",
    "b2b",
    "trust",
)

T = TypeVar("T")
Front = dict[str, object]  # front-matter in write order; None values are left out
Sections = list[tuple[str, str]]  # (heading, markdown text)


# -- the program config ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Catalog:
    """What documents may name, read from ``cxlib.toml``."""

    touchpoints: dict[str, list[str]]  # stage -> its touchpoints
    metrics: list[str]
    primary_metrics: list[str]  # business KPIs or metrics mapped to one (others only warn)
    down_metrics: set[str]  # metrics where a win is a negative effect
    metric_names: dict[str, str]
    teams: list[str]
    segments: list[str]
    segment_names: dict[str, str]


def load_catalog(config: Path) -> Catalog:
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    metrics = data["metrics"]
    north_star = data["program"]["north_star"]
    return Catalog(
        # a touchpoint is an id, or a table naming its KPIs: {id, name, metrics, targets}
        touchpoints={
            s["id"]: [t["id"] if isinstance(t, dict) else t for t in s.get("touchpoints", [])]
            for s in data["journey"]
        },
        metrics=[m["id"] for m in metrics],
        primary_metrics=[
            m["id"]
            for m in metrics
            if m["kind"] == "business" or m.get("kpi") or m["id"] == north_star
        ],
        down_metrics={m["id"] for m in metrics if m.get("direction") == "down"},
        metric_names={m["id"]: m.get("name", m["id"]) for m in metrics},
        teams=[t["id"] for t in data.get("teams", [])],
        segments=[s["id"] for s in data.get("segments", [])],
        segment_names={s["id"]: s.get("name", s["id"]) for s in data.get("segments", [])},
    )


# -- documents as they are planned -----------------------------------------------------------------
@dataclass
class Doc:
    kind: str
    id: str
    title: str
    created: dt.date
    stage: str
    touchpoint: str
    team: str
    status: str = ""
    links: list[str] = field(default_factory=list)  # front-matter links, reused in the body
    insights: list[str] = field(default_factory=list)  # an opportunity's insights

    @property
    def path(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.id}-{slugify(self.title)}.md"


def slugify(title: str, limit: int = 60) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0]
    return text


def kind_sequence(docs: int, rng: random.Random) -> list[str]:
    """Exact shares, shuffled: the order in which documents are created."""
    counts = {kind: round(docs * share) for kind, share in SHARES.items()}
    counts[EXPERIMENT] = docs - sum(counts.values())
    too_many = [k for k, n in counts.items() if n > MAX_PER_KIND]
    if too_many:
        raise ValueError(f"--docs {docs} needs more than {MAX_PER_KIND} {too_many[0]}s")
    sequence = [kind for kind, n in counts.items() for _ in range(n)]
    rng.shuffle(sequence)
    return sequence


# -- YAML front-matter (a tiny emitter for the few shapes documents use) ---------------------------
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .()/-]*[A-Za-z0-9.)]|[A-Za-z]")
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}
_FLOW_ITEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def scalar(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        raise TypeError("no booleans in documents")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    text = str(value)
    plain = _PLAIN.fullmatch(text) and text.lower() not in _YAML11_WORDS
    return text if plain else json.dumps(text)  # a JSON string is a valid double-quoted YAML one


def yaml_lines(key: str, value: object, indent: str = "") -> list[str]:
    """One key in block style; lists of simple items in flow style, as people write them."""
    if value is None:
        return []  # optional fields are left out, not written as null
    if isinstance(value, dict):
        return [f"{indent}{key}:"] + [
            line for k, v in value.items() for line in yaml_lines(k, v, indent + "  ")
        ]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # records (variants, guardrail results): one flow mapping per line
        return [f"{indent}{key}:"] + [
            f"{indent}  - {{{', '.join(f'{k}: {scalar(x)}' for k, x in v.items())}}}" for v in value
        ]
    if isinstance(value, list):
        items = [scalar(v) for v in value]
        simple = (
            _FLOW_ITEM.fullmatch(i) or isinstance(v, float)
            for i, v in zip(items, value, strict=True)
        )
        if all(simple):
            return [f"{indent}{key}: [{', '.join(items)}]"]
        return [f"{indent}{key}:"] + [f"{indent}  - {i}" for i in items]
    return [f"{indent}{key}: {scalar(value)}"]


def render(front: Front, sections: list[tuple[str, str]]) -> str:
    lines = ["---", *(line for k, v in front.items() for line in yaml_lines(k, v)), "---", ""]
    for title, text in sections:
        lines += [f"## {title}", "", text, ""]
    return "\n".join(lines)


# -- the generator ---------------------------------------------------------------------------------
class Corpus:
    """Plans documents one by one along the timeline; links only reach documents already made."""

    def __init__(self, catalog: Catalog, seed: int, digits: int = DIGITS) -> None:
        self.cat = catalog
        self.digits = digits
        self.rng = random.Random(seed)
        self.made: dict[str, list[Doc]] = {INSIGHT: [], OPPORTUNITY: [], EXPERIMENT: []}
        self.insights_by_stage: dict[str, list[Doc]] = {}
        self.experiments_by_opp: dict[str, list[Doc]] = {}
        self.concluded: list[Doc] = []
        self.every: list[Doc] = []

    # small random helpers
    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def some(self, items: Sequence[T], low: int, high: int) -> list[T]:
        """Between ``low`` and ``high`` distinct items, preferring recent ones."""
        pool = items[-RECENT:] if len(items) > RECENT and self.rng.random() < 0.8 else items
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # one document
    def make(self, kind: str, index: int, total: int) -> tuple[Doc, str]:
        number = len(self.made[kind]) + 1
        created = EPOCH + dt.timedelta(days=index * SPAN_DAYS // total)
        build: dict[str, Callable[[Doc], tuple[Front, Sections]]] = {
            INSIGHT: self.insight,
            OPPORTUNITY: self.opportunity,
            EXPERIMENT: self.experiment,
        }
        stage = self.pick(list(self.cat.touchpoints))
        doc = Doc(
            kind,
            f"{PREFIXES[kind]}-{number:0{self.digits}d}",
            "",
            created,
            stage,
            self.pick(self.cat.touchpoints[stage]),
            self.pick(self.cat.teams),
        )
        front, sections = build[kind](doc)
        text = render(front, sections)
        self.remember(doc)
        return doc, text

    def remember(self, doc: Doc) -> None:
        self.made[doc.kind].append(doc)
        self.every.append(doc)
        if doc.kind == INSIGHT:
            self.insights_by_stage.setdefault(doc.stage, []).append(doc)
        elif doc.kind == EXPERIMENT:
            opp = next((x for x in doc.links if x.startswith(PREFIXES[OPPORTUNITY])), None)
            if opp:
                self.experiments_by_opp.setdefault(opp, []).append(doc)
            if doc.status in ("concluded", "implemented"):
                self.concluded.append(doc)

    def common(self, doc: Doc) -> Front:
        updated = doc.created + dt.timedelta(days=self.rng.randint(0, 120))
        return {
            "id": doc.id,
            "title": doc.title,
            "status": doc.status,
            "owner": self.pick(OWNERS),
            "team": doc.team,
            "created": doc.created,
            "updated": updated if self.chance(0.6) else None,
            "tags": sorted(self.rng.sample(TAGS, self.rng.randint(1, 4))),
            "stage": doc.stage,
            "touchpoint": doc.touchpoint,
        }

    # insights -------------------------------------------------------------------------------------
    def insight(self, doc: Doc) -> tuple[Front, Sections]:
        doc.status = self.weighted(INSIGHT_STATUS)
        noun, segment = self.pick(NOUNS), self.pick(self.cat.segments)
        verbs = GOOD_VERBS if self.chance(0.2) else PROBLEM_VERBS
        doc.title = (
            f"{self.cat.segment_names[segment]} {self.pick(verbs)} the {noun} "
            f"on the {words(doc.touchpoint)}"
        )
        source = self.pick(SOURCES if self.concluded else SOURCES[:8] + SOURCES[9:])
        cited = (
            [d.id for d in self.some(self.concluded, 1, 2)]
            if self.concluded and (source == "experiment" or self.chance(0.35))
            else []
        )
        evidence: list[str] = [self.research_link(doc) for _ in range(self.rng.randint(0, 2))]
        if not evidence and not cited:
            evidence.append(self.research_link(doc))
        if doc.status == "draft" and self.chance(0.3):
            evidence = []  # a fresh draft often has nothing to show yet...
            cited = cited if source == "experiment" else []  # ...unless it came from a test
        counter = (
            [d.id for d in self.some(self.concluded, 1, 1) if d.id not in cited]
            # a validated insight stands on its evidence: contradicted, it would be contested
            if (self.concluded and self.chance(0.1) and doc.status != "validated")
            else []
        )
        if doc.status == "rejected" and cited:
            # A rejected insight's experiments speak against it (else its standing says
            # supported, which validate warns about): they are its counter-evidence.
            counter = [*cited, *(c for c in counter if c not in cited)]
            cited = []
            if source == "experiment":
                source = "survey"
            if not evidence:
                evidence.append(self.research_link(doc))
        doc.links = cited + counter
        front = self.common(doc) | {
            "type": self.pick(INSIGHT_TYPES),
            "source": source,
            "evidence": evidence + cited,
            "counter_evidence": counter or None,
            "confidence": None
            if doc.status == "draft" and self.chance(0.5)
            else self.pick(CONFIDENCE),
            "segments": sorted({segment, *self.some(self.cat.segments, 0, 2)}),
        }
        return front, self.body(doc, ("Summary", "Evidence", "Implications"))

    def research_link(self, doc: Doc) -> str:
        n = self.rng.randint(1, 999)
        if self.chance(0.5):
            return (
                f"https://research.northwind-outfitters.example/studies/{doc.created.year}-{n:03d}"
            )
        return f"research/{doc.created.year}/{doc.stage}-{n:03d}.md"

    # opportunities --------------------------------------------------------------------------------
    def opportunity(self, doc: Doc) -> tuple[Front, Sections]:
        doc.status = self.weighted(OPPORTUNITY_STATUS)
        same_stage = self.insights_by_stage.get(doc.stage) or self.made[INSIGHT]
        if not same_stage and doc.status in PAST_IDEA:
            doc.status = self.pick(("idea", "parked", "rejected"))  # nothing to rest on yet
        low = 1 if doc.status in PAST_IDEA else 0
        doc.insights = [d.id for d in self.some(same_stage, low, 3)]
        doc.links = list(doc.insights)
        noun, segment = self.pick(NOUNS), self.pick(self.cat.segments)
        doc.title = f"{self.pick(ACTIONS)} the {noun} for {self.cat.segment_names[segment].lower()}"
        scored = doc.status in PAST_IDEA or self.chance(0.6)
        kpis = self.some(self.cat.metrics, 1, 3)
        front = self.common(doc) | {
            "owner": self.pick(OWNERS) if scored or self.chance(0.5) else None,
            "insights": doc.insights or None,
            "customer_value": self.rng.randint(1, 5) if scored else None,
            "business_value": self.rng.randint(1, 5) if scored else None,
            "effort": self.rng.randint(1, 5) if scored else None,
            "reach": self.rng.randrange(500, 250_000, 500) if self.chance(0.7) else None,
            "confidence": self.pick(CONFIDENCE) if self.chance(0.7) else None,
            "hypothesis": f"If we work on the {noun} at {words(doc.touchpoint)}, we expect "
            f"{self.cat.metric_names[kpis[0]].lower()} to improve for "
            f"{self.cat.segment_names[segment].lower()}.",
            "kpis": kpis,
        }
        if doc.status in ("prioritized", "in-progress", "delivered"):
            # planned for the quarter after the one it was written in; no draw, so the rest of
            # the corpus is the same with or without cycles
            planned = doc.created + dt.timedelta(days=92)
            quarter = (planned.month - 1) // 3 + 1
            end = dt.date(planned.year + quarter // 4, quarter % 4 * 3 + 1, 1)
            front |= {
                "cycle": f"{planned.year}-Q{quarter}",
                "target": end - dt.timedelta(days=1),
            }
        return front, self.body(doc, ("Why", "What", "How"))

    # experiments ----------------------------------------------------------------------------------
    def experiment(self, doc: Doc) -> tuple[Front, Sections]:
        doc.status = self.weighted(EXPERIMENT_STATUS)
        opp = self.some(self.made[OPPORTUNITY], 1, 1) if self.chance(0.8) else []
        if opp and opp[0].status == "idea" and doc.status != "draft":
            doc.status = "draft"  # a test past draft stands on more than an idea (a warning)
        if opp:  # an experiment works on its opportunity's part of the journey
            doc.stage, doc.touchpoint, doc.team = opp[0].stage, opp[0].touchpoint, opp[0].team
        pool = (
            opp[0].insights
            if opp and opp[0].insights
            else [d.id for d in self.insights_by_stage.get(doc.stage, [])[-RECENT:]]
        )
        insights = self.some(pool, 0 if opp else 1, 2)
        if not opp and not insights:
            doc.status = "draft"  # nothing to come from yet
        siblings = self.experiments_by_opp.get(opp[0].id, []) if opp else []
        follows = (
            self.some(siblings, 1, 1)
            if siblings and self.chance(0.5)
            else (self.some(self.made[EXPERIMENT], 1, 1) if self.chance(0.08) else [])
        )
        doc.links = [d.id for d in opp] + insights + [d.id for d in follows]
        noun, metric = self.pick(NOUNS), self.pick(self.cat.primary_metrics)
        change = self.pick(CHANGES)
        doc.title = f"{change} {noun} on the {words(doc.touchpoint)}"
        segment = self.cat.segment_names[self.pick(self.cat.segments)].lower()
        front = (
            self.common(doc)
            | {
                "opportunity": opp[0].id if opp else None,
                "insights": insights or None,
                "follows": [d.id for d in follows] or None,
                "hypothesis": f"We believe that a {doc.title.lower()} for {segment} will "
                f"cause less {self.pick(FEELINGS)} around the {noun}, measured by {metric}.",
                "primary_metric": metric,
                "guardrail_metrics": [m for m in self.some(self.cat.metrics, 0, 2) if m != metric]
                or None,
                "audience": f"{segment.capitalize()} reaching the {words(doc.touchpoint)}",
                "variants": [
                    {"name": "control", "allocation": 50},
                    {"name": slugify(f"{change} {noun}"), "allocation": 50},
                ],
                "decision_rule": "ship if significant-win and guardrails-ok",
            }
            | self.schedule(doc, metric)
        )
        guardrails = front.get("guardrail_metrics") or []
        result = front.get("result")
        if isinstance(result, dict) and guardrails:
            result["guardrails"] = [
                {"metric": m, "status": "ok", "effect": round(self.rng.uniform(-1.0, 1.0), 1)}
                for m in guardrails
            ]
        if front.get("end") and front["updated"]:
            front["updated"] = front["end"]  # a result is written up when the test ends
        sections = self.body(doc, ("Hypothesis", "Design", "Results", "Learnings", "Next steps"))
        if front.get("result") and self.chance(0.5):
            # a screenshot of the variant, a repository file validate checks exists
            title, text = sections[2]
            sections[2] = (title, f"{text}\n\n![the variant](../{ASSETS}/{doc.id}.png)")
        return front, sections

    def schedule(self, doc: Doc, metric: str) -> Front:
        """Dates, result and decision as the status requires."""
        started = doc.status in ("running", "concluded", "implemented") or (
            doc.status == "abandoned" and self.chance(0.6)
        )
        if not started:
            return {}
        start = doc.created + dt.timedelta(days=self.rng.randint(7, 30))
        days = self.rng.randint(14, 42)
        if doc.status == "running":
            return {"start": start, "planned_days": days}
        end = start + dt.timedelta(days=days)
        if doc.status == "abandoned":
            outcome = self.pick(("stopped-early", "invalid"))
        elif doc.status == "implemented":
            outcome = "won" if self.chance(0.85) else "inconclusive"
        else:
            outcome = self.pick(OUTCOMES)
        decision = "ship" if doc.status == "implemented" else self.pick(DECISIONS[outcome])
        if doc.status == "abandoned":
            decision = "abandon"
        shipped_unproven = decision == "ship" and outcome in ("inconclusive", "stopped-early")
        return {
            "start": start,
            "planned_end": end,
            "end": end,
            "result": self.result(outcome, metric),
            "decision": decision,
            "decision_rationale": "no loss, and the change is simpler to run"
            if shipped_unproven
            else None,
        }

    def result(self, outcome: str, metric: str) -> dict[str, object]:
        sign = -1 if metric in self.cat.down_metrics else 1  # a win lowers a "down" metric
        size = round(self.rng.uniform(0.3, 6.0), 1)
        if outcome == "won":
            effect, p, half = sign * size, self.rng.uniform(0.001, 0.049), size * 0.7
        elif outcome == "lost":
            effect, p, half = -sign * size, self.rng.uniform(0.001, 0.049), size * 0.7
        else:
            effect = round(self.rng.uniform(-1.5, 1.5), 1)
            p, half = self.rng.uniform(0.06, 0.95), abs(effect) + self.rng.uniform(0.3, 2.0)
        return {
            "outcome": outcome,
            "effect": effect,
            "p_value": round(p, 3),
            "interval": [round(effect - half, 1), round(effect + half, 1)],
            "sample_size": self.rng.randrange(2_000, 250_000, 100),
        }

    # body -----------------------------------------------------------------------------------------
    def body(self, doc: Doc, titles: Sequence[str]) -> list[tuple[str, str]]:
        """Sections of prose filling a random 1-4 KB, with a few ``[[ID]]`` links to older docs."""
        budget = self.rng.randint(*BODY_BYTES) // len(titles)
        targets = doc.links + [d.id for d in self.some(self.every, 1, 2) if d.id not in doc.links]
        linked = self.rng.sample(targets, min(len(targets), self.rng.randint(1, 3)))
        sections = []
        for i, title in enumerate(titles):
            link = f"See [[{linked[i]}]] for the background." if i < len(linked) else None
            sections.append((title, self.prose(doc, budget, link)))
        return sections

    def prose(self, doc: Doc, budget: int, link: str | None) -> str:
        """Paragraphs of 2-5 sentences until ``budget`` characters (overshoot: one sentence)."""
        paragraphs: list[list[str]] = [[link]] if link else [[]]
        size, length = 0, self.rng.randint(2, 5)
        while size < budget:
            if len(paragraphs[-1]) >= length:
                paragraphs.append([])
                length = self.rng.randint(2, 5)
            sentence = self.sentence(doc)
            paragraphs[-1].append(sentence)
            size += len(sentence) + 1
        return "\n\n".join(" ".join(p) for p in paragraphs)

    def sentence(self, doc: Doc) -> str:
        segment = self.cat.segment_names[self.pick(self.cat.segments)]
        metric = self.cat.metric_names[self.pick(self.cat.metrics)].lower()
        noun, feeling, place = self.pick(NOUNS), self.pick(FEELINGS), words(doc.touchpoint)
        n, m = self.rng.randint(3, 40), self.rng.randint(41, 120)
        templates = (
            f"{segment} {self.pick(PROBLEM_VERBS)} the {noun} on the {place} out of {feeling}.",
            f"In {n} of {m} {self.pick(METHODS)}, customers mentioned the {noun} unprompted.",
            f"The {doc.team} team expects a clearer {noun} to reduce {feeling} in the "
            f"{doc.stage} stage.",
            f"Support logged {n * 37} contacts about the {noun} last quarter, most from "
            f"{segment.lower()}.",
            f"We saw {feeling} peak when the {noun} appeared after the {place}.",
            f"Compared with last quarter, {segment.lower()} spent {n}% longer on the {place}.",
            f"The change should show up in {metric} within {n % 6 + 2} weeks.",
            f"Several customers described the {noun} as the moment they {self.pick(GOOD_VERBS)} "
            f"the brand.",
        )
        return self.pick(templates)


def words(slug: str) -> str:
    return slug.replace("-", " ")


# -- writing ---------------------------------------------------------------------------------------
def generate(out_dir: Path, docs: int, seed: int = 7) -> list[Path]:
    """Write a complete knowledge base of ``docs`` documents into ``out_dir`` (missing or empty).

    Returns the document paths in creation order.
    """
    if docs < 1:
        raise ValueError("--docs must be at least 1")
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty; the generator never overwrites files")
    rng = random.Random(seed)
    sequence = kind_sequence(docs, rng)
    most = max(sequence.count(kind) for kind in set(sequence))
    digits = max(DIGITS, len(str(most)))
    corpus = Corpus(load_catalog(EXAMPLE_CONFIG), rng.randrange(2**32), digits)
    for folder in FOLDERS.values():
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLE_CONFIG, out_dir / "cxlib.toml")
    (out_dir / ".gitignore").write_text(".cxlib/\n", encoding="utf-8")
    written = []
    for index, kind in enumerate(sequence):
        doc, text = corpus.make(kind, index, docs)
        path = out_dir / doc.path
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
        for name in _ASSET.findall(text):
            (out_dir / ASSETS).mkdir(exist_ok=True)
            (out_dir / ASSETS / name).write_bytes(b"\x89PNG\r\n\x1a\n")
        for note in _NOTE.findall(text):  # the research notes evidence names
            (out_dir / note).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / note).write_text("Research notes.\n", encoding="utf-8")
    return written


def commit_all(out_dir: Path, message: str) -> str:
    """``git init`` and one commit of everything, with a fixed author and date; returns its id."""
    env = {**os.environ, **GIT_ENV}

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
            cwd=out_dir,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", message)
    return git("rev-parse", "HEAD")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--docs", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=7, metavar="S")
    parser.add_argument("--git", action="store_true", help="git init and commit everything")
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out_dir, args.docs, args.seed)
    except (ValueError, FileExistsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents ({size / 1e6:.1f} MB) to {args.out_dir}")
    if args.git:
        commit = commit_all(
            args.out_dir, f"Generated corpus: {args.docs} documents, seed {args.seed}"
        )
        print(f"committed {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
