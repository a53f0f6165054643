"""``cxlib rename metric|stage|touchpoint|team|segment OLD NEW``: cxlib.toml and every
reference rewritten on its own line (the rest of each file byte for byte), validate clean
after it; bad names refused with nothing written; a rename killed midway (a real process,
SIGKILL at a write step) is rolled back or resumed to exactly the tree before or after."""

from __future__ import annotations

import json
import shutil
import signal
import tomllib
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, snapshot
from tests.forked import run_forked
from tests.gitrepo import committed_example

from cxlib.kb import write as write_module

JOURNAL = Path(".cxlib") / "journal.json"
RENAME = ["rename", "metric", "cost-to-serve", "service-cost"]


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, list[str]]:
    """Each changed file's removed lines."""
    out = {}
    for path in before.keys() | after.keys():
        old, new = before.get(path, b""), after.get(path, b"")
        if old != new:
            new_lines = new.decode().split("\n")
            out[path] = [line for line in old.decode().split("\n") if line not in new_lines]
    return out


def _front(base: Path, pattern: str) -> str:
    return next(base.glob(pattern)).read_text()


def test_rename_metric_rewrites_the_config_and_every_reference(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, *RENAME)
    assert result.exit_code == 0, result.output
    assert "renamed metric cost-to-serve -> service-cost" in result.stdout
    config = tomllib.loads((base / "cxlib.toml").read_text())
    ids = [m["id"] for m in config["metrics"]]
    assert "service-cost" in ids and "cost-to-serve" not in ids
    assert {m.get("kpi") for m in config["metrics"]} >= {"service-cost"}
    # The former id is kept once, where the pre-registration lock reads it.
    toml_lines = (base / "cxlib.toml").read_text().splitlines()
    assert [line for line in toml_lines if "cost-to-serve" in line] == [
        'renamed_from = ["cost-to-serve"]'
    ]
    assert next(m for m in config["metrics"] if m["id"] == "service-cost")["renamed_from"] == [
        "cost-to-serve"
    ]
    # every document field that named it: KPIs, guardrail metrics (flow lists)
    assert "kpis: [contact-rate, service-cost, conversion-rate]" in _front(
        base, "opportunities/OPP-0004-*.md"
    )
    assert "guardrail_metrics: [contact-rate, service-cost]" in _front(
        base, "experiments/EXP-0007-*.md"
    )
    for path, text in snapshot(base).items():
        if path.endswith(".md"):
            assert (
                b"cost-to-serve" not in text or b"cost-to-serve" in before[path].split(b"---")[2]
            ), path
    # only the lines holding the id changed
    for path, gone in _changed(before, snapshot(base)).items():
        assert gone and all("cost-to-serve" in line for line in gone), (path, gone)
    listed = cx("-C", base, "list", "--metric", "service-cost", "--format", "json").json()
    assert {"OPP-0004", "EXP-0007"} <= {r["id"] for r in listed}
    checked = cx("-C", base, "validate")
    assert checked.exit_code == 0, checked.output
    assert "0 error(s), 0 warning(s)" in checked.stderr


def test_a_guardrail_result_and_the_north_star_follow(base: Path) -> None:
    result = cx("-C", base, "rename", "metric", "return-rate", "returns-share")
    assert result.exit_code == 0, result.output
    text = _front(base, "experiments/EXP-0003-*.md")
    assert "{metric: returns-share, status: ok, effect: 0.2}" in text
    assert "return-rate" not in text.split("\n---")[0]
    star = cx("-C", base, "rename", "metric", "repeat-purchase-rate", "repeat-rate")
    assert star.exit_code == 0, star.output
    config = tomllib.loads((base / "cxlib.toml").read_text())
    assert config["program"]["north_star"] == "repeat-rate"
    assert cx("-C", base, "validate").exit_code == 0


@pytest.mark.parametrize(
    ("what", "old", "new", "field"),
    [
        ("stage", "deliver", "delivery", "stage: delivery"),
        ("touchpoint", "checkout", "checkout-page", "touchpoint: checkout-page"),
        ("team", "checkout", "cart-team", "team: cart-team"),
        ("segment", "mobile", "mobile-shoppers", "mobile-shoppers"),
    ],
)
def test_stages_touchpoints_teams_and_segments(
    base: Path, what: str, old: str, new: str, field: str
) -> None:
    before = snapshot(base)
    result = cx("-C", base, "rename", what, old, new)
    assert result.exit_code == 0, result.output
    after = snapshot(base)
    changed = _changed(before, after)
    assert "cxlib.toml" in changed and len(changed) > 1
    assert any(field in after[p].decode() for p in changed if p.endswith(".md"))
    config = tomllib.loads(after["cxlib.toml"].decode())
    if what == "touchpoint":  # the team of the same name is another thing, left as it is
        assert "checkout" in [t["id"] for t in config["teams"]]
        assert "checkout-page" in config["journey"][2]["touchpoints"]
    if what == "team":
        assert "checkout" in config["journey"][2]["touchpoints"]
    assert cx("-C", base, "validate").exit_code == 0


