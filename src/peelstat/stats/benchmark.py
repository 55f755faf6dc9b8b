"""Where a force stands for one measure at one period: rank, MSG average, national rate.

Every function here takes measure-frame rows for a single measure and period. Polarity
matters: for most crime measures lower is better, but for proactive measures (drug
trafficking offences found by the police) higher is better, so "1st" is the highest rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstat.reference import NATIONAL, force_names

MEAN_OF_FORCE_RATES = "MSG average (mean of force rates)"
POOLED_RATE = "MSG rate (all MSG numerators / all MSG denominators)"


@dataclass(frozen=True)
class Rank:
    """A force's place in a comparison group; `rank` is None when the force has no value."""

    rank: int | None
    n: int
    label: str  # "3rd/7 (no value for Hampshire)" when members are missing
    missing: tuple[str, ...] = ()  # group members without a value, left out of `n`


@dataclass(frozen=True)
class MsgAverage:
    """The MSG average both ways: HMICFRS bar charts use the mean of force rates."""

    mean_of_force_rates: float
    pooled_rate: float
    n: int

    def labelled(self) -> dict[str, float]:
        """Both averages keyed by the label a chart or table should show."""
        return {MEAN_OF_FORCE_RATES: self.mean_of_force_rates, POOLED_RATE: self.pooled_rate}


