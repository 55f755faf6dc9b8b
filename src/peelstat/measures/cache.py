"""A warm warehouse keeps the measure frames it has computed, month by month, and keeps them
current incrementally: loading a month recomputes only the windows that contain it.

Building and compiling the Ibis expression for sixty measures costs a few seconds whatever
the data size, and a national history costs more. The rows are stored in the warehouse table
``measure_cache`` under a key made of every field of every measure involved (editing a YAML
file gives a new key), the forces and the national flag, and the package version; beside
them, in ``measure_cache_state``, which month ends are stored and what they were computed
from (:mod:`peelstat.measures.cache_state`). A request is a set of month ends:

* months stored and still current are read back;
* when the data changed since (a load, a replacement, a deletion), the periods that changed
  are found, and the stored windows containing them are dropped: a new or corrected month
  invalidates the windows ending in it and in the eleven months after it, nothing else;
* months not stored (or dropped) are computed, in one query, and stored.

So a frame is served only for windows whose every source period is unchanged since it was
computed: the incremental result is the one a full recomputation gives (tested). Only DuckDB
warehouses store frames; a read-only connection computes what is missing without writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.measure import Measure
from peelstat.errors import BadInputError, NoCompletePeriodError
from peelstat.measures.cache_state import (
    Stamps,
    affected_months,
    changed_periods,
    fingerprint,
    period_stamps,
    stamp_range,
    stamps_meanwhile,
)
from peelstat.warehouse.opening import is_read_only
from peelstat.warehouse.summaries import refresh_summaries, summaries
from peelstat.warehouse.tables import CACHE_SCHEMAS, table_names

CACHE_TABLE = "measure_cache"
STATE_TABLE = "measure_cache_state"
ROWS_SCHEMA = CACHE_SCHEMAS[CACHE_TABLE]
STATE_SCHEMA = CACHE_SCHEMAS[STATE_TABLE]
Compute = Callable[[list[dt.date]], pd.DataFrame]


@dataclass
class Entry:
    """What is stored for one key: the month ends, and the data state they were computed from."""

    fingerprint: str | None = None
    months: set[dt.date] = field(default_factory=set)
    stamps: Stamps = field(default_factory=dict)


def cache_key(measures: Sequence[Measure], scope: tuple) -> str:
    """Digest of the measure definitions, the forces and national flag, and the version."""
    from peelstat import __version__

    text = repr((__version__, sorted(repr(m) for m in measures), scope))
    return hashlib.sha256(text.encode()).hexdigest()


def cached_frame(
    con: BaseBackend, key: str, months: Sequence[dt.date], window_months: int, compute: Compute
) -> pd.DataFrame:
    """The frame for ``months`` (month ends): stored rows still current, the rest computed
    by ``compute(months)`` and stored."""
    if con.name != "duckdb":
        return compute(sorted(set(months)))
    wanted = set(months)
    entry = read_entry(con, key)
    current = fingerprint(con)
    stale: set[dt.date] = set()
    checked: tuple[tuple[dt.date, dt.date], Stamps] | None = None
    if entry.months and entry.fingerprint != current:
        span = stamp_range(entry.months, window_months)
        now = period_stamps(con, *span)
        checked = (span, now)
        hit = affected_months(changed_periods(entry.stamps, now), window_months)
        stale = set(entry.months) if hit is None else hit & entry.months
        entry = Entry(current, entry.months - stale, now)
    missing = sorted(wanted - entry.months)
    covered = entry.months | set(missing)
    storing = bool(missing or stale) and not is_read_only(con)
    stored = stored_rows(con, key, wanted & entry.months)
    stamps = _stamps_of(con, stamp_range(covered, window_months), checked) if storing else None
    try:
        fresh = _compute(compute, missing, partial=bool(wanted & entry.months))
    except BaseException:
        if stamps is not None:
            with contextlib.suppress(Exception):  # the compute's error is the one to raise
                stamps()  # let the other thread finish and its cursor close
        raise
    if stamps is not None:
        _store(con, key, stale | set(missing), fresh, Entry(current, covered, stamps()))
    return pd.concat([f for f in (stored, fresh) if not f.empty] or [stored], ignore_index=True)


def _stamps_of(
    con: BaseBackend,
    span: tuple[dt.date, dt.date],
    checked: tuple[tuple[dt.date, dt.date], Stamps] | None,
) -> Callable[[], Stamps]:
    """The stamps of ``span``: those just read if they cover it (a correction, no month
    added), else read on another thread while the missing months are computed."""
    if checked and checked[0] == span:
        return lambda: checked[1]
    return stamps_meanwhile(con, *span)


def _compute(compute: Compute, months: list[dt.date], partial: bool) -> pd.DataFrame:
    """``compute(months)``; months without any complete period are empty when other months of
    the request were stored (the request as a whole had some)."""
    if not months:
        return pd.DataFrame(columns=[c for c in ROWS_SCHEMA.names if c != "cache_key"])
    try:
        return compute(months)
    except NoCompletePeriodError:
        if not partial:
            raise
        return _compute(compute, [], partial)


def read_entry(con: BaseBackend, key: str) -> Entry:
    if STATE_TABLE not in table_names(con):
        return Entry()
    rows = con.con.execute(  # type: ignore[attr-defined]
        f"SELECT item, period, value FROM {STATE_TABLE} WHERE cache_key = ?", [key]
    ).fetchall()
    entry = Entry()
    for item, period, value in rows:
        if item == "fingerprint":
            entry.fingerprint = value
        elif item == "month":
            entry.months.add(period)
        else:
            entry.stamps[(item, period)] = value
    return entry


def stored_rows(con: BaseBackend, key: str, months: set[dt.date]) -> pd.DataFrame:
    if not months or CACHE_TABLE not in table_names(con):
        return pd.DataFrame(columns=[c for c in ROWS_SCHEMA.names if c != "cache_key"])
    # straight from DuckDB through Arrow: a 15-year frame is ~450k rows, and Ibis's
    # conversion to pandas column by column took twice as long
    found = con.con.execute(  # type: ignore[attr-defined]
        f"SELECT * EXCLUDE (cache_key) FROM {CACHE_TABLE} "
        f"WHERE cache_key = ? AND period_end::DATE IN ({_dates_sql(months)})",
        [key],
    )
    return found.to_arrow_table().to_pandas()


def _dates_sql(months: set[dt.date]) -> str:
    """Month ends as an SQL list of date literals (NULL for none: ``IN (NULL)`` matches none)."""
    return ", ".join(f"DATE '{m}'" for m in sorted(months)) or "NULL"


def _store(
    con: BaseBackend, key: str, replaced: set[dt.date], fresh: pd.DataFrame, entry: Entry
) -> None:
    """Replace the rows of ``replaced`` months by ``fresh`` and the key's state, atomically."""
    for name, schema in ((CACHE_TABLE, ROWS_SCHEMA), (STATE_TABLE, STATE_SCHEMA)):
        if name not in table_names(con):
            con.create_table(name, schema=schema)
    state: list[tuple[str, str, dt.date | None, str | None]] = [
        (key, "fingerprint", None, entry.fingerprint)
    ]
    state += [(key, "month", m, "") for m in sorted(entry.months)]
    state += [(key, table, period, stamp) for (table, period), stamp in entry.stamps.items()]
    raw = con.con  # type: ignore[attr-defined]
    rows = fresh.assign(cache_key=key).astype(
        {"definition_note": "string", "denominator_note": "string"}
    )
    raw.register("peelstat_fresh_rows", rows)
    raw.register("peelstat_fresh_state", pd.DataFrame(state, columns=STATE_SCHEMA.names))
    raw.execute("BEGIN TRANSACTION")
    try:
        raw.execute(
            f"DELETE FROM {CACHE_TABLE} WHERE cache_key = ? "
            f"AND period_end::DATE IN ({_dates_sql(replaced)})",
            [key],
        )
        raw.execute(f"INSERT INTO {CACHE_TABLE} BY NAME SELECT * FROM peelstat_fresh_rows")
        raw.execute(f"DELETE FROM {STATE_TABLE} WHERE cache_key = ?", [key])
        raw.execute(f"INSERT INTO {STATE_TABLE} BY NAME SELECT * FROM peelstat_fresh_state")
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    finally:
        raw.unregister("peelstat_fresh_rows")
        raw.unregister("peelstat_fresh_state")


def recount(con: BaseBackend) -> list[str]:
    """Rebuild the monthly summaries from the rows and forget every stored frame: for rows
    changed in SQL without peelstat (an UPDATE keeps every month's row count, so neither is
    seen to be out of date). Returns the summaries rebuilt."""
    if con.name != "duckdb":
        raise BadInputError(
            "recount works on a DuckDB warehouse: a Spark lake keeps no summaries. "
            "Recount the DuckDB warehouse the lake came from, then export the lake again."
        )
    refresh_summaries(con.con, rebuild=True)  # type: ignore[attr-defined]
    clear_cache(con)
    existing = table_names(con)
    return [s.name for s in summaries().values() if s.name in existing]


def clear_cache(con: BaseBackend) -> None:
    """Forget every stored frame (e.g. after changing reference data in the package)."""
    for name in (CACHE_TABLE, STATE_TABLE):
        if name in table_names(con):
            con.drop_table(name)
