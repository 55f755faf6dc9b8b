"""``peelstat``: the command line. Each command is one call on the Workspace, then a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from peelstat import __version__
from peelstat.cli import audit, fetch, grades, lake, trend
from peelstat.cli.common import (
    CsvOption,
    JsonOption,
    PathsArgument,
    PlainErrorsGroup,
    WarehouseOption,
    dump_json,
    err_console,
    show,
)
from peelstat.cli.measures import benchmark_command, measures_command, msg_app
from peelstat.sources import SOURCES

if TYPE_CHECKING:  # Ibis, DuckDB and pyarrow load when a command needs the warehouse
    from peelstat.warehouse.loading import LoadReport

app = typer.Typer(
    name="peelstat",
    help="Open, reproducible police performance analysis for England and Wales.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=PlainErrorsGroup,
)


def _version(value: bool) -> None:
    if value:
        print(f"peelstat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Open, reproducible police performance analysis for England and Wales."""


@app.command()
def load(
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(SOURCES)}.")],
    paths: PathsArgument,
    lookup: Annotated[
        Path | None,
        typer.Option(help="population: ONS local authority → police force area lookup CSV."),
    ] = None,
    households: Annotated[
        Path | None,
        typer.Option(help="population: households by local authority or force area and year."),
    ] = None,
    warehouse: WarehouseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load files into the warehouse (a file already loaded is skipped; a changed one replaced)."""
    from peelstat.warehouse.progress import loading_progress
    from peelstat.workspace import Workspace

    given = {"lookup": lookup, "households": households}
    options = {name: value for name, value in given.items() if value is not None}
    workspace = Workspace(warehouse)
    with loading_progress(f"Loading {source}") as on_unit_done:
        report = workspace.load(source, paths, on_unit_done=on_unit_done, **options)
    if as_json:
        dump_json({"source": report.source, "units": [u.__dict__ for u in report.units]})
        return
    _print_load_report(report)


MAX_UNITS_LISTED = 20
"""A load of more files than this is summarised per table (a national month is ~130 files)."""


def _print_load_report(report: LoadReport) -> None:
    units = [
        {
            "file": u.file,
            "table": u.table,
            "outcome": u.outcome,
            "rows loaded": u.rows_loaded,
            "rows rejected": u.rows_rejected,
        }
        for u in report.units
    ]
    if len(units) <= MAX_UNITS_LISTED:
        show(units, title=f"peelstat load {report.source}")
    else:
        frame = pd.DataFrame(units)
        by_table = (
            frame.groupby(["table", "outcome"], sort=True)
            .agg(files=("file", "size"), **{
                "rows loaded": ("rows loaded", "sum"), "rows rejected": ("rows rejected", "sum")
            })
            .reset_index()
        )  # fmt: skip
        show(by_table, title=f"peelstat load {report.source}: {len(units):,} files, by table")
        with_rejects = frame[frame["rows rejected"] > 0]
        if not with_rejects.empty:
            show(
                with_rejects.head(MAX_UNITS_LISTED),
                title=f"Files with rejected rows ({len(with_rejects):,})",
            )
    summary = (
        f"{report.count('loaded')} loaded, {report.count('replaced')} replaced, "
        f"{report.count('skipped')} already loaded (skipped); "
        f"{report.rows_loaded:,} rows loaded, {report.rows_rejected:,} rejected"
    )
    print(summary)
    if report.rows_rejected:
        print("See the rejected rows with: peelstat rejected")


@app.command()
def status(
    warehouse: WarehouseOption = None, as_json: JsonOption = False, as_csv: CsvOption = False
) -> None:
    """What is loaded: per table, forces, periods covered, rows, rejects, missing force-months."""
    from peelstat.workspace import Workspace

    tables = Workspace(warehouse, create=False).status()
    if as_json:
        dump_json([t.as_dict() for t in tables])
        return
    rows = [
        {
            "table": t.table,
            "forces": t.forces,
            "from": t.first_period,
            "to": t.last_period,
            "files": t.files,
            "rows": t.rows,
            "rejected": t.rejected_rows,
            "missing force-periods": len(t.missing_force_periods),
        }
        for t in tables
    ]
    if as_csv:
        show(rows, as_csv=True)
        return
    if not rows:
        print("The warehouse is empty. Load data with `peelstat load` or try `peelstat demo`.")
        return
    show(rows, title="Warehouse status")
    for t in tables:
        if t.missing_force_periods:
            shown = ", ".join(t.missing_force_periods[:12])
            more = len(t.missing_force_periods) - 12
            print(f"{t.table} missing: {shown}" + (f" (+{more} more)" if more > 0 else ""))


@app.command()
def rejected(
    file: Annotated[
        str | None, typer.Option(help="Only files whose name or path contains this.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    warehouse: WarehouseOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Rows a load refused, with file, line, reason and the raw text."""
    from peelstat.workspace import Workspace

    frame = Workspace(warehouse, create=False).rejected_rows(file, limit)
    show(frame, title="Rejected rows", as_json=as_json, as_csv=as_csv)


