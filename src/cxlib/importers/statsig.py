"""``cxlib import statsig``: the JSON of Statsig's console API experiment list (``GET
/console/v1/experiments``: ``{"data": [experiment, …]}``, or a list of experiments, or one).

Read from each experiment: ``name``, ``hypothesis``, ``status`` (setup, active, decision_made,
abandoned), ``groups`` with their ``size`` (share of the traffic in percent), ``primaryMetrics``
(names mapped to the catalog by ``[import.metrics]``), ``startTime``/``endTime`` (milliseconds
since 1970), ``decisionReason`` (the Learnings), and ``creatorName`` or ``owner.ownerName``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cxlib.importers import platform
from cxlib.importers.files import ImportInputError, read_json
from cxlib.importers.records import Batch, Incoming, Refused, SourceOptions, text_of
from cxlib.model.kinds import Kind

STATUSES = {
    "setup": "draft",
    "active": "running",
    "decision_made": "concluded",
    "abandoned": "abandoned",
}


def read(paths: list[Path], options: SourceOptions) -> Batch:
    batch = Batch()
    for path in paths:
        for i, exp in enumerate(_experiments(path)):
            where = f"{path.name}: data[{i}]"
            try:
                batch.incoming.append(_incoming(exp, options, batch))
            except ValueError as e:
                batch.refused.append(Refused(where, str(e)))
    return batch


def _experiments(path: Path) -> list[Any]:
    data = read_json(path)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        return list(data["data"])
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "name" in data and "groups" in data:
        return [data]
    raise ImportInputError(
        f"{path}: not a Statsig experiment list (no 'data' list)",
        hint="save the response of GET /console/v1/experiments",
    )


def _when(ms: Any) -> dt.date | None:
    if not isinstance(ms, int | float) or isinstance(ms, bool) or not 0 < ms < 1e14:
        return None
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).date()


def _incoming(exp: Any, options: SourceOptions, batch: Batch) -> Incoming:
    if not isinstance(exp, dict):
        raise ValueError("not an experiment object")
    exp_id = text_of(exp.get("id") or exp.get("name"), 200).replace(" ", "_")
    name = text_of(exp.get("name"), 200)
    if not exp_id or not name:
        raise ValueError("no id or name")
    inc = Incoming(ref=f"statsig:{exp_id}", kind=Kind.EXPERIMENT, title=name, owned=platform.OWNED)
    inc.created = _when(exp.get("createdTime")) or _when(exp.get("startTime")) or options.today
    status = exp.get("status")
    if status in STATUSES:
        inc.fields["status"] = STATUSES[status]
    else:
        platform.unknown_status(inc, status)
    given = exp.get("owner")
    owner: dict[str, Any] = given if isinstance(given, dict) else {}
    who = text_of(owner.get("ownerName") or exp.get("creatorName"), 100)
    if who:
        inc.fields["owner"] = who
    platform.tags_and_hypothesis(inc, exp)
    metrics = [m.get("name") for m in exp.get("primaryMetrics") or [] if isinstance(m, dict)]
    if metrics:
        primary = platform.metric(options, batch, inc.ref, metrics[0])
        if primary:
            inc.fields["primary_metric"] = primary
    groups = [g for g in exp.get("groups") or [] if isinstance(g, dict)]
    if groups:
        sizes = [g.get("size") for g in groups]
        shares = [float(s) for s in sizes if isinstance(s, int | float) and 0 <= s <= 100]
        labels = platform.names([g.get("name") for g in groups])
        valid = len(shares) == len(groups)
        inc.fields["variants"] = platform.variants(labels, shares if valid else None)
    start, end = _when(exp.get("startTime")), _when(exp.get("endTime"))
    if start:
        inc.fields["start"] = start
    if (
        end
        and inc.fields.get("status") in ("concluded", "abandoned")
        and (not start or end >= start)
    ):
        inc.fields["end"] = end
    reason = text_of(exp.get("decisionReason"), 5000)
    if reason:
        inc.sections["Learnings"] = reason
    return inc
