"""Rolling window counts and the rates built on them (per 1,000 and percent).

A rolling window is only summed when every period in it is present: police.uk has real
gaps (a force missing a month of data), and a 12-month figure summed over 11 months would
understate the force without anyone noticing. Such windows come back as NaN.
"""

from __future__ import annotations

from typing import Literal, TypeVar

import numpy as np
import pandas as pd

Frequency = Literal["month", "quarter"]

UNIT_SCALE: dict[str, float] = {
    "per_1000": 1000.0,
    "per_1000_residents": 1000.0,
    "per_1000_households": 1000.0,
    "per_1000_people": 1000.0,
    "percent": 100.0,
}
"""Scale for each rate unit; the names match the catalogue's ``unit`` field."""
PERIOD_CODE: dict[str, str] = {"month": "M", "quarter": "Q"}
"""pandas period code of each frequency."""

Values = TypeVar("Values", float, np.ndarray, pd.Series)


def on_period_grid(series: pd.Series, freq: Frequency = "month") -> pd.Series:
    """Values on every period end from the first to the last, NaN where a period is missing.

    Police.uk has real gaps: on the grid they become visible NaN rows, never skipped ones.
    """
    periods = pd.DatetimeIndex(series.index).to_period(PERIOD_CODE[freq])
    if periods.has_duplicates:
        raise ValueError(f"one row per {freq} is needed; found repeated period ends")
    if series.empty:
        return series.astype(float)
    values = pd.Series(series.to_numpy(dtype=float), index=periods)
    grid = pd.period_range(periods.min(), periods.max(), freq=PERIOD_CODE[freq])
    ends = pd.DatetimeIndex(grid.end_time.normalize(), name=series.index.name)
    return pd.Series(values.reindex(grid).to_numpy(), index=ends, name=series.name)


def rolling_sum(
    monthly_counts: pd.Series, window: int = 12, freq: Frequency = "month"
) -> pd.Series:
    """Sum of the last `window` periods, NaN wherever a period in the window is missing.

    Parameters
    ----------
    monthly_counts
        Counts for one force, indexed by period end (month or quarter; rows may be missing).
    window
        Length of the window in periods: 12 for monthly data, 4 for quarterly data.
    freq
        ``"month"`` or ``"quarter"``: the period each row counts.

    Returns
    -------
    pandas.Series
        Indexed by period end from the first period that closes a full window to the last
        period; a window with a missing or NaN period is NaN, never a sum over fewer periods.

    Examples
    --------
    >>> ends = pd.to_datetime(["2024-01-31", "2024-02-29", "2024-04-30", "2024-05-31"])
    >>> rolling_sum(pd.Series([1.0, 2.0, 4.0, 5.0], index=ends), window=2).tolist()
    [3.0, nan, nan, 9.0]
    """
    complete = on_period_grid(monthly_counts, freq)
    if len(complete) < window:
        return complete.iloc[:0]
    # each window summed on its own (not pandas' running add-and-subtract), so a NaN or
    # missing period poisons exactly its own windows and large counts leave no rounding residue
    sums = np.lib.stride_tricks.sliding_window_view(complete.to_numpy(), window).sum(axis=1)
    return pd.Series(sums, index=complete.index[window - 1 :], name=monthly_counts.name)


def scaled_rate(numerator: Values, denominator: Values | float, scale: float) -> Values:
    """`scale` × numerator / denominator; NaN (not inf) when the denominator is 0.

    Counts and populations cannot be negative, so a negative input is a data error and raises.
    """
    if isinstance(numerator, pd.Series) and isinstance(denominator, pd.Series):
        numerator, denominator = numerator.align(denominator)
    top = np.asarray(numerator, dtype=float)
    bottom = np.asarray(denominator, dtype=float)
    if np.any(top < 0) or np.any(bottom < 0):
        raise ValueError("rates need non-negative numerators and denominators")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(bottom > 0, scale * top / bottom, np.nan)
    if isinstance(numerator, pd.Series):
        return pd.Series(rate, index=numerator.index, name=numerator.name)
    return float(rate) if rate.ndim == 0 else rate  # type: ignore[return-value]


def rate_per_1000(numerator: Values, denominator: Values | float) -> Values:
    """Rate per 1,000 (residents, households...), the unit HMICFRS uses for crime rates.

    Examples
    --------
    >>> rate_per_1000(250.0, 100_000.0)
    2.5
    >>> rate_per_1000(np.array([3.0, 1.0]), np.array([1500.0, 0.0]))
    array([ 2., nan])
    """
    return scaled_rate(numerator, denominator, UNIT_SCALE["per_1000"])


