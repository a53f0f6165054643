"""A program's own fields (``[fields.<kind>.<name>]`` in cxlib.toml), end to end on a copy of
the example: validated with located findings, required from a status, refused when declared
badly, in the JSON Schema, ``new --set``, ``set``, ``show``, ``list`` and search (whose index
is rebuilt when the declarations change).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, git, snapshot

from cxlib.index.schema import make_schema
from cxlib.model.custom_fields import RESERVED_NAMES, statuses_from
from cxlib.model.documents import MODELS
from cxlib.model.kinds import Kind

FIELDS = """
[fields.experiment.market]
type = "one-of"
values = ["de", "fr", "uk"]
description = "The market the test ran in."
required_from = "{required_from}"

[fields.experiment.budget]
type = "number"

[fields.experiment.weeks]
type = "integer"

[fields.experiment.launch]
type = "date"

[fields.experiment.pilot]
type = "boolean"

[fields.experiment.note]
type = "text"

[fields.experiment.squads]
type = "list"

[fields.experiment.channels]
type = "list"
items = "one-of"
values = ["email", "sms", "app"]

[fields.insight.market]
type = "one-of"
values = ["de", "nl"]
"""

RUNNING = "experiments/EXP-0021-proactive-delay-alerts.md"  # status: running, on line 4
CONCLUDED = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"


def declare(root: Path, required_from: str = "running", extra: str = "") -> None:
    config = root / "cxlib.toml"
    config.write_text(config.read_text() + FIELDS.format(required_from=required_from) + extra)


def insert(root: Path, rel: str, lines: str, after: str = "status: ") -> int:
    """Put ``lines`` after the line starting with ``after``; the 1-based line of the first."""
    path = root / rel
    text = path.read_text().split("\n")
    at = next(i for i, line in enumerate(text) if line.startswith(after)) + 1
    text[at:at] = lines.split("\n")
    path.write_text("\n".join(text))
    return at + 1


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The example with the fields declared, market required from running (not a git repo)."""
    copy = example_copy(tmp_path / "northwind")
    declare(copy, required_from="implemented")
    return copy


def findings(root: Path, rel: str, strict: bool = False) -> list[dict[str, object]]:
    strictly = ["--strict"] if strict else []
    result = cx("-C", root, "validate", root / rel, "--format", "json", *strictly)
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, object]] = result.json()["findings"]
    return found


GOOD = "market: de\nbudget: 12.5\nweeks: 3\nlaunch: 2026-10-01\npilot: true\nnote: A pilot\n"
GOOD += "squads: [growth, service team]\nchannels: [email, app]"


def test_good_values_of_every_type_are_clean_even_strict(root: Path) -> None:
    insert(root, RUNNING, GOOD)
    assert findings(root, RUNNING, strict=True) == []


def test_an_undeclared_key_is_still_unknown_with_a_did_you_mean(root: Path) -> None:
    line = insert(root, RUNNING, "markt: de")
    [found] = findings(root, RUNNING)
    assert found["code"] == "unknown-field" and found["line"] == line
    assert found["hint"] == "did you mean 'market'?"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("market: dee", "invalid-value", "field 'market': must be one of de, fr, uk (got 'dee')"),
        ("market: 12", "invalid-value", "field 'market': needs text (got 12)"),
        ("budget: lots", "invalid-value", "field 'budget': needs a number, written in digits"),
        ("budget: true", "invalid-value", "field 'budget': needs a number, written in digits"),
        ("weeks: 2.5", "invalid-value", "field 'weeks': needs a whole number (got 2.5)"),
        (
            "launch: 2026-13-01",
            "invalid-date",
            "field 'launch': 2026-13-01 is not a date: month 13",
        ),
        ("launch: soon", "invalid-date", "field 'launch': not a valid date"),
        ("launch: 2026-10-01 10:00:00", "invalid-date", "without a time"),
        ("pilot: maybe", "invalid-value", "field 'pilot': needs true or false (got 'maybe')"),
        ("note: [a, b]", "invalid-value", "field 'note': needs text"),
        ("squads: growth", "invalid-value", "field 'squads': needs a list, e.g. [a, b]"),
        ("squads: [growth, 7]", "invalid-value", "field 'squads.1': needs text (got 7)"),
        ("channels: [email, smss]", "invalid-value", "field 'channels.1': must be one of email"),
    ],
)
def test_a_wrong_value_is_one_finding_on_its_line(
    root: Path, value: str, code: str, message: str
) -> None:
    line = insert(root, RUNNING, f"market: de\n{value}" if "market" not in value else value)
    line += 0 if "market" in value else 1
    [found] = findings(root, RUNNING)
    assert (found["code"], found["line"], found["severity"]) == (code, line, "error")
    assert message in str(found["message"]), found
    assert found["path"] == RUNNING


