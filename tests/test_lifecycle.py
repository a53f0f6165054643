"""``set`` and ``status``: lifecycle moves checked by the rules before anything is written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, snapshot

TODAY = "2026-11-02"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "northwind"
    example_copy(target)
    return target


def path_of(root: Path, doc_id: str) -> Path:
    return next(root.glob(f"*/{doc_id}-*.md"))


EDITS = {"set", "status", "link", "unlink", "renumber"}


def run(root: Path, *args: str) -> str:
    """An edit with --no-touch: these tests count the lines an edit changes."""
    touch = ["--no-touch"] if args[0] in EDITS else []
    result = cx("--today", TODAY, "-C", root, *args, *touch)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(root: Path, *args: str) -> str:
    before = snapshot(root)
    result = cx("--today", TODAY, "-C", root, *args)
    assert result.exit_code == 2, result.output
    assert snapshot(root) == before
    return result.stderr


RUNNING = """\
---
id: EXP-0100
title: Delivery promise on the cart page
status: running
owner: Jonas Berg
created: 2026-09-01
opportunity: OPP-0004
insights: []
hypothesis: "We believe that a date in the cart will cause more orders, measured by conversion."
primary_metric: conversion-rate
start: 2026-10-01
---

## Hypothesis

See above.

## Learnings

<!-- What did we learn, whatever the outcome? -->

## Next steps

<!-- Ship, iterate, rerun or abandon. -->
"""


def test_running_fills_the_start_date_and_changes_two_lines(example: Path) -> None:
    path = path_of(example, "EXP-0022")
    before = path.read_text()
    out = run(example, "status", "EXP-0022", "running")
    assert "moved EXP-0022 from planned to running (set start)" in out
    expected = before.replace("status: planned", "status: running").replace(
        "planned_days: 28\n", f"planned_days: 28\nstart: {TODAY}\n"
    )
    assert path.read_text() == expected
    assert "already running" in run(example, "status", "EXP-0022", "running")


def test_a_skipped_step_is_refused_with_the_way_there(example: Path) -> None:
    err = refused(example, "status", "EXP-0022", "concluded")
    assert "cannot move from planned to concluded" in err
    assert "planned -> running -> concluded" in err
    err = refused(example, "status", "INS-0001", "draft")
    assert "archived is final" in err
    err = refused(example, "status", "EXP-0022", "finished")
    assert "'finished' is not a status of an experiment" in err and "running" in err


def test_concluding_needs_an_outcome_and_learnings(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = example / "experiments" / "EXP-0100-delivery-promise.md"
    path.write_text(RUNNING)
    err = refused(example, "status", "EXP-0100", "concluded")
    assert "needs result.outcome" in err and "--outcome" in err
    assert "needs a non-empty '## Learnings' section" in err
    assert "--learnings-from-editor" in err

    err = refused(example, "status", "EXP-0100", "concluded", "--outcome", "lost")
    assert "a loss or an inconclusive result needs its learnings most of all" in err
    assert "needs result.outcome" not in err

    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "p = sys.argv[1]\n"
        "text = open(p, encoding='utf-8').read()\n"
        "open(p, 'w', encoding='utf-8').write('- Shoppers ignore dates they cannot trust.\\n'"
        " + text)\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    out = run(
        example, "status", "EXP-0100", "concluded", "--outcome", "lost", "--learnings-from-editor"
    )
    assert "moved EXP-0100 from running to concluded (set end)" in out
    text = path.read_text()
    assert f"start: 2026-10-01\nend: {TODAY}\nresult:\n  outcome: lost\n---\n" in text
    assert (
        "<!-- What did we learn, whatever the outcome? -->\n\n"
        "- Shoppers ignore dates they cannot trust.\n\n## Next steps" in text
    )
    assert "Write the learnings" not in text  # the editor's guidance is not kept
    assert cx("-C", example, "validate", path).exit_code == 0
    # Everything outside the three changed places is as it was.
    assert text.replace(f"end: {TODAY}\nresult:\n  outcome: lost\n", "").replace(
        "\n- Shoppers ignore dates they cannot trust.\n", ""
    ) == RUNNING.replace("status: running", "status: concluded")


def test_learnings_without_an_editor_set_use_the_named_default(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With neither $VISUAL nor $EDITOR, the default editor is found on the PATH and named,
    with how to choose another (never a silent vi)."""
    (example / "experiments" / "EXP-0100-x.md").write_text(RUNNING)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    nano = bin_dir / "nano"
    nano.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "p = sys.argv[1]\n"
        "text = open(p, encoding='utf-8').read()\n"
        "open(p, 'w', encoding='utf-8').write('- Dates win.\\n' + text)\n"
    )
    nano.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    result = cx(
        "-C",
        example,
        "status",
        "EXP-0100",
        "concluded",
        "--outcome",
        "won",
        "--learnings-from-editor",
    )
    assert result.exit_code == 0, result.output
    assert "in nano: neither $VISUAL nor $EDITOR is set" in result.stderr
    assert "- Dates win." in (example / "experiments" / "EXP-0100-x.md").read_text()


