"""``cxlib report NAME``: the program's views, one sub-command per report."""

from __future__ import annotations

import enum
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cxlib.cli.commands.common import Wide, date_option
from cxlib.cli.state import State, state
from cxlib.escape import terminal

if TYPE_CHECKING:
    from cxlib.reports.blocks import Rendered
    from cxlib.reports.registry import Options

NAME = "report"

app = typer.Typer(
    name=NAME,
    help="The program at a glance: every report.\n\n"
    "The program at a glance: roadmap, experiments, learnings, digest, journey, metrics, "
    "health, decisions, and an HTML page with all of them and charts. Each report prints a "
    "table on a terminal, or markdown, JSON or CSV with --format, and takes --team, --stage, "
    "--owner, --tag and --since.\n\n"
    "Example: cxlib report experiments --since 2026-01-01",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class MetricsBy(enum.StrEnum):
    STAGE = "stage"
    TAG = "tag"


class RoadmapBy(enum.StrEnum):
    CYCLE = "cycle"


class ReportFormat(enum.StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (aligned text when piped), markdown, json, or csv (one row per item).",
    ),
]


def _emit(
    ctx: typer.Context, name: str, options: Options, fmt: ReportFormat, wide: bool = False
) -> None:
    from cxlib.kb.tuning import collector_paused
    from cxlib.ops.report import report_view, run_report
    from cxlib.reports.blocks import to_markdown
    from cxlib.reports.registry import SPECS

    st = state(ctx)
    out = st.output
    # The loaded base lives until the report is printed: the collector would scan it again
    # and again while the report and its rows are built.
    with collector_paused():
        if fmt == ReportFormat.CSV:
            spec = SPECS[name]
            out.csv(spec.csv_rows(run_report(st.open(), name, st.today, options)), spec.csv_columns)
        elif fmt == ReportFormat.JSON:
            out.json(report_view(st.open(), name, st.today, options, "json"))
        else:
            rendered = report_view(st.open(), name, st.today, options, "blocks")
            if fmt == ReportFormat.MARKDOWN:
                out.stdout.write(to_markdown(rendered))
            else:
                _terminal(st, rendered, wide)


def _terminal(st: State, report: Rendered, wide: bool) -> None:
    from cxlib.reports.blocks import Figures, Heading, Note

    out = st.output

    def heading(text: str) -> None:
        if out.styled(out.stdout):
            from rich.text import Text

            out.console(out.stdout).print(Text(terminal(text), style="bold"))
        else:
            out.line(text)

    heading(report.title)
    out.line(report.subtitle)
    for block in report.blocks:
        if isinstance(block, Heading):
            out.line()
            heading(block.text)
        elif isinstance(block, Figures):
            out.line()
            width = max(len(k) for k, _ in block.items)
            for k, v in block.items:
                out.para(f"{k + ':':<{width + 1}}  {v}", hang=width + 3)
        elif isinstance(block, Note):
            out.line()
            out.para(block.text)
        elif not block.rows:
            out.line(f"  {block.empty}")
        else:
            rows = [dict(zip(block.columns, r, strict=True)) for r in block.rows]
            title = block.title or None
            out.table(rows, block.columns, title=title, align=block.align, wide=wide)