def test_a_value_not_in_the_list_says_did_you_mean(root: Path) -> None:
    insert(root, RUNNING, "market: Fr")
    [found] = findings(root, RUNNING)
    assert found["hint"] == "did you mean 'fr'? known: de, fr, uk"


def test_a_number_given_to_a_text_field_gets_the_quoting_hint(root: Path) -> None:
    insert(root, RUNNING, "market: de\nnote: 0042")
    [found] = findings(root, RUNNING)
    assert "quote it: '0042'" in str(found["hint"])


def test_the_same_name_takes_each_kinds_values(root: Path) -> None:
    rel = "insights/INS-0005-wismo-contacts-peak-on-day-three.md"
    insert(root, rel, "market: nl")
    assert findings(root, rel) == []
    insert(root, rel, "market: fr", after="market:")
    # fr is an experiment's market, not an insight's; and the key is now there twice
    assert {str(f["code"]) for f in findings(root, rel)} == {"duplicate-key"}


def test_a_field_required_from_a_status_on(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    declare(root, required_from="running")
    [found] = findings(root, RUNNING)
    assert found["code"] == "field-required" and found["line"] == 4
    assert found["message"] == (
        "this experiment is running and needs 'market' (cxlib.toml requires it from running on)"
    )
    assert "add 'market: de'" in str(found["hint"])
    assert "The market the test ran in." in str(found["hint"])
    assert [f["code"] for f in findings(root, CONCLUDED)] == ["field-required"]
    # before running, and on the side exit, nothing is asked
    for rel in (
        "experiments/EXP-0001-layering-guide-in-the-welcome-series.md",  # draft
        "experiments/EXP-0017-tier-progress-on-account-page.md",  # abandoned
    ):
        assert findings(root, rel) == [], rel
    # a placeholder is no value
    insert(root, RUNNING, "market: TBD")
    assert {str(f["code"]) for f in findings(root, RUNNING)} == {"field-required", "invalid-value"}


def test_statuses_from_follow_each_kinds_way_forward() -> None:
    assert statuses_from(Kind.EXPERIMENT, "running") == ("running", "concluded", "implemented")
    assert statuses_from(Kind.OPPORTUNITY, "prioritized") == (
        "prioritized",
        "in-progress",
        "delivered",
    )
    assert statuses_from(Kind.INSIGHT, "validated") == ("validated",)
    assert statuses_from(Kind.EXPERIMENT, "abandoned") == ("abandoned",)


def test_the_status_command_asks_for_a_required_field(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    before = snapshot(root)
    # EXP-0003 is concluded; implemented needs the market (required from implemented here)
    result = cx("-C", root, "status", "EXP-0003", "implemented")
    assert result.exit_code != 0
    assert "needs 'market'" in result.stderr
    assert snapshot(root) == before


# -- declarations cxlib.toml refuses ------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "line", "words"),
    [
        ('[fields.experiment.market]\ntype = "colour"\n', 2, "fields.experiment.market.type"),
        ('[fields.experiment.market]\ntype = "one-of"\n', 1, "a one-of field needs its values"),
        (
            '[fields.experiment.channels]\ntype = "list"\nitems = "one-of"\n',
            1,
            "a one-of field needs its values",
        ),
        ('[fields.experiment.owner]\ntype = "text"\n', 1, "'owner' is the name of a built-in"),
        ('[fields.insight.primary_metric]\ntype = "text"\n', 1, "the name of a built-in field"),
        ('[fields.experiment.metric]\ntype = "text"\n', 1, "the name of a built-in field"),
        (
            '[fields.experiment.market]\ntype = "text"\nrequired_from = "shipped"\n',
            3,
            "'shipped' is not a status of an experiment: one of draft, planned, running",
        ),
        (
            '[fields.opportunity.squad]\ntype = "text"\nrequired_from = "running"\n',
            3,
            "'running' is not a status of an opportunity",
        ),
        ('[fields.experiment.market]\ntype = "text"\nvalues = ["a"]\n', 3, "only a one-of field"),
        ('[fields.experiment.market]\ntype = "list"\nitems = "date"\n', 3, "text or one-of"),
        ('[fields.experiment.market]\ntype = "text"\ncolour = "red"\n', 3, "Extra inputs"),
        ('[fields.experment.market]\ntype = "text"\n', 1, "'experment' is not a kind"),
        ('[fields.experiment.Market]\ntype = "text"\n', 1, "'Market' is not a field name"),
        (
            '[fields.experiment.market]\ntype = "text"\n[fields.insight.market]\ntype = "date"\n',
            4,
            "'market' is a text field of an experiment: a name has one type in every kind",
        ),
    ],
)
def test_a_bad_declaration_is_a_config_error_on_its_line(
    tmp_path: Path, toml: str, line: int, words: str
) -> None:
    root = example_copy(tmp_path / "northwind")
    config = root / "cxlib.toml"
    first = len(config.read_text().splitlines()) + 2  # after the blank line added below
    config.write_text(config.read_text() + "\n" + toml)
    before = snapshot(root)
    result = cx("-C", root, "validate")
    assert result.exit_code == 2, result.output
    assert f"cxlib.toml:{first + line - 1}: " in result.stderr, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_the_declarations_survive_the_config_cache(root: Path) -> None:
    insert(root, RUNNING, "market: dee")
    first = findings(root, RUNNING)
    assert (root / ".cxlib" / "config.json").is_file()
    assert findings(root, RUNNING) == first and first[0]["code"] == "invalid-value"


# -- where the fields show ----------------------------------------------------------------


def test_the_json_schema_holds_them(root: Path) -> None:
    props = cx("-C", root, "schema", "experiment").json()["properties"]
    market = props["market"]
    assert market["anyOf"][0] == {"type": "string", "enum": ["de", "fr", "uk"]}
    assert market["description"].startswith("The market the test ran in.")
    assert props["budget"]["anyOf"][0] == {"type": "number"}
    assert props["weeks"]["anyOf"][0] == {"type": "integer"}
    assert props["launch"]["anyOf"][0] == {"type": "string", "format": "date"}
    assert props["pilot"]["anyOf"][0] == {"type": "boolean"}
    assert props["channels"]["anyOf"][0]["items"]["enum"] == ["email", "sms", "app"]
    insight = cx("-C", root, "schema", "insight").json()["properties"]
    assert insight["market"]["anyOf"][0]["enum"] == ["de", "nl"] and "budget" not in insight
    # outside a knowledge base: the built-in fields alone
    assert "market" not in cx("schema", "experiment", cwd=root.parent).json()["properties"]


def test_new_set_checks_a_declared_field_like_a_built_in(root: Path) -> None:
    git(root, "init", "-q")
    before = snapshot(root)
    bad = cx("-C", root, "new", "experiment", "Gift wrap", "--set", "market=dk")
    assert bad.exit_code == 2, bad.output
    assert "field 'market': must be one of de, fr, uk (got 'dk')" in bad.stderr
    assert snapshot(root) == before
    made = cx(
        "-C", root, "new", "experiment", "Gift wrap", "--set", "market=uk", "--set", "weeks=2"
    )
    assert made.exit_code == 0, made.output
    text = (root / made.stdout.strip().splitlines()[-1]).read_text()
    assert "\nmarket: uk\n" in text and "\nweeks: 2\n" in text


def test_set_and_show(root: Path) -> None:
    git(root, "init", "-q")
    before = snapshot(root)
    refused = cx("-C", root, "set", "EXP-0021", "market=xx")
    assert refused.exit_code != 0 and "must be one of de, fr, uk" in refused.output
    assert snapshot(root) == before
    done = cx("-C", root, "set", "EXP-0021", "market=fr", "squads=[growth, service]")
    assert done.exit_code == 0, done.output
    shown = cx("-C", root, "show", "EXP-0021").stdout
    assert "  market: fr\n" in shown and "  squads: growth, service\n" in shown


def test_list_json_and_csv_carry_them(root: Path) -> None:
    insert(root, RUNNING, "market: de\nsquads: [growth, '=cmd']\nlaunch: 2026-10-01")
    rows = {r["id"]: r for r in cx("-C", root, "list", "experiment", "--format", "json").json()}
    assert rows["EXP-0021"]["market"] == "de"
    assert rows["EXP-0021"]["squads"] == ["growth", "=cmd"]
    assert rows["EXP-0021"]["launch"] == "2026-10-01"
    assert rows["EXP-0001"]["market"] is None
    text = cx("-C", root, "list", "--format", "csv").stdout
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0])[-3:] == ["squads", "channels", "path"]  # declared order, path last
    row = next(r for r in table if r["id"] == "EXP-0021")
    assert (row["market"], row["squads"], row["launch"]) == ("de", "growth, =cmd", "2026-10-01")
    assert next(r for r in table if r["id"] == "INS-0001")["budget"] == ""


