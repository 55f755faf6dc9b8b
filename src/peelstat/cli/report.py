"""``peelstat report``: the performance report, the all-forces comparison, the XmR trend and the
inspection profile, written as self-contained HTML (and PDF, SVG, PNG, CSV) to ``--out``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peelstat.cli.common import ForceOption, err_console, frontend
from peelstat.cli.measures import PeriodOption

app = typer.Typer(
    help="Reports people read: HTML (and PDF) from the warehouse.", no_args_is_help=True
)

OutOption = Annotated[Path, typer.Option("--out", help="Folder to write the files to.")]
QuarterOption = Annotated[
    str | None, typer.Option(help="Financial-year quarter, as reports name them: 'Q1 2022/23'.")
]
PeriodOrNone = Annotated[
    str | None,
    typer.Option(help="Last month of the 12-month window (YYYY-MM) instead of a quarter."),
]


def _written(paths: list[Path]) -> None:
    for path in paths:
        print(f"Wrote {path}")


@app.command("performance")
def performance(
    ctx: typer.Context,
    force: ForceOption,
    quarter: QuarterOption = None,
    period: PeriodOrNone = None,
    out: OutOption = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write an A4 landscape PDF.")] = False,
    definition: Annotated[
        Path | None, typer.Option(help="Report definition YAML (default: the built-in one).")
    ] = None,
) -> None:
    """A force's performance report: each priority's measures, benchmarks, charts and comments.

    --force all writes one report per territorial force (43 files).
    """
    from rich.progress import Progress

    from peelstat.reports.performance import write_performance, write_performance_reports

    if not (quarter or period) or (quarter and period):
        raise typer.BadParameter("give --quarter 'Q1 2022/23' or --period YYYY-MM (one of them)")
    from peelstat.reference import territorial_forces

    workspace = frontend(ctx).workspace
    when = str(quarter or period)
    if force.lower() != "all":
        _written(write_performance(workspace, force, when, out, pdf, definition))
        return
    forces = territorial_forces()
    with Progress(console=err_console, transient=False) as progress:
        task = progress.add_task("Figures, then pages, of 43 forces", total=2 * len(forces))
        written = write_performance_reports(
            workspace, forces, when, out, pdf, definition,
            on_report=lambda _: progress.advance(task),
        )  # fmt: skip
    _written(written)


@app.command("compare")
def compare(
    ctx: typer.Context,
    measure: Annotated[str, typer.Option("--measure", "-m", help="Measure id.")],
    period: PeriodOption,
    force: Annotated[str | None, typer.Option(help="Force to highlight, with its MSG.")] = None,
    out: OutOption = Path("."),
    boundaries: Annotated[
        Path | None,
        typer.Option(help="ONS police force area GeoJSON for the map (or $PEELSTAT_BOUNDARIES)."),
    ] = None,
) -> None:
    """All forces' sorted bars with the outlier band, the force-area map and the table."""
    from peelstat.reports.views import write_comparison
    from peelstat.settings import boundaries_location

    comparison = frontend(ctx).workspace.compare(measure, period, force)
    _written(list(write_comparison(comparison, out, boundaries_location(boundaries)).files))


@app.command("trend")
def trend(
    ctx: typer.Context,
    force: ForceOption,
    measure: Annotated[str, typer.Option("--measure", "-m", help="Measure id.")],
    period: PeriodOption,
    months: Annotated[int, typer.Option(help="How many months to chart.")] = 36,
    out: OutOption = Path("."),
) -> None:
    """One force's measure on an XmR chart: limits, signals and the outlook with its interval."""
    from peelstat.reports.views import write_trend

    series = frontend(ctx).workspace.series(force, measure, period, months)
    _written(list(write_trend(series, out).files))


@app.command("inspection")
def inspection(
    ctx: typer.Context,
    force: ForceOption,
    out: OutOption = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write an A4 landscape PDF.")] = False,
) -> None:
    """The PEEL-style profile: grades and their history, findings, audit and CDI estimates."""
    from peelstat.reports.inspection import write_inspection

    _written(write_inspection(frontend(ctx).workspace, force, out, pdf))
