"""``peelstat measures``, ``peelstat benchmark`` and ``peelstat msg``: the catalogue and the
performance-report table. The lead registers these in ``cli/main.py``::

    app.command("measures")(measures_command)
    app.command("benchmark")(benchmark_command)
    app.add_typer(msg_app, name="msg")
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from peelstat.catalogue.loader import load_catalogue
from peelstat.cli.common import CsvOption, ForceOption, JsonOption, WarehouseOption, show

CatalogueOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue", "-c", help="Extra measure YAML files (same form as the built-ins)."
    ),
]


def catalogue_frame(user_files: list[Path] | None = None) -> pd.DataFrame:
    """The catalogue as rows: id, title, source, unit, polarity, priority, numerator, denominator."""
    return pd.DataFrame(
        [
            {
                "id": m.id,
                "title": m.title,
                "source": m.source,
                "unit": m.unit,
                "better": "lower" if m.lower_is_better else "higher",
                "priority": m.priority,
                "numerator": ", ".join(m.sum_of) if m.sum_of else m.numerator.describe(),
                "denominator": (
                    f"{m.ratio_of[1]} (ratio)" if m.ratio_of else m.denominator.describe()
                ),
                "notes": m.notes,
            }
            for m in load_catalogue(user_files or ())
        ]
    )


def measures_command(
    catalogue: CatalogueOption = None,
    notes: Annotated[bool, typer.Option("--notes", help="Show each measure's notes.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the measure catalogue: built-ins plus any --catalogue files."""
    frame = catalogue_frame(catalogue)
    if not (notes or as_json or as_csv):
        frame = frame.drop(columns=["notes", "numerator", "denominator"])
    show(frame, title="peelstat measures", as_json=as_json, as_csv=as_csv)


def benchmark_command(
    force: ForceOption,
    period: Annotated[str, typer.Option(help="Last month of the 12-month window, YYYY-MM.")],
    measure: Annotated[
        list[str] | None, typer.Option("--measure", "-m", help="Measure id (repeat); default all.")
    ] = None,
    catalogue: CatalogueOption = None,
    warehouse: WarehouseOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The performance-report table for one force: value, change, trend, MSG and national rank."""
    from peelstat.measures.report_table import benchmark_table
    from peelstat.warehouse.connect import connect

    con = connect(warehouse, create=False)
    table = benchmark_table(con, force, period, measure, load_catalogue(catalogue or ()))
    group = table.attrs["msg"]
    if as_json or as_csv:
        show(table, as_json=as_json, as_csv=as_csv)
        return
    shown = table[
        ["title", "value", "change", "trend", "msg_rank", "msg_position", "msg_average",
         "national_value", "national_rank", "outlier"]
    ].assign(change=lambda t: (t["change"] * 100).round(1).astype(str) + "%")  # fmt: skip
    caption = f"MSG ({group.origin}): {', '.join(group.peers)}"
    show(shown, title=f"{table.attrs['force']} — 12 months to {period}", caption=caption)


msg_app = typer.Typer(help="Most Similar Groups: show them, or set your own.", no_args_is_help=True)


@msg_app.command("show")
def msg_show(
    force: Annotated[str | None, typer.Argument(help="One force; default every force.")] = None,
    warehouse: WarehouseOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Each force's comparison group and where it came from (user, published or derived)."""
    from peelstat.measures.msg import all_groups, msg_for
    from peelstat.warehouse.connect import connect

    con = connect(warehouse, create=False)
    if force:
        group = msg_for(con, force)
        rows = [{"force": group.force, "peers": ", ".join(group.peers), "origin": group.origin,
                 "source": group.source}]  # fmt: skip
        show(rows, title="Most Similar Group", as_json=as_json, as_csv=as_csv)
        return
    show(all_groups(con), title="Most Similar Groups", as_json=as_json, as_csv=as_csv)


@msg_app.command("set")
def msg_set(
    path: Annotated[Path, typer.Argument(help="CSV with columns force,peer (one row per peer).")],
    warehouse: WarehouseOption = None,
) -> None:
    """Store your own groups (replaces those forces' groups; others keep theirs)."""
    from peelstat.measures.msg import set_groups
    from peelstat.warehouse.connect import connect

    count = set_groups(connect(warehouse), pd.read_csv(path), source=path.name)
    print(f"Stored {count} force-peer rows from {path.name} as user-supplied groups.")
