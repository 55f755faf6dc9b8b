"""``peelstat``: the command line. Each command is one call on the Workspace, then a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from peelstat import __version__
from peelstat.cli import audit, fetch, grades, lake, report, serve, trend
from peelstat.cli.common import (
    CatalogueOption,
    CsvOption,
    Frontend,
    JsonOption,
    PathsArgument,
    PlainErrorsGroup,
    StoreOption,
    WarehouseOption,
    dump_json,
    err_console,
    frontend,
    show,
)
from peelstat.cli.measures import (
    benchmark_command,
    compare_command,
    measures_command,
    msg_app,
    print_report,
)
from peelstat.sources import registered_sources
from peelstat.workspace import Workspace

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
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    warehouse: WarehouseOption = None,
    catalogue: CatalogueOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Open, reproducible police performance analysis for England and Wales.

    The options here may also be written after the command (peelstat status --json).
    """
    workspace = Workspace(warehouse, catalogue_files=catalogue or (), store=store, create=False)
    ctx.obj = Frontend(workspace, as_json, as_csv)
    ctx.call_on_close(lambda: ctx.obj.workspace.close())  # the demo may replace the workspace


@app.command()
def load(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(registered_sources())}.")],
    paths: PathsArgument,
    lookup: Annotated[
        Path | None,
        typer.Option(help="population: ONS local authority → police force area lookup CSV."),
    ] = None,
    households: Annotated[
        Path | None,
        typer.Option(help="population: households by local authority or force area and year."),
    ] = None,
) -> None:
    """Load files into the warehouse (a file already loaded is skipped; a changed one replaced)."""
    from peelstat.warehouse.progress import loading_progress

    given = {"lookup": lookup, "households": households}
    options = {name: value for name, value in given.items() if value is not None}
    out = frontend(ctx)
    with loading_progress(f"Loading {source}") as on_unit_done:
        report = out.workspace.load(source, paths, on_unit_done=on_unit_done, **options)
    if report.rows_loaded:  # the first report table then reads the measures, not computes them
        with err_console.status("Computing every measure for the months loaded..."):
            out.workspace.store_measure_frames()
    for note in out.workspace.warehouse_notes():  # a SYNTHETIC warehouse stays one: say so
        err_console.print(f"[bold yellow]Note[/]: {note.text}", highlight=False)
    if out.as_json:
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
    ctx: typer.Context,
    coverage: Annotated[
        bool, typer.Option("--coverage", help="The coverage ledger: every table, force, month.")
    ] = False,
) -> None:
    """What is loaded: per table, forces, periods covered, rows, rejects, missing force-months."""
    from peelstat.warehouse.coverage import coverage_frame, forces_without_rows, needs_attention

    out = frontend(ctx)
    if coverage:
        ledger = out.workspace.coverage()
        if out.as_json:
            dump_json([row.as_dict() for row in ledger])
            return
        flagged = ledger if out.as_csv else [r for r in ledger if needs_attention(r)]
        caption = f"{len(flagged)} of {len(ledger)} force-periods need attention"
        out.show(coverage_frame(flagged), title="Coverage", caption=caption)
        return
    summary = out.workspace.status()
    if summary.empty and not (out.as_json or out.as_csv):
        print("The warehouse is empty. Load data with `peelstat load` or try `peelstat demo`.")
        return
    out.emit(summary, summary.to_frame(), "Warehouse status")
    if out.as_json or out.as_csv:
        return
    for t in summary.tables:
        if t.missing_force_periods:
            shown = ", ".join(t.missing_force_periods[:12])
            more = len(t.missing_force_periods) - 12
            print(f"{t.table} missing: {shown}" + (f" (+{more} more)" if more > 0 else ""))
    for table, forces in forces_without_rows(out.workspace.coverage()).items():
        if forces:
            print(f"{table}: no rows at all for {', '.join(forces)}")
    print("Every force and month: peelstat status --coverage")


@app.command()
def rejected(
    ctx: typer.Context,
    file: Annotated[
        str | None, typer.Option(help="Only files whose name or path contains this.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
) -> None:
    """Rows a load refused, with file, line, reason and the raw text."""
    out = frontend(ctx)
    out.show(out.workspace.rejected_rows(file, limit), title="Rejected rows")


@app.command()
def recount(ctx: typer.Context) -> None:
    """Count everything again from the rows, after changing rows in SQL outside peelstat.

    Rebuilds the monthly summaries measures read and forgets the stored measure frames, so
    the next report counts from the rows as they are now."""
    rebuilt = frontend(ctx).workspace.recount()
    names = ", ".join(rebuilt) or "none (no police.uk tables loaded)"
    print(f"Summaries rebuilt: {names}. Stored measure frames forgotten.")


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
    ctx: typer.Context,
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
) -> None:
    """Generate SYNTHETIC police.uk archives, load them, and print a performance-report table."""
    from peelstat.warehouse.progress import loading_progress

    out = frontend(ctx)
    if ctx.find_root().params.get("warehouse") is None:  # no --warehouse: the demo's own
        out.workspace = Workspace(
            "demo/warehouse.duckdb", catalogue_files=out.workspace.catalogue_files
        )
    workspace = out.workspace
    err_console.print(
        f"[bold yellow]SYNTHETIC DATA[/]: generating {months} months of made-up police.uk "
        f"archives in {workspace.demo_folder} (for trying peelstat, never for conclusions)"
    )
    with loading_progress("Loading synthetic archives") as on_unit_done:
        report = workspace.load_demo(months, forces, seed, on_unit_done)
    print(
        f"{report.count('loaded') + report.count('replaced')} files loaded, "
        f"{report.count('skipped')} already loaded; {report.rows_loaded:,} rows"
    )
    coverage = workspace.status()
    show(coverage.to_frame(), title="Warehouse status")
    latest = str(coverage.latest_period)
    print_report(workspace.report_table(force, latest, DEMO_MEASURES), latest)
    print(
        "This table is computed from SYNTHETIC data. Next: `peelstat measures` lists every "
        f"measure; `peelstat benchmark --force {force} --period {latest} --warehouse "
        f"{workspace.location}` shows them all; `peelstat trend --force {force} -m "
        f"police_uk_robbery --period {latest} --warehouse {workspace.location}` shows one "
        "month by month, with the changes that are more than noise."
    )


app.command("measures")(measures_command)
app.command("benchmark")(benchmark_command)
app.command("compare")(compare_command)
app.command("trend")(trend.trend_command)
app.command("export-lake")(lake.export_lake_command)
app.add_typer(msg_app, name="msg")
app.add_typer(fetch.app, name="fetch")
app.add_typer(audit.app, name="audit")
app.command("cdi")(audit.cdi_command)
app.add_typer(grades.app, name="grades")
app.command("serve")(serve.serve_command)
app.add_typer(report.app, name="report")


def main() -> None:
    """Entry point of the ``peelstat`` script (errors are reported by PlainErrorsGroup)."""
    app()


if __name__ == "__main__":
    main()
