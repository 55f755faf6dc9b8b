"""The performance-report table reads the measure frame through the statistics correctly.

``measure_row`` works on numpy arrays for speed (the array cores in ``stats``); these tests
hold it to the DataFrame-level
functions of :mod:`peelstat.stats` (each tested against hand and scipy figures) and to a
small frame worked by hand.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from peelstat.analysis.groups import ComparisonGroup
from peelstat.analysis.report_rows import measure_row
from peelstat.catalogue.loader import load_catalogue
from peelstat.measures.compile import compute_measures
from peelstat.reference import NATIONAL
from peelstat.stats.benchmark import msg_average, msg_rank, national_rank, position_against
from peelstat.stats.outliers import force_outliers
from peelstat.stats.rank_uncertainty import rate_interval
from peelstat.stats.trend import measure_trend
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"


def _frame(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["force", "period_end", "numerator", "denominator", "value"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.assign(measure="m", definition_note=None, denominator_note=None)


def _group(force: str, *peers: str) -> ComparisonGroup:
    return ComparisonGroup(force, force, peers, peers, "user-supplied", "test")


def test_a_small_frame_worked_by_hand() -> None:
    m = load_catalogue()["homicide"]  # a count per 1,000 residents, lower is better
    rows = [  # force, window end, numerator, denominator, value (per 1,000)
        ("a", "2023-06-30", 30, 10_000, 3.0),
        ("b", "2023-06-30", 10, 10_000, 1.0),
        ("c", "2023-06-30", 20, 20_000, 1.0),
        ("d", "2023-06-30", 80, 10_000, 8.0),
        ("e", "2023-06-30", math.nan, 10_000, math.nan),
        (NATIONAL, "2023-06-30", 140, 50_000, 2.8),
        ("a", "2022-06-30", 20, 10_000, 2.0),
        ("b", "2022-06-30", 10, 10_000, 1.0),
    ]
    frame = _frame(rows)
    frame.loc[0, "definition_note"] = "definition changed"
    row = measure_row(frame, m, "a", _group("a", "b", "c", "e"), dt.date(2023, 6, 30))
    assert row.value == 3.0 and row.numerator == 30
    assert row.previous_value == 2.0 and row.change == pytest.approx(0.5)
    assert row.msg_rank == "3rd/3 (no value for e)"  # 1.0 and 1.0 are better; e has none
    assert row.msg_average == pytest.approx((3 + 1 + 1) / 3)
    assert row.msg_rate == pytest.approx((30 + 10 + 20) / 40_000 * 1000)
    assert row.msg_position == "above MSG average"
    assert row.national_value == 2.8 and row.national_rank == "3rd/4 (no value for e)"
    # 30 against 20 with equal exposure: exact conditional test p = 0.20, so not significant
    assert row.trend == "Stable"
    assert row.note == "definition changed"
    assert row.msg_missing == ("e",)  # the rank is out of 3, and the row says who is missing
    missing = measure_row(frame, m, "e", _group("e", "a", "b", "c"), dt.date(2023, 6, 30))
    assert missing.msg_rank == "not ranked/3" and missing.outlier == "no value"
    assert missing.msg_position == "not compared"


def test_rank_ranges_and_position_by_the_force_interval() -> None:
    """Hand frame: the ranges follow exact pairwise tests (scipy's binomial test here)."""
    m = load_catalogue()["homicide"]
    frame = _frame(
        [
            ("a", "2023-06-30", 30, 10_000, 3.0),
            ("b", "2023-06-30", 10, 10_000, 1.0),
            ("c", "2023-06-30", 20, 20_000, 1.0),
            ("d", "2023-06-30", 29, 10_000, 2.9),
        ]
    )
    row = measure_row(frame, m, "a", _group("a", "b", "c"), dt.date(2023, 6, 30))
    # a against b and c, one-sided at 0.05 / 2 each: both differences are clear
    for other, even in ((10, 0.5), (20, 1 / 3)):
        low = stats.binomtest(30, 30 + other).proportion_ci(0.95, method="exact").low
        assert low > even
    assert row.msg_rank_range == "3rd/3, plausibly only 3rd"
    # nationally d (29) cannot be told from a (30): a is 4th, plausibly 3rd or 4th
    assert row.national_rank_range == "4th/4, plausibly 3rd–4th"
    # the MSG average (5/3 per 1,000) is outside a's exact interval: above, not similar
    assert row.msg_position == "above MSG average"
    close = measure_row(frame, m, "d", _group("d", "a"), dt.date(2023, 6, 30))
    assert close.msg_position == "similar to MSG average"  # 2.9 vs 2.95, interval holds it
    ratio = measure_row(frame, load_catalogue()["stop_search_disparity_black"], "a",
                        _group("a", "b"), dt.date(2023, 6, 30))  # fmt: skip
    assert ratio.msg_rank_range is None  # a ratio of rates is not a Poisson count


def test_the_latest_window_on_or_before_the_period_is_used() -> None:
    m = load_catalogue()["homicide"]
    frame = _frame([("a", "2023-03-31", 5, 1000, 5.0), ("a", "2023-09-30", 9, 1000, 9.0)])
    row = measure_row(frame, m, "a", _group("a"), dt.date(2023, 6, 30))
    assert row.period_end == dt.date(2023, 3, 31) and row.value == 5.0
    empty = measure_row(frame.iloc[0:0], m, "a", _group("a"), dt.date(2023, 6, 30))
    assert math.isnan(empty.value) and empty.note == "no value for this force"


def test_every_row_agrees_with_the_dataframe_statistics(demo_warehouse: Path) -> None:
    con = connect(str(demo_warehouse), create=False)
    catalogue = load_catalogue()
    report = Workspace(demo_warehouse, create=False).report_table(FORCE, "2018-12")
    table = report.to_frame().set_index("measure")
    group = report.msg
    frame = compute_measures(con, start="2017-12", end="2018-12")
    checked = 0
    for measure_id, row in table.iterrows():
        m = catalogue[str(measure_id)]
        rows = frame[frame["measure"] == measure_id]
        at = rows[rows["period_end"] == pd.Timestamp(row.period_end)]
        forces = at[at["force"] != NATIONAL][["force", "value", "denominator"]]
        if forces.empty:
            continue
        assert row.msg_rank == msg_rank(forces, FORCE, group.peers, m.lower_is_better).label
        assert row.national_rank == national_rank(forces, FORCE, m.lower_is_better).label
        average = msg_average(forces, FORCE, group.peers)
        np.testing.assert_allclose(row.msg_average, average.mean_of_force_rates)
        np.testing.assert_allclose(row.msg_rate, average.pooled_rate)
        if m.numerator_is_a_count and np.isfinite(row.value):
            # "similar" only when the force's exact interval holds the MSG average
            scale = 1.0 if m.unit == "count" else m.scale
            me = at[at["force"] == FORCE].iloc[0]
            exposure = me.denominator if np.isfinite(me.denominator) else 1.0
            low, high = rate_interval(me.numerator, exposure, m.is_proportion)
            similar = low * scale <= average.mean_of_force_rates <= high * scale
            assert (row.msg_position == "similar to MSG average") == similar, measure_id
        else:
            assert row.msg_position == position_against(row.value, average.mean_of_force_rates)
        outliers = force_outliers(forces.set_index("force")["value"].dropna())
        assert row.outlier == outliers["flag"].get(FORCE, "no value")
        np.testing.assert_allclose(row.outlier_z, outliers["z"].get(FORCE, np.nan))
        year_before = pd.Timestamp(row.period_end) - pd.offsets.MonthEnd(12)
        mine = rows[
            (rows["force"] == FORCE) & rows["period_end"].isin([at.period_end.iloc[0], year_before])
        ]
        if len(mine) == 2 and not (m.ratio_of or m.unit in ("mean", "ratio")):
            try:
                expected = measure_trend(mine, proportion=m.is_proportion).label
            except ValueError:
                expected = "Not assessed"
            assert row.trend == expected, measure_id
        checked += 1
    con.disconnect()
    assert checked >= 40
