"""``cxlib stats``: the statistics of an experiment's design."""

from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

NAME = "stats"

app = typer.Typer(
    name=NAME,
    help="The statistics of an experiment's design: how many visitors it needs.\n\n"
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
    out.line(
        f"{size.per_variant:,} visitors per variant, {size.total:,} in all ({size.variants} "
        f"variants), to detect {size.mde:+g}% on {size.baseline:g} at alpha {size.alpha:g} "
        f"(two-sided{', Bonferroni' if size.variants > 2 else ''}) with power {size.power:g}"
    )
    if size.days is not None:
        out.line(f"{size.days:,} days at {size.daily_traffic:,} visitors a day")
