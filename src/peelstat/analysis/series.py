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

from peelstat.analysis.catalogue import MeasureInfo
from peelstat.analysis.plain import field_names, frame_of, plain, records
from peelstat.analysis.provenance import DataSources, data_sources
from peelstat.catalogue.measure import Catalogue
from peelstat.errors import BadInputError, DataNotAvailableError
from peelstat.measures.compile import compute_measures
from peelstat.measures.scope import with_dependencies
from peelstat.periods import add_months, parse_period
from peelstat.reference import force_name, resolve_force
from peelstat.stats.spc import xmr_chart
from peelstat.stats.trend import forecast

OUTLOOK_MONTHS = 6
"""How far the outlook looks: the next two quarters."""
XMR_RULE = (
    "XmR chart: limits = centre ± 2.66 × mean moving range, a lower limit below zero shown at "
    "zero (no measure can be negative); a run is 8 on one side."
)


@dataclass(frozen=True)
class SeriesPoint:
    """One single period on the chart, with the limits and the signal there (if any)."""

    period_end: dt.date
    numerator: float
    denominator: float
    value: float
    centre: float
    lower: float
    upper: float
    signal: str | None


@dataclass(frozen=True)
class OutlookPoint:
    """The forecast of one coming period with its 95% prediction interval."""

    period_end: dt.date
    forecast: float
    lower: float
    upper: float


@dataclass(frozen=True)
class MeasureSeries:
    """A force's single-period values with XmR limits and signals, and the outlook."""

    force: str
    force_name: str
    measure: MeasureInfo
    grain: str  # "month" or "quarter"
    points: tuple[SeriesPoint, ...]
    forecast: tuple[OutlookPoint, ...]
    outlook_method: str
    rule: str
    sources: DataSources

    @property
    def chart(self) -> pd.DataFrame:
        """The points as a table (``period_end`` as timestamps, for plotting)."""
        frame = frame_of(self.points, field_names(SeriesPoint))
        return frame.assign(period_end=pd.to_datetime(frame["period_end"]))

    @property
    def outlook(self) -> pd.DataFrame:
        frame = frame_of(self.forecast, field_names(OutlookPoint))
        return frame.assign(
            period_end=pd.to_datetime(frame["period_end"]), method=self.outlook_method
        )

    @property
    def signals(self) -> pd.DataFrame:
        """The periods the chart flags, with what it says about each."""
        chart = self.chart
        return chart.loc[chart["signal"].notna(), ["period_end", "value", "signal"]]

    def signal_spans(self) -> list[str]:
        """Consecutive periods with the same signal as one span: "2023-10 to 2023-12 run of 8 …"."""
        return signal_spans(self.signals)

    def to_frame(self) -> pd.DataFrame:
        return self.chart

    def to_dict(self) -> dict:
        return plain(self)


def signal_spans(flagged: pd.DataFrame) -> list[str]:
    """Consecutive flagged periods with the same signal as one span.

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


def single_period_catalogue(catalogue: Catalogue, measure_id: str) -> Catalogue:
    """The measure and the measures it is built from, each over one month (or one quarter)."""
    measures = with_dependencies(catalogue, [measure_id])
    for m in measures:
        if m.source_spec.already_rolling:
            raise BadInputError(
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
    catalogue: Catalogue,
    force: str,
    measure_id: str,
    end: str | dt.date,
    months: int = 36,
) -> MeasureSeries:
    """The last ``months`` months to ``end`` of one force's measure, charted and forecast."""
    force = resolve_force(force)
    measure = catalogue[measure_id]
    last = parse_period(end)
    first = add_months(last, -(months - 1))
    frame = compute_measures(
        con, [measure_id], start=first, end=last, forces=[force],
        catalogue=single_period_catalogue(catalogue, measure_id), national=False, use_cache=False,
    )  # fmt: skip
    rows = frame[(frame["measure"] == measure_id) & frame["value"].notna()].set_index("period_end")
    if rows.empty:
        raise DataNotAvailableError(
            f"no values of {measure_id} for {force} in the {months} months to {last:%Y-%m}: "
            "the warehouse status shows what is loaded"
        )
    # every measure is a count, a rate, a percentage or a ratio: none can fall below zero
    chart = xmr_chart(rows["value"], floor=0.0).join(rows[["numerator", "denominator"]])
    chart = chart.reset_index(names="period_end")
    points = tuple(
        SeriesPoint(pd.Timestamp(r["period_end"]).date(), r["numerator"], r["denominator"],
                    r["value"], r["centre"], r["lower"], r["upper"],
                    r["signal"] if isinstance(r["signal"], str) else None)
        for r in records(chart)
    )  # fmt: skip
    periods = OUTLOOK_MONTHS // (3 if measure.grain == "quarter" else 1)
    outlook = forecast(rows["value"], periods=periods, freq=measure.grain)
    ahead = tuple(
        OutlookPoint(pd.Timestamp(r["period_end"]).date(), r["forecast"], r["lower"], r["upper"])
        for r in records(outlook)
    )
    return MeasureSeries(
        force, force_name(force), MeasureInfo.of(measure), measure.grain, points, ahead,
        str(outlook["method"].iloc[0]), XMR_RULE, data_sources(con, [measure.source]),
    )  # fmt: skip
