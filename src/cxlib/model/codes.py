"""Every finding code cxlib reports, with what it means, how to fix it and what it depends on.

One table: validate's findings, the edit commands' refusals, the README's rule list and the
rule tests all read it. A finding's own hint may say more about the case at hand (the close
field name, the known stages); the hint here says what the rule asks in general.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Scope(enum.StrEnum):
    """What a finding depends on, and so when it can be cached or must be recomputed."""

    FILE = "single-file"  # the file's bytes and the config: cacheable per file
    LIBRARY = "cross-document"  # other documents: recomputed on every run
    REPOSITORY = "repository"  # other files of the repository: recomputed on every run
    HISTORY = "history"  # the file's git history
    DATE = "date-dependent"  # today's date


class Code(enum.StrEnum):
    # the file itself
    ENCODING = "encoding"
    LINE_ENDINGS = "line-endings"
    CONTROL_CHARACTER = "control-character"
    MERGE_CONFLICT = "merge-conflict"
    FILE_TOO_LARGE = "file-too-large"
    SYMLINK = "symlink"
    UNREADABLE = "unreadable"
    # the front-matter block
    MISSING_FRONT_MATTER = "missing-front-matter"
    FRONT_MATTER_POSITION = "front-matter-position"
    FRONT_MATTER_UNCLOSED = "front-matter-unclosed"
    FRONT_MATTER_NOT_MAPPING = "front-matter-not-mapping"
    FRONT_MATTER_TOO_LARGE = "front-matter-too-large"
    UNSUPPORTED_FORMAT = "unsupported-format"
    # the YAML dialect
    YAML_SYNTAX = "yaml-syntax"
    YAML_TAB = "yaml-tab"
    DUPLICATE_KEY = "duplicate-key"
    YAML_KEY = "yaml-key"
    YAML_ALIAS = "yaml-alias"
    YAML_TAG = "yaml-tag"
    YAML_DEPTH = "yaml-depth"
    YAML_CONTROL = "yaml-control"
    YAML_NUMBER = "yaml-number"
    # the schema
    MISSING_FIELD = "missing-field"
    UNKNOWN_FIELD = "unknown-field"
    INVALID_VALUE = "invalid-value"
    INVALID_DATE = "invalid-date"
    OUT_OF_RANGE = "out-of-range"
    # identity
    FILE_NAME = "file-name"
    ID_MISMATCH = "id-mismatch"
    ID_PREFIX = "id-prefix"
    # names from cxlib.toml
    UNKNOWN_STAGE = "unknown-stage"
    UNKNOWN_TOUCHPOINT = "unknown-touchpoint"
    TOUCHPOINT_WITHOUT_STAGE = "touchpoint-without-stage"
    UNKNOWN_TEAM = "unknown-team"
    UNKNOWN_SEGMENT = "unknown-segment"
    UNKNOWN_METRIC = "unknown-metric"
    METRIC_NOT_BUSINESS = "metric-not-business"
    # what a status requires (model/vocabulary.py REQUIREMENTS)
    INSIGHT_EVIDENCE = "insight-evidence"
    INSIGHT_CONFIDENCE = "insight-confidence"
    INSIGHT_OWNER = "insight-owner"
    OPPORTUNITY_OWNER = "opportunity-owner"
    OPPORTUNITY_SCORES = "opportunity-scores"
    OPPORTUNITY_INSIGHT = "opportunity-insight"
    OPPORTUNITY_SECTION = "opportunity-section"
    EXPERIMENT_ORIGIN = "experiment-origin"
    EXPERIMENT_OWNER = "experiment-owner"
    EXPERIMENT_START = "experiment-start"
    EXPERIMENT_HYPOTHESIS = "experiment-hypothesis"
    EXPERIMENT_METRIC = "experiment-metric"
    EXPERIMENT_END = "experiment-end"
    EXPERIMENT_OUTCOME = "experiment-outcome"
    EXPERIMENT_LEARNINGS = "experiment-learnings"
    FIELD_REQUIRED = "field-required"  # a field cxlib.toml declares, required from a status
    # consistency within a document
    INSIGHT_LOOP = "insight-loop"
    EXPERIMENT_DATES = "experiment-dates"
    UPDATED_BEFORE_CREATED = "updated-before-created"
    END_BEFORE_CREATED = "end-before-created"
    PLANNED_END_BEFORE_START = "planned-end-before-start"
    # an experiment's result against itself, its metric and its decision
    RESULT_TOO_EARLY = "result-too-early"
    OUTCOME_EFFECT = "outcome-effect"
    INTERVAL_ORDER = "interval-order"
    INTERVAL_EFFECT = "interval-effect"
    P_VALUE_INTERVAL = "p-value-interval"
    NOT_SIGNIFICANT = "not-significant"
    DECISION_OUTCOME = "decision-outcome"
    IMPLEMENTED_NOT_SHIPPED = "implemented-not-shipped"
    DECISION_PENDING = "decision-pending"
    DECISION_RULE = "decision-rule"
    GUARDRAIL_BREACHED = "guardrail-breached"
    GUARDRAIL_UNDECLARED = "guardrail-undeclared"
    # an experiment's variants against their design
    ALLOCATION_SUM = "allocation-sum"
    RESULT_VARIANT_NAME = "result-variant-name"
    CONVERSIONS_EXCEED = "conversions-exceed"
    SRM = "srm"
    # files the document names: evidence, screenshots, images and links of its body
    MISSING_FILE = "missing-file"
    # personal data in the text (model/personal_data.py), one code per kind of data
    PERSONAL_EMAIL = "personal-email"
    PERSONAL_PHONE = "personal-phone"
    PERSONAL_IBAN = "personal-iban"
    PERSONAL_CARD = "personal-card"
    PERSONAL_ADDRESS = "personal-address"
    PERSONAL_NAME = "personal-name"
    # across documents
    DUPLICATE_ID = "duplicate-id"
    BROKEN_LINK = "broken-link"
    SELF_LINK = "self-link"
    LINK_KIND = "link-kind"
    DUPLICATE_LINK = "duplicate-link"
    EXPERIMENT_ON_IDEA = "experiment-on-idea"
    INSIGHT_STANDING = "insight-standing"
    # against git history
    CREATED_VS_GIT = "created-vs-git"
    # the pre-registration lock (model/prereg.py)
    PREREGISTRATION_CHANGED = "preregistration-changed"
    AMENDMENT_AFTER_RESULTS = "amendment-after-results"
    AMENDMENT_TOO_LATE = "amendment-too-late"
    # against today's date
    REVIEW_EXPIRED = "review-expired"

    @property
    def rule(self) -> Rule:
        return RULES[self]


@dataclass(frozen=True)
class Rule:
    hint: str  # what the rule asks, in general
    scope: Scope = Scope.FILE
    fix: str | None = None  # the cxlib command that fixes it ("ID" is the document's id)


_LIBRARY = Scope.LIBRARY
_PERSONAL_HINT = (
    "remove or anonymize it, or mark the document anonymized: true; see the README on purging "
    "history"
)
_PERSONAL_FIX = "remove or anonymize it; once the document holds none: cxlib set ID anonymized=true"

RULES: dict[Code, Rule] = {
    Code.ENCODING: Rule("re-save the file as UTF-8"),
    Code.LINE_ENDINGS: Rule("convert the file to LF or CRLF line endings"),
    Code.CONTROL_CHARACTER: Rule("remove the control character; documents are plain text"),
    Code.MERGE_CONFLICT: Rule("resolve the conflict and remove the <<<<<<< ======= >>>>>>> lines"),
    Code.FILE_TOO_LARGE: Rule("documents are short markdown files; move large material elsewhere"),
    Code.SYMLINK: Rule("replace the link with the file itself"),
    Code.UNREADABLE: Rule("check the file's permissions"),
    Code.MISSING_FRONT_MATTER: Rule(
        "add a YAML block between two '---' lines at the top of the file"
    ),
    Code.FRONT_MATTER_POSITION: Rule("remove the blank lines or spaces before '---'"),
    Code.FRONT_MATTER_UNCLOSED: Rule("add a line with '---' after the last front-matter key"),
    Code.FRONT_MATTER_NOT_MAPPING: Rule("write 'key: value' lines between the '---' lines"),
    Code.FRONT_MATTER_TOO_LARGE: Rule("keep the front-matter under 64 KiB; prose goes in the body"),
    Code.UNSUPPORTED_FORMAT: Rule("convert the block to YAML 'key: value' lines"),
    Code.YAML_SYNTAX: Rule("fix the YAML at the line given"),
    Code.YAML_TAB: Rule("indent with spaces"),
    Code.DUPLICATE_KEY: Rule("keep one of the two keys"),
    Code.YAML_KEY: Rule("keys are plain names; quote a value, not a key"),
    Code.YAML_ALIAS: Rule("write the value out in full"),
    Code.YAML_TAG: Rule("remove the tag; quote the value if it must stay text"),
    Code.YAML_DEPTH: Rule("front-matter is flat: at most a few levels of nesting"),
    Code.YAML_CONTROL: Rule("remove the escape (\\e, \\x1b, \\u009b...); documents are plain text"),
    Code.YAML_NUMBER: Rule("write a finite number below 1e15, or quote the value if it is text"),
    Code.MISSING_FIELD: Rule("add the field to the front-matter"),
    Code.UNKNOWN_FIELD: Rule("see 'cxlib schema KIND' for the fields"),
    Code.INVALID_VALUE: Rule("see 'cxlib schema KIND' for the values a field takes"),
    Code.INVALID_DATE: Rule("write dates as YYYY-MM-DD, e.g. 2025-03-01"),
    Code.OUT_OF_RANGE: Rule("see 'cxlib schema KIND' for the bounds"),
    Code.FILE_NAME: Rule("rename the file to ID-<slug>.md"),
    Code.ID_MISMATCH: Rule("rename the file or fix the id"),
    Code.ID_PREFIX: Rule("use the prefix cxlib.toml gives the folder"),
    Code.UNKNOWN_STAGE: Rule("use a stage of [journey] in cxlib.toml, or add it there"),
    Code.UNKNOWN_TOUCHPOINT: Rule("use a touchpoint of the stage in cxlib.toml, or add it there"),
    Code.TOUCHPOINT_WITHOUT_STAGE: Rule("set the stage the touchpoint belongs to"),
    Code.UNKNOWN_TEAM: Rule("use a team of cxlib.toml, or add it there"),
    Code.UNKNOWN_SEGMENT: Rule("use a segment of cxlib.toml, or add it there"),
    Code.UNKNOWN_METRIC: Rule("use a metric of the catalog in cxlib.toml, or add it there"),
    Code.METRIC_NOT_BUSINESS: Rule(
        "pick a business metric, or give the metric a 'kpi' in cxlib.toml"
    ),
    Code.INSIGHT_EVIDENCE: Rule(
        "list URLs, files or experiment ids under 'evidence'",
        fix="cxlib link ID EXP-... (or add a URL or file under 'evidence')",
    ),
    Code.INSIGHT_CONFIDENCE: Rule(
        "set 'confidence' to low, medium or high", fix="cxlib set ID confidence=low|medium|high"
    ),
    Code.OPPORTUNITY_OWNER: Rule("name one accountable owner", fix="cxlib set ID owner=NAME"),
    Code.INSIGHT_OWNER: Rule(
        "name the person who answers for it: one owner past draft", fix="cxlib set ID owner=NAME"
    ),
    Code.EXPERIMENT_OWNER: Rule(
        "name the person who answers for it: one owner past draft", fix="cxlib set ID owner=NAME"
    ),
    Code.OPPORTUNITY_SCORES: Rule(
        "score customer_value, business_value and effort from 1 to 5",
        fix="cxlib set ID customer_value=N business_value=N effort=N",
    ),
    Code.OPPORTUNITY_INSIGHT: Rule(
        "list the insight ids it rests on under 'insights'", fix="cxlib link ID INS-..."
    ),
    Code.OPPORTUNITY_SECTION: Rule(
        "write the '## Why', '## What' and '## How' sections",
        fix="write the '## Why', '## What' and '## How' sections",
    ),
    Code.EXPERIMENT_ORIGIN: Rule(
        "set 'opportunity' or 'insights': ideas come from customers",
        fix="cxlib link ID OPP-... (or an insight)",
    ),
    Code.EXPERIMENT_START: Rule(
        "set the start date", fix="pass --start DATE, or: cxlib set ID start=YYYY-MM-DD"
    ),
    Code.EXPERIMENT_HYPOTHESIS: Rule(
        "We believe that CHANGE for AUDIENCE will cause EFFECT, measured by METRIC",
        fix='cxlib set ID hypothesis="We believe that ..."',
    ),
    Code.EXPERIMENT_METRIC: Rule(
        "set the primary metric, from the catalog",
        fix="cxlib set ID primary_metric=METRIC (a metric of cxlib.toml)",
    ),
    Code.EXPERIMENT_END: Rule(
        "set the end date", fix="pass --end DATE, or: cxlib set ID end=YYYY-MM-DD"
    ),
    Code.EXPERIMENT_OUTCOME: Rule(
        "set result.outcome",
        fix="pass --outcome won|lost|inconclusive|invalid|stopped-early",
    ),
    Code.EXPERIMENT_LEARNINGS: Rule(
        "write what was learned under '## Learnings'",
        fix="write them under '## Learnings', or pass --learnings-from-editor",
    ),
    Code.FIELD_REQUIRED: Rule(
        "fill the field cxlib.toml declares ([fields.KIND.NAME], required_from)",
        fix="cxlib set ID NAME=VALUE",
    ),
    Code.INSIGHT_LOOP: Rule("add the experiment id, e.g. EXP-0042"),
    Code.EXPERIMENT_DATES: Rule("the end date comes after the start date"),
    Code.UPDATED_BEFORE_CREATED: Rule("the updated date comes after the created date"),
    Code.END_BEFORE_CREATED: Rule(
        "an experiment ends after its document was created (a start before it is fine: a "
        "backfilled record)"
    ),
    Code.PLANNED_END_BEFORE_START: Rule("a test is planned to end after it starts"),
    Code.RESULT_TOO_EARLY: Rule(
        "record the result when the experiment is concluded",
        fix="cxlib status ID concluded --outcome OUTCOME --end DATE",
    ),
    Code.OUTCOME_EFFECT: Rule(
        "a won test moves the primary metric its good way (up or down, as cxlib.toml says); "
        "check the outcome and the sign of result.effect"
    ),
    Code.INTERVAL_ORDER: Rule("write the interval as [low, high]"),
    Code.INTERVAL_EFFECT: Rule("the observed effect lies inside its confidence interval"),
    Code.P_VALUE_INTERVAL: Rule(
        "a p-value below alpha and a (1 - alpha) interval that excludes zero go together; "
        "check both numbers"
    ),
    Code.NOT_SIGNIFICANT: Rule(
        "not significant at alpha = 0.05: call it inconclusive, or record more data",
        fix="cxlib set ID result.outcome=inconclusive",
    ),
    Code.DECISION_OUTCOME: Rule(
        "shipping a lost or invalid test needs a reason: write it in decision_rationale",
        fix='cxlib set ID decision_rationale="why we ship anyway"',
    ),
    Code.IMPLEMENTED_NOT_SHIPPED: Rule(
        "an implemented experiment was shipped: decision: ship", fix="cxlib set ID decision=ship"
    ),
    Code.ALLOCATION_SUM: Rule(
        "give every variant its share of the traffic, in percent, adding up to 100",
        fix="cxlib set ID 'variants=[{name: control, allocation: 50}, {name: b, allocation: 50}]'",
    ),
    Code.RESULT_VARIANT_NAME: Rule("name each result after a variant of 'variants'"),
    Code.CONVERSIONS_EXCEED: Rule("a variant converts at most every visitor it had"),
    Code.SRM: Rule(
        "the traffic split is not the planned one: check the assignment before trusting the "
        "result (a bug, a bot, a redirect that drops one variant's visitors)"
    ),
    Code.DECISION_PENDING: Rule(
        "state the decision taken: ship, iterate, rerun or abandon",
        fix="cxlib set ID decision=ship|iterate|rerun|abandon",
    ),
    Code.DECISION_RULE: Rule(
        "follow the declared decision_rule, or say in decision_rationale why the decision departs",
        fix="cxlib set ID 'decision_rationale=...'",
    ),
    Code.GUARDRAIL_BREACHED: Rule(
        "a breached guardrail is not shipped without a reason: say it in decision_rationale",
        fix="cxlib set ID 'decision_rationale=...'",
    ),
    Code.GUARDRAIL_UNDECLARED: Rule(
        "record results for the declared guardrail_metrics (or declare the metric there)"
    ),
    Code.MISSING_FILE: Rule(
        "name a file that exists in the repository (a body link from the document's folder, "
        "a front-matter path from the knowledge base's; a leading / from the repository's "
        "top), or add the file",
        Scope.REPOSITORY,
    ),
    **{
        code: Rule(_PERSONAL_HINT, fix=_PERSONAL_FIX)
        for code in (
            Code.PERSONAL_EMAIL,
            Code.PERSONAL_PHONE,
            Code.PERSONAL_IBAN,
            Code.PERSONAL_CARD,
            Code.PERSONAL_ADDRESS,
            Code.PERSONAL_NAME,
        )
    },
    Code.DUPLICATE_ID: Rule("give one of them a new id ('cxlib new' picks a free one)", _LIBRARY),
    Code.BROKEN_LINK: Rule("check the id, or create the document first", _LIBRARY),
    Code.SELF_LINK: Rule("link another document", _LIBRARY),
    Code.LINK_KIND: Rule("each link field names documents of one kind (see the README)", _LIBRARY),
    Code.DUPLICATE_LINK: Rule("list each id once", _LIBRARY),
    Code.EXPERIMENT_ON_IDEA: Rule(
        "validate an insight behind the opportunity, or prioritize it, before testing it",
        _LIBRARY,
        fix="cxlib status OPP-... prioritized",
    ),
    Code.INSIGHT_STANDING: Rule(
        "the experiments behind the insight disagree with its status: reject a contested or "
        "refuted insight (or correct its evidence lists), validate a supported one again",
        _LIBRARY,
        fix="cxlib show ID (its standing and the tests behind it), then cxlib status ID rejected",
    ),
    Code.CREATED_VS_GIT: Rule(
        "set 'created' to when the document was written, or turn the rule off", Scope.HISTORY
    ),
    Code.PREREGISTRATION_CHANGED: Rule(
        "a running experiment's design is frozen: put the registered value back, or record the "
        "change under 'amendments' (date, field, reason)",
        Scope.HISTORY,
    ),
    Code.AMENDMENT_AFTER_RESULTS: Rule(
        "the primary metric cannot change once results exist: restore the registered metric "
        "and report the other one as a secondary finding",
        Scope.HISTORY,
    ),
    Code.AMENDMENT_TOO_LATE: Rule(
        "amend the design before the planned end; a change after it is a post-hoc analysis "
        "(restore the registered value)"
    ),
    Code.REVIEW_EXPIRED: Rule(
        "check the research again, then set a new review date (or retire the document)",
        Scope.DATE,
        fix="cxlib set ID review_by=YYYY-MM-DD (or: cxlib status ID archived|parked)",
    ),
}
