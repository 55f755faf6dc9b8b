"""The two-sided exact binomial test's p-value, as ``scipy.stats.binomtest`` gives it, faster.

A report's history tables test every window of every measure for every force (about 150
tests a force, 6,500 for ``--force all``). ``binomtest`` spends most of its time in the
generic distribution machinery of about twenty ``binom.pmf`` calls a test; here the
probabilities come from log-gamma in plain floats and the tails from the regularised
incomplete beta function (what ``binom.cdf`` and ``binom.sf`` evaluate, to the last bit,
without importing ``scipy.stats``), by scipy's rule: outcomes no more likely than ``k``
(within a relative 1e-7).
"""

from __future__ import annotations

import math
from collections.abc import Callable

RELATIVE_TOLERANCE = 1 + 1e-7  # scipy's: outcomes as likely as k within this count as "as extreme"


def binomial_pmf(x: int, n: int, p: float) -> float:
    """P(X = x) for X ~ Binomial(n, p), 0 < p < 1, from log-gamma."""
    log = math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1)
    return math.exp(log + x * math.log(p) + (n - x) * math.log1p(-p))


def binomial_cdf(x: int, n: int, p: float) -> float:
    """P(X <= x): ``scipy.stats.binom.cdf``, which is I_{1-p}(n - x, x + 1)."""
    from scipy import special  # on first use: importing it costs a tenth of a second

    if x < 0:
        return 0.0
    return 1.0 if x >= n else float(special.betainc(n - x, x + 1, 1 - p))


def binomial_sf(x: int, n: int, p: float) -> float:
    """P(X > x): ``scipy.stats.binom.sf``, which is I_p(x + 1, n - x)."""
    from scipy import special  # on first use: importing it costs a tenth of a second

    if x < 0:
        return 1.0
    return 0.0 if x >= n else float(special.betainc(x + 1, n - x, p))


def two_sided_binomial_p(k: int, n: int, p: float) -> float:
    """p-value of ``k`` successes in ``n`` trials against Binomial(n, p), two-sided: the
    probability of every outcome no more likely than ``k``.

    >>> round(two_sided_binomial_p(130, 230, 0.5), 6)
    0.055614
    """
    if not 0 <= k <= n or n < 1:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    if p in (0.0, 1.0) or k == p * n:
        from scipy import stats  # rare: the full statistics package only when needed

        return float(stats.binomtest(k, n, p).pvalue)  # degenerate: scipy's own answer
    d = binomial_pmf(k, n, p) * RELATIVE_TOLERANCE
    if k < p * n:  # the other tail is above the mode: the first x there no more likely than k
        ix = _last_at_most(lambda x: -binomial_pmf(x, n, p), -d, math.ceil(p * n), n)
        y = n - ix + int(d == binomial_pmf(ix, n, p))
        tails = binomial_cdf(k, n, p) + binomial_sf(n - y, n, p)
    else:
        y = _last_at_most(lambda x: binomial_pmf(x, n, p), d, 0, math.floor(p * n)) + 1
        tails = binomial_cdf(y - 1, n, p) + binomial_sf(k - 1, n, p)
    return min(1.0, float(tails))


def _last_at_most(a: Callable[[int], float], d: float, lo: int, hi: int) -> int:
    """The i in [lo, hi] with a(i) <= d < a(i + 1), ``a`` ascending (scipy's binary search)."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        value = a(mid)
        if value < d:
            lo = mid + 1
        elif value > d:
            hi = mid - 1
        else:
            return mid
    return lo if a(lo) <= d else lo - 1
