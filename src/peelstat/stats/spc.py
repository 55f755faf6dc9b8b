"""XmR (individuals and moving range) chart: is a change in a force's series more than noise.

Centre = mean of the values; MR̄ = mean of |x_t − x_{t−1}|; limits = centre ± 2.66 × MR̄
(2.66 = 3 / d2 with d2 = 1.128 for ranges of two points). Two signals are reported:

* a point strictly outside the limits ("above upper limit" / "below lower limit");
* a run of 8 consecutive points on the same side of the centre line: every point of the
  run from the 8th onwards is flagged ("run of 8 above centre" / "run of 8 below centre").
  A point on the centre line breaks a run.

Values within a relative 1e-9 of the centre or a limit count as on it, so a constant series
(MR̄ = 0, limits equal to the centre) has no signal despite floating-point rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LIMIT_FACTOR = 2.66
RUN_LENGTH = 8
_RELATIVE_TOLERANCE = 1e-9


def mean_moving_range(values: np.ndarray) -> float:
    """Mean absolute difference between consecutive values (MR̄); NaN with fewer than 2."""
    return float(np.mean(np.abs(np.diff(values)))) if len(values) >= 2 else float("nan")


def run_flags(sides: np.ndarray, run_length: int = RUN_LENGTH) -> np.ndarray:
    """True at each point that is at least the `run_length`-th of a same-side run (side ≠ 0)."""
    flags = np.zeros(len(sides), dtype=bool)
    run = 0
    for i, side in enumerate(sides):
        run = run + 1 if side != 0 and i > 0 and side == sides[i - 1] else int(side != 0)
        flags[i] = run >= run_length
    return flags


def _signal(outside: int, side: int, in_run: bool, run_length: int) -> str | None:
    """The signal text of one point: limit breach and/or run, joined by "; "."""
    parts = []
    if outside:
        parts.append("above upper limit" if outside > 0 else "below lower limit")
    if in_run:
        parts.append(f"run of {run_length} {'above' if side > 0 else 'below'} centre")
    return "; ".join(parts) or None


def xmr_chart(
    values: pd.Series, run_length: int = RUN_LENGTH, floor: float | None = None
) -> pd.DataFrame:
    """XmR chart columns ``value``, ``centre``, ``lower``, ``upper``, ``signal`` (str or None).

    Missing values are dropped first, so the chart runs over the periods that have data.
    ``floor``: the least value the measure can take (0 for a count, a rate or a percentage);
    a lower limit beneath it is shown at it, since no point can fall below it (the signals
    are the same either way).

    Examples
    --------
    >>> chart = xmr_chart(pd.Series([10.0, 12.0, 11.0, 13.0, 40.0]))
    >>> print(chart.round(2).loc[4].to_dict())
    {'value': 40.0, 'centre': 17.2, 'lower': -4.08, 'upper': 38.48, 'signal': 'above upper limit'}
    >>> float(xmr_chart(pd.Series([10.0, 12.0, 11.0, 13.0, 40.0]), floor=0.0)["lower"].iloc[0])
    0.0
    >>> run = xmr_chart(pd.Series([1.0, 3.0] * 4 + [2.6, 3.4] * 4))["signal"]
    >>> run.iloc[13], run.iloc[14]
    (None, 'run of 8 above centre')
    """
    x = values.dropna().astype(float)
    centre, spread = float(x.mean()), LIMIT_FACTOR * mean_moving_range(x.to_numpy())
    tolerance = _RELATIVE_TOLERANCE * float(x.abs().max()) if len(x) else 0.0
    sides = np.where(np.abs(x - centre) <= tolerance, 0, np.sign(x - centre)).astype(int)
    outside = np.where(x - (centre + spread) > tolerance, 1, 0)
    outside = np.where((centre - spread) - x > tolerance, -1, outside)
    in_run = run_flags(sides, run_length)
    signal = [_signal(*point, run_length) for point in zip(outside, sides, in_run, strict=True)]
    lower = centre - spread if floor is None else max(centre - spread, floor)
    return pd.DataFrame(
        {"value": x, "centre": centre, "lower": lower, "upper": centre + spread},
        index=x.index,
    ).assign(signal=pd.Series(signal, index=x.index, dtype=object))