def percent(numerator: Values, denominator: Values | float) -> Values:
    """Share of the denominator as a percentage (e.g. calls answered within 10 seconds).

    Examples
    --------
    >>> percent(45.0, 60.0)
    75.0
    """
    return scaled_rate(numerator, denominator, UNIT_SCALE["percent"])


def _rolling_by_force(
    frame: pd.DataFrame, column: str, window: int, freq: Frequency
) -> pd.DataFrame:
    """Rolling sums of `column` for every force, as long rows (force, period_end, column)."""
    pieces = [
        rolling_sum(rows.set_index("period_end")[column], window, freq)
        .rename(column)
        .rename_axis("period_end")
        .reset_index()
        .assign(force=force)
        for force, rows in frame.groupby("force", sort=True)
    ]
    columns = ["force", "period_end", column]
    return (
        pd.concat(pieces, ignore_index=True)[columns] if pieces else pd.DataFrame(columns=columns)
    )


def _denominator_at_window_end(windows: pd.DataFrame, denominators: pd.DataFrame) -> pd.Series:
    """Latest stock denominator (e.g. mid-year population) dated on or before each window end."""
    if "period_end" not in denominators.columns:
        return windows.merge(denominators, on="force", how="left")["denominator"]
    left = windows[["force", "period_end"]].assign(row=np.arange(len(windows)))
    right = denominators[["force", "period_end", "denominator"]].astype(
        {"period_end": windows["period_end"].dtype}
    )
    matched = pd.merge_asof(
        left.sort_values("period_end"),
        right.sort_values("period_end"),
        on="period_end",
        by="force",
        direction="backward",
    )
    return matched.sort_values("row")["denominator"].reset_index(drop=True)


def rolling_measure_frame(
    monthly: pd.DataFrame,
    denominators: pd.DataFrame,
    *,
    measure: str,
    window: int = 12,
    unit: str = "per_1000",
    freq: Frequency = "month",
    rolling_denominator: bool = False,
) -> pd.DataFrame:
    """Measure-frame rows (measure, force, period_end, numerator, denominator, value).

    Parameters
    ----------
    monthly
        Columns ``force``, ``period_end``, ``count``: one row per force and period.
    denominators
        Columns ``force``, ``denominator`` and optionally ``period_end``. By default these are
        stock figures (residents, households): each window takes the latest figure dated on or
        before its end, or the single figure per force when there is no ``period_end``. With
        ``rolling_denominator=True`` they are per-period counts (calls received) with one row
        per force and period, summed over the same window as the numerator.
    measure
        Catalogue id written into the ``measure`` column.
    window, freq
        Window length in periods of `freq` (12 months or 4 quarters).
    unit
        A key of `UNIT_SCALE`: ``"per_1000"`` (or the catalogue's ``"per_1000_residents"``...)
        or ``"percent"``.

    Returns
    -------
    pandas.DataFrame
        One row per force and window end. Windows with a missing period keep their row with
        NaN numerator and value, so the gap shows in tables instead of silently vanishing.

    Examples
    --------
    >>> monthly = pd.DataFrame({"force": "dorset", "count": [1.0, 2.0, 3.0],
    ...     "period_end": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"])})
    >>> people = pd.DataFrame({"force": ["dorset"], "denominator": [1000.0]})
    >>> rolling_measure_frame(monthly, people, measure="burglary", window=2)["value"].tolist()
    [3.0, 5.0]
    """
    if unit not in UNIT_SCALE:
        raise ValueError(f"unknown rate unit {unit!r}; known units: {', '.join(UNIT_SCALE)}")
    windows = _rolling_by_force(monthly, "count", window, freq)
    if rolling_denominator:
        base = _rolling_by_force(denominators, "denominator", window, freq)
        windows = windows.merge(base, on=["force", "period_end"], how="left")
    else:
        windows["denominator"] = _denominator_at_window_end(windows, denominators).to_numpy()
    windows = windows.rename(columns={"count": "numerator"}).assign(measure=measure)
    windows["value"] = scaled_rate(windows["numerator"], windows["denominator"], UNIT_SCALE[unit])
    return windows[["measure", "force", "period_end", "numerator", "denominator", "value"]]
