from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstat.stats import spc
from peelstat.stats.spc import mean_moving_range, run_flags, xmr_chart


def test_limits_by_hand() -> None:
    values = [10.0, 12.0, 11.0, 13.0, 40.0]
    # mean 86 / 5 = 17.2; moving ranges 2, 1, 2, 27 -> MR̄ 8; 2.66 × 8 = 21.28
    chart = xmr_chart(pd.Series(values))
    assert mean_moving_range(np.array(values)) == pytest.approx(8.0, abs=1e-12)
    assert chart["centre"].iloc[0] == pytest.approx(17.2, abs=1e-12)
    assert chart["lower"].iloc[0] == pytest.approx(17.2 - 21.28, abs=1e-12)
    assert chart["upper"].iloc[0] == pytest.approx(17.2 + 21.28, abs=1e-12)
    assert chart["value"].tolist() == values
    assert chart["signal"].tolist() == [None, None, None, None, "above upper limit"]


def test_points_below_the_lower_limit_are_signalled() -> None:
    chart = xmr_chart(pd.Series([50.0, 51.0, 50.0, 51.0, 50.0, 10.0]))
    assert chart["signal"].iloc[-1] == "below lower limit"


def test_a_large_point_inside_the_limits_is_not_signalled() -> None:
    chart = xmr_chart(pd.Series([0.0, 0.0, 0.0, 3.0]))  # centre 0.75, MR̄ 1, upper 3.41
    assert chart["upper"].iloc[0] == pytest.approx(3.41, abs=1e-12)
    assert chart["signal"].isna().all()


def test_a_run_is_flagged_from_its_eighth_point_on() -> None:
    sides = np.array([1] * 7 + [-1] + [1] * 9)
    flags = run_flags(sides)
    assert flags.tolist() == [False] * 15 + [True, True]


def test_a_point_on_the_centre_line_breaks_a_run() -> None:
    assert not run_flags(np.array([1] * 4 + [0] + [1] * 4)).any()
    assert not run_flags(np.array([0] * 12)).any()
    assert run_flags(np.array([-1] * 8)).tolist() == [False] * 7 + [True]


def test_run_signals_in_a_chart_say_which_side() -> None:
    values = [1.0, 3.0] * 4 + [2.6, 3.4] * 4  # centre 2.5; the last 9 points are above it
    signal = xmr_chart(pd.Series(values))["signal"]
    assert signal.iloc[:14].isna().all()
    assert signal.iloc[14:].tolist() == ["run of 8 above centre"] * 2


def test_both_signals_are_reported_together() -> None:
    values = [0.0, 0.1] * 6 + [5.0] * 8  # centre 2.03, MR̄ ≈ 0.5
    signal = xmr_chart(pd.Series(values))["signal"]
    assert signal.iloc[-1] == "above upper limit; run of 8 above centre"
    assert signal.iloc[12] == "above upper limit"


def test_missing_values_are_dropped_and_the_index_kept() -> None:
    ends = pd.date_range("2024-01-31", periods=4, freq="ME")
    chart = xmr_chart(pd.Series([1.0, np.nan, 2.0, 3.0], index=ends))
    assert chart.index.tolist() == [ends[0], ends[2], ends[3]]
    assert mean_moving_range(chart["value"].to_numpy()) == pytest.approx(1.0)


@settings(max_examples=40)
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_subnormal=False),
    st.integers(min_value=1, max_value=60),
)
def test_a_constant_series_has_no_signal(value: float, length: int) -> None:
    chart = xmr_chart(pd.Series([value] * length))
    assert chart["signal"].isna().all()


def test_a_constant_series_of_awkward_decimals_has_no_signal() -> None:
    chart = xmr_chart(pd.Series([0.1] * 10 + [0.1] * 10))
    assert chart["signal"].isna().all()
    assert (chart["lower"] == chart["upper"]).all()


noise = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)


@settings(max_examples=40)
@given(st.lists(noise, min_size=8, max_size=40), st.lists(noise, min_size=8, max_size=40))
def test_a_step_of_five_standard_deviations_is_signalled(
    before: list[float], after: list[float]
) -> None:
    # noise bounded by ±1 has SD at most 1, so a step of 5 is at least 5 SDs
    values = pd.Series(before + [5.0 + x for x in after])
    assert xmr_chart(values)["signal"].notna().any()


def test_a_step_of_five_standard_deviations_is_signalled_after_the_step() -> None:
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.normal(0, 1, 24), rng.normal(5, 1, 24)])
    signal = xmr_chart(pd.Series(values))["signal"]
    assert signal.iloc[24:].notna().sum() >= 8


def test_doctests() -> None:
    result = doctest.testmod(spc)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_floor_raises_only_a_lower_limit_beneath_it_and_changes_no_signal() -> None:
    """A rate cannot be negative: its lower limit is shown at 0, never below; the upper
    limit, the centre and every signal are those of the chart without a floor."""
    values = pd.Series([10.0, 12.0, 11.0, 13.0, 40.0, 9.0, 0.0])
    plain, floored = xmr_chart(values), xmr_chart(values, floor=0.0)
    assert plain["lower"].iloc[0] < 0 and (floored["lower"] == 0.0).all()
    assert floored[["centre", "upper"]].equals(plain[["centre", "upper"]])
    assert list(floored["signal"]) == list(plain["signal"])
    high = pd.Series([100.0, 101.0, 99.0, 100.5])
    assert xmr_chart(high, floor=0.0)["lower"].equals(xmr_chart(high)["lower"])