def test_an_empty_editor_text_changes_nothing(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example / "experiments" / "EXP-0100-x.md").write_text(RUNNING)
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c pass")
    err = refused(
        example, "status", "EXP-0100", "concluded", "--outcome", "won", "--learnings-from-editor"
    )
    assert "no learnings were written" in err


def test_validating_an_insight_needs_evidence_and_confidence(example: Path) -> None:
    path = example / "insights" / "INS-0100-new.md"
    path.write_text(
        "---\nid: INS-0100\ntitle: Fresh\nstatus: draft\ncreated: 2026-10-01\n---\n\n"
        "## Summary\n\nx\n"
    )
    err = refused(example, "status", "INS-0100", "validated")
    assert "a validated insight needs at least one piece of evidence" in err
    assert "needs a confidence" in err
    assert "cxlib link INS-0100 EXP-" in err and "cxlib set INS-0100 confidence=" in err
    assert "a validated insight needs an owner" in err
    run(example, "link", "INS-0100", "EXP-0003")
    run(example, "set", "INS-0100", "confidence=medium")
    run(example, "set", "INS-0100", "owner=Ana Lima")
    assert "from draft to validated" in run(example, "status", "INS-0100", "validated")
    assert cx("-C", example, "validate", path).exit_code == 0


def test_prioritizing_an_opportunity_needs_its_scores(example: Path) -> None:
    err = refused(example, "status", "OPP-0008", "prioritized")
    assert "needs scores: customer_value, business_value, effort" in err
    run(example, "set", "OPP-0008", "customer_value=4", "business_value=3", "effort=2")
    run(example, "status", "OPP-0008", "prioritized")
    text = path_of(example, "OPP-0008").read_text()
    assert "status: prioritized\n" in text
    assert (
        "kpis: [average-order-value, clv]\ncustomer_value: 4\nbusiness_value: 3\neffort: 2\n---"
        in text
    )


def test_set_keeps_quoting_and_edits_nested_result_fields(example: Path) -> None:
    run(example, "set", "EXP-0022", "audience=Only app users")
    text = path_of(example, "EXP-0022").read_text()
    assert 'audience: "Only app users"\n' in text  # still double-quoted
    run(example, "set", "EXP-0003", "result.sample_size=90000")
    text = path_of(example, "EXP-0003").read_text()
    assert "  p_value: 0.03\n  interval: [-2.1, -0.1]\n  sample_size: 90000\n  guardrails:" in text
    run(example, "set", "EXP-0007", "result.effect=1.5")
    text = path_of(example, "EXP-0007").read_text()
    assert "planned_days: 42\nresult:\n  effect: 1.5\n---" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (("set", "OPP-0009", "customer_value=9"), "customer_value"),
        (("set", "OPP-0009", "colour=red"), "has no field 'colour'"),
        (("set", "OPP-0009", "id=OPP-0099"), "cxlib renumber"),
        (("set", "EXP-0022", "status=concluded"), "cannot move from planned to concluded"),
        (("set", "EXP-0022", "primary_metric=mood"), "metric 'mood' is not in cxlib.toml"),
        (("set", "EXP-0022", "opportunity=OPP-0404"), "link target OPP-0404 does not exist"),
        (("set", "EXP-0022", "result.colour=red"), "no field 'result.colour'"),
        (("set", "EXP-0404", "owner=x"), "unknown id"),
        (("set", "EXP-0022"), "Missing argument"),
        (("status", "INS-0015", "validated", "--outcome", "won"), "only experiments"),
        (("status", "EXP-0007", "concluded", "--outcome", "great"), "unknown outcome"),
        (("status", "EXP-0007", "concluded", "--end", "soon"), "not a date"),
    ],
)
def test_set_and_status_refusals(example: Path, args: tuple[str, ...], message: str) -> None:
    assert message in refused(example, *args)