DEMO_MEASURES = [
    "police_uk_all_crime",
    "anti_social_behaviour",
    "police_uk_burglary",
    "police_uk_robbery",
    "police_uk_vehicle_crime",
    "police_uk_violence_and_sexual_offences",
    "police_uk_drugs",
    "police_uk_possession_of_weapons",
    "stop_search_rate",
    "stop_search_arrest_rate",
    "stop_search_find_rate",
    "stop_search_disparity_black",
]


@app.command()
def demo(
    months: Annotated[
        int, typer.Option(help="How many months to generate (24 gives trends).")
    ] = 24,
    forces: Annotated[
        list[str] | None, typer.Option("--forces", help="Only these forces (default all).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 0,
    force: Annotated[str, typer.Option(help="Force whose report table to print.")] = (
        "avon-and-somerset"
    ),
    warehouse: WarehouseOption = None,
) -> None:
    """Generate SYNTHETIC police.uk archives, load them, and print a performance-report table."""
    from peelstat.demo.archives import generate_demo
    from peelstat.warehouse.progress import loading_progress
    from peelstat.workspace import Workspace

    workspace = Workspace(warehouse or "demo/warehouse.duckdb")
    folder = Path(workspace.location).expanduser().parent / "archives"
    err_console.print(
        f"[bold yellow]SYNTHETIC DATA[/]: generating {months} months of made-up police.uk "
        f"archives in {folder} (for trying peelstat, never for conclusions)"
    )
    archives = generate_demo(folder, months=months, forces=forces, seed=seed)
    with loading_progress("Loading synthetic archives") as on_unit_done:
        report = workspace.load("police-uk", archives, on_unit_done=on_unit_done)
    print(
        f"{report.count('loaded') + report.count('replaced')} files loaded, "
        f"{report.count('skipped')} already loaded; {report.rows_loaded:,} rows"
    )
    status(warehouse=workspace.location)
    latest = max(t.last_period for t in workspace.status() if t.last_period)
    benchmark_command(
        force=force, period=latest, measure=DEMO_MEASURES, warehouse=workspace.location
    )
    print(
        "This table is computed from SYNTHETIC data. Next: `peelstat measures` lists every "
        f"measure; `peelstat benchmark --force {force} --period {latest} --warehouse "
        f"{workspace.location}` shows them all; `peelstat trend --force {force} -m "
        f"police_uk_robbery --period {latest} --warehouse {workspace.location}` shows one "
        "month by month, with the changes that are more than noise."
    )


app.command("measures")(measures_command)
app.command("benchmark")(benchmark_command)
app.command("trend")(trend.trend_command)
app.command("export-lake")(lake.export_lake_command)
app.add_typer(msg_app, name="msg")
app.add_typer(fetch.app, name="fetch")
app.add_typer(audit.app, name="audit")
app.command("cdi")(audit.cdi_command)
app.add_typer(grades.app, name="grades")


def main() -> None:
    """Entry point of the ``peelstat`` script (errors are reported by PlainErrorsGroup)."""
    app()


if __name__ == "__main__":
    main()
