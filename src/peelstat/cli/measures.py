"""``peelstat measures``, ``peelstat benchmark``, ``peelstat compare`` and ``peelstat msg``:
the catalogue, the performance-report table, the all-forces comparison and the groups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from peelstat.cli.common import ForceOption, dump_json, frontend, show

if TYPE_CHECKING:
    from peelstat.analysis.report import ReportTable

PeriodOption = Annotated[
    str,
    typer.Option(
        help="Last month of the 12-month window: YYYY-MM, or a quarter like 'Q1 2022/23'."
    ),
]
REPORT_SHOWN = ["title", "value", "change", "trend", "msg_rank", "msg_position", "msg_average",
                "national_value", "national_rank", "outlier"]  # fmt: skip


def measures_command(
    ctx: typer.Context,
    notes: Annotated[bool, typer.Option("--notes", help="Show each measure's notes.")] = False,
) -> None:
    """List the measure catalogue: built-ins plus any --catalogue files."""
    out = frontend(ctx)
    listing = out.workspace.catalogue_listing()
    frame = listing.to_frame().drop(columns=["unit_label", "window_months", "file"])
    if not (notes or out.as_json or out.as_csv):
        frame = frame.drop(columns=["notes", "numerator", "denominator", "source"])
    out.emit(listing, frame, "peelstat measures")


def print_report(table: ReportTable, period: str) -> None:
    """The report table as the terminal shows it: percent changes, the group in the caption."""
    frame = table.to_frame()
    shown = frame[REPORT_SHOWN].assign(
        change=lambda t: (t["change"] * 100).round(1).astype(str) + "%",
        # "6th/8, plausibly 4th–8th" where the measure is a count
        msg_rank=frame["msg_rank_range"].fillna(frame["msg_rank"]),
        national_rank=frame["national_rank_range"].fillna(frame["national_rank"]),
    )
    show(shown, title=f"{table.force} — 12 months to {period}", caption=table.msg.describe())
    for note in table.notes:
        print(f"Note: {note}")


def benchmark_command(
    ctx: typer.Context,
    force: ForceOption,
    period: PeriodOption,
    measure: Annotated[
        list[str] | None, typer.Option("--measure", "-m", help="Measure id (repeat); default all.")
    ] = None,
) -> None:
    """The performance-report table for one force: value, change, trend, MSG and national rank."""
    out = frontend(ctx)
    table = out.workspace.report_table(force, period, measure)
    if out.as_json or out.as_csv:
        out.emit(table, table.to_frame(), "")
        return
    print_report(table, period)


def compare_command(
    ctx: typer.Context,
    measure: Annotated[str, typer.Option("--measure", "-m", help="Measure id.")],
    period: PeriodOption,
    force: Annotated[str | None, typer.Option(help="Force to highlight, with its MSG.")] = None,
) -> None:
    """One measure across all forces, sorted, with the HMICFRS outlier band (mean ± 1 SD)."""
    out = frontend(ctx)
    result = out.workspace.compare(measure, period, force)
    band = result.band
    caption = (
        f"Outlier band {band.lower:.3g} to {band.upper:.3g} ({'logs' if band.transformed else 'values'}); "
        f"England and Wales {result.national_value:.3g}. " + " ".join(result.notes[1:])
    )
    frame = result.to_frame().drop(columns=["force_name"])
    out.emit(
        result,
        frame,
        f"{result.measure.title} ({result.measure.unit_label}), 12 months to {result.period_end:%Y-%m}",
        caption,
    )


msg_app = typer.Typer(help="Most Similar Groups: show them, or set your own.", no_args_is_help=True)


@msg_app.command("show")
def msg_show(
    ctx: typer.Context,
    force: Annotated[str | None, typer.Argument(help="One force; default every force.")] = None,
) -> None:
    """Each force's comparison group and where it came from (user, published or derived)."""
    out = frontend(ctx)
    if force:
        group = out.workspace.comparison_group(force)
        if out.as_json:
            dump_json(group.to_dict())
            return
        row = {"force": group.force, "peers": ", ".join(group.peers), "origin": group.origin,
               "source": group.source}  # fmt: skip
        out.show([row], title="Most Similar Group")
        return
    groups = out.workspace.comparison_groups()
    out.emit(groups, groups.to_frame(), "Most Similar Groups")


@msg_app.command("set")
def msg_set(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with columns force,peer (one row per peer).")],
) -> None:
    """Store your own groups (replaces those forces' groups; others keep theirs)."""
    count = frontend(ctx).workspace.set_groups(pd.read_csv(path), source=path.name)
    print(f"Stored {count} force-peer rows from {path.name} as user-supplied groups.")
