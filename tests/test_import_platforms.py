"""``cxlib import growthbook`` and ``cxlib import statsig``: saved API responses as experiments.

The fixtures are checked against tests/fixtures/import/api-shapes.yaml, the documented shape of
each response (written from GrowthBook's REST API 5.0.1 reference and Statsig's Console API v1
reference, named there by version and commit), by a small structural validator (types,
required keys, no unknown keys where the shape says so, enums, items, anyOf and $ref):
jsonschema is not a dependency, and these are all the keywords the shapes use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import cx, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SPEC = FIXTURES / "api-shapes.yaml"
METRICS = (
    '\n[import.metrics]\n"gb_met_conv" = "conversion-rate"\n"gb_met_returns" = "return-rate"\n'
    '"purchase_event" = "conversion-rate"\n'
)
GROWTHBOOK = sorted((FIXTURES / "growthbook").glob("*.json"))

_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _problems(value: Any, schema: dict[str, Any], spec: dict[str, Any], at: str) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _problems(value, spec["components"]["schemas"][name], spec, at)
    if "allOf" in schema:
        return _problems(value, _merged(schema, spec), spec, at)
    out: list[str] = []
    if "anyOf" in schema and all(_problems(value, s, spec, at) for s in schema["anyOf"]):
        out.append(f"{at}: matches none of anyOf")
    kind = schema.get("type")
    if kind is not None and not _is(value, kind):
        return [*out, f"{at}: not a {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{at}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{at}: not {schema['const']!r}")
    return out + _parts(value, schema, spec, at)


def _is(value: Any, kind: str) -> bool:
    if kind in ("number", "integer"):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and (kind == "number" or isinstance(value, int))
    return isinstance(value, _TYPES[kind])


def _parts(value: Any, schema: dict[str, Any], spec: dict[str, Any], at: str) -> list[str]:
    out: list[str] = []
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{at}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False and "properties" in schema:
            out += [f"{at}: unknown key {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                out += _problems(v, props[k], spec, f"{at}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += _problems(item, schema["items"], spec, f"{at}[{i}]")
    return out


def _merged(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """An allOf read as its generator means it: one object of all the parts' properties (each
    part says additionalProperties: false of its own properties alone)."""
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        while "$ref" in part:
            part = spec["components"]["schemas"][part["$ref"].rsplit("/", 1)[-1]]
        if "allOf" in part:
            part = _merged(part, spec)
        merged["properties"].update(part.get("properties", {}))
        merged["required"] += part.get("required", [])
        if part.get("additionalProperties") is False:
            merged["additionalProperties"] = False
    return merged


def _response_schema(spec: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"][f"growthbook {path}"]
    return schema


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return loaded


def test_the_statsig_fixture_is_shaped_as_the_documented_list(spec: dict[str, Any]) -> None:
    """The response is a documented list; its first experiment is shaped as documented, the
    others are the odd ones the import must report (an unknown status, no dates, no object)."""
    data = json.loads((FIXTURES / "statsig" / "experiments.json").read_text())
    at = "experiments.json"
    assert _problems(data, spec["paths"]["statsig /console/v1/experiments"], spec, at) == []
    shape = spec["components"]["schemas"]["StatsigExperiment"]
    assert _problems(data["data"][0], shape, spec, "data[0]") == []
    assert "data[2].status: 'paused_weird' not in" in " ".join(
        _problems(data["data"][2], shape, spec, "data[2]")
    )


@pytest.mark.parametrize("path", GROWTHBOOK, ids=lambda p: p.name)
def test_each_growthbook_fixture_is_shaped_as_the_published_specification(
    spec: dict[str, Any], path: Path
) -> None:
    data = json.loads(path.read_text())
    if "experiments" in data:
        operation = "/v1/experiments"
        assert len(data["experiments"]) <= 100 and data["count"] == len(data["experiments"])
    elif "result" in data:
        operation = "/v1/experiments/{id}/results"
    else:
        operation = "/v1/experiments/{id}"
    assert _problems(data, _response_schema(spec, operation), spec, path.name) == []


def test_the_validator_sees_a_response_that_is_not_shaped_so(spec: dict[str, Any]) -> None:
    page = json.loads((FIXTURES / "growthbook" / "experiments-page-1.json").read_text())
    del page["experiments"][0]["phases"]
    page["experiments"][1]["variations"][0]["extra"] = 1
    page["nextOffset"] = "3"
    found = _problems(page, _response_schema(spec, "/v1/experiments"), spec, "page")
    assert "page.experiments[0]: missing phases" in found
    assert "page.experiments[1].variations[0]: unknown key extra" in found
    assert "page.nextOffset: matches none of anyOf" in found


@pytest.fixture
def base(kb: Path) -> Path:
    with (kb / "cxlib.toml").open("a") as fh:
        fh.write(METRICS)
    return kb


def test_growthbook_pages_become_experiments_that_validate(base: Path) -> None:
    result = cx("-C", base, "import", "growthbook", *GROWTHBOOK)
    assert result.exit_code == 0, result.output
    assert "growthbook: created 6, updated 0, 0 already imported" in result.stdout
    # An experiment must come from an opportunity or insight: concluded and running ones are
    # drafts until linked, and the summary says why.
    assert (
        "as a draft: growthbook:exp_1: a concluded experiment must come from an opportunity"
        in result.stderr
    )
    assert "unmapped metric gb_met_unknown (1 record(s))" in result.stderr
    assert "note: growthbook:exp_4: unknown status 'paused': imported as a draft" in result.stderr
    assert cx("-C", base, "validate").exit_code == 0
    banner = next((base / "experiments").glob("*-free-shipping-threshold-banner.md")).read_text()
    assert "primary_metric: conversion-rate\n" in banner
    assert "guardrail_metrics: [return-rate]\n" in banner
    assert "start: 2025-03-03\n" in banner and "created: 2025-03-01\n" in banner
    assert "  - {name: Control, allocation: 50.0}\n" in banner
    assert "## Learnings\n\nThe banner raised conversion.\n\nShoppers near" in banner
    # The result of the results payload, in percent, kept in the body while a draft.
    assert "result:\n  outcome: won\n  effect: 1.6\n  interval: [0.4, 2.8]\n  p_value: 0.008" in (
        banner
    )
    assert "decision: ship" in banner
    hostile = next((base / "experiments").glob("*-x-img-src-x-onerror-alert-1-*.md"))
    text = hostile.read_text()
    assert 'title: "../../x <img src=x onerror=alert(1)> Größentabelle — 尺码"' in text
    assert hostile.parent == base / "experiments"
    missing_dates = next((base / "experiments").glob("*-paused-chat-callback.md")).read_text()
    assert "\nstart:" not in missing_dates


def test_a_second_import_creates_nothing_and_dry_run_writes_nothing(base: Path) -> None:
    before = snapshot(base)
    dry = cx("-C", base, "import", "growthbook", *GROWTHBOOK, "--dry-run")
    assert "would create EXP-0001" in dry.stdout
    assert snapshot(base) == before
    assert cx("-C", base, "import", "growthbook", *GROWTHBOOK).exit_code == 0
    after = snapshot(base)
    again = cx("-C", base, "import", "growthbook", *GROWTHBOOK)
    assert "created 0, updated 0, 6 already imported" in again.stdout
    assert snapshot(base) == after


@pytest.mark.parametrize(
    "content, message",
    [
        ("[1, 2]", "not a GrowthBook response"),
        ('{"data": []}', "neither a page of experiments"),
        ("{", "invalid JSON"),
        ('{"experiments": [NaN]}', "invalid JSON"),
    ],
)
def test_a_file_that_is_no_growthbook_response_is_refused(
    base: Path, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = snapshot(base)
    result = cx("-C", base, "import", "growthbook", bad)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert str(bad) in result.stderr
    assert snapshot(base) == before


def test_records_that_cannot_be_mapped_are_listed_with_the_reason(
    base: Path, tmp_path: Path
) -> None:
    page = {
        "experiments": [1, {"id": "exp_9", "name": ""}, {"name": "no id"}],
        "limit": 100,
        "offset": 0,
        "count": 3,
        "total": 3,
        "hasMore": False,
        "nextOffset": None,
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(page))
    result = cx("-C", base, "import", "growthbook", path)
    assert result.exit_code == 1
    assert "refused: odd.json: experiments[0]: not an experiment object" in result.stderr
    assert "refused: odd.json: experiments[1] (exp_9): no name" in result.stderr
    assert "refused: odd.json: experiments[2] (): no id" in result.stderr


def test_statsig_experiments_become_experiments(base: Path) -> None:
    path = FIXTURES / "statsig" / "experiments.json"
    result = cx("-C", base, "import", "statsig", path)
    assert result.exit_code == 1, result.output  # one entry is not an experiment
    assert "refused: experiments.json: data[4]: not an experiment object" in result.stderr
    assert "unmapped metric unknown_metric" in result.stderr
    assert "statsig:odd: unknown status 'paused_weird'" in result.stderr
    banner = (base / "experiments" / "EXP-0001-free-shipping-banner.md").read_text()
    assert "owner: Ana Souza\n" in banner and "primary_metric: conversion-rate\n" in banner
    assert "start: 2025-03-03\n" in banner and "created: 2025-03-03\n" in banner
    assert "## Learnings\n\nShipped: conversion +1.6% (CI 0.4 to 2.8).\n" in banner
    assert "end: 2025-03-17" in banner  # kept in the body while a draft
    finder = (base / "experiments" / "EXP-0002-fit-finder.md").read_text()
    assert "  - {name: Finder chart, allocation: 33.0}\n" in finder
    assert cx("-C", base, "validate").exit_code == 0
    again = cx("-C", base, "import", "statsig", path)
    assert "created 0, updated 0, 4 already imported" in again.stdout


def test_documents_rendered_in_worker_processes_are_the_same(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxlib.importers import parallel

    serial = tmp_path / "serial"
    assert cx("init", serial).exit_code == 0
    (serial / "cxlib.toml").write_text((base / "cxlib.toml").read_text())
    assert cx("-C", serial, "import", "growthbook", *GROWTHBOOK).exit_code == 0
    monkeypatch.setattr(parallel, "RENDER_WORKERS_FROM", 2)
    result = cx("-C", base, "import", "growthbook", *GROWTHBOOK)
    assert result.exit_code == 0, result.output
    files = sorted((base / "experiments").glob("EXP-*.md"))
    assert len(files) == 6
    assert [f.read_bytes() for f in files] == [
        (serial / "experiments" / f.name).read_bytes() for f in files
    ]
