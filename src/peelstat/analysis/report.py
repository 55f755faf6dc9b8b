"""The performance-report table: one row per measure for one force and 12-month window.

Each row is the 12-month value, the change against the same window a year earlier, the trend
label, the rank in the Most Similar Group ("6th/8", 1st = best by the measure's polarity) and
the position against the MSG average, both MSG averages, the England and Wales value and
rank, and the HMICFRS outlier flag across all forces (:mod:`~peelstat.analysis.report_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.groups import ComparisonGroup, comparison_group
from peelstat.analysis.plain import field_names, frame_of, plain
from peelstat.analysis.provenance import DataSources, data_sources
from peelstat.analysis.report_rows import ReportRow, measure_row
from peelstat.catalogue.measure import Catalogue
from peelstat.measures.compile import compute_measures
from peelstat.periods import last_quarter_end, parse_period, year_before
from peelstat.reference import force_name, resolve_force
from peelstat.stats.outliers import import_in_background

REPORT_COLUMNS = field_names(ReportRow)


@dataclass(frozen=True)
class ReportTable:
    """The report table of one force at one period, with its group, notes and sources."""

    force: str
    force_name: str
    period_end: dt.date
    msg: ComparisonGroup
    rows: tuple[ReportRow, ...]
    notes: tuple[str, ...]
    sources: DataSources

    def to_frame(self) -> pd.DataFrame:
        return frame_of(self.rows, REPORT_COLUMNS)

    def to_dict(self) -> dict:
        return plain(self)

    def row(self, measure: str) -> ReportRow:
        """The row of one measure (KeyError if the table does not hold it)."""
        for r in self.rows:
            if r.measure == measure:
                return r
        raise KeyError(measure)


def _table_notes(group: ComparisonGroup, rows: Sequence[ReportRow]) -> tuple[str, ...]:
    """What a reader must know about the whole table: an unofficial group, absent members."""
    notes = []
    if not group.official:
        notes.append(
            "The comparison group is derived by peelstat from published force characteristics "
            "(not an official HMICFRS Most Similar Group); set your own with the command peelstat msg set."
        )
    absent = sorted({f for r in rows for f in r.msg_missing})
    if absent:
        names = ", ".join(force_name(f) for f in absent)
        notes.append(f"Some MSG ranks are out of fewer forces: no value for {names} where shown.")
    return tuple(notes)


def report_table(
    con: BaseBackend,
    catalogue: Catalogue,
    force: str,
    period: str | dt.date,
    measures: Sequence[str] | None = None,
) -> ReportTable:
    """The performance-report table for ``force`` for the 12 months to ``period``.

    Measures default to the whole catalogue. Quarterly tables are read at the last quarter
    end on or before the period; each row says which window it shows (``period_end``).
    """
    force = resolve_force(force)
    end = parse_period(period)
    ids = list(measures or catalogue.ids())
    for i in ids:
        catalogue[i]  # an unknown id is an error naming the nearest ones, before any query
    import_in_background()  # for the MSG and national outlier bands, while the query runs
    quarter_end = last_quarter_end(end)
    wanted = [end, year_before(end), quarter_end, year_before(quarter_end)]
    frame = compute_measures(
        con, ids, start=min(wanted), end=end, catalogue=catalogue, only_periods=wanted
    )
    group = comparison_group(con, force)
    by_measure = {str(k): v for k, v in frame.groupby("measure", sort=False)}
    empty = frame.iloc[0:0]
    rows = tuple(
        measure_row(by_measure.get(i, empty), catalogue[i], force, group, end) for i in ids
    )
    tables = {catalogue[i].source for i in ids}
    return ReportTable(
        force, force_name(force), end, group, rows, _table_notes(group, rows),
        data_sources(con, tables),
    )  # fmt: skip