def ordinal(number: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st.

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{'th' if number % 100 in (11, 12, 13) else suffix}"


def rank_by_polarity(values: pd.Series, lower_is_better: bool) -> pd.Series:
    """Rank 1 = best for the measure's polarity; ties share the best (minimum) rank.

    Examples
    --------
    >>> rank_by_polarity(pd.Series([5.0, 2.0, 9.0, 2.0]), lower_is_better=True).tolist()
    [3, 1, 4, 1]
    >>> rank_by_polarity(pd.Series([5.0, 2.0, 9.0]), lower_is_better=False).tolist()
    [2, 3, 1]
    """
    present = values.to_numpy(dtype=float)
    ranks = [rank_among(v, present, lower_is_better).rank for v in present]
    return pd.Series(ranks, index=values.index, dtype="Int64")


def force_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of one measure at one period indexed by force; refuses mixed measures or periods."""
    for column in ("measure", "period_end"):
        if column in frame.columns and frame[column].nunique() > 1:
            raise ValueError(f"benchmark one {column} at a time; found {frame[column].nunique()}")
    if frame["force"].duplicated().any():
        raise ValueError("benchmark needs one row per force; found repeated forces")
    return frame.set_index("force")


def rank_among(
    value: float, values: np.ndarray, lower_is_better: bool, missing: tuple[str, ...] = ()
) -> Rank:
    """Rank of ``value`` among ``values`` (which include it; NaN left out), ties sharing the
    best place: 1 + the number of values strictly better, as ``rank_by_polarity`` ranks.

    Examples
    --------
    >>> rank_among(2.0, np.array([5.0, 2.0, 9.0, 2.0, np.nan]), lower_is_better=True).label
    '1st/4'
    """
    present = values[np.isfinite(values)]
    out = out_of(len(present), missing)
    if not np.isfinite(value):
        return Rank(None, len(present), unranked(len(present), out), missing)
    better = present < value if lower_is_better else present > value
    rank = 1 + int(np.count_nonzero(better))
    return Rank(rank, len(present), f"{ordinal(rank)}{out}", missing)


def unranked(n: int, out: str) -> str:
    """ "not ranked/7": no value of its own, 7 others with one; "not ranked (no force has a
    value)" rather than a rank out of nothing.

    >>> unranked(7, "/7"), unranked(0, "/0 (no value for Kent)")
    ('not ranked/7', 'not ranked (no force has a value)')
    """
    return f"not ranked{out}" if n else "not ranked (no force has a value)"


def out_of(n: int, missing: tuple[str, ...] = ()) -> str:
    """ "/8", or "/7 (no value for Hampshire)": a rank out of fewer says who is missing.

    >>> out_of(8), out_of(7, ("hampshire",))
    ('/8', '/7 (no value for Hampshire)')
    """
    if not missing:
        return f"/{n}"
    names = [force_names().get(f, f) for f in missing]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"/{n} (no value for {shown})"


def by_force(column: pd.Series) -> dict[str, float]:
    """A force-indexed column as a plain mapping (what :func:`rank_of` and
    :func:`group_average` take)."""
    return dict(zip(map(str, column.index), column.to_numpy(dtype=float), strict=True))


def rank_of(
    force: str, values: Mapping[str, float], group: Iterable[str], lower_is_better: bool
) -> Rank:
    """Rank of ``force`` among the ``group`` (which includes it) by ``values``; members with
    no value (absent or NaN) are left out of the count and named.

    >>> rank_of("a", {"a": 3.0, "b": 1.0, "c": float("nan")}, ["a", "b", "c"], True).label
    '2nd/2 (no value for c)'
    """
    listed = list(dict.fromkeys(group))
    present = {f: float(values[f]) for f in listed if f in values and np.isfinite(values[f])}
    # the force itself is not listed as missing: its own label says "not ranked"
    missing = tuple(sorted(f for f in listed if f not in present and f != force))
    value = present.get(force, float("nan"))
    return rank_among(value, np.fromiter(present.values(), float), lower_is_better, missing)


def msg_rank(
    frame: pd.DataFrame, force: str, msg_members: Iterable[str], lower_is_better: bool
) -> Rank:
    """Rank within the Most Similar Group, counting the force itself (so "6th/8" for 7 + 1).

    Examples
    --------
    >>> frame = pd.DataFrame({"force": ["a", "b", "c"], "value": [3.0, 1.0, 2.0]})
    >>> msg_rank(frame, "a", ["b", "c"], lower_is_better=True).label
    '3rd/3'
    """
    values = by_force(force_values(frame)["value"])
    return rank_of(force, values, [force, *msg_members], lower_is_better)


def national_rank(frame: pd.DataFrame, force: str, lower_is_better: bool) -> Rank:
    """Rank among all forces in the frame, leaving out the England and Wales row."""
    values = by_force(force_values(frame)["value"].drop(NATIONAL, errors="ignore"))
    return rank_of(force, values, [force, *values], lower_is_better)


def pooled_rate(rows: pd.DataFrame) -> float:
    """Total numerator / total denominator on the measure's own scale (per 1,000, percent).

    Computed as the denominator-weighted mean of ``value``, which equals
    scale × Σ numerator / Σ denominator without having to know the scale.
    """
    return pooled_rate_of(rows["value"].to_numpy(float), rows["denominator"].to_numpy(float))


def pooled_rate_of(values: np.ndarray, denominators: np.ndarray) -> float:
    """:func:`pooled_rate` on arrays: the denominator-weighted mean of the finite values.

    >>> pooled_rate_of(np.array([10.0, 20.0, np.nan]), np.array([1000.0, 3000.0, 50.0]))
    17.5
    """
    usable = np.isfinite(values) & (denominators > 0)
    if not usable.any():
        return float("nan")
    return float(np.average(values[usable], weights=denominators[usable]))


def msg_average_of(values: np.ndarray, denominators: np.ndarray) -> MsgAverage:
    """MSG average of the group's rates (NaN left out), both ways: the unweighted mean of force
    rates, as HMICFRS charts it, and the pooled rate.

    >>> average = msg_average_of(np.array([3.0, 1.0, np.nan]), np.array([1e4, 3e4, 1e4]))
    >>> average.mean_of_force_rates, average.pooled_rate, average.n
    (2.0, 1.5, 2)
    """
    finite = values[np.isfinite(values)]
    mean = float(finite.mean()) if finite.size else float("nan")
    return MsgAverage(mean, pooled_rate_of(values, denominators), int(finite.size))


def msg_average(frame: pd.DataFrame, force: str, msg_members: Iterable[str]) -> MsgAverage:
    """MSG average over the force and its members, as mean of rates and as pooled rate."""
    rows = force_values(frame)
    values, denominators = by_force(rows["value"]), by_force(rows["denominator"])
    return group_average(force, values, denominators, msg_members)


def group_average(
    force: str, values: Mapping[str, float], denominators: Mapping[str, float],
    msg_members: Iterable[str],
) -> MsgAverage:  # fmt: skip
    """:func:`msg_average` on mappings by force (a member absent from them has no value)."""
    group = list(dict.fromkeys([force, *msg_members]))
    nan = float("nan")
    return msg_average_of(
        np.array([values.get(f, nan) for f in group], dtype=float),
        np.array([denominators.get(f, nan) for f in group], dtype=float),
    )


def national_rate(frame: pd.DataFrame) -> float:
    """England and Wales rate from the forces: Σ numerators / Σ denominators × unit scale."""
    return pooled_rate(force_values(frame).drop(NATIONAL, errors="ignore"))


def position_against(value: float, average: float, tolerance: float = 0.05) -> str:
    """ "above/similar to/below MSG average": similar when within ±`tolerance` of the average.

    The rule is relative (5% of the average by default), so it reads the same for rates per
    1,000 and for percentages. An average of 0 is only "similar" to a value of 0; a missing
    value or average gives "not compared".

    Examples
    --------
    >>> position_against(10.4, 10.0), position_against(10.6, 10.0), position_against(9.0, 10.0)
    ('similar to MSG average', 'above MSG average', 'below MSG average')
    """
    if not (np.isfinite(value) and np.isfinite(average)):
        return "not compared"
    if abs(value - average) <= tolerance * abs(average):
        return "similar to MSG average"
    return "above MSG average" if value > average else "below MSG average"


def msg_position(
    frame: pd.DataFrame, force: str, msg_members: Iterable[str], tolerance: float = 0.05
) -> str:
    """The force's rate against the MSG mean of force rates, by the rule of `position_against`."""
    average = msg_average(frame, force, msg_members).mean_of_force_rates
    value = float(force_values(frame)["value"].get(force, float("nan")))
    return position_against(value, average, tolerance)
