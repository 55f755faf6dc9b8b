"""``peelstat trend``: one force's measure month by month, on an XmR chart, with the outlook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from peelstat.cli.common import ForceOption, console, frontend, show
from peelstat.cli.measures import PeriodOption

if TYPE_CHECKING:  # statsmodels and the warehouse load when the command runs, not for --help
    from peelstat.analysis.series import MeasureSeries

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: pd.Series) -> str:
    """The values as a line of block characters, lowest ▁ to highest █.

    >>> sparkline(pd.Series([1.0, 2.0, 3.0, 8.0]))
    '▁▂▃█'
    """
    low, high = float(values.min()), float(values.max())
    if high == low:
        return SPARKS[3] * len(values)
    steps = ((values - low) / (high - low) * (len(SPARKS) - 1)).round().astype(int)
    return "".join(SPARKS[i] for i in steps)


def _figures(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Three significant figures: monthly rates per 1,000 are often below 1."""
    return frame.assign(**{c: frame[c].map(lambda v: f"{v:.3g}") for c in columns})


def _signals_sentence(series: MeasureSeries) -> str:
    spans = series.signal_spans()
    if not spans:
        return (
            "No signal: every period is within the limits and no run of 8 sits on one side "
            "of the centre, so the changes are what this series shows month to month anyway."
        )
    return "Signals (a real change, not noise): " + "; ".join(spans)


def trend_command(
    ctx: typer.Context,
    force: ForceOption,
    measure: Annotated[
        str, typer.Option("--measure", "-m", help="Measure id (see peelstat measures).")
    ],
    period: PeriodOption,
    months: Annotated[int, typer.Option(help="How many months to chart.")] = 36,
) -> None:
    """One force's measure month by month: XmR chart limits and signals, and the outlook."""
    out = frontend(ctx)
    series = out.workspace.series(force, measure, period, months)
    if out.as_json or out.as_csv:
        out.emit(series, series.chart, "")
        return
    chart = series.chart.assign(period=series.chart["period_end"].dt.strftime("%Y-%m"))
    shown = _figures(chart, ["value", "centre", "lower", "upper"])
    shown["numerator"] = shown["numerator"].map(
        lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
    )
    shown = shown[["period", "numerator", "value", "centre", "lower", "upper", "signal"]]
    title = f"{series.force} — {series.measure.title} ({series.measure.unit_label}), each {series.grain}"
    caption = f"{series.rule}  {sparkline(chart['value'])}"
    show(shown.rename(columns={"numerator": "count"}), title=title, caption=caption)
    console.print(_signals_sentence(series))
    outlook = series.outlook.assign(period=series.outlook["period_end"].dt.strftime("%Y-%m"))
    outlook = _figures(outlook, ["forecast", "lower", "upper"])
    show(
        outlook[["period", "forecast", "lower", "upper"]],
        title="Outlook (95% prediction interval)",
        caption=series.outlook_method,
    )
