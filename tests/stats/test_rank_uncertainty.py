"""The plausible range of a rank: exact pieces against scipy, and coverage by simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peelstat.stats.rank_uncertainty import (
    RankRange,
    pair_share_bounds,
    position_within_interval,
    rank_range,
    rate_interval,
)


@pytest.mark.parametrize(("x", "others", "tail"), [(30, 10, 0.025), (3, 50, 0.005), (0, 7, 0.01)])
def test_pair_bounds_are_scipy_exact_binomial_intervals(x: int, others: int, tail: float) -> None:
    low, high = pair_share_bounds(x, np.array([float(others)]), tail)
    ci = stats.binomtest(x, x + others).proportion_ci(1 - 2 * tail, method="exact")
    assert (low[0], high[0]) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_poisson_interval_matches_published_garwood_values() -> None:
    # Garwood exact 95% limits for counts 0 and 10, as tabulated (e.g. Ulm 1990)
    assert rate_interval(0, 1.0) == pytest.approx((0.0, 3.689), abs=1e-3)
    assert rate_interval(10, 1.0) == pytest.approx((4.795, 18.390), abs=1e-3)
    assert rate_interval(10, 1000.0) == pytest.approx((0.004795, 0.018390), abs=1e-6)


def test_share_interval_is_clopper_pearson() -> None:
    ci = stats.binomtest(14, 65).proportion_ci(0.95, method="exact")
    assert rate_interval(14, 65, proportion=True) == pytest.approx((ci.low, ci.high))


def test_well_separated_forces_hold_only_their_place() -> None:
    counts = np.array([1000.0, 2000.0, 3000.0, 4000.0])
    ranges = [rank_range(i, counts, np.full(4, 1e5), lower_is_better=True) for i in range(4)]
    assert [(r.rank, r.best, r.worst) for r in ranges] == [(i, i, i) for i in range(1, 5)]
    higher = rank_range(3, counts, np.full(4, 1e5), lower_is_better=False)
    assert (higher.rank, higher.best, higher.worst) == (1, 1, 1)


def test_a_rank_between_indistinguishable_forces_spans_them() -> None:
    # 100 vs 103 per 1,000 cannot be told apart; 40 and 160 can
    counts = np.array([100.0, 103.0, 160.0, 40.0])
    found = rank_range(1, counts, np.full(4, 1000.0), lower_is_better=True)
    assert (found.rank, found.best, found.worst) == (3, 2, 3)
    assert found.label == "3rd/4, plausibly 2nd–3rd"


def test_label_without_a_rank() -> None:
    assert RankRange(None, 7, None, None, 0.95).label == "not ranked/7"


def coverage(true_rates: np.ndarray, exposures: np.ndarray, runs: int, seed: int) -> np.ndarray:
    """Share of simulated years in which each force's range holds its true rank."""
    rng = np.random.default_rng(seed)
    n = len(true_rates)
    true_rank = 1 + (true_rates[None, :] < true_rates[:, None]).sum(axis=1)
    held = np.zeros(n)
    for _ in range(runs):
        counts = rng.poisson(true_rates * exposures).astype(float)
        for i in range(n):
            r = rank_range(i, counts, exposures, lower_is_better=True)
            assert r.best <= r.rank <= r.worst  # the observed rank is always in its range
            held[i] += r.best <= true_rank[i] <= r.worst
    return held / runs


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "rates", "exposures"),
    [
        ("msg, rare offence", np.linspace(10, 18, 8) / 1e6, np.full(8, 1.5e6)),
        ("msg, close rates", np.linspace(100, 135, 8) / 1e6, np.full(8, 1e6)),
        ("msg, all equal", np.full(8, 20 / 1e6), np.linspace(5e5, 3e6, 8)),
        ("national", np.linspace(5, 9, 43) / 1e4, np.geomspace(3e5, 3e6, 43)[::-1]),
    ],
)
def test_range_holds_the_true_rank_at_the_stated_rate(
    name: str, rates: np.ndarray, exposures: np.ndarray
) -> None:
    runs = 300 if len(rates) == 8 else 80
    held = coverage(rates, exposures, runs, seed=len(name))
    # 95% stated; allow three Monte Carlo standard errors below it for each force
    assert held.min() >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / runs), (name, held.round(3))


@pytest.mark.parametrize(
    ("value", "lower", "upper", "average", "expected"),
    [
        (11.0, 9.5, 12.5, 10.0, "similar to MSG average"),
        (10.2, 10.1, 10.3, 10.0, "above MSG average"),  # within 5%, yet clearly above
        (7.0, 5.0, 9.0, 10.0, "below MSG average"),
        (float("nan"), 1.0, 2.0, 10.0, "not compared"),
    ],
)
def test_similar_only_when_the_interval_holds_the_average(
    value: float, lower: float, upper: float, average: float, expected: str
) -> None:
    assert position_within_interval(value, lower, upper, average) == expected
