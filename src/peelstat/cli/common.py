"""Options every command shares, and one way of showing results: Rich table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from peelstat.errors import PeelstatError
from peelstat.workspace import Workspace

# Tables are wide: when output goes to a file or a CI log, do not squeeze them to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 180)
err_console = Console(stderr=True)

WarehouseOption = Annotated[
    str | None,
    typer.Option(
        "--warehouse",
        "-w",
        help="Warehouse path or Ibis URL (default $PEELSTAT_WAREHOUSE or $PEELSTAT_HOME/warehouse.duckdb).",
        show_default=False,
    ),
]
CatalogueOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue", "-c", help="Extra measure YAML files (same form as the built-ins)."
    ),
]
StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Records store: a SQLite file or a SQLAlchemy URL "
        "(default $PEELSTAT_STORE or $PEELSTAT_HOME/inspection.sqlite).",
        show_default=False,
    ),
]
ForceOption = Annotated[str, typer.Option(help="Force, any spelling (e.g. avon-and-somerset).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
PathsArgument = Annotated[list[Path], typer.Argument(help="Files, folders or zip archives.")]

GLOBAL_OPTIONS = {"--warehouse": True, "-w": True, "--catalogue": True, "-c": True,
                  "--store": True, "--json": False, "--csv": False}  # fmt: skip
"""Options of the root command, and whether each takes a value: accepted after a subcommand
too (``peelstat status --warehouse w.duckdb``), so they are defined once and read once."""


def hoist_global_options(args: list[str]) -> list[str]:
    """Move the root options that follow a subcommand in front of it (up to a ``--``).

    >>> hoist_global_options(["status", "--json", "-w", "w.duckdb", "--", "--csv"])
    ['--json', '-w', 'w.duckdb', 'status', '--', '--csv']
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if arg == "--":
            rest += args[i:]
            break
        if name in GLOBAL_OPTIONS:
            takes_value = GLOBAL_OPTIONS[name] and "=" not in arg
            front += args[i : i + 1 + takes_value]
            i += 1 + takes_value
            continue
        rest.append(arg)
        i += 1
    return front + rest


@dataclass
class Frontend:
    """What the root command sets up for every command: the workspace and the output form."""

    workspace: Workspace
    as_json: bool = False
    as_csv: bool = False

    def show(
        self, rows: pd.DataFrame | Sequence[Mapping[str, Any]], title: str | None = None,
        caption: str | None = None,
    ) -> None:  # fmt: skip
        show(rows, title, self.as_json, self.as_csv, caption)

    def emit(
        self, result: Any, table: pd.DataFrame, title: str, caption: str | None = None
    ) -> None:
        """A typed result: its ``to_dict()`` as JSON, else ``table`` as CSV or a Rich table."""
        if self.as_json:
            dump_json(result.to_dict())
        else:
            show(table, title, as_csv=self.as_csv, caption=caption)


def frontend(ctx: typer.Context) -> Frontend:
    """The root command's Frontend (a default one when a sub-app runs on its own)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Frontend):
        root.obj = Frontend(Workspace())
    return root.obj


def report_error(error: PeelstatError) -> None:
    """An analyst sees the message (which names the file, row and problem), not a traceback.

    Printed as plain text, not Rich markup: messages quote column lists like ``['Month']``.
    """
    typer.echo(f"Error: {error}", err=True)


class PlainErrorsGroup(TyperGroup):
    """Command group whose commands, however deep, report peelstat's own errors plainly; as
    the root, it takes the root options wherever they are written."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = hoist_global_options(list(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PeelstatError as error:
            report_error(error)
            raise typer.Exit(1) from None


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
    """JSON with ISO dates and ``null`` for a missing number (never ``NaN``)."""
    from peelstat.analysis.plain import plain

    print(json.dumps(plain(data), indent=2, default=str))