def test_dry_run_prints_the_diff_and_writes_nothing(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, *RENAME, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would rename metric cost-to-serve -> service-cost" in result.stdout
    assert '+id = "service-cost"' in result.stdout and "+kpis: [contact-rate, service-cost" in (
        result.stdout
    )
    assert snapshot(base) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("metric", "cost-to-serve", "nps"), "'nps' is already a metric of cxlib.toml"),
        (("metric", "cost-to-srve", "x"), "did you mean 'cost-to-serve'?"),
        (("stage", "deliver", "purchase"), "'purchase' is already a stage"),
        (("team", "growth", "Growth Team"), "'Growth Team' is no team id"),
        (("widget", "a", "b"), "cannot rename a 'widget'"),
        (("metric", "nps"), "give what to rename, the old id and the new one"),
        (("--resume",), "there is no unfinished renumber to resume"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_written(
    base: Path, args: tuple[str, ...], says: str
) -> None:
    before = snapshot(base)
    result = cx("-C", base, "rename", *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert snapshot(base) == before


# -- killed midway ------------------------------------------------------------------------------


def test_a_rename_killed_midway_rolls_back_or_resumes(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "base")
    done = shutil.copytree(base, tmp_path / "done")
    steps: list[tuple[str, str]] = []
    write_module.AT_STEP = lambda name, path: steps.append((name, str(path)))
    try:
        assert cx("-C", done, *RENAME).exit_code == 0
    finally:
        write_module.AT_STEP = None
    before, after = snapshot(base), snapshot(done)
    temporaries = [n for n, (name, _) in enumerate(steps, 1) if name == "temporary"]
    # the journal in place, cxlib.toml written, a document half written, the last one written
    points = [2, temporaries[1] + 1, temporaries[2], len(steps) - 1]
    killed = {n: shutil.copytree(base, tmp_path / f"killed-{n}") for n in points}
    runs = run_forked(
        [{"args": ["-C", str(killed[n]), *RENAME], "at": n, "action": "kill"} for n in points],
        tmp_path / "runs",
    )
    for n, run in zip(points, runs, strict=True):
        assert run.returncode == -signal.SIGKILL, (n, run.stderr)
        root = killed[n]
        assert (root / JOURNAL).exists(), n
        if 2 < n < len(steps) - 1:  # between the journal and the last file's write
            assert snapshot(root) not in (before, after), n
        refused = cx("-C", root, "set", "INS-0002", "confidence=low")
        assert refused.exit_code == 2 and "the rename metric cost-to-serve -> service-cost" in (
            refused.stderr
        )
        assert "cxlib rename --resume" in refused.stderr
        resumed = shutil.copytree(root, tmp_path / f"resumed-{n}", symlinks=True)
        back = cx("-C", root, "rename", "--rollback")
        assert back.exit_code == 0, (n, back.output)
        assert "rolled back rename metric cost-to-serve -> service-cost" in back.stdout
        assert snapshot(root) == before, n
        forward = cx("-C", resumed, "rename", "--resume", "--format", "json")
        assert forward.exit_code == 0, (n, forward.output)
        assert json.loads(forward.stdout)["message"].startswith("finished rename metric")
        assert snapshot(resumed) == after, n
        assert not (resumed / JOURNAL).exists() and not (root / JOURNAL).exists()


def test_a_renamed_metric_is_no_change_of_a_registered_design(tmp_path: Path) -> None:
    """In git, running and concluded experiments froze their metrics under the old id: the
    pre-registration lock reads the former id (renamed_from) as the metric's id now, and a
    second rename keeps both former ids."""
    base = committed_example(tmp_path / "repo")
    result = cx("-C", base, "rename", "metric", "return-rate", "returns-share")
    assert result.exit_code == 0, result.output
    checked = cx("-C", base, "validate", "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert not [f for f in checked.json()["findings"] if f["code"].startswith("preregistration")]
    again = cx("-C", base, "rename", "metric", "returns-share", "return-share")
    assert again.exit_code == 0, again.output
    config = tomllib.loads((base / "cxlib.toml").read_text())
    metric = next(m for m in config["metrics"] if m["id"] == "return-share")
    assert metric["renamed_from"] == ["return-rate", "returns-share"]
    assert cx("-C", base, "validate").exit_code == 0
