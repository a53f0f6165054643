"""Queries over any front-matter key (``list --where``): the grammar, what each operator
selects on the example, a custom key, and every kind of bad query refused with its place
(exit 2, nothing on stdout). And the rule that no code in ``src/`` runs text as Python."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import cx

from cxlib.model.kinds import Kind
from cxlib.query.fields import fields_of_model, model_fields
from cxlib.query.grammar import parse
from cxlib.query.nodes import AllOf, AnyOf, FieldTest, Not, QueryError

SRC = Path(__file__).resolve().parent.parent / "src"


def _ids(base: Path, *args: str) -> list[str]:
    result = cx("-C", base, "list", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [row["id"] for row in result.json()]


def _where(base: Path, *queries: str) -> list[str]:
    return _ids(base, *[arg for q in queries for arg in ("--where", q)])


def test_the_grammar_gives_and_or_not_with_parentheses() -> None:
    node = parse("a = 1 and (b != x or not c contains 'y z') and d in [2026-01-01, 2.5, true]")
    assert isinstance(node, AllOf) and len(node.parts) == 3
    first, middle, last = node.parts
    assert isinstance(first, FieldTest) and first.values[0].value == 1
    assert isinstance(middle, AnyOf) and isinstance(middle.parts[1], Not)
    inner = middle.parts[1].part
    assert (
        isinstance(inner, FieldTest) and inner.op == "contains" and inner.values[0].value == "y z"
    )
    assert isinstance(last, FieldTest) and [v.value for v in last.values] == [
        dt.date(2026, 1, 1),
        2.5,
        True,
    ]
    # "and" binds tighter than "or"; keywords in any case
    assert isinstance(parse("a = 1 OR b = 2 AND c = 3"), AnyOf)
    assert isinstance(parse("x exists and y missing"), AllOf)


@pytest.mark.parametrize(
    ("query", "says", "column"),
    [
        ("result.effect >", "the query ends early; expected a value", 15),
        ("stage = = purchase", "unexpected '='; expected a value", 8),
        ("(stage = purchase", "the query ends early; expected ')'", 17),
        ("stage = purchase deliver", "unexpected 'deliver'; expected 'and', 'or'", 17),
        ("stage ~ purchase", "unexpected '~'", 6),
        ("stage in [purchase deliver]", "expected ']' or ','", 19),
        ("title = 'unclosed", 'unexpected "\'"', 8),
        ("   ", "the query is empty", 0),
    ],
)
def test_a_malformed_query_is_refused_with_a_caret(query: str, says: str, column: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    message = caught.value.message
    assert says in message
    shown, caret = message.splitlines()[-2:]
    assert shown == "  " + query and caret == "  " + " " * column + "^"


@pytest.mark.parametrize(
    ("query", "says", "at"),
    [
        ("markt = de", "no document has a field 'markt'", "markt"),
        ("created >= tomorrow", "created is a date: compare it with a date like 2026-01-01", "to"),
        ("result.effect > high", "'>' compares numbers or dates; 'high' is neither", "high"),
        ("created < 2026-13-01", "2026-13-01 is not a date: month 13", "2026"),
        ("start = '2025-01-01'", "start is a date", "'2025"),
        ("status = draft and", "the query ends early", None),
    ],
)
def test_a_bad_query_on_the_command_line_is_exit_2(
    base: Path, query: str, says: str, at: str | None
) -> None:
    result = cx("-C", base, "list", "--where", query)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert f"error: {says}" in result.stderr
    lines = result.stderr.splitlines()
    shown = lines.index("  " + query)
    caret = lines[shown + 1].index("^") - 2
    if at is not None:
        assert query[caret:].startswith(at)
    assert "Traceback" not in result.output


def test_an_unknown_field_gets_a_did_you_mean(base: Path) -> None:
    result = cx("-C", base, "list", "--where", "primary_metirc = nps")
    assert result.exit_code == 2
    assert "did you mean 'primary_metric'?" in result.stderr
    other = cx("-C", base, "list", "experiment", "--where", "kpis contains cac")
    assert other.exit_code == 2 and "no experiment has a field 'kpis'" in other.stderr


def test_comparisons_select_on_the_example(base: Path) -> None:
    assert _where(base, "result.effect > 2") == ["EXP-0005"]
    assert _where(base, "result.outcome = LOST") == ["EXP-0003", "EXP-0012", "EXP-0014"]
    assert set(_where(base, "result.outcome != won", "status = concluded")) == set(
        _ids(base, "experiment", "--status", "concluded")
    ) - set(_where(base, "result.outcome = won"))
    lost_or_flat = _where(base, "result.outcome in [lost, inconclusive]")
    assert set(_where(base, "result.outcome = lost")) < set(lost_or_flat)
    assert _where(base, "result.p_value <= 0.001 and result.effect < 0") == []


def test_dates_lists_records_and_text(base: Path) -> None:
    since = _where(base, "created >= 2026-09-01")
    assert since == _ids(base, "--since", "2026-09-01")  # the option is the same test
    rows = cx("-C", base, "list", "--format", "json").json()
    september = [r["id"] for r in rows if "2026-09-01" <= r["created"] < "2026-10-01"]
    assert september and _where(base, "created >= 2026-09-01 and created < 2026-10-01") == (
        september
    )
    # a list field holds a value; a path through a list of records matches any record
    assert "EXP-0004" in _where(base, "guardrail_metrics contains page-load-time")
    guarded = _where(base, "result.guardrails.metric = return-rate")
    assert "EXP-0003" in guarded and "EXP-0001" not in guarded
    assert _where(base, "tags contains SHIPPING") == _ids(base, "--tag", "shipping")
    # text holding a word, in any case
    titled = _where(base, "title contains 'free shipping'")
    assert titled and all("EXP" in i for i in titled)
    negated = _where(base, "not (decision exists or status != concluded)")
    assert negated == _where(base, "status = concluded", "decision missing")


def test_where_and_the_options_are_and_ed(base: Path) -> None:
    both = _ids(base, "experiment", "--status", "implemented", "--where", "stage = purchase")
    assert both and set(both) == set(_ids(base, "experiment", "--status", "implemented")) & set(
        _where(base, "stage = purchase")
    )


def test_a_custom_key_is_a_field_too(base: Path) -> None:
    path = next((base / "experiments").glob("EXP-0005-*.md"))
    text = path.read_text()
    path.write_text(text.replace("\nstatus:", "\nmarket: de\nsquad_size: 7\nstatus:", 1))
    assert _where(base, "market = de") == ["EXP-0005"]
    assert _where(base, "market = DE and squad_size >= 7") == ["EXP-0005"]
    assert _where(base, "market != de", "status = implemented") == [
        i for i in _ids(base, "--status", "implemented") if i != "EXP-0005"
    ]


# -- never run text as code --------------------------------------------------------------------

BANNED = {"eval", "exec", "compile"}


def _bare_calls(tree: ast.AST) -> list[tuple[str, int]]:
    """Calls of the builtins themselves (``eval(...)``), not methods (``re.compile(...)``) or
    other functions whose names contain them (``compile_formula(...)``)."""
    return [
        (node.func.id, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BANNED
    ]


def test_no_code_in_src_calls_eval_exec_or_compile() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {name}("
        for path in sorted(SRC.rglob("*.py"))
        for name, line in _bare_calls(ast.parse(path.read_text(), str(path)))
    ]
    assert found == []


def test_the_check_sees_a_bare_call_and_nothing_else() -> None:
    tree = ast.parse("eval(x)\nre.compile(p)\ncompile_formula(f)\nexec('1')\nb.eval()\n")
    assert _bare_calls(tree) == [("eval", 1), ("exec", 4)]


# -- saved queries ------------------------------------------------------------------------------

SAVED = """
[queries.big-wins]
title = "Big wins"
description = "Experiments that moved their metric by more than 2%"
kind = "experiment"
where = "result.outcome = won and result.effect > 2"

