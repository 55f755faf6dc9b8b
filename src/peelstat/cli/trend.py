"""``peelstat trend``: one force's measure month by month, on an XmR chart, with the outlook."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from peelstat.catalogue.loader import load_catalogue
from peelstat.cli.common import CsvOption, ForceOption, JsonOption, WarehouseOption, console, show
from peelstat.cli.measures import CatalogueOption

if TYPE_CHECKING:  # statsmodels and the warehouse load when the command runs, not for --help
    from peelstat.measures.series import MeasureSeries

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
    flagged = series.signals
    if flagged.empty:
        return (
            "No signal: every period is within the limits and no run of 8 sits on one side "
            "of the centre, so the changes are what this series shows month to month anyway."
        )
    return "Signals (a real change, not noise): " + "; ".join(signal_spans(flagged))


def signal_spans(flagged: pd.DataFrame) -> list[str]:
    """Consecutive periods with the same signal as one span: "2023-10 to 2023-12 run of 8 …".

    >>> ends = pd.to_datetime(["2023-03-31", "2023-10-31", "2023-11-30", "2023-12-31"])
    >>> signals = ["below lower limit"] + ["run of 8 above centre"] * 3
    >>> signal_spans(pd.DataFrame({"period_end": ends, "signal": signals}, index=[2, 9, 10, 11]))
    ['2023-03 below lower limit', '2023-10 to 2023-12 run of 8 above centre']
    """
    spans: list[list] = []  # [first, last, signal, last index]
    for index, row in zip(flagged.index, flagged.itertuples(), strict=True):
        if spans and spans[-1][2] == row.signal and spans[-1][3] == index - 1:
            spans[-1][1], spans[-1][3] = row.period_end, index
        else:
            spans.append([row.period_end, row.period_end, row.signal, index])
    return [
        f"{first:%Y-%m}{'' if first == last else f' to {last:%Y-%m}'} {signal}"
        for first, last, signal, _ in spans
    ]


def trend_command(
    force: ForceOption,
    measure: Annotated[
        str, typer.Option("--measure", "-m", help="Measure id (see peelstat measures).")
    ],
    period: Annotated[str, typer.Option(help="Last month to show, YYYY-MM.")],
    months: Annotated[int, typer.Option(help="How many months to chart.")] = 36,
    catalogue: CatalogueOption = None,
    warehouse: WarehouseOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """One force's measure month by month: XmR chart limits and signals, and the outlook."""
    from peelstat.measures.series import measure_series
    from peelstat.warehouse.connect import connect

    con = connect(warehouse, create=False)
    series = measure_series(con, force, measure, period, months, load_catalogue(catalogue or ()))
    if as_csv:
        show(series.chart, as_csv=True)
        return
    if as_json:
        payload = {
            "force": series.force,
            "measure": series.measure.id,
            "unit": series.measure.unit,
            "grain": series.grain,
            "chart": json.loads(series.chart.to_json(orient="records", date_format="iso")),
            "outlook": json.loads(series.outlook.to_json(orient="records", date_format="iso")),
        }
        print(json.dumps(payload, indent=2))
        return
    chart = series.chart.assign(period=series.chart["period_end"].dt.strftime("%Y-%m"))
    shown = _figures(chart, ["value", "centre", "lower", "upper"])
    shown["numerator"] = shown["numerator"].map(
        lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
    )
    shown = shown[["period", "numerator", "value", "centre", "lower", "upper", "signal"]]
    unit = series.measure.unit.replace("_", " ").replace("1000", "1,000")
    title = f"{series.force} — {series.measure.title} ({unit}), each {series.grain}"
    caption = f"XmR chart: limits = centre ± 2.66 × mean moving range.  {sparkline(chart['value'])}"
    show(shown.rename(columns={"numerator": "count"}), title=title, caption=caption)
    console.print(_signals_sentence(series))
    outlook = series.outlook.assign(period=series.outlook["period_end"].dt.strftime("%Y-%m"))
    outlook = _figures(outlook, ["forecast", "lower", "upper"])
    show(
        outlook[["period", "forecast", "lower", "upper"]],
        title="Outlook (95% prediction interval)",
        caption=str(series.outlook["method"].iloc[0]),
    )