def test_dry_run_and_json(example: Path) -> None:
    before = snapshot(example)
    out = run(example, "status", "EXP-0007", "abandoned", "--dry-run")
    assert "would move EXP-0007 from running to abandoned" in out
    assert "-status: running\n+status: abandoned" in out
    assert snapshot(example) == before
    result = cx(
        "--today", TODAY, "-C", example, "set", "EXP-0007", "decision=abandon", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    data = result.json()
    assert data["changed"] is True and data["values"] == {"decision": "abandon"}


def test_existing_problems_do_not_block_an_unrelated_edit(example: Path) -> None:
    """A document that already breaks a rule can still be edited; only new breakage is refused."""
    path = path_of(example, "EXP-0022")
    path.write_text(path.read_text().replace("stage: support", "stage: nowhere"))
    run(example, "set", "EXP-0022", "owner=Someone Else")
    assert "owner: Someone Else\n" in path.read_text()


# -- hints for a refused move, read off the transition table ------------------------------------


@pytest.mark.parametrize(
    ("kind", "current", "new", "hint"),
    [
        ("experiment", "draft", "running", "go step by step: draft -> planned -> running"),
        # concluded is not final: it moves on to implemented or abandoned, never back
        (
            "experiment",
            "concluded",
            "running",
            "from concluded an experiment can move to: implemented, abandoned",
        ),
        (
            "experiment",
            "abandoned",
            "draft",
            "abandoned is final for an experiment; edit the file by hand if it is wrong",
        ),
        (
            "opportunity",
            "delivered",
            "idea",
            "delivered is final for an opportunity; edit the file by hand if it is wrong",
        ),
        ("insight", "rejected", "validated", "from rejected an insight can move to: archived"),
    ],
)
def test_move_hints_follow_the_transitions(kind: str, current: str, new: str, hint: str) -> None:
    from cxlib.model.kinds import Kind
    from cxlib.model.lifecycle import move_hint

    assert move_hint(Kind(kind), current, new) == hint


def test_every_refused_move_gets_a_true_hint() -> None:
    """Whatever the refused move, the hint names a way that exists or says truly that the
    status is final."""
    from cxlib.model.kinds import Kind
    from cxlib.model.lifecycle import allowed, move_hint, path_between
    from cxlib.model.vocabulary import TRANSITIONS

    for kind, graph in TRANSITIONS.items():
        for current in graph:
            for new in graph:
                if new == current or allowed(kind, current, new):
                    continue
                hint = move_hint(Kind(kind), current, new)
                if "is final" in hint:
                    assert graph[current] == ()
                elif hint.startswith("go step by step"):
                    assert path_between(kind, current, new)
                else:
                    assert path_between(kind, current, new) is None and graph[current]


def test_set_writes_a_small_number_that_reads_back_as_a_number(example: Path) -> None:
    """Python writes 1e-05, which YAML 1.1 reads as text; the edit writes 1.0e-05."""
    run(example, "set", "EXP-0003", "result.p_value=0.00001")
    text = path_of(example, "EXP-0003").read_text()
    assert "  p_value: 1.0e-05\n" in text
    shown = cx("-C", example, "show", "EXP-0003", "--format", "json").json()
    assert shown["front_matter"]["result"]["p_value"] == 0.00001


def test_status_help_lists_every_move_of_the_table() -> None:
    from cxlib.model.vocabulary import TRANSITIONS

    shown = cx("status", "--help").stdout
    for kind, moves in TRANSITIONS.items():
        assert f"  {kind.value}:\n" in shown
        for status, targets in moves.items():
            assert f"    {status} -> {' | '.join(targets) if targets else '(final)'}\n" in shown
    assert "see the README" not in shown and "--start DATE" in shown