[queries.late-2026]
where = ["created >= 2026-09-01", "stage in [support, deliver, consider]"]
"""


def _save(base: Path, text: str) -> None:
    config = base / "cxlib.toml"
    config.write_text(config.read_text() + text)


def test_saved_queries_are_listed_and_run(base: Path) -> None:
    _save(base, SAVED)
    listed = cx("-C", base, "query", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [(q["name"], q["title"]) for q in listed.json()] == [
        ("big-wins", "Big wins"),
        ("late-2026", ""),
    ]
    assert "Experiments that moved their metric" in cx("-C", base, "query").stdout
    wins = cx("-C", base, "query", "big-wins", "--format", "json")
    assert wins.exit_code == 0, wins.output
    assert [r["id"] for r in wins.json()] == _where(
        base, "result.outcome = won and result.effect > 2"
    )
    late = cx("-C", base, "query", "late-2026", "--format", "csv")
    assert late.stdout.splitlines()[0].startswith("id,title,status")
    assert [line.split(",")[0] for line in late.stdout.splitlines()[1:]] == _where(
        base, "created >= 2026-09-01", "stage in [support, deliver, consider]"
    )


def test_each_saved_query_is_a_page_of_the_site(base: Path, tmp_path: Path) -> None:
    _save(base, SAVED)
    out = tmp_path / "site"
    built = cx("-C", base, "site", "-o", out, "--no-search")
    assert built.exit_code == 0, built.output
    home = (out / "index.html").read_text()
    assert '<a href="queries/big-wins.html">Big wins</a>' in home
    page = (out / "queries" / "big-wins.html").read_text()
    wins = _where(base, "result.outcome = won and result.effect > 2")
    assert wins and all(f'href="../docs/{i}.html"' in page for i in wins)
    assert page.count('href="../docs/') == len(wins)
    assert "Experiments that moved their metric by more than 2%" in page
    late = (out / "queries" / "late-2026.html").read_text()
    assert late.count('href="../docs/') == len(
        _where(base, "created >= 2026-09-01", "stage in [support, deliver, consider]")
    )


def test_an_unknown_saved_query_gets_a_did_you_mean(base: Path) -> None:
    result = cx("-C", base, "query", "big-wins")
    assert result.exit_code == 2 and "keeps no query named 'big-wins' (it keeps none)" in (
        result.stderr
    )
    _save(base, SAVED)
    result = cx("-C", base, "query", "big-win")
    assert result.exit_code == 2 and "did you mean 'big-wins'?" in result.stderr


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('[queries.broken]\nwhere = "status = = draft"\n', "queries.broken.where: unexpected '='"),
        ("[queries.broken]\nwhere = []\n", "queries.broken.where: a saved query needs a where"),
        ('[queries.broken]\nwhere = ["ok = 1", "x >"]\n', "queries.broken.where: the query ends"),
        ('[queries.broken]\nwhere = "a = 1"\nkind = "widget"\n', "queries.broken.kind"),
        ('[queries.broken]\nwhere = "a = 1"\ntitel = "x"\n', "queries.broken.titel: Extra inputs"),
        ('[queries.broken]\ntitle = "x"\n', "queries.broken.where"),
    ],
)
def test_a_saved_query_that_does_not_parse_is_a_config_error(
    base: Path, table: str, says: str
) -> None:
    _save(base, "\n" + table)
    for args in (("query",), ("list",), ("validate",)):
        result = cx("-C", base, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "cxlib.toml:" in result.stderr and says in result.stderr, args


def test_the_table_of_built_in_fields_is_what_the_models_say() -> None:
    for kind in Kind:
        assert list(model_fields(kind).items()) == list(fields_of_model(kind).items()), kind
    assert model_fields(Kind.EXPERIMENT)["result.guardrails.metric"] == "value"
    assert model_fields(Kind.EXPERIMENT)["amendments.date"] == "date"