# -- search ---------------------------------------------------------------------------------


def ids(result_text: str) -> set[str]:
    return {line.split()[0] for line in result_text.splitlines() if line[:3] in {"EXP", "INS"}}


def test_search_by_a_declared_field_and_a_rebuild_when_they_change(root: Path) -> None:
    insert(root, RUNNING, "market: de\nbudget: 3.5\nlaunch: 2026-10-01\nsquads: [growth]")
    insert(root, CONCLUDED, "market: fr\nbudget: 9")
    insert(root, "insights/INS-0005-wismo-contacts-peak-on-day-three.md", "market: de")
    found = cx("-C", root, "search", "market:de")
    assert found.exit_code == 0, found.output
    assert ids(found.stdout) == {"EXP-0021", "INS-0005"}
    assert ids(cx("-C", root, "search", "market:de kind:experiment").stdout) == {"EXP-0021"}
    assert ids(cx("-C", root, "search", "budget:[1 TO 5]").stdout) == {"EXP-0021"}
    assert ids(cx("-C", root, "search", "launch:2026-10").stdout) == {"EXP-0021"}
    assert ids(cx("-C", root, "search", "squads:growth").stdout) == {"EXP-0021"}
    wrong = cx("-C", root, "search", "market:dk")
    assert wrong.exit_code == 2 and "market is one of: de, fr, nl, uk" in wrong.stderr
    unknown = cx("-C", root, "search", "markt:de")
    assert unknown.exit_code == 2 and ", launch, market, note, " in unknown.stderr  # the hint
    # a field declared now: the index is rebuilt, and its values found
    insert(root, RUNNING, "lever: pricing", after="market:")
    (root / "cxlib.toml").write_text(
        (root / "cxlib.toml").read_text() + '\n[fields.experiment.lever]\ntype = "text"\n'
    )
    again = cx("-C", root, "search", "lever:pricing")
    assert again.exit_code == 0, again.output
    assert "the fields cxlib.toml declares changed" in again.stderr
    assert ids(again.stdout) == {"EXP-0021"}
    assert "rebuilt" not in cx("-C", root, "search", "lever:pricing").stderr  # once only


