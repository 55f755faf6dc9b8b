"""Pieces every SYNTHETIC warehouse table is made with: periods, residents, labels, provenance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from peelstat.demo.labels import draw_codes
from peelstat.reference import population


def months_from(first: str, count: int) -> list[dt.date]:
    """The first day of ``count`` months from ``first`` ('YYYY-MM')."""
    return [p.start_time.date() for p in pd.period_range(first, periods=count, freq="M")]


def quarter_ends_from(first: str, count: int) -> list[dt.date]:
    """The last day of ``count`` calendar quarters from the one holding ``first``."""
    start = pd.Period(first, "Q")
    return [(start + i).end_time.date() for i in range(count)]


def draw_labels(rng: np.random.Generator, mix: Mapping, size: int) -> pd.Categorical:
    """Labels drawn with the shares of ``mix``; a ``None`` key stands for a missing value."""
    keys = list(mix)
    codes = draw_codes(rng, mix, size)
    labels = [k for k in keys if k is not None]
    mapped = np.array([labels.index(k) if k is not None else -1 for k in keys])[codes]
    return pd.Categorical.from_codes(mapped, categories=labels)  # type: ignore[call-overload,arg-type,operator]


def residents_of(forces: Sequence[str]) -> pd.Series:
    """Each force's residents in the latest reference year (a million where there are none)."""
    table = population()
    latest = table[table["year"] == table["year"].max()].set_index("force")["residents"]
    return latest.reindex(list(forces)).fillna(1_000_000)


def force_month_keys(
    forces: Sequence[str],
    months: Sequence[dt.date],
    per_1000: float,
    floor: float,
    rng: np.random.Generator,
) -> tuple:
    """Force and month columns of record-level rows: about ``per_1000`` per 1,000 residents a
    month and at least about ``floor`` a force-month, so no small force has an empty month."""
    expected = np.maximum(residents_of(forces).to_numpy() * per_1000 / 1000, floor)
    counts = rng.poisson(np.outer(expected, np.ones(len(months))))
    flat = counts.ravel()
    force_idx = np.repeat(np.repeat(np.arange(len(forces)), len(months)), flat)
    month_idx = np.repeat(np.tile(np.arange(len(months)), len(forces)), flat)
    force_col = pd.Categorical.from_codes(force_idx, categories=list(forces))  # type: ignore[call-overload,arg-type,operator]
    month_col = np.array(months, dtype="datetime64[D]")[month_idx]
    return force_col, month_col


def with_provenance(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Add the warehouse's ``source_file`` and ``source_line`` (line 1 is the header)."""
    frame["source_file"] = name
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype="int64")
    return frame


def add_financial_periods(frame: pd.DataFrame) -> None:
    """Add the financial year ('2017/18') and quarter (April-June is 1) of each period end."""
    ends = pd.to_datetime(frame["period_end"])
    fy_start = ends.dt.year - (ends.dt.month <= 3)
    frame["financial_year"] = (
        fy_start.astype(str) + "/" + ((fy_start + 1) % 100).astype(str).str.zfill(2)
    )
    frame["financial_quarter"] = ((ends.dt.month - 4) % 12 // 3 + 1).astype("int64")
