"""How sure a rank is: the places a force could plausibly hold, and whether it differs from an average.

"6th/8" reads as a fact, but each force's count is a Poisson draw, so with a year's noise the
force might as well have been 4th. The plausible range follows Klein, Wright and Wieczorek
(2020, "A joint confidence region for an overall ranking of populations", JRSS C 69:589):

* compare the force with each of the other n − 1 forces by the exact test of two Poisson
  rates: given the pair's combined count, the force's share is binomial, with Clopper–Pearson
  bounds; the share the force would have if both rates were equal is its share of exposure;
* another force is *certainly better* when the force's rate is certainly worse than its
  rate, at one-sided level α / (n − 1) per pair;
* the range is 1 + (forces certainly better) to n − (forces certainly worse).

By the union bound the true rank lies in the range with probability at least 1 − α whatever
the true rates. A percentile bootstrap of ranks does not promise that: simulated with 43 forces
of close rates, its 95% range held the true rank of the last-placed force 92% of the time.
The method is exact, so a report shows the same range every time, with no seed to keep.
Shares (percent measures) are tested as Poisson counts too, which errs on the wide side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from peelstat.stats.benchmark import ordinal, out_of, unranked


@dataclass(frozen=True)
class RankRange:
    """A rank with the places it plausibly spans at ``confidence`` (None when not ranked)."""

    rank: int | None
    n: int
    best: int | None
    worst: int | None
    confidence: float
    missing: tuple[str, ...] = ()  # group members without a value, left out of `n`

    @property
    def label(self) -> str:
        """ "6th/8, plausibly 4th–8th"; just "not ranked/8" without a rank or a range.

        >>> RankRange(6, 8, 4, 8, 0.95).label, RankRange(2, 8, 2, 2, 0.95).label
        ('6th/8, plausibly 4th–8th', '2nd/8, plausibly only 2nd')
        """
        out = out_of(self.n, self.missing)
        if self.rank is None:
            return unranked(self.n, out)
        head = f"{ordinal(self.rank)}{out}"
        if self.best is None or self.worst is None:
            return head
        if self.best == self.worst:
            return f"{head}, plausibly only {ordinal(self.best)}"
        return f"{head}, plausibly {ordinal(self.best)}–{ordinal(self.worst)}"


def pair_share_bounds(
    count: float, others: np.ndarray, tail: float
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson bounds on the force's share of each pair's combined count.

    >>> low, high = pair_share_bounds(30, np.array([10.0]), 0.025)
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.588, 0.8731)
    """
    from scipy import special  # on first use: importing it costs a tenth of a second

    x = np.rint(count)
    total = x + np.rint(others)
    # scipy.special's inverse incomplete beta is the beta quantile without the per-call
    # overhead of scipy.stats (the report calls this twice for each of sixty measures)
    lower = special.betaincinv(np.maximum(x, 1), total - x + 1, tail)
    upper = special.betaincinv(x + 1, np.maximum(total - x, 1), 1 - tail)
    return np.where(x > 0, lower, 0.0), np.where(x < total, upper, 1.0)


def certainly_higher_and_lower(
    count: float, exposure: float, counts: np.ndarray, exposures: np.ndarray, tail: float
) -> tuple[np.ndarray, np.ndarray]:
    """Which other forces' rates the force's rate is certainly above, and certainly below."""
    lower, upper = pair_share_bounds(count, counts, tail)
    even = exposure / (exposure + exposures)  # the force's share were both rates equal
    return lower > even, upper < even


def rank_range(
    force: int,
    counts: np.ndarray,
    exposures: np.ndarray,
    lower_is_better: bool,
    confidence: float = 0.95,
) -> RankRange:
    """Rank of ``counts[force] / exposures[force]`` among all the forces, with its plausible range.

    Counts and exposures (residents, households, records; 1 for a plain count) cover every
    ranked force, the force itself included; the rank is 1 + the forces strictly better.

    >>> counts = np.array([100.0, 103.0, 160.0, 40.0])
    >>> rank_range(0, counts, np.full(4, 1000.0), lower_is_better=True).label
    '2nd/4, plausibly 2nd–3rd'
    """
    n = len(counts)
    rates = counts / exposures
    mine = rates[force]
    better = rates < mine if lower_is_better else rates > mine
    rank = 1 + int(np.count_nonzero(better))
    others = np.arange(n) != force
    tail = (1 - confidence) / max(n - 1, 1)
    higher, lower = certainly_higher_and_lower(
        counts[force], exposures[force], counts[others], exposures[others], tail
    )
    worse_than, better_than = (higher, lower) if lower_is_better else (lower, higher)
    best = 1 + int(np.count_nonzero(worse_than))
    worst = n - int(np.count_nonzero(better_than))
    return RankRange(rank, n, best, worst, confidence)


def rate_interval(
    count: float, exposure: float, proportion: bool = False, confidence: float = 0.95
) -> tuple[float, float]:
    """Exact interval on count / exposure: Garwood (Poisson) or Clopper–Pearson (a share).

    >>> [round(v, 4) for v in rate_interval(0, 1.0)]
    [0.0, 3.6889]
    """
    from scipy import special  # on first use: importing it costs a tenth of a second

    alpha = 1 - confidence
    x = float(np.rint(count))
    if proportion:
        lower = special.betaincinv(x, exposure - x + 1, alpha / 2) if x > 0 else 0.0
        upper = special.betaincinv(x + 1, exposure - x, 1 - alpha / 2) if x < exposure else 1.0
        return float(lower), float(upper)
    # Garwood: chi-squared quantiles / 2, i.e. gamma quantiles with shape x and x + 1
    lower = special.gammaincinv(x, alpha / 2) if x > 0 else 0.0
    upper = special.gammaincinv(x + 1, 1 - alpha / 2)
    return float(lower) / exposure, float(upper) / exposure


def position_within_interval(value: float, lower: float, upper: float, average: float) -> str:
    """ "similar to MSG average" only when the force's interval holds the average.

    >>> position_within_interval(11.0, 9.5, 12.5, 10.0), position_within_interval(11.0, 10.5, 11.5, 10.0)
    ('similar to MSG average', 'above MSG average')
    """
    if not all(np.isfinite(v) for v in (value, lower, upper, average)):
        return "not compared"
    if lower <= average <= upper:
        return "similar to MSG average"
    return "above MSG average" if value > average else "below MSG average"


def plausible_rank(
    is_force: np.ndarray,
    values: np.ndarray,
    numerators: np.ndarray,
    exposures: np.ndarray,
    lower_is_better: bool,
    missing: tuple[str, ...] = (),
    confidence: float = 0.95,
) -> RankRange:
    """:func:`rank_range` for the force flagged in ``is_force``, over the forces with a value
    (a NaN exposure, as for a plain count, counts as 1).

    >>> plausible_rank(np.array([True, False, False]), np.array([3.0, 1.0, np.nan]),
    ...     np.array([30.0, 10.0, np.nan]), np.array([1e4, 1e4, 1e4]), True).label
    '2nd/2, plausibly only 2nd'
    """
    ranked = np.isfinite(values) & np.isfinite(numerators)
    n = int(np.count_nonzero(ranked))
    mine = np.flatnonzero(is_force[ranked])
    if not mine.size:
        return RankRange(None, n, None, None, confidence, missing)
    exposure = np.where(np.isfinite(exposures[ranked]), exposures[ranked], 1.0)
    found = rank_range(int(mine[0]), numerators[ranked], exposure, lower_is_better, confidence)
    return replace(found, missing=missing)
