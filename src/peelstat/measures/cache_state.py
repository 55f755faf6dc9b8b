"""What a stored measure frame was computed from, so a load invalidates only what it touched.

Two levels, cheapest first:

* the **fingerprint**: row counts of every table and the latest ``load_log`` entry; while it
  is unchanged, nothing was loaded, replaced or deleted and every stored frame is current;
* the **stamps**: for each table with a time column, one digest per period (month, or quarter
  end) of the load units in it (``source_file``), their row counts and checksums; for the
  tables without one (population, offence weights) one digest of the whole table. When the
  fingerprint moves, comparing stamps says which periods changed, and so which windows: a
  period changes the windows that end in it and in the months after it, up to the window length.
  The counts come from the table's monthly summary (:mod:`peelstat.warehouse.summaries`) for
  every month whose total it shares with the table, so a load does not rescan the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ibis.backends import BaseBackend

from peelstat.catalogue.source_specs import measure_sources
from peelstat.periods import add_months, month_end
from peelstat.warehouse.summary_checks import unit_counts_sql
from peelstat.warehouse.tables import duckdb_table_names, raw_tables, table_names

WHOLE_TABLE = dt.date(1, 1, 1)
"""The period under which a table without a time column is stamped as a whole."""

Stamps = dict[tuple[str, dt.date], str]


def period_columns() -> dict[str, str]:
    """Raw table → its time column (tables without one are stamped whole)."""
    return {spec.table: spec.date_column for spec in measure_sources().values()}


def fingerprint(con: BaseBackend) -> str:
    """Row counts of the tables plus the last load: changes whenever the data does.

    One query (DuckDB keeps row counts, so it reads no rows): a warm report table asks it
    before reading anything stored."""
    existing = table_names(con)
    names = [name for name in [*raw_tables(), "load_log", "msg"] if name in existing]
    parts = [f"'{name}=' || (SELECT count(*) FROM {name})" for name in names]
    if "load_log" in existing:
        parts.append("'last=' || coalesce((SELECT max(loaded_at) FROM load_log)::VARCHAR, 'None')"
                     " || '|' || coalesce((SELECT max(sha256) FROM load_log), 'None')")  # fmt: skip
    if not parts:
        return ""
    found = con.raw_sql(f"SELECT concat_ws(';', {', '.join(parts)})").fetchone()  # type: ignore[attr-defined]
    return str(found[0])


def period_stamps(con: BaseBackend, first: dt.date, last: dt.date) -> Stamps:
    """One digest per (table, period) for the periods between ``first`` and ``last``."""
    return _read_stamps(con.con, first, last)  # type: ignore[attr-defined]


def stamps_meanwhile(con: BaseBackend, first: dt.date, last: dt.date) -> Callable[[], Stamps]:
    """:func:`period_stamps` read on another thread, on a cursor of its own, while the caller
    computes; call the result for the stamps. The stamps read the span (a tenth of a second
    or more on a national warehouse) in DuckDB, which holds no Python lock, while
    the caller's Python prepares its own query and leaves the cores idle."""
    cursor = con.con.cursor()  # type: ignore[attr-defined]
    cursor.execute("SET TimeZone = 'UTC'")  # as Ibis sets its own connection: same casts
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peelstat-stamps")
    future = pool.submit(_read_stamps, cursor, first, last)
    pool.shutdown(wait=False)

    def result() -> Stamps:
        try:
            return future.result()
        finally:
            cursor.close()

    return result


def stamp_queries(raw: Any, first: dt.date, last: dt.date) -> list[tuple[str, str]]:
    """(table, SQL) for each table's stamps between ``first`` and ``last``; ``raw`` is a
    DuckDB connection or cursor (which summaries are in step is asked of it)."""
    existing = duckdb_table_names(raw)
    columns = period_columns()
    log = "(SELECT file, max(sha256) AS sha256 FROM load_log GROUP BY file)"
    if "load_log" not in existing:  # tables written directly, not loaded (tests, benchmarks)
        log = "(SELECT NULL::VARCHAR AS file, NULL::VARCHAR AS sha256)"
    queries = []
    for name in raw_tables():
        if name not in existing:
            continue
        queries.append((name, f"""
            WITH units AS ({_unit_counts(raw, existing, name, columns.get(name), first, last)})
            SELECT period, md5(string_agg(
                       units.source_file || ':' || n || ':' || coalesce(log.sha256, '?'), ','
                       ORDER BY units.source_file)) AS stamp
            FROM units LEFT JOIN {log} AS log ON units.source_file = log.file
            GROUP BY period"""))  # fmt: skip
    return queries


def _unit_counts(
    raw: Any, existing: set[str], name: str, column: str | None, first: dt.date, last: dt.date
) -> str:
    """Rows per (period, source_file): from the table's monthly summary when it is in step,
    else from the rows."""
    if column and (summarised := unit_counts_sql(raw, name, first, last, existing)):
        return summarised
    where = f"WHERE {column} BETWEEN DATE '{first}' AND DATE '{last}'" if column else ""
    period = f"{column}::DATE" if column else f"DATE '{WHOLE_TABLE}'"
    return f"SELECT {period} AS period, source_file, count(*) AS n FROM {name} {where} GROUP BY ALL"


def _read_stamps(raw: Any, first: dt.date, last: dt.date) -> Stamps:
    """Run the stamp queries on a DuckDB connection or cursor."""
    stamps: Stamps = {}
    for name, sql in stamp_queries(raw, first, last):
        for period, stamp in raw.execute(sql).fetchall():
            stamps[(name, period)] = stamp
    return stamps


def changed_periods(before: Stamps, now: Stamps) -> set[tuple[str, dt.date]]:
    """The (table, period) pairs added, removed or changed."""
    return {k for k in before.keys() | now.keys() if before.get(k) != now.get(k)}


def affected_months(
    changed: Iterable[tuple[str, dt.date]], window_months: int
) -> set[dt.date] | None:
    """Month ends of the windows that contain a changed period; None: every window (a table
    without a time column changed, e.g. the population).

    >>> sorted(affected_months({("police_uk_street", dt.date(2020, 3, 1))}, 3))
    [datetime.date(2020, 3, 31), datetime.date(2020, 4, 30), datetime.date(2020, 5, 31)]
    """
    months: set[dt.date] = set()
    for _, period in changed:
        if period == WHOLE_TABLE:
            return None
        first = month_end(period.year, period.month)
        months.update(add_months(first, i) for i in range(window_months))
    return months


def stamp_range(months: Iterable[dt.date], window_months: int) -> tuple[dt.date, dt.date]:
    """The source periods the windows ending in ``months`` read: from the first day of the
    earliest window to the last month end."""
    ordered = sorted(months)
    return add_months(ordered[0], 1 - window_months).replace(day=1), ordered[-1]
