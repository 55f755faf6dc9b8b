"""A warm warehouse keeps the measure frames it has computed, so the report table is instant.

Building and compiling the Ibis expression for sixty measures costs a few seconds whatever
the data size; the result for a given catalogue, period range and warehouse state never
changes. The frame is stored in the warehouse table ``measure_cache`` under a key made of:

* every field of every measure involved (so editing a YAML file invalidates it),
* the period range, forces and national flag,
* the warehouse state: row counts of every raw table and the latest ``load_log`` entry, so
  loading, replacing or deleting data invalidates it.

Only DuckDB warehouses use the cache (a Spark session is not a warm single-user warehouse).
``peelstat`` never serves a frame whose key does not match exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.definition import Measure
from peelstat.warehouse.opening import is_read_only
from peelstat.warehouse.tables import RAW_TABLES

CACHE_TABLE = "measure_cache"


def warehouse_state(con: BaseBackend) -> str:
    """Row counts of the raw tables plus the last load: changes whenever the data does."""
    existing = set(con.list_tables())
    parts = []
    for name in [*RAW_TABLES, "load_log", "msg"]:
        if name in existing:
            parts.append(f"{name}={con.table(name).count().execute()}")
    if "load_log" in existing:
        log = con.table("load_log")
        parts.append(f"last={log.loaded_at.max().execute()}|{log.sha256.max().execute()}")
    return ";".join(parts)


def cache_key(con: BaseBackend, measures: Sequence[Measure], scope: tuple) -> str:
    """Digest of the measure definitions, the scope and the warehouse state."""
    from peelstat import __version__

    text = repr((__version__, sorted(repr(m) for m in measures), scope, warehouse_state(con)))
    return hashlib.sha256(text.encode()).hexdigest()


def cached_frame(con: BaseBackend, key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The stored frame for ``key``, else ``compute()`` stored under it."""
    if con.name != "duckdb":
        return compute()
    if CACHE_TABLE in con.list_tables():
        stored = con.sql(f"SELECT * FROM {CACHE_TABLE} WHERE cache_key = '{key}'").to_pandas()  # type: ignore[attr-defined]
        if not stored.empty:
            frame = stored.drop(columns="cache_key")
            frame["period_end"] = pd.to_datetime(frame["period_end"])
            return frame
    frame = compute()
    if is_read_only(con):  # a read-only command computes; it never writes the cache
        return frame
    notes = {"definition_note": "string", "denominator_note": "string"}
    stored = frame.assign(cache_key=key).astype(notes)
    if CACHE_TABLE in con.list_tables():
        con.insert(CACHE_TABLE, stored)  # type: ignore[attr-defined]
    else:
        con.create_table(CACHE_TABLE, stored)
    return frame


def clear_cache(con: BaseBackend) -> None:
    """Forget every stored frame (e.g. after changing reference data in the package)."""
    if CACHE_TABLE in con.list_tables():
        con.drop_table(CACHE_TABLE)
