from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from peelstat.stats import outliers
from peelstat.stats.outliers import force_outliers, outlier_band, outlier_flag, outlier_z_scores

# 12 forces' rates that look normal (Shapiro-Wilk p well above 0.05)
SYMMETRIC = np.array([4.0, 5.0, 5.5, 6.0, 6.2, 6.5, 7.0, 7.3, 7.8, 8.0, 9.0, 9.5])
# strongly right-skewed rates: normal on the log scale, not on the raw scale
SKEWED = np.exp(np.linspace(-2.0, 2.0, 15) ** 3 / 2)


def test_band_is_mean_plus_minus_one_sample_sd_by_hand() -> None:
    band = outlier_band([2.0, 4.0, 6.0])  # mean 4, sample variance (4 + 0 + 4) / 2 = 4
    assert (band.lower, band.centre, band.upper) == pytest.approx((2.0, 4.0, 6.0), abs=1e-12)
    assert band.sd == pytest.approx(2.0, abs=1e-12)
    assert not band.transformed


def test_symmetric_values_keep_the_raw_scale_and_match_scipy() -> None:
    band = outlier_band(SYMMETRIC)
    assert band.shapiro_p == pytest.approx(stats.shapiro(SYMMETRIC).pvalue, abs=1e-12)
    assert band.shapiro_p > 0.05
    assert not band.transformed
    mean, sd = SYMMETRIC.mean(), SYMMETRIC.std(ddof=1)
    assert (band.lower, band.centre, band.upper) == pytest.approx(
        (mean - sd, mean, mean + sd), rel=1e-12
    )


def test_skewed_values_use_the_log_scale_and_transform_back() -> None:
    band = outlier_band(SKEWED)
    p_raw, p_log = stats.shapiro(SKEWED).pvalue, stats.shapiro(np.log(SKEWED)).pvalue
    assert p_raw < 0.05 < p_log
    assert band.transformed
    assert (band.shapiro_p, band.shapiro_p_log) == pytest.approx((p_raw, p_log), abs=1e-12)
    logs = np.log(SKEWED)
    mean, sd = logs.mean(), logs.std(ddof=1)
    assert (band.lower, band.centre, band.upper) == pytest.approx(
        (math.exp(mean - sd), math.exp(mean), math.exp(mean + sd)), rel=1e-12
    )


def test_logs_are_not_tried_when_a_value_is_zero() -> None:
    values = np.append(SKEWED, 0.0)
    band = outlier_band(values)
    assert band.shapiro_p < 0.05
    assert band.shapiro_p_log is None
    assert not band.transformed
    assert band.centre == pytest.approx(values.mean(), rel=1e-12)


def test_flags_use_z_beyond_one_on_the_band_scale() -> None:
    values = pd.Series([2.0, 4.0, 6.0, 7.0], index=list("abcd"))
    band = outlier_band([2.0, 4.0, 6.0])
    z = outlier_z_scores(values, band)
    assert z.tolist() == pytest.approx([-1.0, 0.0, 1.0, 1.5], abs=1e-12)
    assert [outlier_flag(v) for v in z] == [
        "within band",  # exactly on the lower limit
        "within band",
        "within band",
        "well above average",
    ]
    assert outlier_flag(-1.01) == "well below average"
    assert outlier_flag(float("nan")) == "no value"


def test_log_scale_z_scores_agree_with_the_band() -> None:
    values = pd.Series(SKEWED, index=[f"force-{i}" for i in range(len(SKEWED))])
    table = force_outliers(values)
    logs = np.log(SKEWED)
    expected = (logs - logs.mean()) / logs.std(ddof=1)
    assert table["z"].to_numpy() == pytest.approx(expected, abs=1e-9)
    band = outlier_band(SKEWED)
    outside = (values < band.lower) | (values > band.upper)
    assert (table["flag"] != "within band").tolist() == outside.tolist()


def test_force_outliers_leaves_out_the_national_row_and_missing_values() -> None:
    values = pd.Series(
        [4.0, 5.0, 6.0, 5.0, 9.0, 100.0, np.nan], index=[*"abcde", "england-and-wales", "f"]
    )
    table = force_outliers(values)
    assert "england-and-wales" not in table.index
    assert table["flag"].tolist() == [
        "within band",
        "within band",
        "within band",
        "within band",
        "well above average",
        "no value",
    ]


def test_identical_values_are_all_within_band() -> None:
    table = force_outliers(pd.Series([3.0] * 5, index=list("abcde")))
    assert (table["z"] == 0).all()
    assert (table["flag"] == "within band").all()


rates = st.lists(
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False) | st.integers(0, 100).map(float),
    min_size=3,
    max_size=43,
)


@settings(max_examples=40)
@given(rates)
def test_band_is_ordered_and_centred_on_the_mean_of_its_scale(values: list[float]) -> None:
    band = outlier_band(values)
    assert band.lower <= band.centre <= band.upper
    array = np.array(values)
    if band.transformed:
        assert band.centre == pytest.approx(stats.gmean(array), rel=1e-9)
    else:
        assert band.centre == pytest.approx(array.mean(), rel=1e-9, abs=1e-9)


@settings(max_examples=40)
@given(rates)
def test_flagged_exactly_when_outside_the_band(values: list[float]) -> None:
    series = pd.Series(values, index=[f"force-{i}" for i in range(len(values))])
    band = outlier_band(values)
    table = force_outliers(series)
    tolerance = 1e-9 * max(1.0, abs(band.upper))
    for value, flag in zip(series, table["flag"], strict=True):
        if value > band.upper + tolerance:
            assert flag == "well above average"
        elif value < band.lower - tolerance:
            assert flag == "well below average"
        elif band.lower + tolerance < value < band.upper - tolerance:
            assert flag == "within band"


def test_doctests() -> None:
    result = doctest.testmod(outliers)
    assert result.attempted > 0
    assert result.failed == 0
