"""Proportions with confidence intervals, as inspection audits report them ("87.4% ± 4.8"),
and rate ratios with theirs (stop and search disparity, "3.2 (2.9 to 3.6) times").

Every result names its method: the normal approximation is what HMICFRS prints, but it is poor
near 0% and 100% and for small samples, where Wilson or Clopper-Pearson should be shown instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scipy import special

from peelstat.errors import ValidationError

Method = Literal["wald", "wilson", "clopper-pearson"]
METHODS: tuple[Method, ...] = ("wald", "wilson", "clopper-pearson")
METHOD_TITLES: dict[str, str] = {
    "wald": "normal approximation",
    "wilson": "Wilson score",
    "clopper-pearson": "Clopper-Pearson exact",
    "stratified-wald": "stratified normal approximation",
}


@dataclass(frozen=True)
class ProportionEstimate:
    """A proportion with its interval; `method` always says how the interval was made."""

    successes: float
    trials: float
    estimate: float
    lower: float
    upper: float
    confidence: float
    method: str

    @property
    def margin(self) -> float:
        """Half-width of the interval, the "± 4.8" figure (the larger side if asymmetric)."""
        return max(self.estimate - self.lower, self.upper - self.estimate)

    @property
    def method_title(self) -> str:
        return METHOD_TITLES.get(self.method, self.method)

    def describe(self) -> str:
        """Text as an inspection report prints it: '87.4% ± 4.8 (normal approximation, 95%)'."""
        pct, conf = 100 * self.estimate, f"{100 * self.confidence:g}%"
        if math.isclose(self.estimate - self.lower, self.upper - self.estimate, abs_tol=1e-9):
            return f"{pct:.1f}% ± {100 * self.margin:.1f} ({self.method_title}, {conf})"
        low, high = 100 * self.lower, 100 * self.upper
        return f"{pct:.1f}% ({low:.1f}% to {high:.1f}%; {self.method_title}, {conf})"

    def as_dict(self) -> dict[str, object]:
        return {
            "successes": self.successes,
            "trials": self.trials,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "margin": self.margin,
            "confidence": self.confidence,
            "method": self.method,
            "method_title": self.method_title,
            "text": self.describe(),
        }


def z_value(confidence: float) -> float:
    """Two-sided normal critical value: 1.96 for 95%."""
    return float(special.ndtri(0.5 + confidence / 2))  # norm.ppf


def _check(successes: int, trials: int, confidence: float) -> None:
    problems = []
    if trials <= 0:
        problems.append(f"the number of records must be positive (got {trials})")
    if not 0 <= successes <= max(trials, 0):
        problems.append(f"the count must be between 0 and {trials} (got {successes})")
    if not 0 < confidence < 1:
        problems.append(f"confidence must be between 0 and 1, e.g. 0.95 (got {confidence})")
    if problems:
        raise ValidationError(f"{successes} of {trials}", problems)


def wald_interval(successes: int, trials: int, confidence: float = 0.95) -> ProportionEstimate:
    """Normal-approximation interval p ± z·√(p(1−p)/n), as HMICFRS prints it (clipped to [0, 1]).

    >>> wald_interval(159, 182).describe()
    '87.4% ± 4.8 (normal approximation, 95%)'
    """
    _check(successes, trials, confidence)
    p = successes / trials
    margin = z_value(confidence) * math.sqrt(p * (1 - p) / trials)
    return ProportionEstimate(
        successes, trials, p, max(0.0, p - margin), min(1.0, p + margin), confidence, "wald"
    )


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> ProportionEstimate:
    """Wilson score interval: good coverage even for small samples and extreme proportions.

    >>> wilson_interval(14, 65).describe()
    '21.5% (13.3% to 33.0%; Wilson score, 95%)'
    """
    _check(successes, trials, confidence)
    p, n, z = successes / trials, trials, z_value(confidence)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == trials else min(1.0, centre + half)
    return ProportionEstimate(successes, trials, p, lower, upper, confidence, "wilson")


def clopper_pearson_interval(
    successes: int, trials: int, confidence: float = 0.95
) -> ProportionEstimate:
    """Exact (conservative) interval from the beta distribution; never narrower than it must be.

    >>> clopper_pearson_interval(0, 20).upper.__round__(3)
    0.168
    """
    _check(successes, trials, confidence)
    alpha = 1 - confidence
    x, n = successes, trials
    lower = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, alpha / 2))  # beta.ppf
    upper = 1.0 if x == n else float(special.betaincinv(x + 1, n - x, 1 - alpha / 2))
    return ProportionEstimate(x, n, x / n, lower, upper, confidence, "clopper-pearson")


def proportion_interval(
    successes: int, trials: int, confidence: float = 0.95, method: str = "wald"
) -> ProportionEstimate:
    """Interval by method name: 'wald' (normal approximation), 'wilson' or 'clopper-pearson'."""
    functions = {
        "wald": wald_interval,
        "normal": wald_interval,
        "wilson": wilson_interval,
        "clopper-pearson": clopper_pearson_interval,
        "exact": clopper_pearson_interval,
    }
    if method not in functions:
        problem = f"unknown method {method!r}; use wald, wilson or clopper-pearson"
        raise ValidationError("interval method", [problem])
    return functions[method](successes, trials, confidence)


@dataclass(frozen=True)
class Stratum:
    """One stratum of a sample: `successes` of `trials` reviewed, from `population` records."""

    name: str
    successes: int
    trials: int
    population: float


def stratified_estimate(
    strata: Sequence[Stratum], confidence: float = 0.95, finite_population_correction: bool = False
) -> ProportionEstimate:
    """Population-weighted proportion across strata with its normal-approximation interval.

    Each stratum counts in proportion to its population, not its sample size, so a stratum
    over-sampled on purpose (20 cases of a rare outcome type) does not distort the total.
    Variance is Σ W²·p(1−p)/n, times (1 − n/N) with `finite_population_correction`.

    >>> s = [Stratum("violence", 80, 100, 6000), Stratum("other", 95, 100, 4000)]
    >>> stratified_estimate(s).describe()
    '86.0% ± 5.0 (stratified normal approximation, 95%)'
    """
    problems = [f"stratum {s.name!r}: no records reviewed" for s in strata if s.trials <= 0]
    problems += [
        f"stratum {s.name!r}: population must be positive" for s in strata if s.population <= 0
    ]
    problems += [
        f"stratum {s.name!r}: {s.successes} of {s.trials} is impossible"
        for s in strata
        if not 0 <= s.successes <= s.trials
    ]
    if not strata:
        problems.append("no strata given")
    if problems:
        raise ValidationError("stratified estimate", problems)
    total = sum(s.population for s in strata)
    estimate, variance = 0.0, 0.0
    for s in strata:
        weight, p = s.population / total, s.successes / s.trials
        fpc = max(0.0, 1 - s.trials / s.population) if finite_population_correction else 1.0
        estimate += weight * p
        variance += weight**2 * p * (1 - p) / s.trials * fpc
    margin = z_value(confidence) * math.sqrt(variance)
    return ProportionEstimate(
        sum(s.successes for s in strata),
        sum(s.trials for s in strata),
        estimate,
        max(0.0, estimate - margin),
        min(1.0, estimate + margin),
        confidence,
        "stratified-wald",
    )


def sample_size_for_margin(
    margin: float,
    confidence: float = 0.95,
    expected_proportion: float = 0.5,
    population: int | None = None,
) -> int:
    """Records to review for a normal-approximation margin of ±`margin`.

    n₀ = z²·p(1−p)/m², reduced to n₀ / (1 + (n₀ − 1)/N) for a finite population of N records.
    p = 0.5 is the cautious default when nothing is known about the rate.

    >>> sample_size_for_margin(0.05)
    385
    >>> sample_size_for_margin(0.048, expected_proportion=0.874)
    184
    """
    problems = []
    if not 0 < margin < 1:
        problems.append(f"margin must be between 0 and 1, e.g. 0.05 (got {margin})")
    if not 0 < expected_proportion < 1:
        problems.append(f"expected proportion must be between 0 and 1 (got {expected_proportion})")
    if not 0 < confidence < 1:
        problems.append(f"confidence must be between 0 and 1 (got {confidence})")
    if population is not None and population <= 0:
        problems.append(f"population must be positive (got {population})")
    if problems:
        raise ValidationError("sample size", problems)
    z = z_value(confidence)
    n0 = z * z * expected_proportion * (1 - expected_proportion) / margin**2
    if population is not None:
        n0 = n0 / (1 + (n0 - 1) / population)
    # round() first so that a float wobble (384.0000001) does not cost an extra record
    return math.ceil(round(n0, 9))


@dataclass(frozen=True)
class RateRatio:
    """One rate over another with the Katz interval on the log ratio."""

    ratio: float
    lower: float
    upper: float
    confidence: float


def rate_ratio_interval(
    count: float, exposure: float, reference_count: float, reference_exposure: float,
    confidence: float = 0.95,
) -> RateRatio:  # fmt: skip
    """(a/Eₐ) / (b/E_b) with exp(log RR ± z·√(1/a + 1/b)): counts Poisson, exposures fixed
    (Katz et al. 1978), as the stop and search disparity measures compile it in the warehouse.

    >>> r = rate_ratio_interval(300, 30_000, 1_000, 1_000_000)
    >>> round(r.ratio, 3), round(r.lower, 3), round(r.upper, 3)
    (10.0, 8.79, 11.377)
    """
    problems = []
    if count <= 0 or reference_count <= 0:
        problems.append(f"both counts must be positive (got {count} and {reference_count})")
    if exposure <= 0 or reference_exposure <= 0:
        problems.append(f"both exposures must be positive (got {exposure}, {reference_exposure})")
    if not 0 < confidence < 1:
        problems.append(f"confidence must be between 0 and 1 (got {confidence})")
    if problems:
        raise ValidationError("rate ratio", problems)
    ratio = (count / exposure) / (reference_count / reference_exposure)
    spread = z_value(confidence) * math.sqrt(1 / count + 1 / reference_count)
    return RateRatio(ratio, ratio * math.exp(-spread), ratio * math.exp(spread), confidence)
