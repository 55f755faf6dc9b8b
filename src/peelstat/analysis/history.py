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
from typing import Any

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
from peelstat.stats.trend import window_trend


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


def _trend(now: Any, before: Any, m: Measure) -> str:
    """Year-on-year trend label at a window, from the force's rows then and a year before."""
    if not m.numerator_is_a_count or now is None or before is None:
        return "Not assessed"
    if math.isnan(now.numerator) or math.isnan(before.numerator):
        return "Not assessed"
    try:
        return window_trend(
            now.numerator, now.denominator, before.numerator, before.denominator,
            proportion=m.is_proportion,
        ).label  # fmt: skip
    except ValueError:
        return "Not assessed"


def _point(
    end: pd.Timestamp, values: dict[str, float], denominators: dict[str, float],
    mine: dict[pd.Timestamp, Any], force: str, group: ComparisonGroup, m: Measure,
) -> HistoryPoint:  # fmt: skip
    """The window ending at ``end``: ``values`` and ``denominators`` of every force there
    (NaN where a force has none), ``mine`` the force's own rows by period."""
    national = values.pop(NATIONAL, math.nan)
    denominators.pop(NATIONAL, None)
    row = mine.get(end)
    value = values.get(force, math.nan)
    average = group_average(force, values, denominators, group.peers)
    notes = (
        [n for n in (row.definition_note, row.denominator_note) if isinstance(n, str)]
        if row
        else []
    )
    return HistoryPoint(
        end.date(),
        value,
        average.mean_of_force_rates,
        average.n,
        national,
        rank_of(force, values, [force, *group.peers], m.lower_is_better).label,
        position_against(value, average.mean_of_force_rates) if row else "not compared",
        rank_of(force, values, [force, *values], m.lower_is_better).label,
        _trend(row, mine.get(pd.Timestamp(year_before(end.date()))), m),
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
    values = frame.pivot(index="period_end", columns="force", values="value")
    denominators = frame.pivot(index="period_end", columns="force", values="denominator")
    forces = [str(f) for f in values.columns]
    rows = frame[frame["force"] == force].itertuples(index=False)
    mine: dict[pd.Timestamp, Any] = {pd.Timestamp(r.period_end): r for r in rows}  # type: ignore[arg-type]
    points = tuple(
        _point(
            pd.Timestamp(end_),
            dict(zip(forces, v, strict=True)),
            dict(zip(forces, d, strict=True)),
            mine,
            force,
            group,
            m,
        )
        for end_, v, d in zip(
            values.index, values.to_numpy(float), denominators.to_numpy(float), strict=True
        )
    )
    first_value = next(
        (i for i, p in enumerate(points) if math.isfinite(p.force_value)), len(points)
    )
    points = points[first_value:]  # before the first value there is no history, not a gap
    gaps = tuple(p.period_end for p in points if not math.isfinite(p.force_value))
    return MeasureHistory(force, force_name(force), MeasureInfo.of(m), group, points, gaps, sources)
