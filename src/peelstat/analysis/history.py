"""A force's 12-month rolling rate over time against its MSG average and England and Wales.

This is the chart every performance report draws per measure. A window the force has no
value for (a missing month inside it) is a gap in the line, never a zero; the MSG average at
a period says how many members it is over.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.catalogue import MeasureInfo
from peelstat.analysis.groups import ComparisonGroup, comparison_group
from peelstat.analysis.plain import field_names, frame_of, plain
from peelstat.analysis.provenance import DataSources, data_sources
from peelstat.catalogue.measure import Catalogue, Measure
from peelstat.measures.compile import compute_measures
from peelstat.periods import add_months, parse_period, year_before
from peelstat.reference import NATIONAL, force_name, resolve_force
from peelstat.stats.benchmark import group_average, position_against, rank_of
from peelstat.stats.trend import measure_trend


@dataclass(frozen=True)
class HistoryPoint:
    """One window: the force, the MSG average (mean of force rates) and England and Wales."""

    period_end: dt.date
    force_value: float
    msg_average: float
    msg_members_with_value: int
    national_value: float
    msg_rank: str
    msg_position: str
    national_rank: str
    trend: str  # against the window a year before, where both are in the history
    note: str | None


@dataclass(frozen=True)
class MeasureHistory:
    """The force against its group and the nation, window by window."""

    force: str
    force_name: str
    measure: MeasureInfo
    msg: ComparisonGroup
    points: tuple[HistoryPoint, ...]
    gaps: tuple[dt.date, ...]  # windows with no value for the force
    sources: DataSources

    def to_frame(self) -> pd.DataFrame:
        return frame_of(self.points, field_names(HistoryPoint))

    def to_dict(self) -> dict:
        return plain(self)


def _trend(mine: pd.DataFrame, m: Measure) -> str:
    """Year-on-year trend label at this window, when the window a year before is in the frame."""
    if not m.numerator_is_a_count or mine["numerator"].isna().any():
        return "Not assessed"
    try:
        return measure_trend(mine, proportion=m.is_proportion).label
    except ValueError:
        return "Not assessed"


def _point(
    at: pd.DataFrame, windows: pd.DataFrame, force: str, group: ComparisonGroup, m: Measure
) -> HistoryPoint:
    """The window ending at ``at``'s period; ``windows``: the force's rows then and a year before."""
    end = pd.Timestamp(at["period_end"].iloc[0])
    values = dict(zip(at["force"], at["value"].astype(float), strict=True))
    denominators = dict(zip(at["force"], at["denominator"].astype(float), strict=True))
    national = values.pop(NATIONAL, math.nan)
    denominators.pop(NATIONAL, None)
    value = values.get(force, math.nan)
    average = group_average(force, values, denominators, group.peers)
    mine = windows[windows["period_end"] == end]
    notes = [
        str(n)
        for n in mine[["definition_note", "denominator_note"]].to_numpy().ravel()
        if isinstance(n, str)
    ]
    return HistoryPoint(
        end.date(),
        value,
        average.mean_of_force_rates,
        average.n,
        national,
        rank_of(force, values, [force, *group.peers], m.lower_is_better).label,
        position_against(value, average.mean_of_force_rates) if len(mine) else "not compared",
        rank_of(force, values, [force, *values], m.lower_is_better).label,
        _trend(
            windows[windows["period_end"].isin([end, pd.Timestamp(year_before(end.date()))])], m
        ),
        "; ".join(dict.fromkeys(notes)) or None,
    )


def measure_history(
    con: BaseBackend, catalogue: Catalogue, force: str, measure_id: str, end: str | dt.date,
    months: int = 60,
) -> MeasureHistory:  # fmt: skip
    """The windows ending in the ``months`` months to ``end`` (all history there is, up to that)."""
    return measure_histories(con, catalogue, force, [measure_id], end, months)[0]


def measure_histories(
    con: BaseBackend, catalogue: Catalogue, force: str, measure_ids: Sequence[str],
    end: str | dt.date, months: int = 60,
) -> tuple[MeasureHistory, ...]:  # fmt: skip
    """The histories of several measures from one measure-frame query (a report draws dozens)."""
    force = resolve_force(force)
    for i in measure_ids:
        catalogue[i]  # an unknown id is an error naming the nearest ones, before any query
    last = parse_period(end)
    frame = compute_measures(
        con, list(measure_ids), start=add_months(last, -(months - 1)), end=last,
        catalogue=catalogue,
    )  # fmt: skip
    group = comparison_group(con, force)
    by_measure = {str(k): v for k, v in frame.groupby("measure", sort=False)}
    by_source = {s: data_sources(con, [s]) for s in {catalogue[m].source for m in measure_ids}}
    sources = {m: by_source[catalogue[m].source] for m in measure_ids}
    return tuple(
        _history(by_measure.get(i, frame.iloc[0:0]), catalogue, force, i, group, sources[i])
        for i in measure_ids
    )


def _history(
    frame: pd.DataFrame, catalogue: Catalogue, force: str, measure_id: str,
    group: ComparisonGroup, sources: DataSources,
) -> MeasureHistory:  # fmt: skip
    m = catalogue[measure_id]
    mine = frame[frame["force"] == force]
    points = tuple(
        _point(at, mine, force, group, m)
        for _, at in frame.sort_values("period_end").groupby("period_end", sort=True)
    )
    first_value = next(
        (i for i, p in enumerate(points) if math.isfinite(p.force_value)), len(points)
    )
    points = points[first_value:]  # before the first value there is no history, not a gap
    gaps = tuple(p.period_end for p in points if not math.isfinite(p.force_value))
    return MeasureHistory(force, force_name(force), MeasureInfo.of(m), group, points, gaps, sources)
