from __future__ import annotations

import doctest
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from peelstat.stats import trend
from peelstat.stats.trend import (
    ETS_METHOD,
    NAIVE_METHOD,
    count_trend,
    forecast,
    measure_trend,
    proportion_trend,
    trend_label,
)


def test_poisson_test_matches_a_hand_binomial_tail() -> None:
    # 130 offences this year, 100 last year: given 230, 130 ~ Binomial(230, 0.5);
    # the two-sided p of a symmetric binomial is twice the upper tail P(X >= 130)
    trend = count_trend(130, 100)
    hand = 2 * sum(stats.binom.pmf(k, 230, 0.5) for k in range(130, 231))
    assert trend.p_value == pytest.approx(hand, rel=1e-9)
    assert trend.p_value == pytest.approx(stats.binomtest(130, 230, 0.5).pvalue, rel=1e-12)
    assert trend.p_value > 0.05
    assert trend.change == pytest.approx(0.30, abs=1e-12)
    assert trend.label == "Stable"  # +30% but not significant at 5%


def test_different_exposures_use_the_exact_rate_ratio_test() -> None:
    # 120 offences among 1.2m residents against 100 among 1.0m: the same rate
    trend = count_trend(120, 100, latest_exposure=1.2e6, previous_exposure=1.0e6)
    assert trend.change == pytest.approx(0.0, abs=1e-12)
    assert trend.p_value == pytest.approx(stats.binomtest(120, 220, 1.2 / 2.2).pvalue, rel=1e-12)
    assert trend.label == "Stable"


@pytest.mark.parametrize(
    ("latest", "previous", "label"),
    [
        (1500, 1000, "Strong increase"),
        (1000, 1500, "Strong reduction"),
        (10_500, 10_000, "Moderate increase"),
        (10_000, 10_500, "Moderate reduction"),
        (7, 4, "Stable"),  # small counts do not flip the label
        (0, 0, "Stable"),
        (25, 0, "Strong increase"),
        (0, 25, "Strong reduction"),
    ],
)
def test_count_trend_labels(latest: int, previous: int, label: str) -> None:
    assert count_trend(latest, previous).label == label


def test_strong_threshold_and_alpha_are_parameters() -> None:
    assert count_trend(10_500, 10_000, strong_change=0.05).label == "Strong increase"
    assert count_trend(1150, 1000, alpha=0.001).label == "Stable"  # p ≈ 0.0012


@given(st.integers(min_value=0, max_value=10_000_000))
def test_equal_counts_are_stable(count: int) -> None:
    assert count_trend(count, count).label == "Stable"


def test_exposures_come_in_pairs() -> None:
    with pytest.raises(ValueError, match="both exposures or neither"):
        count_trend(10, 12, latest_exposure=1e5)
    with pytest.raises(ValueError, match="positive"):
        count_trend(10, 12, latest_exposure=0.0, previous_exposure=1e5)


def test_non_whole_or_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="whole number"):
        count_trend(10.5, 3)
    with pytest.raises(ValueError, match="whole number"):
        count_trend(-1, 3)


def test_two_proportion_test_matches_statsmodels() -> None:
    trend = proportion_trend(150, 1000, 120, 1000)
    _, p_value = proportions_ztest([150, 120], [1000, 1000])
    assert trend.p_value == pytest.approx(p_value, rel=1e-9)
    assert trend.change == pytest.approx(0.25, abs=1e-12)
    assert trend.label == "Strong increase"  # p ≈ 0.0496
    assert proportion_trend(140, 1000, 120, 1000).label == "Stable"  # +17% but p ≈ 0.18
    assert proportion_trend(9_500, 10_000, 9_000, 10_000).label == "Moderate increase"


def test_all_or_nothing_proportions_are_stable() -> None:
    assert proportion_trend(0, 50, 0, 60).label == "Stable"
    assert proportion_trend(50, 50, 60, 60).label == "Stable"


def test_trend_label_boundaries() -> None:
    assert trend_label(0.10, 0.01) == "Strong increase"
    assert trend_label(0.0999, 0.01) == "Moderate increase"
    assert trend_label(-0.5, 0.05) == "Stable"  # 5% is not significant at 5%


def force_frame(numerators: list[float], denominators: list[float]) -> pd.DataFrame:
    ends = pd.date_range("2022-12-31", periods=len(numerators), freq="ME")
    return pd.DataFrame(
        {
            "measure": "burglary",
            "force": "dorset",
            "period_end": ends,
            "numerator": numerators,
            "denominator": denominators,
        }
    ).assign(value=lambda f: 1000 * f["numerator"] / f["denominator"])


