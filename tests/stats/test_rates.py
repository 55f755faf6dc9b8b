from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstat.stats import rates
from peelstat.stats.rates import (
    on_period_grid,
    percent,
    rate_per_1000,
    rolling_measure_frame,
    rolling_sum,
)

counts = st.floats(min_value=0, max_value=1e7, allow_nan=False)


def month_ends(start: str, periods: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=periods, freq="ME")


def test_rolling_sum_of_complete_months_matches_hand_sums() -> None:
    series = pd.Series(np.arange(1.0, 15.0), index=month_ends("2023-01-31", 14))
    result = rolling_sum(series, window=12)
    # windows end Dec 2023, Jan 2024, Feb 2024: 1..12, 2..13, 3..14
    assert result.index.tolist() == list(month_ends("2023-12-31", 3))
    assert result.tolist() == [78.0, 90.0, 102.0]


def test_a_missing_month_makes_every_window_containing_it_nan() -> None:
    ends = month_ends("2023-01-31", 24).delete(5)  # June 2023 never published
    result = rolling_sum(pd.Series(1.0, index=ends), window=12)
    assert len(result) == 13  # Dec 2023 .. Dec 2024, including the gap month's row
    has_june = result.index <= pd.Timestamp("2024-05-31")
    assert result[has_june].isna().all()
    assert (result[~has_june] == 12.0).all()


def test_a_published_nan_is_treated_like_a_missing_month() -> None:
    values = np.ones(13)
    values[0] = np.nan
    result = rolling_sum(pd.Series(values, index=month_ends("2023-01-31", 13)), window=12)
    assert np.isnan(result.iloc[0])
    assert result.iloc[1] == 12.0


def test_quarterly_windows_count_four_quarters() -> None:
    ends = pd.date_range("2022-03-31", periods=6, freq="QE").delete(2)  # Sep 2022 missing
    result = rolling_sum(pd.Series([1.0, 2.0, 4.0, 8.0, 16.0], index=ends), 4, "quarter")
    assert result.index.tolist() == list(pd.to_datetime(["2022-12-31", "2023-03-31", "2023-06-30"]))
    assert result.isna().all()


def test_quarterly_complete_windows_match_hand_sums() -> None:
    ends = pd.date_range("2022-03-31", periods=5, freq="QE")
    result = rolling_sum(pd.Series([1.0, 2.0, 4.0, 8.0, 16.0], index=ends), 4, "quarter")
    assert result.tolist() == [15.0, 30.0]


def test_series_shorter_than_the_window_has_no_windows() -> None:
    assert rolling_sum(pd.Series(1.0, index=month_ends("2024-01-31", 11))).empty


def test_repeated_periods_are_refused() -> None:
    ends = pd.to_datetime(["2024-01-31", "2024-01-31"])
    with pytest.raises(ValueError, match="one row per month"):
        rolling_sum(pd.Series([1.0, 2.0], index=ends), window=1)
    same_quarter = pd.to_datetime(["2024-01-31", "2024-03-31"])
    with pytest.raises(ValueError, match="one row per quarter"):
        rolling_sum(pd.Series([1.0, 2.0], index=same_quarter), window=1, freq="quarter")


def test_the_period_grid_shows_gaps_as_nan_rows_at_period_ends() -> None:
    dates = pd.to_datetime(["2024-01-15", "2024-04-30"])  # any day in the month will do
    grid = on_period_grid(pd.Series([1.0, 4.0], index=dates))
    assert grid.index.tolist() == list(month_ends("2024-01-31", 4))
    assert grid.isna().tolist() == [False, True, True, False]
    assert on_period_grid(pd.Series([], index=pd.DatetimeIndex([]), dtype=float)).empty


@settings(max_examples=40)
@given(
    st.lists(st.tuples(counts, st.booleans()), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=12),
)
def test_rolling_sum_equals_brute_force_and_never_sums_an_incomplete_window(
    months: list[tuple[float, bool]], window: int
) -> None:
    months[0] = (months[0][0], True)  # the series starts with a published month
    ends = month_ends("2020-01-31", len(months))
    present = [kept for _, kept in months]
    series = pd.Series([value for value, _ in months], index=ends)[present]
    result = rolling_sum(series, window)
    last_published = max(i for i, kept in enumerate(present) if kept)
    assert len(result) == max(0, last_published + 1 - (window - 1))
    for offset, total in enumerate(result):
        end = offset + window - 1
        span = range(end - window + 1, end + 1)
        if all(present[i] for i in span):
            assert total == pytest.approx(sum(months[i][0] for i in span), rel=1e-12, abs=1e-6)
            assert total >= 0
        else:
            assert np.isnan(total)


def test_rate_per_1000_and_percent_hand_values() -> None:
    assert rate_per_1000(250.0, 100_000.0) == pytest.approx(2.5, abs=1e-12)
    assert percent(45.0, 60.0) == pytest.approx(75.0, abs=1e-12)
    assert isinstance(rate_per_1000(1.0, 2.0), float)


