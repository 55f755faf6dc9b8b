"""Options and output shared by the audit, cdi and grades commands.

One `--confidence` and `--method` definition, so every command that prints an interval
takes them the same way and documents them alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

import pandas as pd
import typer

from peelstat.cli.common import console, dump_json, show

ConfidenceOption = Annotated[
    float, typer.Option("--confidence", help="Confidence level, e.g. 0.95.", min=0.5, max=0.999)
]
MethodOption = Annotated[
    str,
    typer.Option(
        "--method",
        help="Interval: wald (normal approximation, as HMICFRS prints), wilson, "
        "clopper-pearson, or all.",
    ),
]


def emit(data: Any, title: str, as_json: bool, notes: Sequence[str] = ()) -> None:
    """Rows (a list of dicts, one dict or a DataFrame) as the shared table, or as JSON.

    JSON goes through `dump_json` rather than `show`: one result stays one object, and dates
    stay "2023-06-01" and years "2021/22" (pandas would print "2023-06-01T00:00:00.000", "2021\\/22").
    """
    if as_json:
        if isinstance(data, pd.DataFrame):
            data = data.astype(object).where(data.notna(), None).to_dict("records")
        dump_json(data)
        return
    show(data if isinstance(data, pd.DataFrame) else _table_rows(data), title)
    for note in notes:
        console.print(f"Note: {note}", highlight=False)


def _table_rows(data: Any) -> list[dict[str, Any]]:
    """Nested values (a sample's populations) shown as JSON text, since a cell holds one value."""
    rows = data if isinstance(data, list) else [data]
    return [{k: json.dumps(v) if isinstance(v, dict) else v for k, v in r.items()} for r in rows]
