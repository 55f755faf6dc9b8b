"""The Katz interval of a rate ratio against a hand calculation and scipy."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats.contingency import relative_risk

from peelstat.errors import ValidationError
from peelstat.stats.intervals import rate_ratio_interval


def test_hand_calculation() -> None:
    # 300 searches of 30,000 Black residents, 1,000 of 1,000,000 White residents
    r = rate_ratio_interval(300, 30_000, 1_000, 1_000_000)
    se = math.sqrt(1 / 300 + 1 / 1_000)  # 0.0658281
    assert r.ratio == pytest.approx(10.0)
    assert r.lower == pytest.approx(10 * math.exp(-1.959964 * se), rel=1e-6)  # 8.7896
    assert r.upper == pytest.approx(10 * math.exp(1.959964 * se), rel=1e-6)  # 11.3771
    assert (round(r.lower, 2), round(r.upper, 2)) == (8.79, 11.38)


def test_matches_scipy_relative_risk_when_events_are_rare() -> None:
    # scipy's Katz log interval for a risk ratio has √(1/a − 1/n₁ + 1/b − 1/n₂): for searches
    # of large populations the 1/n terms vanish and it is the Poisson rate-ratio interval
    a, n1, b, n2 = 420, 40_000_000, 1_300, 900_000_000
    ours = rate_ratio_interval(a, n1, b, n2)
    theirs = relative_risk(a, n1, b, n2).confidence_interval(0.95)
    assert ours.ratio == pytest.approx(relative_risk(a, n1, b, n2).relative_risk, rel=1e-12)
    assert (ours.lower, ours.upper) == pytest.approx((theirs.low, theirs.high), rel=1e-5)


@given(st.integers(1, 10_000), st.integers(1, 10_000), st.floats(1e3, 1e7), st.floats(1e3, 1e7))
def test_interval_contains_the_ratio_and_narrows_with_counts(
    a: int, b: int, ea: float, eb: float
) -> None:
    r = rate_ratio_interval(a, ea, b, eb)
    assert r.lower < r.ratio < r.upper
    wider = rate_ratio_interval(a, ea, b, eb, confidence=0.99)
    assert wider.lower < r.lower and wider.upper > r.upper
    more = rate_ratio_interval(4 * a, 4 * ea, 4 * b, 4 * eb)
    assert more.upper / more.lower < r.upper / r.lower


def test_bad_input_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as error:
        rate_ratio_interval(0, 0, 5, 10, confidence=1.5)
    assert len(error.value.problems) == 3