def test_measure_trend_compares_with_the_window_twelve_months_earlier() -> None:
    numerators = [1000.0] + [1200.0] * 11 + [1500.0]
    frame = force_frame(numerators, [1e6] * 13)
    trend = measure_trend(frame, proportion=False)
    assert trend == count_trend(1500, 1000, latest_exposure=1e6, previous_exposure=1e6)
    assert trend.label == "Strong increase"
    charge_rate = force_frame([100.0] * 12 + [180.0], [1000.0] * 13)
    assert measure_trend(charge_rate, proportion=True).test == "two-proportion z"


def test_measure_trend_with_an_incomplete_window_is_not_assessed() -> None:
    frame = force_frame([np.nan] + [5.0] * 12, [1e5] * 13)
    assert measure_trend(frame, proportion=False).label == "Not assessed"
    with pytest.raises(ValueError, match="no window ending 12 months before"):
        measure_trend(force_frame([5.0] * 12, [1e5] * 12), proportion=False)


def trending_series(periods: int) -> pd.Series:
    noise = np.random.default_rng(7).normal(0, 10, periods)
    ends = pd.date_range("2021-01-31", periods=periods, freq="ME")
    return pd.Series(1000 + 5 * np.arange(periods) + noise, index=ends)


def test_ets_forecast_matches_statsmodels_directly() -> None:
    series = trending_series(36)
    table = forecast(series, periods=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(
            series.reset_index(drop=True), error="add", trend="add", damped_trend=True
        ).fit(disp=False)
    reference = fit.get_prediction(start=36, end=39).summary_frame(alpha=0.05)
    assert table["forecast"].to_numpy() == pytest.approx(reference["mean"].to_numpy(), rel=1e-9)
    assert table["lower"].to_numpy() == pytest.approx(reference["pi_lower"].to_numpy(), rel=1e-9)
    assert table["upper"].to_numpy() == pytest.approx(reference["pi_upper"].to_numpy(), rel=1e-9)
    assert (table["method"] == ETS_METHOD).all()
    assert table["period_end"].tolist() == list(pd.date_range("2024-01-31", periods=4, freq="ME"))
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()


def test_short_series_fall_back_to_a_labelled_naive_forecast() -> None:
    ends = pd.date_range("2024-03-31", periods=5, freq="QE")
    table = forecast(pd.Series([10.0, 12.0, 11.0, 15.0, 14.0], index=ends), 3, "quarter")
    assert (table["method"] == f"{NAIVE_METHOD} (too few periods for ETS)").all()
    assert table["forecast"].tolist() == [14.0, 14.0, 14.0]
    spread = np.std([2.0, -1.0, 4.0, -1.0], ddof=1)  # first differences
    half_width = 1.959963984540054 * spread * np.sqrt([1.0, 2.0, 3.0])
    assert table["upper"].to_numpy() == pytest.approx(14.0 + half_width, rel=1e-9)
    assert table["lower"].to_numpy() == pytest.approx(14.0 - half_width, rel=1e-9)
    assert table["period_end"].tolist() == list(
        pd.to_datetime(["2025-06-30", "2025-09-30", "2025-12-31"])
    )


def test_forecast_uses_only_the_values_after_the_last_gap() -> None:
    series = trending_series(30).drop(pd.Timestamp("2022-12-31"))  # 7 values follow the gap
    table = forecast(series, periods=2)
    assert table["method"].str.startswith(NAIVE_METHOD).all()
    assert table["forecast"].tolist() == [series.iloc[-1]] * 2


def test_forecasts_are_never_negative() -> None:
    ends = pd.date_range("2023-01-31", periods=6, freq="ME")
    table = forecast(pd.Series([9.0, 0.0, 8.0, 0.0, 7.0, 1.0], index=ends))
    assert (table[["forecast", "lower", "upper"]] >= 0).all().all()


def test_a_single_value_forecasts_itself_without_an_interval() -> None:
    table = forecast(pd.Series([3.0], index=pd.to_datetime(["2024-01-31"])), periods=1)
    assert table["forecast"].tolist() == [3.0]
    assert table[["lower", "upper"]].isna().all().all()


def test_doctests() -> None:
    result = doctest.testmod(trend)
    assert result.attempted > 0
    assert result.failed == 0
