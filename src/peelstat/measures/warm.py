"""Store every measure's frames at the end of a load, so that the first report table after it
(even from a read-only command, which never stores) reads them instead of computing.

A load of fifteen years takes over an hour; computing the sixty measures for every force
and month at its end takes seconds, and the stored frames are kept current from then on a
month at a time (:mod:`peelstat.measures.cache`).
"""

from __future__ import annotations

import datetime as dt

from ibis.backends import BaseBackend

from peelstat.catalogue.measure import Catalogue
from peelstat.errors import NoCompletePeriodError
from peelstat.measures.cache_state import period_columns
from peelstat.measures.compile import compute_measures
from peelstat.periods import month_end, period_ends
from peelstat.warehouse.opening import is_read_only
from peelstat.warehouse.tables import table_names


def data_months(con: BaseBackend) -> tuple[dt.date, dt.date] | None:
    """The first and last month end any table with a time column holds; None when empty."""
    existing = table_names(con)
    bounds = []
    for table, column in sorted(period_columns().items()):
        if table in existing:
            sql = f"SELECT min({column})::DATE, max({column})::DATE FROM {table}"
            low, high = con.raw_sql(sql).fetchone()  # type: ignore[attr-defined]
            if low is not None:
                bounds.append((low, high))
    if not bounds:
        return None
    first, last = min(b[0] for b in bounds), max(b[1] for b in bounds)
    return month_end(first.year, first.month), month_end(last.year, last.month)


def store_frames(con: BaseBackend, catalogue: Catalogue) -> int:
    """Compute and store every measure × force × month of the data (DuckDB, writable);
    the number of month ends stored. The key is the report table's: all the catalogue's
    measures, every force, the England and Wales row."""
    if con.name != "duckdb" or is_read_only(con):
        return 0
    span = data_months(con)
    if span is None:
        return 0
    try:
        compute_measures(
            con, list(catalogue.ids()), start=span[0], end=span[1], catalogue=catalogue
        )
    except NoCompletePeriodError:
        return 0
    return len(period_ends(span[0], span[1], "month"))
