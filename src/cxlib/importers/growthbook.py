"""``cxlib import growthbook``: pages of ``GET /api/v1/experiments`` (``experiments``, ``limit``,
``offset``, ``count``, ``total``, ``hasMore``, ``nextOffset``), single experiments (``GET
/api/v1/experiments/{id}``: ``{"experiment": …}``) and results (``GET
/api/v1/experiments/{id}/results``: ``{"experiment": …, "result": …}``), as GrowthBook's
published OpenAPI specification defines them (5.0.1; tests/fixtures/import/ holds the parts read).

An experiment's status is ``draft``, ``running`` or ``stopped``; a stopped one carries
``resultSummary`` (``status`` won / lost / inconclusive / dnf, ``winner`` and
``releasedVariationId`` as variation ids, and the written ``conclusions``, which become the
Learnings). Goals and guardrails are metric ids under ``settings``, mapped to the catalog by
``[import.metrics]``; dates and the traffic split are under ``phases[]``. A results payload adds
the primary metric's effect, interval, p-value or chance to beat control: GrowthBook gives the
relative change and its interval as fractions, written here in percent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxlib.importers import platform
from cxlib.importers.fields import read_date
from cxlib.importers.files import ImportInputError, read_json
from cxlib.importers.records import Batch, Incoming, Refused, SourceOptions, text_of
from cxlib.model.kinds import Kind

STATUSES = {"draft": "draft", "running": "running", "stopped": "concluded"}
OUTCOMES = {"won": "won", "lost": "lost", "inconclusive": "inconclusive", "dnf": "stopped-early"}
MAX_PAGE = 100  # the API's largest page


def read(paths: list[Path], options: SourceOptions) -> Batch:
    batch = Batch()
    experiments: list[tuple[str, Any]] = []
    results: dict[str, Any] = {}
    for path in paths:
        _collect(path, read_json(path), experiments, results, batch)
    seen: set[str] = set()
    for where, exp in experiments:
        key = str(exp.get("id")) if isinstance(exp, dict) else where
        if key in seen:
            continue  # the same experiment in a page and in its results payload
        seen.add(key)
        try:
            inc = _incoming(exp, options, batch)
        except ValueError as e:
            batch.refused.append(Refused(where, str(e)))
            continue
        result = results.get(str(exp.get("id")))
        if result is not None:
            _add_results(inc, exp, result)
        batch.incoming.append(inc)
    return batch


def _collect(
    path: Path,
    data: Any,
    experiments: list[tuple[str, Any]],
    results: dict[str, Any],
    batch: Batch,
) -> None:
    """The experiments of a page, a single experiment or a results payload."""
    if not isinstance(data, dict):
        raise ImportInputError(f"{path}: not a GrowthBook response (a JSON object)")
    if isinstance(data.get("experiments"), list):
        page = data["experiments"]
        if len(page) > MAX_PAGE:
            batch.notes.append(f"{path.name}: {len(page)} experiments, more than a page holds")
        for i, exp in enumerate(page):
            experiments.append((f"{path.name}: experiments[{i}]{_named(exp)}", exp))
        return
    if isinstance(data.get("result"), dict) and isinstance(data.get("experiment"), dict):
        results[str(data["experiment"].get("id"))] = data["result"]
        experiments.append(
            (f"{path.name}: experiment{_named(data['experiment'])}", data["experiment"])
        )
        return
    if isinstance(data.get("experiment"), dict):
        experiments.append(
            (f"{path.name}: experiment{_named(data['experiment'])}", data["experiment"])
        )
        return
    raise ImportInputError(
        f"{path}: neither a page of experiments, an experiment nor a results payload",
        hint="save the responses of GET /api/v1/experiments (and /{id}, /{id}/results)",
    )


def _named(exp: Any) -> str:
    return f" ({text_of(exp.get('id'), 60)})" if isinstance(exp, dict) else ""


def _incoming(exp: Any, options: SourceOptions, batch: Batch) -> Incoming:
    if not isinstance(exp, dict):
        raise ValueError("not an experiment object")
    exp_id = text_of(exp.get("id"), 200).replace(" ", "_")
    if not exp_id:
        raise ValueError("no id")
    name = text_of(exp.get("name"), 200)
    if not name:
        raise ValueError("no name")
    ref = f"growthbook:{exp_id}"
    inc = Incoming(ref=ref, kind=Kind.EXPERIMENT, title=name, owned=platform.OWNED)
    inc.created = read_date(exp.get("dateCreated")) or options.today
    status = exp.get("status")
    if status in STATUSES:
        inc.fields["status"] = STATUSES[status]
    else:
        platform.unknown_status(inc, status)
    # An e-mail address is personal data to validate: the name before its @ stands for it.
    owner = text_of(exp.get("owner"), 100).partition("@")[0]
    if owner:
        inc.fields["owner"] = owner
    platform.tags_and_hypothesis(inc, exp)
    _metrics(inc, exp.get("settings"), options, batch)
    _variants_and_dates(inc, exp)
    _summary(inc, exp)
    description = _prose(exp.get("description"))
    if description:
        inc.sections["Design"] = description
    return inc


def _metrics(inc: Incoming, settings: Any, options: SourceOptions, batch: Batch) -> None:
    settings = settings if isinstance(settings, dict) else {}
    goals = [m.get("metricId") for m in settings.get("goals") or [] if isinstance(m, dict)]
    guards = [m.get("metricId") for m in settings.get("guardrails") or [] if isinstance(m, dict)]
    if goals:
        primary = platform.metric(options, batch, inc.ref, goals[0])
        if primary:
            inc.fields["primary_metric"] = primary
    mapped = [platform.metric(options, batch, inc.ref, g) for g in guards]
    inc.fields["guardrail_metrics"] = list(dict.fromkeys(m for m in mapped if m))


def _variants_and_dates(inc: Incoming, exp: dict[str, Any]) -> None:
    variations = [v for v in exp.get("variations") or [] if isinstance(v, dict)]
    phases = [p for p in exp.get("phases") or [] if isinstance(p, dict)]
    if variations:
        labels = platform.names([v.get("name") or v.get("key") for v in variations])
        split = phases[-1].get("trafficSplit") if phases else None
        inc.fields["variants"] = platform.variants(labels, _shares(variations, split))
    if phases:
        start = read_date(phases[0].get("dateStarted"))
        end = read_date(phases[-1].get("dateEnded"))
        if start:
            inc.fields["start"] = start
        if end and inc.fields.get("status") == "concluded" and (start is None or end >= start):
            inc.fields["end"] = end


def _shares(variations: list[dict[str, Any]], split: Any) -> list[float] | None:
    if not isinstance(split, list):
        return None
    weights = {
        s.get("variationId"): s.get("weight")
        for s in split
        if isinstance(s, dict) and isinstance(s.get("weight"), int | float)
    }
    shares = [weights.get(v.get("variationId")) for v in variations]
    if any(s is None or not 0 <= s <= 1 for s in shares):
        return None
    return [float(s) for s in shares if s is not None]


def _summary(inc: Incoming, exp: dict[str, Any]) -> None:
    summary = exp.get("resultSummary")
    if not isinstance(summary, dict):
        return
    outcome = OUTCOMES.get(str(summary.get("status")))
    if outcome:
        inc.fields["result"] = {"outcome": outcome}
    conclusions = _prose(summary.get("conclusions"))
    if conclusions:
        inc.sections["Learnings"] = conclusions
    variations = [v.get("variationId") for v in exp.get("variations") or [] if isinstance(v, dict)]
    released = summary.get("releasedVariationId")
    if outcome == "won" and released and variations and released != variations[0]:
        inc.fields["decision"] = "ship"


def _prose(value: Any) -> str:
    """Free text kept as paragraphs: controls out, bounded, no raw HTML comment closer."""
    if not isinstance(value, str):
        return ""
    text = "".join(c for c in value.replace("\r\n", "\n") if c.isprintable() or c == "\n")
    return text[:20_000].strip()


def _add_results(inc: Incoming, exp: dict[str, Any], result: Any) -> None:
    """The primary goal's analysis of the winner (else the first treatment) from a results
    payload: effect and interval in percent, p-value or chance to beat control."""
    goals = (exp.get("settings") or {}).get("goals") or []
    goal = goals[0].get("metricId") if goals and isinstance(goals[0], dict) else None
    rows = result.get("results") if isinstance(result, dict) else None
    if not goal or not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        return
    metric = next(
        (
            m
            for m in rows[0].get("metrics") or []
            if isinstance(m, dict) and m.get("metricId") == goal
        ),
        None,
    )
    if metric is None:
        return
    arms = [v for v in metric.get("variations") or [] if isinstance(v, dict)]
    winner = (exp.get("resultSummary") or {}).get("winner")
    arm = next(
        (a for a in arms if a.get("variationId") == winner), arms[1] if len(arms) > 1 else None
    )
    analyses = arm.get("analyses") if arm else None
    if not isinstance(analyses, list) or not analyses or not isinstance(analyses[0], dict):
        return
    found = _analysis(analyses[0])
    if found:
        inc.fields["result"] = {**inc.fields.get("result", {}), **found}


def _analysis(a: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if _number(a.get("percentChange")):
        out["effect"] = round(100 * a["percentChange"], 4)
    if _number(a.get("ciLow")) and _number(a.get("ciHigh")) and a["ciLow"] <= a["ciHigh"]:
        out["interval"] = [round(100 * a["ciLow"], 4), round(100 * a["ciHigh"], 4)]
    if _number(a.get("pValue")) and 0 <= a["pValue"] <= 1:
        out["p_value"] = a["pValue"]
    if _number(a.get("chanceToBeatControl")) and 0 <= a["chanceToBeatControl"] <= 1:
        out["chance_to_win"] = a["chanceToBeatControl"]
    return out


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e9
