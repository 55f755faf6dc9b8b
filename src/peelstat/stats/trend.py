"""Has a force's figure gone up or down, and where is it heading.

Trend rule (labels Strong reduction / Moderate reduction / Stable / Moderate increase /
Strong increase) compares the latest 12-month window with the 12 months before it:

* Count measures (crimes, rates per 1,000): the two counts are treated as Poisson. Given
  their total, the latest count is Binomial(total, p0) with p0 = latest exposure / (latest +
  previous exposure), 0.5 when the exposures (e.g. populations) are equal or not given: the
  exact conditional rate-ratio test, two-sided (``scipy.stats.binomtest``'s p-value, by
  :func:`peelstat.stats.binomial.two_sided_binomial_p`).
* Percentage measures (charge rate, calls answered in 10 s): a two-sided two-proportion
  z-test with the pooled proportion.

The change is "Stable" when the test is not significant at 5% (``alpha``), so a move from
4 to 7 offences does not flip the label. A significant change is "Strong" when the relative
change (of the rate, or of the proportion) is at least 10% (``strong_change``) either way,
else "Moderate".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstat.stats.binomial import two_sided_binomial_p
from peelstat.stats.rates import PERIOD_CODE, Frequency, on_period_grid

ETS_METHOD = "ETS(A,Ad,N): additive damped-trend exponential smoothing"
NAIVE_METHOD = "naive: last value carried forward, random-walk interval"


@dataclass(frozen=True)
class Trend:
    """A trend label with the numbers behind it."""

    label: str
    change: float  # relative change of the rate or proportion: 0.12 means +12%
    p_value: float
    test: str


def trend_label(change: float, p_value: float, alpha: float = 0.05, strong: float = 0.10) -> str:
    """Label from a relative change and its p-value, by the rule in the module docstring."""
    if not p_value < alpha or np.isnan(change):
        return "Stable"
    size = "Strong" if abs(change) >= strong else "Moderate"
    return f"{size} {'increase' if change > 0 else 'reduction'}"


def _whole(count: float) -> int:
    """Counts as int; Poisson tests need whole counts."""
    if count < 0 or not float(count).is_integer():
        raise ValueError(f"a count must be a whole number ≥ 0, got {count}")
    return int(count)


SMALL_COUNT = 50
"""Fewer offences than this in either 12-month window and a percentage change says little:
15 homicides becoming 12 is "-20%" but well within chance (Poisson sd of 15 is ~3.9)."""


def is_small_count(latest: float, previous: float, threshold: int = SMALL_COUNT) -> bool:
    """Whether either window's count is below ``threshold`` (NaN counts are not small, just absent).

    >>> is_small_count(15, 12), is_small_count(480, 510), is_small_count(float("nan"), 3)
    (True, False, True)
    """
    return any(math.isfinite(c) and c < threshold for c in (latest, previous))


def relative_change(new: float, old: float) -> float:
    """new / old − 1; +inf from 0 to a positive figure, NaN from 0 to 0."""
    if old == 0:
        return float("inf") if new > 0 else float("nan")
    return float(new / old - 1)


def percentage_point_change(new: float, old: float) -> float:
    """new − old for two percentages: 40.0% to 41.5% is +1.5 percentage points, where
    :func:`relative_change` would say +3.75% (a percent of a percent, which readers misread).

    >>> round(percentage_point_change(41.5, 40.0), 6), round(relative_change(41.5, 40.0), 6)
    (1.5, 0.0375)
    """
    return float(new - old)


def count_trend(
    latest: float,
    previous: float,
    *,
    latest_exposure: float | None = None,
    previous_exposure: float | None = None,
    alpha: float = 0.05,
    strong_change: float = 0.10,
) -> Trend:
    """Trend of a count between two windows, by the exact conditional Poisson test.

    Examples
    --------
    >>> count_trend(150, 100).label, count_trend(10_500, 10_000).label, count_trend(7, 4).label
    ('Strong increase', 'Moderate increase', 'Stable')
    """
    k, total = _whole(latest), _whole(latest) + _whole(previous)
    if latest_exposure is None and previous_exposure is None:
        e1, e2 = 1.0, 1.0
    elif latest_exposure is None or previous_exposure is None:
        raise ValueError("give both exposures or neither")
    else:
        e1, e2 = latest_exposure, previous_exposure
    if not (e1 > 0 and e2 > 0):
        raise ValueError(f"exposures must be positive, got {e1} and {e2}")
    if total == 0:
        return Trend("Stable", float("nan"), 1.0, "no counts in either window")
    p_value = two_sided_binomial_p(k, total, e1 / (e1 + e2))
    change = relative_change(latest / e1, previous / e2)
    return Trend(trend_label(change, p_value, alpha, strong_change), change, p_value, "Poisson")


def two_proportion_p(x1: float, n1: float, x2: float, n2: float) -> float:
    """Two-sided p-value of the pooled two-proportion z-test; 1 when both are 0% or 100%."""
    from scipy import special  # on first use: importing it costs a tenth of a second

    if not (n1 > 0 and n2 > 0):
        raise ValueError(f"proportions need positive denominators, got {n1} and {n2}")
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    return float(2 * special.ndtr(-abs(x1 / n1 - x2 / n2) / se))  # 2 × norm.sf


def proportion_trend(
    latest_numerator: float,
    latest_denominator: float,
    previous_numerator: float,
    previous_denominator: float,
    *,
    alpha: float = 0.05,
    strong_change: float = 0.10,
) -> Trend:
    """Trend of a percentage measure between two windows, by the two-proportion z-test.

    Examples
    --------
    >>> proportion_trend(120, 1000, 100, 1000).label
    'Stable'
    """
    p_value = two_proportion_p(
        latest_numerator, latest_denominator, previous_numerator, previous_denominator
    )
    change = relative_change(
        latest_numerator / latest_denominator, previous_numerator / previous_denominator
    )
    label = trend_label(change, p_value, alpha, strong_change)
    return Trend(label, change, p_value, "two-proportion z")


def measure_trend(
    frame: pd.DataFrame,
    *,
    proportion: bool,
    window_months: int = 12,
    alpha: float = 0.05,
    strong_change: float = 0.10,
) -> Trend:
    """Trend of one force's measure frame: latest window against the one `window_months` back."""
    if frame["force"].nunique() != 1 or frame["measure"].nunique() != 1:
        raise ValueError("measure_trend needs the rows of one force and one measure")
    months = pd.DatetimeIndex(frame["period_end"]).to_period("M")
    latest = frame.loc[months == months.max()].iloc[0]
    earlier = frame.loc[months == months.max() - window_months]
    if earlier.empty:
        raise ValueError(f"no window ending {window_months} months before {latest.period_end}")
    previous = earlier.iloc[0]
    return window_trend(
        latest.numerator, latest.denominator, previous.numerator, previous.denominator,
        proportion=proportion, alpha=alpha, strong_change=strong_change,
    )  # fmt: skip


