"""Crime data integrity figures and audit comparisons, from audit counts to published sentences.

"The force records 91.4 percent (± 2.6) of reported crime, so more than 13,100 crimes were not
recorded in the year": the rate comes from an audit sample, the count from scaling the force's
recorded crime (excluding fraud) for the 12 months to the audit end by 1/rate − 1.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from scipy import stats

from peelstat.errors import ValidationError
from peelstat.stats.intervals import ProportionEstimate, proportion_interval, z_value


def recording_rate(
    recorded_correctly: int, audited: int, confidence: float = 0.95, method: str = "wald"
) -> ProportionEstimate:
    """Share of audited crime reports that the force recorded as crimes (normal approximation).

    >>> recording_rate(457, 500).describe()
    '91.4% ± 2.5 (normal approximation, 95%)'
    """
    return proportion_interval(recorded_correctly, audited, confidence, method)


def round_down_like_hmicfrs(value: float) -> int:
    """Round down as in "more than 13,100": to the hundred from 1,000, else to the ten."""
    step = 100 if value >= 1000 else 10
    return int(math.floor(value / step) * step)


@dataclass(frozen=True)
class UnrecordedEstimate:
    """Estimated crimes not recorded in 12 months, with the range from rate ± margin."""

    recorded: int
    rate: float
    margin: float
    unrecorded: float
    lower: float
    upper: float

    @property
    def published(self) -> int:
        return round_down_like_hmicfrs(self.unrecorded)

    def describe(self) -> str:
        return (
            f"recording rate {100 * self.rate:.1f}% ± {100 * self.margin:.1f}: more than "
            f"{self.published:,} of an estimated {self.recorded + self.unrecorded:,.0f} crimes "
            f"were not recorded (range {self.lower:,.0f} to {self.upper:,.0f})"
        )

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "published": self.published, "text": self.describe()}


def unrecorded_at(recorded: float, rate: float) -> float:
    """Crimes missed when `recorded` crimes are `rate` of all that should have been recorded."""
    return recorded * (1 / rate - 1)


def unrecorded_estimate(recorded: int, rate: float, margin: float) -> UnrecordedEstimate:
    """Unrecorded ≈ recorded × (1/rate − 1), its range evaluated at rate + margin and rate − margin.

    The count falls as the rate rises, so the upper recording rate gives the lower count;
    a rate + margin above 100% means the audit cannot rule out that nothing was missed.

    >>> unrecorded_estimate(139_300, 0.914, 0.026).published
    13100
    """
    problems = []
    if recorded < 0:
        problems.append(f"recorded crimes cannot be negative (got {recorded})")
    if not 0 < rate <= 1:
        problems.append(f"the recording rate must be in (0, 1], e.g. 0.914 (got {rate})")
    if not 0 <= margin < rate:
        problems.append(f"the margin must be between 0 and the rate, e.g. 0.026 (got {margin})")
    if problems:
        raise ValidationError("unrecorded crime estimate", problems)
    return UnrecordedEstimate(
        recorded=recorded,
        rate=rate,
        margin=margin,
        unrecorded=unrecorded_at(recorded, rate),
        lower=unrecorded_at(recorded, min(1.0, rate + margin)),
        upper=unrecorded_at(recorded, rate - margin),
    )


@dataclass(frozen=True)
class AuditComparison:
    """Two audits of the same thing: the change, its interval and whether it is significant."""

    first: ProportionEstimate
    second: ProportionEstimate
    difference: float
    lower: float
    upper: float
    z: float
    p_value: float
    significant: bool
    confidence: float

    def describe(self) -> str:
        change = f"{100 * self.difference:+.1f} points"
        verdict = "a significant change" if self.significant else "not a significant change"
        return (
            f"{100 * self.first.estimate:.1f}% → {100 * self.second.estimate:.1f}% "
            f"({change}, {100 * self.lower:+.1f} to {100 * self.upper:+.1f}): {verdict} "
            f"(two-proportion z test, p = {self.p_value:.3f})"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "first": self.first.as_dict(),
            "second": self.second.as_dict(),
            "difference": self.difference,
            "lower": self.lower,
            "upper": self.upper,
            "z": self.z,
            "p_value": self.p_value,
            "significant": self.significant,
            "confidence": self.confidence,
            "test": "two-proportion z test (pooled)",
            "text": self.describe(),
        }


def compare_audits(
    first_successes: int,
    first_trials: int,
    second_successes: int,
    second_trials: int,
    confidence: float = 0.95,
) -> AuditComparison:
    """Two-proportion z test (pooled variance) of a later audit against an earlier one.

    The interval for the difference uses the unpooled variance, as the pooled one only holds
    under the hypothesis of no change.

    >>> compare_audits(211, 244, 159, 182).significant
    False
    """
    first = proportion_interval(first_successes, first_trials, confidence)
    second = proportion_interval(second_successes, second_trials, confidence)
    difference = second.estimate - first.estimate
    pooled = (first_successes + second_successes) / (first_trials + second_trials)
    pooled_se = math.sqrt(pooled * (1 - pooled) * (1 / first_trials + 1 / second_trials))
    if pooled_se == 0:
        z, p_value = 0.0, 1.0
    else:
        z = difference / pooled_se
        p_value = float(2 * stats.norm.sf(abs(z)))
    se = math.sqrt(
        first.estimate * (1 - first.estimate) / first_trials
        + second.estimate * (1 - second.estimate) / second_trials
    )
    margin = z_value(confidence) * se
    return AuditComparison(
        first,
        second,
        difference,
        difference - margin,
        difference + margin,
        z,
        p_value,
        p_value < 1 - confidence,
        confidence,
    )
