"""Whether a monthly summary may be read in place of its table's rows, month by month.

A summary is read only when it has the declared columns, holds every unit ``load_log`` lists
for the table with the same checksum, and every month of the range has the table's row total;
its distinct counts also need one load unit per force and month. Otherwise the rows are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import duckdb

from peelstat.warehouse.summaries import (
    Summary,
    differing_months,
    distinct_count,
    stored_columns,
    summaries,
    units_behind,
)
from peelstat.warehouse.tables import duckdb_table_names


def _trusted(raw: Any, s: Summary, names: set[str]) -> bool:
    """Whether the summary exists with the columns this peelstat declares and holds every
    loaded unit as ``load_log`` has it; the month totals are checked apart."""
    if s.name not in names or stored_columns(raw, s.name) != s.stored:
        return False
    return "load_log" not in names or raw.execute(f"{units_behind(s)} LIMIT 1").fetchone() is None


def unit_counts_sql(
    raw: Any, table: str, first: dt.date, last: dt.date, names: set[str] | None = None
) -> str | None:
    """SQL for the rows of each (month, load unit) of ``table`` from ``first`` to ``last``
    (columns ``period``, ``source_file``, ``n``), read from the summary for the months whose
    totals agree and from the rows for the others; None when the summary cannot be trusted.
    ``names``: the warehouse's tables, when the caller has them.

    The stored frames' stamps need these counts: from the rows they are a scan of the whole
    history at every load; from the summary, a scan of the month column only."""
    s = summaries().get(table)
    try:
        if s is None or not _trusted(raw, s, duckdb_table_names(raw) if names is None else names):
            return None
    except duckdb.Error:
        return None
    span = f"{s.month} BETWEEN DATE '{first}' AND DATE '{last}'"
    return (
        f"WITH differing AS ({differing_months(s, first, last)}) "
        f"SELECT {s.month} AS period, source_file, sum(rows__)::BIGINT AS n FROM {s.name} "
        f"WHERE {span} AND {s.month} NOT IN (SELECT month FROM differing) GROUP BY ALL "
        f"UNION ALL SELECT {s.month}, source_file, count(*) FROM {s.table} "
        f"WHERE {span} AND {s.month} IN (SELECT month FROM differing) GROUP BY ALL"
    )


def _shared(s: Summary, first: dt.date, last: dt.date) -> str:
    """The months in which some force has rows from more than one load unit, or dated other
    than the month's first day: there the groups' distinct counts cannot be added up (a value
    may be in both)."""
    month = f"date_trunc('month', {s.month})::DATE"
    return (
        f"SELECT DISTINCT month FROM (SELECT {month} AS month FROM {s.name} "
        f"WHERE {s.month} BETWEEN DATE '{first}' AND DATE '{last}' GROUP BY {month}, force "
        f"HAVING count(DISTINCT source_file) > 1 OR count(DISTINCT {s.month}) > 1)"
    )


@dataclass(frozen=True)
class Refused:
    """The months a summary must not be read for: totals differing from the table's, and
    (for its distinct counts only) months where a force's rows span several units."""

    differing: frozenset[dt.date]
    shared: frozenset[dt.date] = frozenset()

    def months(self, columns: set[str], s: Summary) -> frozenset[dt.date]:
        """The refused months for a read of ``columns``."""
        distinct = {distinct_count(c) for c in s.distinct}
        return self.differing | self.shared if columns & distinct else self.differing


def _refused(cursor: Any, s: Summary, first: dt.date, last: dt.date) -> Refused:
    """The months of ``first`` to ``last`` the summary must not be read for (two queries)."""
    differing = frozenset(
        row[0] for row in cursor.execute(differing_months(s, first, last)).fetchall()
    )
    if not s.distinct:
        return Refused(differing)
    shared = frozenset(row[0] for row in cursor.execute(_shared(s, first, last)).fetchall())
    return Refused(differing, shared)


class InStep:
    """Which summaries agree with their tables, month by month, for the range each table is
    read over. Checked on another thread, on a cursor of its own, from the moment the ranges
    are known: the first read of a warehouse's month columns takes a tenth of a second a
    table, while the caller's Python builds its calendars."""

    def __init__(self, raw: Any, ranges: Mapping[str, tuple[dt.date, dt.date]]) -> None:
        self.raw = raw
        self.ranges = {t: r for t, r in ranges.items() if t in summaries()}
        self._known: Future[dict[str, Refused | None]] | None = None
        if self.ranges:
            cursor = raw.cursor()
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peelstat-summaries")
            self._known = pool.submit(self._check, cursor)
            pool.shutdown(wait=False)

    def _check(self, cursor: Any) -> dict[str, Refused | None]:
        """The refused months of each table's summary in its range; None: no summary."""
        found: dict[str, Refused | None] = {}
        try:
            names = duckdb_table_names(cursor)
            for table, (first, last) in self.ranges.items():
                s = summaries()[table]
                found[table] = (
                    _refused(cursor, s, first, last) if _trusted(cursor, s, names) else None
                )
        except duckdb.Error:  # a summary that cannot be checked is not read: the rows are
            return {}
        finally:
            cursor.close()
        return found

    def summary(self, table: str, columns: set[str], first: dt.date, last: dt.date) -> str | None:
        """The summary of ``table`` when it holds ``columns`` and every month from ``first``
        to ``last`` has the table's total (and, for distinct counts, one unit per force);
        else None (read the rows)."""
        s = summaries().get(table)
        if s is None or not columns <= set(s.columns):
            return None
        known = self._known.result() if self._known is not None else {}
        checked = self.ranges.get(table)
        if checked is None or first < checked[0] or last > checked[1]:
            return usable_summary(self.raw, table, columns, first, last)  # not foreseen
        refused = known.get(table)
        if refused is None:
            return None
        return None if any(first <= m <= last for m in refused.months(columns, s)) else s.name


def usable_summary(
    raw: Any, table: str, columns: set[str], first: dt.date, last: dt.date
) -> str | None:
    """The summary of ``table`` when it holds ``columns`` and every month from ``first`` to
    ``last`` has the table's total (and, for distinct counts, one unit per force); else None
    (read the rows)."""
    s = summaries().get(table)
    if s is None or not columns <= set(s.columns):
        return None
    try:
        if not _trusted(raw, s, duckdb_table_names(raw)):
            return None
        refused = _refused(raw, s, first, last)
    except duckdb.Error:
        return None
    return None if refused.months(columns, s) else s.name