def window_trend(
    latest_numerator: float,
    latest_denominator: float,
    previous_numerator: float,
    previous_denominator: float,
    *,
    proportion: bool,
    alpha: float = 0.05,
    strong_change: float = 0.10,
) -> Trend:
    """Trend between two windows' numerators and denominators (what :func:`measure_trend`
    reads from a frame): two-proportion test for percentages, else Poisson with exposures.

    >>> window_trend(150, 1000, 100, 1000, proportion=False).label
    'Strong increase'
    """
    if np.isnan([latest_numerator, previous_numerator]).any():
        return Trend("Not assessed", float("nan"), float("nan"), "incomplete window")
    if proportion:
        return proportion_trend(
            latest_numerator, latest_denominator, previous_numerator, previous_denominator,
            alpha=alpha, strong_change=strong_change,
        )  # fmt: skip
    return count_trend(
        latest_numerator, previous_numerator,
        latest_exposure=latest_denominator, previous_exposure=previous_denominator,
        alpha=alpha, strong_change=strong_change,
    )  # fmt: skip


def recent_history(series: pd.Series, freq: Frequency = "month") -> pd.Series:
    """The values after the last gap (missing or NaN period): models need an unbroken run."""
    complete = on_period_grid(series, freq)
    gaps = np.flatnonzero(complete.isna().to_numpy())
    return complete.iloc[gaps[-1] + 1 :] if len(gaps) else complete


