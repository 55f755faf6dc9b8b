"""Turning results into plain values: JSON (ISO dates, ``None`` for a missing number) and
figures as a reader writes them (``number``, ``whole``), for every front-end's text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """A JSON-ready copy: dates as ``2018-12-31``, NaN as ``None``, dataclasses as dicts.

    >>> plain({"period_end": dt.date(2018, 12, 31), "value": float("nan"), "ranks": (1, 2)})
    {'period_end': '2018-12-31', 'value': None, 'ranks': [1, 2]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat() if _is_midnight(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _is_midnight(value: dt.datetime) -> bool:
    return value.time() == dt.time(0) and value.tzinfo is None


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts (typed loosely: a cell may hold anything)."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def frame_of(rows: tuple[Any, ...] | list[Any], columns: list[str]) -> pd.DataFrame:
    """A table of dataclass rows, one column per field (dates stay dates)."""
    return pd.DataFrame([dataclasses.asdict(r) for r in rows], columns=columns)


def field_names(cls: type) -> list[str]:
    """The field names of a dataclass, in order: the columns of its table."""
    return [f.name for f in dataclasses.fields(cls)]


def number(value: float | None, unit: str = "", digits: int = 3) -> str:
    """A figure as a reader writes it: 3 significant figures, thousands separated, "%" kept.

    >>> number(29.52113, "per_1000_households"), number(1234.6), number(float("nan"))
    ('29.5', '1,235', 'no value')
    >>> number(87.41, "percent")
    '87.4%'
    """
    if value is None or not math.isfinite(value):
        return "no value"
    if value == 0:
        text = "0"
    else:
        places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
        text = f"{value:,.{places}f}"
    return f"{text}%" if unit == "percent" else text


def whole(value: float | None) -> str:
    """A count: ``1,714,753``; "no value" when there is none.

    >>> whole(1714753.0), whole(None)
    ('1,714,753', 'no value')
    """
    return "no value" if value is None or not math.isfinite(value) else f"{value:,.0f}"
