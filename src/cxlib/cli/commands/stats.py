"""``cxlib stats``: the statistics of an experiment's design."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

if TYPE_CHECKING:
    from cxlib.ops.stats_check import StatsCheck

NAME = "stats"

app = typer.Typer(
    name=NAME,
    help="The statistics of an experiment's design.\n\n"
    "How many visitors a design needs, and an experiment's record against its counts.\n\n"
    "Example: cxlib stats sample-size --baseline 0.032 --mde 5",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command("sample-size")
def sample_size_command(
    ctx: typer.Context,
    baseline: Annotated[
        float, typer.Option(help="The primary metric's conversion rate today, e.g. 0.032.")
    ],
    mde: Annotated[
        float, typer.Option(help="Minimum detectable effect: a relative change in percent, e.g. 5.")
    ],
    alpha: Annotated[float, typer.Option(help="Significance level (two-sided).")] = 0.05,
    power: Annotated[float, typer.Option(help="Power: the chance to detect the effect.")] = 0.8,
    variants: Annotated[
        int, typer.Option(help="Variants, the control included (Bonferroni past 2).")
    ] = 2,
    daily_traffic: Annotated[
        int | None,
        typer.Option(help="Visitors a day into the experiment, all variants together."),
    ] = None,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Visitors per variant for a conversion-rate test: two-sided, pooled-variance
    two-proportion z-test, no continuity correction, relative MDE; and, with --daily-traffic,
    the days it takes.

    Example: cxlib stats sample-size --baseline 0.032 --mde 5 --daily-traffic 20000
    """
    import dataclasses

    from cxlib.errors import UsageError
    from cxlib.model.stats import StatsInputError, sample_size

    out = state(ctx).output
    try:
        size = sample_size(baseline, mde, alpha, power, variants, daily_traffic)
    except StatsInputError as e:
        raise UsageError(str(e)) from None
    if format == TextOrJson.JSON:
        out.json(dataclasses.asdict(size))
        return
    # Short lines: a terminal of 80 columns shows each whole.
    out.line(
        f"{size.per_variant:,} visitors per variant, {size.total:,} in all "
        f"({size.variants} variants)"
    )
    out.line(
        f"to detect {size.mde:+g}% on {size.baseline:g} at alpha {size.alpha:g} "
        f"(two-sided{', Bonferroni' if size.variants > 2 else ''}), power {size.power:g}"
    )
    if size.days is not None:
        out.line(f"{size.days:,} days at {size.daily_traffic:,} visitors a day")


@app.command("check")
def check_command(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="An experiment id.")],
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """An experiment's recorded result against its counts: each treatment against the control
    recomputed from result.variants (two-sided two-proportion z-test, Bonferroni across
    treatments), the sample-ratio mismatch test against the allocations, and the consistency
    findings of validate about the result; says where the record and its counts disagree.
    Exit codes: 0 consistent, 1 findings or disagreements, 2 usage.

    Example: cxlib stats check EXP-0003
    """
    from cxlib.model.variant_rules import SRM_ALPHA
    from cxlib.ops.stats_check import stats_check

    st = state(ctx)
    check = stats_check(st.open(), doc_id)
    if format == TextOrJson.JSON:
        st.output.json(_as_json(check))
    else:
        out = st.output
        r = check.recorded
        # Short lines: a terminal of 80 columns shows each whole.
        out.line(f"{check.id} {check.path}")
        out.line(
            f"  recorded: {r['outcome'] or 'no outcome'}, effect {_num(r['effect'])}%, "
            f"p {_num(r['p_value'])}, interval {r['interval'] or '-'}"
        )
        for c in check.comparisons:
            verdict = "significant" if c.significant else "not significant"
            out.line(f"  {c.name} vs control: {c.rate:.4%} vs {c.control_rate:.4%}")
            out.line(
                f"    effect {c.effect:+.2f}% [{c.interval[0]:+.2f}%, {c.interval[1]:+.2f}%], "
                f"p = {c.p_value:.3g}: {verdict} at alpha {c.alpha:g}"
            )
        if check.srm_p_value is not None:
            srm = "sample-ratio mismatch" if check.srm_p_value < SRM_ALPHA else "split as planned"
            out.line(f"  traffic split: chi-square p = {check.srm_p_value:.3g}: {srm}")
        for note in check.notes:
            out.line(f"  {note}")
        for said in check.disagreements:
            out.line(f"  disagrees: {said}")
        for f in check.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            out.line(f"{where}: {f.severity.value}: {f.message} [{f.code}]")
    raise typer.Exit(0 if check.consistent else 1)


def _num(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _as_json(check: StatsCheck) -> dict[str, Any]:
    import dataclasses

    data = dataclasses.asdict(check)
    data["findings"] = [f.to_json() for f in check.findings]
    data["consistent"] = check.consistent
    for c, raw in zip(check.comparisons, data["comparisons"], strict=True):
        raw["significant"] = c.significant
    return data
