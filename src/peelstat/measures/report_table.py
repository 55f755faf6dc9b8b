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

import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.definition import Catalogue, Measure
from peelstat.catalogue.loader import load_catalogue
from peelstat.measures.compile import as_period_end, compute_measures
from peelstat.measures.msg import Group, msg_for
from peelstat.reference import NATIONAL, resolve_force
from peelstat.stats.benchmark import msg_average, msg_rank, national_rank, position_against
from peelstat.stats.outliers import force_outliers
from peelstat.stats.trend import measure_trend

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


def _trend(rows: pd.DataFrame, m: Measure) -> str:
    """Trend label from the stats engine; ratios of rates are not tested as counts."""
    if m.ratio_of or m.unit in ("mean", "ratio") or len(rows) < 2:
        return "Not assessed"
    try:
        return measure_trend(rows, proportion=m.is_proportion, window_months=12).label
    except ValueError:
        return "Not assessed"


def _note(row: pd.Series) -> str | None:
    notes = [str(row[c]) for c in ("definition_note", "denominator_note") if pd.notna(row[c])]
    return "; ".join(notes) or None


def measure_row(
    frame: pd.DataFrame, m: Measure, force: str, group: Group, period_end: dt.date
) -> dict:
    """One report row from one measure's frame (all forces, two windows a year apart)."""
    rows = frame  # this measure's rows only
    available = rows[rows["period_end"] <= pd.Timestamp(period_end)]["period_end"]
    end = available.max() if not available.empty else pd.Timestamp(period_end)
    now = rows[rows["period_end"] == end]
    before = rows[rows["period_end"] == pd.Timestamp(_year_before(end.date()))]
    mine = now[now["force"] == force]
    value = float(mine["value"].iloc[0]) if not mine.empty else math.nan
    previous = before[before["force"] == force]["value"]
    previous_value = float(previous.iloc[0]) if not previous.empty else math.nan
    # only the columns the statistics read: they copy frames, and narrow frames copy fast
    forces_now = now.loc[now["force"] != NATIONAL, ["force", "value", "denominator"]]
    average = msg_average(forces_now, force, group.peers)
    national = now[now["force"] == NATIONAL]["value"]
    outliers = force_outliers(forces_now.set_index("force")["value"].dropna())
    history = rows[rows["force"] == force][
        ["measure", "force", "period_end", "numerator", "denominator"]
    ]
    change = value / previous_value - 1 if previous_value else math.nan
    return {
        "measure": m.id,
        "title": m.title,
        "priority": m.priority,
        "unit": m.unit,
        "period_end": end.date(),
        "value": value,
        "numerator": float(mine["numerator"].iloc[0]) if not mine.empty else math.nan,
        "previous_value": previous_value,
        "change": change,
        "trend": _trend(history[history["period_end"].isin([end, before["period_end"].max()])], m),
        "msg_rank": msg_rank(forces_now, force, group.peers, m.lower_is_better).label,
        "msg_position": position_against(value, average.mean_of_force_rates),
        "msg_average": average.mean_of_force_rates,
        "msg_rate": average.pooled_rate,
        "national_value": float(national.iloc[0]) if not national.empty else math.nan,
        "national_rank": national_rank(forces_now, force, m.lower_is_better).label,
        "outlier": outliers["flag"].get(force, "no value"),
        "outlier_z": float(outliers["z"].get(force, np.nan)),
        "note": _note(mine.iloc[0]) if not mine.empty else "no value for this force",
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
