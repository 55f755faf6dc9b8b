"""One force's measure month by month: the XmR chart and the outlook behind the trend label.

The report table compares 12-month windows; to see *when* something changed an analyst needs
the single months (or quarters) on a process-control chart, where a point outside the limits
or a run of 8 on one side of the centre is a real change and the rest is noise. Rolling
12-month values would not do: neighbouring windows share 11 months, so they drift together
and would flag runs that are not there. The outlook forecasts the same single periods.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.definition import Catalogue, Measure
from peelstat.catalogue.loader import load_catalogue
from peelstat.errors import PeelstatError
from peelstat.measures.compile import as_period_end, compute_measures, with_dependencies
from peelstat.reference import resolve_force
from peelstat.stats.spc import xmr_chart
from peelstat.stats.trend import forecast

OUTLOOK_MONTHS = 6
"""How far the outlook looks: the next two quarters."""


@dataclass(frozen=True)
class MeasureSeries:
    """A force's single-period values with XmR limits and signals, and the outlook."""

    force: str
    measure: Measure
    grain: str  # "month" or "quarter"
    chart: pd.DataFrame  # period_end, numerator, denominator, value, centre, lower, upper, signal
    outlook: pd.DataFrame  # period_end, forecast, lower, upper, method

    @property
    def signals(self) -> pd.DataFrame:
        """The periods the chart flags, with what it says about each."""
        return self.chart.loc[self.chart["signal"].notna(), ["period_end", "value", "signal"]]


def single_period_catalogue(catalogue: Catalogue, measure_id: str) -> Catalogue:
    """The measure and the measures it is built from, each over one month (or one quarter)."""
    measures = with_dependencies(catalogue, [measure_id])
    for m in measures:
        if m.source_spec.already_rolling:
            raise PeelstatError(
                f"{m.id} comes from a table of 12-month totals ({m.source}); it has no single "
                "months to chart. Load the quarterly or monthly table of the same figures."
            )
    one = {
        m.id: dataclasses.replace(m, window_months=3 if m.grain == "quarter" else 1)
        for m in measures
    }
    return Catalogue(one)


def measure_series(
    con: BaseBackend,
    force: str,
    measure_id: str,
    end: str | dt.date,
    months: int = 36,
    catalogue: Catalogue | None = None,
) -> MeasureSeries:
    """The last ``months`` months to ``end`` of one force's measure, charted and forecast."""
    catalogue = catalogue or load_catalogue()
    force = resolve_force(force)
    measure = catalogue[measure_id]
    last = as_period_end(end)
    first = as_period_end(pd.Timestamp(last) - pd.DateOffset(months=months - 1))
    frame = compute_measures(
        con,
        [measure_id],
        start=first,
        end=last,
        forces=[force],
        catalogue=single_period_catalogue(catalogue, measure_id),
        national=False,
        use_cache=False,
    )
    rows = frame[(frame["measure"] == measure_id) & frame["value"].notna()].set_index("period_end")
    if rows.empty:
        raise PeelstatError(
            f"no values of {measure_id} for {force} in the {months} months to {last:%Y-%m}: "
            "see `peelstat status` for what is loaded"
        )
    chart = xmr_chart(rows["value"])
    chart = chart.join(rows[["numerator", "denominator"]]).reset_index(names="period_end")
    grain = measure.grain
    periods = OUTLOOK_MONTHS // (3 if grain == "quarter" else 1)
    outlook = forecast(rows["value"], periods=periods, freq=grain)
    columns = [
        "period_end",
        "numerator",
        "denominator",
        "value",
        "centre",
        "lower",
        "upper",
        "signal",
    ]
    return MeasureSeries(force, measure, grain, chart[columns], outlook)
