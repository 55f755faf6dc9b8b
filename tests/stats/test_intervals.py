"""Proportion intervals: HMICFRS's printed figures, scipy/statsmodels, and invariants."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

from peelstat.errors import ValidationError
from peelstat.stats import intervals
from peelstat.stats.intervals import (
    METHODS,
    Stratum,
    clopper_pearson_interval,
    proportion_interval,
    sample_size_for_margin,
    stratified_estimate,
    wald_interval,
    wilson_interval,
)


def test_doctests() -> None:
    assert doctest.testmod(intervals).failed == 0


def test_stop_and_search_2022_as_published() -> None:
    """PEEL 2021/22: 159 of 182 searches had reasonable grounds, printed as 87.4% ± 4.8."""
    result = wald_interval(159, 182)
    assert f"{100 * result.estimate:.1f}" == "87.4"
    assert f"{100 * result.margin:.1f}" == "4.8"
    assert result.describe() == "87.4% ± 4.8 (normal approximation, 95%)"
    assert result.method == "wald"


def test_stop_and_search_2019_has_a_sample_that_fits() -> None:
    """2019's 86.5% ± 4.3 (count not published) fits 211 of 244 records."""
    result = wald_interval(211, 244)
    assert (f"{100 * result.estimate:.1f}", f"{100 * result.margin:.1f}") == ("86.5", "4.3")


@pytest.mark.parametrize(
    ("x", "n"), [(0, 1), (0, 20), (1, 20), (14, 65), (33, 65), (159, 182), (20, 20), (999, 1000)]
)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_against_scipy_and_statsmodels(x: int, n: int, confidence: float) -> None:
    exact = binomtest(x, n).proportion_ci(confidence, method="exact")
    wilson = binomtest(x, n).proportion_ci(confidence, method="wilson")
    alpha = 1 - confidence
    ours = clopper_pearson_interval(x, n, confidence)
    assert (ours.lower, ours.upper) == pytest.approx((exact.low, exact.high), abs=1e-9)
    assert (ours.lower, ours.upper) == pytest.approx(
        proportion_confint(x, n, alpha, method="beta"), abs=1e-9
    )
    ours = wilson_interval(x, n, confidence)
    assert (ours.lower, ours.upper) == pytest.approx((wilson.low, wilson.high), abs=1e-9)
    assert (ours.lower, ours.upper) == pytest.approx(
        proportion_confint(x, n, alpha, method="wilson"), abs=1e-9
    )
    ours = wald_interval(x, n, confidence)
    assert (ours.lower, ours.upper) == pytest.approx(
        proportion_confint(x, n, alpha, method="normal"), abs=1e-9
    )


counts = st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(deadline=None)
@given(counts, st.sampled_from(METHODS), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_interval_contains_estimate_within_unit_range(
    xn: tuple[int, int], method: str, confidence: float
) -> None:
    result = proportion_interval(*xn, confidence=confidence, method=method)
    assert 0 <= result.lower <= result.estimate <= result.upper <= 1
    assert result.method == method


@settings(deadline=None)
@given(counts, st.integers(2, 20), st.sampled_from(METHODS))
def test_interval_narrows_as_sample_grows(xn: tuple[int, int], factor: int, method: str) -> None:
    x, n = xn
    small = proportion_interval(x, n, method=method)
    large = proportion_interval(x * factor, n * factor, method=method)
    assert large.upper - large.lower <= small.upper - small.lower + 1e-12


@settings(deadline=None)
@given(counts)
def test_wider_confidence_gives_wider_interval(xn: tuple[int, int]) -> None:
    low, high = wilson_interval(*xn, confidence=0.9), wilson_interval(*xn, confidence=0.99)
    assert high.lower <= low.lower + 1e-12 and low.upper <= high.upper + 1e-12


def test_bad_counts_list_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        wald_interval(5, 0, confidence=1.5)
    assert len(caught.value.problems) == 3


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown method"):
        proportion_interval(1, 2, method="bayes")


def test_stratified_estimate_weights_by_population_not_sample() -> None:
    """Twenty cases each of three outcome types, weighted by how common each type is."""
    strata = [Stratum("15", 10, 20, 800), Stratum("16", 18, 20, 150), Stratum("21", 20, 20, 50)]
    result = stratified_estimate(strata)
    expected = (800 * 0.5 + 150 * 0.9 + 50 * 1.0) / 1000
    assert result.estimate == pytest.approx(expected)
    variance = sum(
        (s.population / 1000) ** 2
        * (s.successes / s.trials)
        * (1 - s.successes / s.trials)
        / s.trials
        for s in strata
    )
    assert result.margin == pytest.approx(1.959964 * variance**0.5, rel=1e-6)
    assert result.method == "stratified-wald"
    assert (result.successes, result.trials) == (48, 60)


def test_stratified_single_stratum_equals_wald() -> None:
    single = stratified_estimate([Stratum("all", 159, 182, 10_000)])
    assert (single.lower, single.upper) == pytest.approx(
        (wald_interval(159, 182).lower, wald_interval(159, 182).upper)
    )


def test_finite_population_correction_narrows() -> None:
    strata = [Stratum("a", 40, 50, 60), Stratum("b", 45, 50, 100)]
    plain = stratified_estimate(strata)
    corrected = stratified_estimate(strata, finite_population_correction=True)
    assert corrected.margin < plain.margin
    assert corrected.estimate == plain.estimate


def test_stratified_refuses_empty_strata_listing_all() -> None:
    with pytest.raises(ValidationError) as caught:
        stratified_estimate([Stratum("a", 0, 0, 10), Stratum("b", 5, 4, 0)])
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("margin", "p", "population", "expected"),
    [
        (0.05, 0.5, None, 385),
        (0.03, 0.5, None, 1068),
        (0.05, 0.5, 1000, 278),
        (0.048, 0.874, None, 184),
    ],
)
def test_sample_size_for_margin(
    margin: float, p: float, population: int | None, expected: int
) -> None:
    assert sample_size_for_margin(margin, expected_proportion=p, population=population) == expected


@settings(deadline=None)
@given(st.floats(0.01, 0.2), st.floats(0.05, 0.95))
def test_sample_size_achieves_margin(margin: float, p: float) -> None:
    n = sample_size_for_margin(margin, expected_proportion=p)
    assert 1.959964 * (p * (1 - p) / n) ** 0.5 <= margin + 1e-9
    if n > 1:
        assert 1.959964 * (p * (1 - p) / (n - 1)) ** 0.5 > margin - 1e-6