def test_zero_denominator_gives_nan_not_inf() -> None:
    rates = rate_per_1000(np.array([3.0, 1.0, 0.0]), np.array([1500.0, 0.0, 0.0]))
    assert rates[0] == pytest.approx(2.0, abs=1e-12)
    assert np.isnan(rates[1:]).all()
    assert np.isnan(percent(5.0, 0.0))


def test_series_rates_align_on_index_and_keep_it() -> None:
    crimes = pd.Series([10.0, 20.0], index=["dorset", "kent"])
    residents = pd.Series([4000.0, 1000.0], index=["kent", "dorset"])
    rates = rate_per_1000(crimes, residents)
    assert rates.to_dict() == pytest.approx({"dorset": 10.0, "kent": 5.0})


def test_negative_counts_are_data_errors() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        rate_per_1000(-1.0, 100.0)
    with pytest.raises(ValueError, match="non-negative"):
        percent(np.array([1.0]), np.array([-5.0]))


@given(
    st.lists(
        st.tuples(counts, st.just(0.0) | st.floats(min_value=1e-6, max_value=1e9)),
        min_size=1,
        max_size=30,
    )
)
def test_rates_are_never_negative(pairs: list[tuple[float, float]]) -> None:
    numerators = np.array([n for n, _ in pairs])
    denominators = np.array([d for _, d in pairs])
    for values in (rate_per_1000(numerators, denominators), percent(numerators, denominators)):
        assert not np.isinf(values).any()
        assert (values[~np.isnan(values)] >= 0).all()
        assert np.isnan(values[denominators == 0]).all()


def monthly_counts() -> pd.DataFrame:
    ends = month_ends("2023-01-31", 14)
    dorset = pd.DataFrame({"force": "dorset", "period_end": ends, "count": 1.0})
    kent = pd.DataFrame({"force": "kent", "period_end": ends.delete(12), "count": 2.0})
    return pd.concat([kent, dorset], ignore_index=True)


def test_rolling_measure_frame_with_a_population_per_force() -> None:
    people = pd.DataFrame({"force": ["dorset", "kent"], "denominator": [2000.0, 0.0]})
    frame = rolling_measure_frame(monthly_counts(), people, measure="burglary")
    assert frame.columns.tolist() == [
        "measure",
        "force",
        "period_end",
        "numerator",
        "denominator",
        "value",
    ]
    dorset = frame[frame["force"] == "dorset"]
    assert dorset["numerator"].tolist() == [12.0, 12.0, 12.0]
    assert dorset["value"].tolist() == pytest.approx([6.0, 6.0, 6.0])
    kent = frame[frame["force"] == "kent"]
    # Kent's January 2024 is missing: its two windows that contain it stay as NaN rows
    assert kent["numerator"].isna().tolist() == [False, True, True]
    assert kent["value"].isna().all()  # zero population: NaN, not inf
    assert (frame["measure"] == "burglary").all()


def test_stock_denominators_take_the_latest_figure_on_or_before_each_window_end() -> None:
    people = pd.DataFrame(
        {
            "force": ["dorset", "dorset", "kent"],
            "period_end": pd.to_datetime(["2023-06-30", "2024-01-31", "2022-06-30"]),
            "denominator": [1000.0, 4000.0, 500.0],
        }
    )
    frame = rolling_measure_frame(monthly_counts(), people, measure="burglary", window=12)
    dorset = frame[frame["force"] == "dorset"]
    assert dorset["denominator"].tolist() == [1000.0, 4000.0, 4000.0]
    assert dorset["value"].tolist() == pytest.approx([12.0, 3.0, 3.0])
    assert frame.loc[frame["force"] == "kent", "denominator"].tolist() == [500.0] * 3


def test_rolling_denominators_are_summed_over_the_same_window_as_percent() -> None:
    ends = pd.date_range("2023-03-31", periods=5, freq="QE")
    answered = pd.DataFrame({"force": "dorset", "period_end": ends, "count": 90.0})
    calls = pd.DataFrame({"force": "dorset", "period_end": ends, "denominator": 100.0})
    frame = rolling_measure_frame(
        answered,
        calls,
        measure="calls_answered_10s",
        window=4,
        unit="percent",
        freq="quarter",
        rolling_denominator=True,
    )
    assert frame["period_end"].tolist() == list(pd.to_datetime(["2023-12-31", "2024-03-31"]))
    assert frame["numerator"].tolist() == [360.0, 360.0]
    assert frame["denominator"].tolist() == [400.0, 400.0]
    assert frame["value"].tolist() == pytest.approx([90.0, 90.0])


def test_catalogue_unit_names_are_accepted_and_unknown_units_refused() -> None:
    people = pd.DataFrame({"force": ["dorset", "kent"], "denominator": [2000.0, 1000.0]})
    frame = rolling_measure_frame(
        monthly_counts(), people, measure="burglary", unit="per_1000_households"
    )
    assert frame.loc[frame["force"] == "dorset", "value"].tolist() == pytest.approx([6.0] * 3)
    with pytest.raises(ValueError, match="unknown rate unit 'per_mile'"):
        rolling_measure_frame(monthly_counts(), people, measure="burglary", unit="per_mile")


def test_doctests() -> None:
    result = doctest.testmod(rates)
    assert result.attempted > 0
    assert result.failed == 0