def _ets_forecast(history: pd.Series, periods: int) -> pd.DataFrame:
    """Mean and 95% prediction interval from an additive damped-trend ETS model."""
    # statsmodels takes a third of a second to import: only a forecast needs it
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(history.reset_index(drop=True), error="add", trend="add", damped_trend=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short, smooth series
        fit = model.fit(disp=False)
        start = len(history)
        summary = fit.get_prediction(start=start, end=start + periods - 1).summary_frame(0.05)
    return pd.DataFrame(
        {"forecast": summary["mean"], "lower": summary["pi_lower"], "upper": summary["pi_upper"]}
    )


def _naive_forecast(history: pd.Series, periods: int) -> pd.DataFrame:
    """Last value carried forward; interval widens as a random walk (NaN with < 3 values)."""
    from scipy import special  # on first use: importing it costs a tenth of a second

    spread = history.diff().std(ddof=1) if len(history) >= 3 else float("nan")
    half_width = special.ndtri(0.975) * spread * np.sqrt(np.arange(1, periods + 1))
    last = float(history.iloc[-1])
    return pd.DataFrame({"forecast": last, "lower": last - half_width, "upper": last + half_width})


def _outlook(history: pd.Series, periods: int, min_history: int) -> tuple[pd.DataFrame, str]:
    """ETS when there is enough history and it fits; otherwise naive, saying why."""
    if len(history) < min_history:
        return _naive_forecast(history, periods), f"{NAIVE_METHOD} (too few periods for ETS)"
    try:
        table = _ets_forecast(history, periods)
    except (ValueError, np.linalg.LinAlgError) as error:
        return _naive_forecast(history, periods), f"{NAIVE_METHOD} (ETS fit failed: {error})"
    if not np.isfinite(table["forecast"]).all():
        return _naive_forecast(history, periods), f"{NAIVE_METHOD} (ETS gave no forecast)"
    return table, ETS_METHOD


def forecast(
    series: pd.Series, periods: int = 4, freq: Frequency = "month", min_history: int = 12
) -> pd.DataFrame:
    """Outlook for the next `periods` periods with a 95% prediction interval.

    Fits ETS(A,Ad,N) (additive damped-trend exponential smoothing, statsmodels ``ETSModel``)
    to the unbroken run of values after the last gap; with fewer than `min_history` values, or
    if the fit fails, falls back to a naive forecast and says so in ``method``. Forecasts and
    bounds are floored at 0 because counts and rates cannot be negative.

    Returns
    -------
    pandas.DataFrame
        Columns ``period_end``, ``forecast``, ``lower``, ``upper``, ``method``.

    Examples
    --------
    >>> ends = pd.date_range("2024-01-31", periods=3, freq="ME")
    >>> forecast(pd.Series([5.0, 7.0, 6.0], index=ends), periods=2)["forecast"].tolist()
    [6.0, 6.0]
    """
    history = recent_history(series, freq)
    if history.empty:
        raise ValueError("forecast needs at least one value after the last gap")
    table, method = _outlook(history, periods, min_history)
    last = pd.Period(history.index[-1], PERIOD_CODE[freq])
    ends = pd.period_range(last + 1, periods=periods).end_time.normalize()
    table = table.clip(lower=0).reset_index(drop=True)
    return table.assign(period_end=ends, method=method)[
        ["period_end", "forecast", "lower", "upper", "method"]
    ]
