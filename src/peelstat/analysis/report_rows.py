"""One row of the performance-report table: a measure for one force, read through the statistics.

The report reads sixty measures' frames, so each is read as numpy arrays through the
array-level cores in :mod:`peelstat.stats` (``rank_among``, ``msg_average_of``,
``outlier_band``…), which the DataFrame-level functions there wrap: one implementation each.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstat.analysis.groups import ComparisonGroup
from peelstat.catalogue.measure import Measure
from peelstat.periods import year_before
from peelstat.reference import NATIONAL
from peelstat.stats.benchmark import msg_average_of, position_against, rank_among
from peelstat.stats.outliers import outlier_band, outlier_flag, outlier_z
from peelstat.stats.rank_uncertainty import plausible_rank, position_within_interval, rate_interval
from peelstat.stats.trend import (
    is_small_count,
    percentage_point_change,
    relative_change,
    window_trend,
)


@dataclass(frozen=True)
class ReportRow:
    """One measure of the report: the force's 12-month figure and where it stands."""

    measure: str
    title: str
    priority: str
    unit: str
    period_end: dt.date
    value: float
    numerator: float
    previous_value: float
    change: float  # relative change against the same window a year before
    trend: str
    msg_rank: str  # "6th/8": 1st is best by the measure's polarity
    msg_position: str
    msg_average: float  # unweighted mean of the group's force rates (HMICFRS)
    msg_rate: float  # pooled: all numerators / all denominators
    national_value: float
    national_rank: str
    outlier: str
    outlier_z: float
    note: str | None
    msg_missing: tuple[str, ...] = ()  # members with no value: the rank is out of fewer
    outlier_band_logged: bool = False  # the band was computed on natural logs
    msg_rank_range: str | None = None  # "6th/8, plausibly 4th–8th" (None: not a count)
    national_rank_range: str | None = None
    previous_numerator: float = math.nan  # the count a year before (for the small-number flag)
    small_numbers: bool = False  # a count below stats.trend.SMALL_COUNT: a % change says little
    change_points: float = math.nan  # percent measures: the change in percentage points


@dataclass(frozen=True)
class _Window:
    """One force's figures for one window (a measure-frame row)."""

    value: float
    numerator: float
    denominator: float
    note: str | None


@dataclass(frozen=True)
class _Rows:
    """One measure's frame as arrays: numpy indexing costs microseconds, pandas milliseconds."""

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


def measure_row(
    frame: pd.DataFrame, m: Measure, force: str, group: ComparisonGroup, period_end: dt.date
) -> ReportRow:
    """One report row from one measure's frame (all forces, two windows a year apart)."""
    rows = _Rows.of(frame)
    target = np.datetime64(pd.Timestamp(period_end), "ns")
    available = rows.periods[rows.periods <= target]
    end = pd.Timestamp(available.max() if available.size else target)
    now = rows.periods == np.datetime64(end, "ns")
    before = rows.periods == np.datetime64(pd.Timestamp(year_before(end.date())), "ns")
    mine, earlier = rows.window(now, force), rows.window(before, force)
    value, previous_value = _value(mine), _value(earlier)

    forces_now = now & (rows.forces != NATIONAL)
    values_now = rows.values[forces_now]
    members = list(dict.fromkeys(group.members))
    in_group = forces_now & np.isin(rows.forces, members)
    group_values = rows.values[in_group]
    with_value = set(rows.forces[in_group][np.isfinite(group_values)])
    # who is missing matters only for a rank there is: a force with no value is not ranked at all
    missing = (
        tuple(f for f in members if f not in with_value and f != force) if mine is not None else ()
    )
    average = msg_average_of(group_values, rows.denominators[in_group])
    band = outlier_band(values_now)
    z = outlier_z(value, band) if np.isfinite(values_now).any() else math.nan
    msg_rank = rank_among(value, group_values, m.lower_is_better, missing)
    unranked = tuple(sorted(str(f) for f in rows.forces[forces_now & ~np.isfinite(rows.values)]
                            if f != force))  # fmt: skip
    ranges = _rank_ranges(m, rows, force, (in_group, missing), (forces_now, unranked))
    position = position_against(value, average.mean_of_force_rates)
    if m.numerator_is_a_count and mine is not None:
        low, high = rate_interval(mine.numerator, _exposure(mine), m.is_proportion)
        scale = 1.0 if m.unit == "count" else m.scale
        position = position_within_interval(
            value, low * scale, high * scale, average.mean_of_force_rates
        )
    return ReportRow(
        measure=m.id,
        title=m.title,
        priority=m.priority,
        unit=m.unit,
        period_end=end.date(),
        value=value,
        numerator=float(mine.numerator) if mine is not None else math.nan,
        previous_value=previous_value,
        change=relative_change(value, previous_value) if previous_value else math.nan,
        trend=_trend(m, mine, earlier),
        msg_rank=msg_rank.label,
        msg_position=position,
        msg_average=average.mean_of_force_rates,
        msg_rate=average.pooled_rate,
        national_value=_value(rows.window(now, NATIONAL)),
        national_rank=rank_among(value, values_now, m.lower_is_better, unranked).label,
        outlier=outlier_flag(z) if mine is not None else "no value",
        outlier_z=z,
        note=mine.note if mine is not None else "no value for this force",
        msg_missing=missing,
        outlier_band_logged=band.transformed,
        msg_rank_range=ranges[0],
        national_rank_range=ranges[1],
        previous_numerator=float(earlier.numerator) if earlier is not None else math.nan,
        small_numbers=m.numerator_is_a_count
        and is_small_count(
            float(mine.numerator) if mine is not None else math.nan,
            float(earlier.numerator) if earlier is not None else math.nan,
        ),
        change_points=percentage_point_change(value, previous_value)
        if m.is_proportion
        else math.nan,
    )


def _exposure(window: _Window) -> float:
    """What the count was divided by: 1 for a plain count (no denominator)."""
    return float(window.denominator) if np.isfinite(window.denominator) else 1.0


def _rank_ranges(
    m: Measure,
    rows: _Rows,
    force: str,
    group: tuple[np.ndarray, tuple[str, ...]],
    national: tuple[np.ndarray, tuple[str, ...]],
) -> tuple[str | None, str | None]:
    """The plausible MSG and national ranks ("6th/8, plausibly 4th–8th"), for counts only;
    each of ``group`` and ``national`` is its rows and the forces there with no value."""
    if not m.numerator_is_a_count:
        return None, None
    labels = []
    for chosen, missing in (group, national):
        found = plausible_rank(
            rows.forces[chosen] == force, rows.values[chosen], rows.numerators[chosen],
            rows.denominators[chosen], m.lower_is_better, missing,
        )  # fmt: skip
        labels.append(found.label if found.rank is not None else None)
    return labels[0], labels[1]