def test_every_name_search_gives_a_built_in_is_reserved() -> None:
    builtin = {name for model in MODELS.values() for name in model.model_fields}
    assert set(make_schema().names()) <= builtin | RESERVED_NAMES


def test_where_and_export_read_them(root: Path) -> None:
    insert(root, RUNNING, "market: fr\nbudget: 3.5\nsquads: [growth]")
    insert(root, CONCLUDED, "market: de\nbudget: 9")
    where = cx(
        "-C", root, "list", "experiment", "--where", "budget > 3 and market = fr", "-f", "json"
    )
    assert where.exit_code == 0, where.output
    assert [r["id"] for r in where.json()] == ["EXP-0021"]
    exported = cx("-C", root, "export", "--kind", "experiment", "--format", "json")
    assert exported.exit_code == 0, exported.output
    docs = {d["id"]: d for d in exported.json()}
    assert (docs["EXP-0021"]["market"], docs["EXP-0021"]["squads"]) == ("fr", ["growth"])
    assert docs["EXP-0003"]["budget"] == 9


def test_the_site_page_lists_declared_fields_in_words(root: Path, tmp_path: Path) -> None:
    insert(root, CONCLUDED, GOOD)
    out = tmp_path / "site"
    built = cx("-C", root, "site", "-o", out, "--no-search")
    assert built.exit_code == 0, built.output
    page = (out / "docs" / "EXP-0003.html").read_text()
    assert "<dt>Market</dt> <dd>de</dd>" in page
    assert "<dt>Pilot</dt> <dd>yes</dd>" in page
    assert "<dt>Channels</dt> <dd>email, app</dd>" in page
    assert "<dt>Launch</dt> <dd>2026-10-01</dd>" in page
