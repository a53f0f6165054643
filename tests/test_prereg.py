"""The pre-registration lock on real repositories with real history: a frozen design field
changed after the commit that made the experiment running is an error naming that commit; an
amendment allows it; the pre-commit hook refuses the change before it lands; without history
(a shallow clone, no repository) the check says once that it was skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import cx, write
from tests.gitrepo import (
    commit,
    experiment,
    hook_env,
    insight,
    new_base,
    opportunity,
    run_git,
    run_in,
)

from cxlib.kb.history import document_history
from cxlib.kb.store import KnowledgeBase
from cxlib.model.codes import Code, Scope
from cxlib.model.prereg import Registration, Stamp, changed_fields, shown

EXP = "experiments/EXP-0001-banner.md"
EVIDENCE = "evidence: [https://example.com/survey]\nconfidence: high\n"
DESIGN = (
    "variants: [control, banner]\n"
    "mde: 5\n"
    "decision_rule: {ship_if: significant-win}\n"
    "planned_end: 2025-02-07\n"
)
HYPOTHESIS = "a cart banner for shoppers will cause more orders (conversion-rate)."
STARTED = "2025-01-07T09:00:00+00:00"


def _base(root: Path, design: str = DESIGN) -> str:
    """INS-0001 and OPP-0001, EXP-0001 planned by Ana, then made running by Bea (returned)."""
    new_base(root)
    write(root, "insights/INS-0001-late.md", insight("INS-0001", "Late", "validated", EVIDENCE))
    write(root, "opportunities/OPP-0001-x.md", opportunity("OPP-0001", "Costs in the cart"))
    write(root, EXP, experiment("EXP-0001", "Banner", "planned", design))
    commit(root, "Plan EXP-0001", author="Ana Lima", date="2025-01-06T10:00:00+00:00")
    write(root, EXP, experiment("EXP-0001", "Banner", "running", design))
    return commit(root, "Start EXP-0001", author="Bea Costa", date=STARTED)


@pytest.fixture
def started(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "kb"
    return root, _base(root)


def _validate(root: Path, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = cx("-C", root, "validate", "--format", "json", *args, cwd=root)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.json()["findings"], result.stderr


def _lock(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = {Code.PREREGISTRATION_CHANGED, Code.AMENDMENT_AFTER_RESULTS, Code.AMENDMENT_TOO_LATE}
    return [f for f in findings if f["code"] in codes]


def _edit(root: Path, old: str, new: str, path: str = EXP) -> None:
    text = (root / path).read_text()
    assert old in text, old
    write(root, path, text.replace(old, new, 1))


def test_a_changed_hypothesis_names_the_commit_that_made_it_running(
    started: tuple[Path, str],
) -> None:
    root, sha = started
    assert _lock(_validate(root)[1]) == []
    _edit(root, "a cart banner for shoppers", "a bigger cart banner for everyone")
    commit(root, "Sharpen the hypothesis", author="Caio Reis", date="2025-01-20T10:00:00+00:00")
    for args in ((), (EXP,)):  # a whole-base run and the hook's run, one answer
        code, findings, _ = _validate(root, *args)
        assert code == 1
        [f] = _lock(findings)
        assert (f["code"], f["severity"], f["field"], f["line"]) == (
            "preregistration-changed",
            "error",
            "hypothesis",
            9,
        )
        assert f["message"] == (
            f"hypothesis changed after {sha[:7]} (2025-01-07, Bea Costa) made the experiment "
            f'running; it was: "We believe that {HYPOTHESIS}"'
        )
    # An amendment records the change deliberately: no longer reported.
    _edit(
        root,
        "planned_end:",
        "amendments:\n  - {date: 2025-01-20, field: hypothesis, reason: sharper wording}\n"
        "planned_end:",
    )
    for args in ((), (EXP,)):
        assert _lock(_validate(root, *args)[1]) == []


def test_an_uncommitted_change_is_reported_and_text_output_names_it(
    started: tuple[Path, str],
) -> None:
    root, sha = started
    _edit(root, "mde: 5", "mde: 3")
    result = cx("-C", root, "validate", EXP, cwd=root)
    assert result.exit_code == 1
    assert (
        f"{EXP}:13: error: mde changed after {sha[:7]} (2025-01-07, Bea Costa) made the "
        "experiment running; it was: 5 [preregistration-changed]"
    ) in result.stdout


def test_every_frozen_field_and_what_is_no_change() -> None:
    stamp = Stamp("a" * 40, "2025-01-07T09:00:00+00:00", "Bea")
    values = {
        "hypothesis": "We believe X",
        "primary_metric": "conversion-rate",
        "guardrail_metrics": ["return-rate", "average-order-value"],
        "audience": "All shoppers",
        "variants": ["control", "banner"],
        "mde": 5,
        "alpha": 0.05,
        "planned_sample_size": 1000,
        "decision_rule": "ship if it wins",
    }
    reg = Registration(stamp, values)
    same: dict[str, Any] = {
        **values,
        "hypothesis": "We  believe\nX",  # whitespace
        "guardrail_metrics": ["average-order-value", "return-rate"],  # a set
        "variants": [  # names as records, allocations added, a screenshot
            {"name": "control", "allocation": 50},
            {"name": "banner", "allocation": 50, "screenshot": "a.png"},
        ],
        "mde": 5.0,
        "decision_rule": {"ship_if": "win", "text": "ship if it wins"},  # the same words
        "baseline": 0.03,  # not frozen
    }
    assert changed_fields(reg, same) == []
    changed = {
        "hypothesis": "We believe Y",
        "primary_metric": "average-order-value",
        "guardrail_metrics": ["return-rate"],
        "audience": "Mobile shoppers",
        "variants": ["control", "big-banner"],
        "mde": 3,
        "alpha": 0.1,
        "planned_sample_size": 800,
        "decision_rule": "ship unless it loses",
    }
    for name, value in changed.items():
        assert changed_fields(reg, {**values, name: value}) == [name], name
        assert changed_fields(reg, {k: v for k, v in values.items() if k != name}) == [name]
    assert changed_fields(reg, {**values, "variants": ["banner", "control"]}) == ["variants"]
    # An allocation declared at the start is locked; a field not given then is not.
    records = Registration(stamp, {"variants": [{"name": "control", "allocation": 50}]})
    assert changed_fields(records, {"variants": [{"name": "control", "allocation": 40}]}) == [
        "variants"
    ]
    assert changed_fields(records, {"variants": ["control"]}) == ["variants"]  # dropped
    assert changed_fields(records, {**records.values, "mde": 2}) == []
    assert changed_fields(
        Registration(stamp, {"decision_rule": {"ship_if": "win"}}),
        {"decision_rule": {"ship_if": "significant-win"}},
    ) == ["decision_rule"]


def test_the_original_value_is_escaped_and_shortened() -> None:
    assert shown("a\x1b[2Jb") == '"a\\u001b[2Jb"'
    long = shown("x" * 500)
    assert len(long) == 120 and long.endswith("…")


def test_variants_as_records_are_the_same_design_but_a_new_allocation_is_not(
    tmp_path: Path,
) -> None:
    root = tmp_path / "kb"
    _base(root)
    _edit(
        root,
        "variants: [control, banner]",
        "variants:\n  - {name: control, allocation: 50}\n  - {name: banner, allocation: 50}",
    )
    commit(root, "Variants as records", date="2025-01-08T10:00:00+00:00")
    assert _lock(_validate(root)[1]) == []
    allocated = tmp_path / "allocated"
    _base(
        allocated,
        DESIGN.replace(
            "[control, banner]", "[{name: control, allocation: 50}, {name: banner, allocation: 50}]"
        ),
    )
    _edit(
        allocated,
        "allocation: 50}, {name: banner, allocation: 50}",
        "allocation: 60}, {name: banner, allocation: 40}",
    )
    [f] = _lock(_validate(allocated, EXP)[1])
    assert f["field"] == "variants"
    assert 'it was: [{"name": "control", "allocation": 50}' in f["message"]


def test_a_rename_keeps_the_registration(started: tuple[Path, str]) -> None:
    root, sha = started
    renamed = "experiments/EXP-0001-cart-banner.md"
    run_git(root, "mv", EXP, renamed)
    commit(root, "Rename", date="2025-01-09T10:00:00+00:00")
    _edit(root, "mde: 5", "mde: 4", renamed)
    for args in ((), (renamed,)):
        [f] = _lock(_validate(root, *args)[1])
        assert f["path"] == renamed and sha[:7] in f["message"]


def test_an_amendment_after_the_planned_end_stays_an_error(started: tuple[Path, str]) -> None:
    root, _ = started
    _edit(root, "mde: 5", "mde: 3")
    _edit(
        root,
        "planned_end:",
        "amendments:\n  - {date: 2025-02-08, field: mde, reason: too late}\nplanned_end:",
    )
    code, findings, _ = _validate(root, EXP)
    assert code == 1
    assert [(f["code"], f["field"]) for f in _lock(findings)] == [
        ("amendment-too-late", "amendments.0.date")
    ]
    assert Code.AMENDMENT_TOO_LATE.rule.scope == Scope.FILE


def test_the_primary_metric_cannot_be_amended_once_results_exist(
    started: tuple[Path, str],
) -> None:
    root, _ = started
    _edit(root, "status: running", "status: concluded")
    _edit(
        root, "planned_end:", "end: 2025-02-07\nresult: {outcome: lost, effect: -1}\nplanned_end:"
    )
    commit(root, "Conclude EXP-0001", date="2025-02-08T10:00:00+00:00")
    _edit(root, "primary_metric: conversion-rate", "primary_metric: average-order-value")
    _edit(
        root,
        "planned_end:",
        "amendments:\n  - {date: 2025-01-20, field: primary_metric, reason: backdated}\n"
        "planned_end:",
    )
    [f] = _lock(_validate(root, EXP)[1])
    assert f["code"] == "amendment-after-results" and "the uncommitted file" in f["message"]
    moved = commit(root, "Another metric", author="Caio Reis", date="2025-02-10T10:00:00+00:00")
    for args in ((), (EXP,)):
        [f] = _lock(_validate(root, *args)[1])
        assert f["code"] == "amendment-after-results"
        assert f"{moved[:7]} (2025-02-10, Caio Reis)" in f["message"]
    assert Code.AMENDMENT_AFTER_RESULTS.rule.scope == Scope.HISTORY
    assert Code.PREREGISTRATION_CHANGED.rule.scope == Scope.HISTORY


def test_a_shallow_clone_says_once_that_the_lock_was_skipped(
    started: tuple[Path, str], tmp_path: Path
) -> None:
    root, _ = started
    _edit(root, "mde: 5", "mde: 3")
    commit(root, "Change the mde", date="2025-01-20T10:00:00+00:00")
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "1", root.as_uri(), str(clone))
    for args in ((), (EXP,)):
        _, findings, stderr = _validate(clone, *args)
        assert _lock(findings) == []
        assert stderr.count("pre-registration lock not checked") == 1
        assert "a shallow clone" in stderr
    # The full repository reports it.
    assert len(_lock(_validate(root)[1])) == 1


def test_outside_a_repository_the_lock_is_skipped_once(
    started: tuple[Path, str], tmp_path: Path
) -> None:
    root, _ = started
    plain = tmp_path / "plain"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git", ".cxlib"))
    stderr = _validate(plain)[2]
    assert stderr.strip() == "pre-registration lock not checked: not a git repository"
    # A base without experiments has nothing to lock: nothing is said.
    (plain / EXP).unlink()
    assert _validate(plain)[2] == ""


def test_the_lock_can_be_turned_off(started: tuple[Path, str]) -> None:
    root, _ = started
    _edit(root, "mde: 5", "mde: 3")
    assert len(_lock(_validate(root)[1])) == 1
    with (root / "cxlib.toml").open("a") as f:
        f.write("\n[validate]\npreregistration_lock = false\n")
    assert _lock(_validate(root)[1]) == [] and _lock(_validate(root, EXP)[1]) == []


def test_the_history_cache_is_extended_from_the_cached_head(started: tuple[Path, str]) -> None:
    root, sha = started
    kb = KnowledgeBase.open(root)
    first = document_history(kb.root, kb.config)
    assert first[EXP].registration is not None and first[EXP].registration["sha"] == sha
    second = "experiments/EXP-0002-bar.md"
    write(root, second, experiment("EXP-0002", "Bar", "running", DESIGN))
    later = commit(root, "Start EXP-0002", date="2025-01-12T10:00:00+00:00")
    extended = document_history(kb.root, kb.config)  # from the cache, plus one commit
    assert extended[second].registration is not None
    assert extended[second].registration["sha"] == later
    shutil.rmtree(root / ".cxlib")
    assert document_history(kb.root, kb.config) == extended  # the same as a fresh pass
    # The whole-base answer is kept under HEAD: a commit that registers a change is seen.
    _edit(root, "mde: 5", "mde: 2", second)
    assert len(_lock(_validate(root)[1])) == 1


def test_the_hook_reads_only_the_commits_since_it_last_looked(tmp_path: Path) -> None:
    """The hook remembers what it found (``.cxlib/registrations.json``) with the HEAD it read:
    an experiment not registered then is looked for in the commits since; one registered then
    needs no history at all."""
    root = tmp_path / "kb"
    new_base(root)
    write(root, "insights/INS-0001-late.md", insight("INS-0001", "Late", "validated", EVIDENCE))
    write(root, "opportunities/OPP-0001-x.md", opportunity("OPP-0001", "Costs in the cart"))
    write(root, EXP, experiment("EXP-0001", "Banner", "planned", DESIGN))
    commit(root, "Plan EXP-0001", author="Ana Lima", date="2025-01-06T10:00:00+00:00")
    write(root, EXP, experiment("EXP-0001", "Banner", "running", DESIGN))
    assert _lock(_validate(root, EXP)[1]) == []  # running on disk only: nothing registered
    remembered = json.loads((root / ".cxlib" / "registrations.json").read_text())
    assert remembered["entries"][EXP]["registration"] is None
    started = commit(root, "Start EXP-0001", author="Bea Costa", date=STARTED)
    _edit(root, "mde: 5", "mde: 3")
    [f] = _lock(_validate(root, EXP)[1])  # found in the one commit since
    assert f"after {started[:7]} (2025-01-07, Bea Costa)" in f["message"]
    commit(root, "Change the mde", author="Caio Reis", date="2025-01-20T10:00:00+00:00")
    write(root, "insights/INS-0002-more.md", insight("INS-0002", "More"))
    commit(root, "Another insight", date="2025-01-21T10:00:00+00:00")
    [f] = _lock(_validate(root, EXP)[1])  # remembered, HEAD moved on
    assert f"after {started[:7]} (2025-01-07, Bea Costa)" in f["message"]
    remembered = json.loads((root / ".cxlib" / "registrations.json").read_text())
    assert remembered["entries"][EXP]["registration"]["sha"] == started


def test_the_pre_commit_hook_refuses_the_change_before_it_is_committed(tmp_path: Path) -> None:

    env = hook_env(tmp_path / "home", tmp_path / "pre-commit-home")
    root = tmp_path / "kb"
    assert cx("init", root).exit_code == 0
    shutil.rmtree(root / "experiments")
    sha = _base_in(root)
    hook = run_in(root, env, sys.executable, "-m", "pre_commit", "install")
    assert hook.returncode == 0, hook.stdout + hook.stderr
    _edit(root, "a cart banner for shoppers", "a bigger cart banner for everyone")
    run_in(root, env, "git", "add", EXP)
    refused = run_in(root, env, "git", "commit", "-m", "Sharpen the hypothesis")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert f"hypothesis changed after {sha[:7]} (2025-01-07, Bea Costa)" in out
    assert "[preregistration-changed]" in out
    assert run_in(root, env, "git", "rev-parse", "HEAD").stdout.strip() == sha
    _edit(
        root,
        "planned_end:",
        "amendments:\n  - {date: 2025-01-20, field: hypothesis, reason: sharper wording}\n"
        "planned_end:",
    )
    run_in(root, env, "git", "add", EXP)
    accepted = run_in(root, env, "git", "commit", "-m", "Amend the hypothesis")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def _base_in(root: Path) -> str:
    """:func:`_base` in a base ``cxlib init`` made (its config replaced by the example's)."""
    shutil.copy(Path(__file__).parent.parent / "examples/northwind/cxlib.toml", root / "cxlib.toml")
    (root / "experiments").mkdir(exist_ok=True)
    write(root, "insights/INS-0001-late.md", insight("INS-0001", "Late", "validated", EVIDENCE))
    write(root, "opportunities/OPP-0001-x.md", opportunity("OPP-0001", "Costs in the cart"))
    write(root, EXP, experiment("EXP-0001", "Banner", "planned", DESIGN))
    commit(root, "Plan EXP-0001", author="Ana Lima", date="2025-01-06T10:00:00+00:00")
    write(root, EXP, experiment("EXP-0001", "Banner", "running", DESIGN))
    return commit(root, "Start EXP-0001", author="Bea Costa", date=STARTED)


def test_git_probe_reasons(tmp_path: Path) -> None:
    from cxlib.kb.git import head_state

    assert head_state(tmp_path) == (None, "not a git repository")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert head_state(tmp_path) == (None, "the repository has no commits yet")
