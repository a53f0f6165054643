"""Small knowledge bases for the report tests: the example's config and documents written from
short templates, so each test states exactly the documents its figures come from."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLE, cx, write

TODAY = "2026-11-01"


def base(root: Path, files: dict[str, str], config_extra: str = "") -> Path:
    """A knowledge base with the example's config (plus ``config_extra``) and exactly ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / "cxlib.toml", root / "cxlib.toml")
    if config_extra:
        with (root / "cxlib.toml").open("a") as f:
            f.write("\n" + config_extra)
    for folder in ("insights", "opportunities", "experiments"):
        (root / folder).mkdir(exist_ok=True)
    for rel, text in files.items():
        write(root, rel, text)
    return root


def experiment(
    doc_id: str,
    status: str = "concluded",
    *,
    outcome: str | None = None,
    decision: str | None = None,
    start: str = "2026-01-05",
    end: str | None = "2026-02-01",
    learnings: str = "We learned something we will use.",
    body: str = "",
    **fields: str,
) -> str:
    """An experiment at purchase for growth, on conversion-rate, from INS-0001; ``fields`` are
    more front-matter lines (``follows="[EXP-0001]"``)."""
    values = {
        "owner": "Ana",
        "team": "growth",
        "created": "2025-12-01",
        "stage": "purchase",
        "insights": "[INS-0001]",
        "primary_metric": "conversion-rate",
        "start": start,
        **fields,
    }
    lines = ["---", f"id: {doc_id}", f"title: Experiment {doc_id}", f"status: {status}"]
    lines += [f"{k}: {v}" for k, v in values.items()]
    if end:
        lines.append(f"end: {end}")
    if outcome:
        lines += ["result:", f"  outcome: {outcome}", "  effect: -1.5", "  interval: [-2.5, -0.5]"]
    if decision:
        lines.append(f"decision: {decision}")
    lines += ["---", "", "## Hypothesis", "", "X.", "", body, "", "## Learnings", "", learnings, ""]
    return "\n".join(lines)


def insight(doc_id: str, status: str = "validated", **fields: str) -> str:
    values = {
        "owner": "Ana",
        "team": "growth",
        "created": "2025-01-02",
        "stage": "purchase",
        "type": "pain-point",
        "evidence": "[https://example.com/survey]",
        "confidence": "high",
        **fields,
    }
    lines = ["---", f"id: {doc_id}", f"title: Insight {doc_id}", f"status: {status}"]
    lines += [f"{k}: {v}" for k, v in values.items()]
    return "\n".join([*lines, "---", "", "## Summary", "", "Shoppers learn it late.", ""])


def report(root: Path, *args: str, today: str = TODAY) -> Any:
    """``cxlib report ARGS --format json``, which must succeed."""
    result = cx("-C", root, "--today", today, "report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


def text(root: Path, *args: str, today: str = TODAY) -> str:
    """``cxlib report ARGS`` as printed, which must succeed."""
    result = cx("-C", root, "--today", today, "report", *args)
    assert result.exit_code == 0, result.output
    return result.stdout
