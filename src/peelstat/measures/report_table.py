"""The performance-report table: one row per measure for one force at one period.

Each row is the measure frame read through the statistics in :mod:`peelstat.stats`: the
12-month value, the change against the same window a year earlier, the trend label, the rank
in the Most Similar Group ("6th/8", 1st = best by the measure's polarity) and the position
against the MSG average, both MSG averages, the England and Wales value and rank, and the
HMICFRS outlier flag across all forces.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.definition import Catalogue, Measure
from peelstat.catalogue.loader import load_catalogue
from peelstat.measures.compile import as_period_end, compute_measures
from peelstat.measures.msg import Group, msg_for
from peelstat.reference import NATIONAL, resolve_force
from peelstat.stats.benchmark import pooled_rate_of, position_against, rank_among
from peelstat.stats.outliers import outlier_band, outlier_flag, outlier_z
from peelstat.stats.trend import window_trend

REPORT_COLUMNS = [
    "measure",
    "title",
    "priority",
    "unit",
    "period_end",
    "value",
    "numerator",
    "previous_value",
    "change",
    "trend",
    "msg_rank",
    "msg_position",
    "msg_average",
    "msg_rate",
    "national_value",
    "national_rank",
    "outlier",
    "outlier_z",
    "note",
]


def _year_before(period_end: dt.date) -> dt.date:
    return as_period_end(pd.Timestamp(period_end) - pd.DateOffset(months=12))


def _trend(m: Measure, latest: _Window | None, previous: _Window | None) -> str:
    """Trend label from the stats engine; ratios of rates are not tested as counts."""
    if not m.numerator_is_a_count or latest is None or previous is None:
        return "Not assessed"
    try:
        trend = window_trend(
            latest.numerator, latest.denominator, previous.numerator, previous.denominator,
            proportion=m.is_proportion,
        )  # fmt: skip
    except ValueError:
        return "Not assessed"
    return trend.label


@dataclass(frozen=True)
class _Window:
    """One force's figures for one window (a measure-frame row)."""

    value: float
    numerator: float
    denominator: float
    note: str | None


@dataclass(frozen=True)
class _Rows:
    """One measure's frame as arrays: the report reads it sixty times over, and numpy
    indexing costs microseconds where pandas costs milliseconds."""

    forces: np.ndarray
    periods: np.ndarray
    values: np.ndarray
    numerators: np.ndarray
    denominators: np.ndarray
    notes: list[str | None]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Rows:
        notes = [
            "; ".join(str(n) for n in pair if pd.notna(n)) or None
            for pair in zip(frame["definition_note"], frame["denominator_note"], strict=True)
        ]
        return cls(
            frame["force"].to_numpy(dtype=object),
            frame["period_end"].to_numpy(dtype="datetime64[ns]"),
            frame["value"].to_numpy(dtype=float),
            frame["numerator"].to_numpy(dtype=float),
            frame["denominator"].to_numpy(dtype=float),
            notes,
        )

    def window(self, at: np.ndarray, force: str) -> _Window | None:
        found = np.flatnonzero(at & (self.forces == force))
        if not found.size:
            return None
        i = int(found[0])
        return _Window(self.values[i], self.numerators[i], self.denominators[i], self.notes[i])


def _value(window: _Window | None) -> float:
    return float(window.value) if window is not None else math.nan


def measure_row(
    frame: pd.DataFrame, m: Measure, force: str, group: Group, period_end: dt.date
) -> dict:
    """One report row from one measure's frame (all forces, two windows a year apart)."""
    rows = _Rows.of(frame)
    target = np.datetime64(pd.Timestamp(period_end), "ns")
    available = rows.periods[rows.periods <= target]
    end = pd.Timestamp(available.max() if available.size else target)
    now = rows.periods == np.datetime64(end, "ns")
    before = rows.periods == np.datetime64(pd.Timestamp(_year_before(end.date())), "ns")
    mine, earlier = rows.window(now, force), rows.window(before, force)
    value, previous_value = _value(mine), _value(earlier)

    forces_now = now & (rows.forces != NATIONAL)
    values_now = rows.values[forces_now]
    members = list(dict.fromkeys([force, *group.peers]))
    in_group = forces_now & np.isin(rows.forces, members)
    group_values, group_denominators = rows.values[in_group], rows.denominators[in_group]
    finite_group = group_values[np.isfinite(group_values)]
    average = float(finite_group.mean()) if finite_group.size else math.nan
    finite_now = values_now[np.isfinite(values_now)]
    z = outlier_z(value, outlier_band(finite_now)) if finite_now.size else math.nan
    change = value / previous_value - 1 if previous_value else math.nan
    return {
        "measure": m.id,
        "title": m.title,
        "priority": m.priority,
        "unit": m.unit,
        "period_end": end.date(),
        "value": value,
        "numerator": float(mine.numerator) if mine is not None else math.nan,
        "previous_value": previous_value,
        "change": change,
        "trend": _trend(m, mine, earlier),
        "msg_rank": rank_among(value, group_values, m.lower_is_better).label,
        "msg_position": position_against(value, average),
        "msg_average": average,
        "msg_rate": pooled_rate_of(group_values, group_denominators),
        "national_value": _value(rows.window(now, NATIONAL)),
        "national_rank": rank_among(value, values_now, m.lower_is_better).label,
        "outlier": outlier_flag(z) if mine is not None else "no value",
        "outlier_z": z,
        "note": (mine.note if mine is not None else "no value for this force"),
    }


def benchmark_table(
    con: BaseBackend,
    force: str,
    period: str | dt.date,
    measures: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The performance-report table for ``force`` at ``period`` (``"2023-06"``).

    Measures default to the whole catalogue. The MSG is the force's user-supplied, published
    or derived group (see :mod:`peelstat.measures.msg`); ``msg_average`` is the unweighted
    mean of the group's force rates (HMICFRS bar charts), ``msg_rate`` the pooled rate
    (dashboards).
    """
    catalogue = catalogue or load_catalogue()
    force = resolve_force(force)
    end = as_period_end(period)
    ids = list(measures or catalogue.ids())
    quarter = pd.Period(end, "Q")
    quarter_end = (
        quarter.end_time.date() if quarter.end_time.date() == end else (quarter - 1).end_time.date()
    )
    # the windows ending at `end` (monthly sources) or the last quarter end (quarterly), and a year before
    wanted = [end, _year_before(end), quarter_end, _year_before(quarter_end)]
    frame = compute_measures(
        con, ids, start=min(wanted), end=end, catalogue=catalogue, only_periods=wanted
    )
    frame = frame.drop(columns=["lower", "upper"])
    group = msg_for(con, force)
    by_measure = {str(k): v for k, v in frame.groupby("measure", sort=False)}
    empty = frame.iloc[0:0]
    table = pd.DataFrame(
        [measure_row(by_measure.get(i, empty), catalogue[i], force, group, end) for i in ids],
        columns=REPORT_COLUMNS,
    )
    table.attrs["force"] = force
    table.attrs["msg"] = group
    return table
