"""Options every command shares, and one way of showing results: Rich table, JSON or CSV."""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from peelstat.errors import PeelstatError

# Tables are wide: when output goes to a file or a CI log, do not squeeze them to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 180)
err_console = Console(stderr=True)

WarehouseOption = Annotated[
    str | None,
    typer.Option(
        "--warehouse",
        "-w",
        help="Warehouse path or Ibis URL (default $PEELSTAT_WAREHOUSE or ~/.peelstat/warehouse.duckdb).",
        show_default=False,
    ),
]
ForceOption = Annotated[str, typer.Option(help="Force, any spelling (e.g. avon-and-somerset).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
PathsArgument = Annotated[list[Path], typer.Argument(help="Files, folders or zip archives.")]


P = ParamSpec("P")
R = TypeVar("R")


def report_error(error: PeelstatError) -> None:
    """An analyst sees the message (which names the file, row and problem), not a traceback.

    Printed as plain text, not Rich markup: messages quote column lists like ``['Month']``.
    """
    typer.echo(f"Error: {error}", err=True)


class PlainErrorsGroup(TyperGroup):
    """Command group whose commands, however deep, report peelstat's own errors plainly."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PeelstatError as error:
            report_error(error)
            raise typer.Exit(1) from None


def plain_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The same for one command, for sub-apps used on their own (e.g. in tests)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PeelstatError as error:
            report_error(error)
            raise typer.Exit(1) from None

    return wrapper


def show(
    rows: pd.DataFrame | Sequence[Mapping[str, Any]],
    title: str | None = None,
    as_json: bool = False,
    as_csv: bool = False,
    caption: str | None = None,
) -> None:
    """Print rows as a Rich table, or as JSON/CSV for scripts and spreadsheets."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if as_json:
        print(frame.to_json(orient="records", date_format="iso", indent=2))
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(frame.columns)
        writer.writerows(frame.astype(object).where(frame.notna(), "").itertuples(index=False))
    else:
        console.print(rich_table(frame, title, caption))


def rich_table(frame: pd.DataFrame, title: str | None = None, caption: str | None = None) -> Table:
    table = Table(title=title, caption=caption, header_style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column).replace("_", " "), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    return table


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def dump_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))
