"""The fast two-sided binomial p-value equals scipy's binomtest on every case tried."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from peelstat.stats.binomial import two_sided_binomial_p


def cases() -> list[tuple[int, int, float]]:
    """Counts from 1 to 200,000 trials, near and far from the null, p = 0.5 and not, edges."""
    rng = np.random.default_rng(20261202)
    found = [(130, 230, 0.5), (120, 220, 1.2 / 2.2), (0, 5, 0.5), (5, 5, 0.5), (1, 1, 0.5),
             (7, 11, 0.5), (0, 1, 0.3), (3, 10, 0.0), (10, 10, 1.0), (50, 100, 0.5)]  # fmt: skip
    for _ in range(800):
        n = int(rng.integers(1, 200_000))
        p = 0.5 if rng.random() < 0.5 else float(rng.uniform(0.2, 0.8))
        spread = math.sqrt(n) * float(rng.uniform(0, 6))
        found.append((int(np.clip(round(rng.normal(n * p, spread)), 0, n)), n, p))
    return found


def test_equals_scipy_binomtest() -> None:
    for k, n, p in cases():
        assert two_sided_binomial_p(k, n, p) == pytest.approx(
            stats.binomtest(k, n, p).pvalue, rel=1e-12, abs=1e-300
        ), (k, n, p)


def test_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="k <= n"):
        two_sided_binomial_p(6, 5, 0.5)