# The filters every report takes (registry FILTERS), then the options a report may declare
# (registry Spec.options), as the CLI offers them.
_OPTIONS: dict[str, tuple[Any, Any]] = {
    "team": (
        Annotated[str | None, typer.Option(help="Only documents of this team.", metavar="TEAM")],
        None,
    ),
    "stage": (
        Annotated[
            str | None,
            typer.Option(help="Only documents at this journey stage.", metavar="STAGE"),
        ],
        None,
    ),
    "owner": (
        Annotated[
            str | None,
            typer.Option(help="Only documents of this owner (any case).", metavar="NAME"),
        ],
        None,
    ),
    "tag": (
        Annotated[str | None, typer.Option(help="Only documents with this tag.", metavar="TAG")],
        None,
    ),
    "since": (
        Annotated[
            str | None,
            typer.Option(
                help="Only documents still in play, or closed or changed on or after DATE "
                "(YYYY-MM-DD); for the digest, the start of what it reports (default: 7 days "
                "before today).",
                metavar="DATE",
            ),
        ],
        None,
    ),
    "metric": (
        Annotated[
            str | None,
            typer.Option(help="Only experiments with this primary metric.", metavar="METRIC"),
        ],
        None,
    ),
    "by": (
        Annotated[
            str | None,
            typer.Option(
                help="Group by journey stage (the default) or primary metric.",
                metavar="stage|metric",
            ),
        ],
        None,
    ),
    "git": (
        Annotated[
            bool,
            typer.Option(
                "--git",
                help="Also list the documents git saw added or changed since the date, marked "
                "as such (the other lists read front-matter dates).",
            ),
        ],
        False,
    ),
    "touchpoints": (
        Annotated[
            bool, typer.Option("--touchpoints", help="Add a row per touchpoint under each stage.")
        ],
        False,
    ),
    "explain": (
        Annotated[
            bool,
            typer.Option(
                "--explain",
                help="Show how every score is made, line by line: the formula with the scores, "
                "each evidence term with its documents and the cxlib.toml weight it uses.",
            ),
        ],
        False,
    ),
    "metrics_by": (
        Annotated[
            MetricsBy | None,
            typer.Option(
                "--by",
                help="Also give the average effect of a test per stage or per tag of the tests.",
            ),
        ],
        None,
    ),
    "drivers": (
        Annotated[
            bool,
            typer.Option(
                "--drivers",
                help="Rank the levers (stages, touchpoints, tags, opportunities) by the average "
                "effect of their tests on the north star and each KPI; observational, not causal.",
            ),
        ],
        False,
    ),
    "roadmap_by": (
        Annotated[
            RoadmapBy | None,
            typer.Option(
                "--by", help="Show the pipeline per planning cycle, with owners and targets."
            ),
        ],
        None,
    ),
    "kpis": (
        Annotated[
            bool,
            typer.Option(
                "--kpis",
                help="Show the KPIs of each stage and touchpoint beside the work there, with "
                "the experiments moving them; flag touchpoints with pain points and no KPI.",
            ),
        ],
        False,
    ),
    "teams": (
        Annotated[
            bool,
            typer.Option(
                "--teams",
                help="Show which teams have open work at each stage; flag stages where two or "
                "more teams work without a shared opportunity.",
            ),
        ],
        False,
    ),
}


def _register(name: str, options: tuple[str, ...], help_text: str) -> None:
    """``cxlib report NAME``, with the options the report declares (its signature is built
    from the registry, so typer offers exactly those)."""

    def command(ctx: typer.Context, format: ReportFormat, wide: bool, **given: Any) -> None:
        from cxlib.reports.registry import Options

        since = given.pop("since", None)
        chosen = Options(**given, since=date_option(since, "--since"))
        _emit(ctx, name, chosen, format, wide)

    from cxlib.reports.registry import FILTERS

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    params += [
        inspect.Parameter(o, keyword, default=_OPTIONS[o][1], annotation=_OPTIONS[o][0])
        for o in dict.fromkeys([*FILTERS, *options])
    ]
    params.append(
        inspect.Parameter("format", keyword, default=ReportFormat.TABLE, annotation=FormatOption)
    )
    params.append(inspect.Parameter("wide", keyword, default=False, annotation=Wide))
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = help_text
    command.__name__ = name
    app.command(name)(command)


def _register_all() -> None:
    from cxlib.reports.registry import SPECS

    for spec in SPECS.values():
        _register(spec.name, spec.options, spec.help)


_register_all()


@app.command("html")
def html(
    ctx: typer.Context,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="The HTML file to write ('-' for stdout; default: cxlib-report.html). An "
            "existing file is replaced only when it is an earlier cxlib report.",
            metavar="PATH",
        ),
    ] = "cxlib-report.html",
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url",
            help="Link every document id to its page on the site 'cxlib site' built: the "
            "site's address (https://...) or its folder relative to the report (_site). "
            "Without it the ids are plain text.",
            metavar="URL",
        ),
    ] = None,
) -> None:
    """One self-contained HTML page with every report and charts (value/effort matrix,
    outcomes per month, journey heatmap, win rate trend); no network needed to open it.

    Example: cxlib report html -o report.html --site-url https://cx.example.com/library
    """
    from cxlib import __version__
    from cxlib.ops.report import html_report

    st = state(ctx)
    target = None if output == "-" else Path(output)
    result = html_report(st.open(), st.today, __version__, target, site_url)
    if target is None:
        st.output.stdout.write(result.text)
        return
    st.output.note(f"wrote {target} ({len(result.text.encode()) // 1024 + 1} KiB)")
    if result.skipped:
        st.output.note(f"skipped {result.skipped} document(s) that do not validate", "yellow")
