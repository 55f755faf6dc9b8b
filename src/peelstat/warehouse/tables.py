"""Every warehouse table: the ones the sources declare, plus the warehouse's own.

Each source declares the tables it writes beside its own code (see
:mod:`peelstat.sources.contract`); this module adds the tables peelstat itself keeps: the load
bookkeeping (``load_log``, ``rejected_rows``), the user's Most Similar Groups (``msg``), what
the warehouse declares about itself (``warehouse_notes``: a SYNTHETIC warehouse says so) and
the stored measure frames (``measure_cache``, ``measure_cache_state``). Every table of
:func:`warehouse_schemas` is created on connect and goes into a Parquet lake and back, so a
group a user set is not lost on the way to Spark.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import ibis
import ibis.expr.schema as sch
from ibis.backends import BaseBackend

from peelstat.sources import source_tables

OWN_SCHEMAS: dict[str, sch.Schema] = {
    "load_log": ibis.schema(
        {
            "file": "string",
            "source": "string",
            "path": "string",
            "sha256": "string",
            "rows_loaded": "int64",
            "rows_rejected": "int64",
            "loaded_at": "timestamp",
            # the table the file's rows went into (blank in warehouses made before 0.x)
            "loaded_into": "string",
        }
    ),
    "rejected_rows": ibis.schema(
        {"file": "string", "source": "string", "line": "int64", "reason": "string", "raw": "string"}
    ),
    # One row per force and peer (the force itself not listed): ``peelstat msg set``.
    "msg": ibis.schema({"force": "string", "peer": "string", "source": "string"}),
    # What the warehouse declares about itself: "synthetic" (peelstat.warehouse.notes).
    "warehouse_notes": ibis.schema({"note": "string", "text": "string", "noted_at": "timestamp"}),
}
"""The tables peelstat keeps for itself, whatever sources are installed."""

CACHE_SCHEMAS: dict[str, sch.Schema] = {
    # The measure frame's rows (see peelstat.measures.compile.FRAME_COLUMNS) under their key.
    "measure_cache": ibis.schema(
        {
            "measure": "string",
            "force": "string",
            "period_end": "timestamp",
            "numerator": "float64",
            "denominator": "float64",
            "value": "float64",
            "lower": "float64",
            "upper": "float64",
            "periods_covered": "int64",
            "definition_note": "string",
            "denominator_note": "string",
            "cache_key": "string",
        }
    ),
    # Which month ends each key holds and what they were computed from.
    "measure_cache_state": ibis.schema(
        {"cache_key": "string", "item": "string", "period": "date", "value": "string"}
    ),
}
"""The stored measure frames (:mod:`peelstat.measures.cache`). Created when first written,
not on connect (a read-only command never creates them), and left out of the Parquet lake:
they are rebuilt from the tables they were computed from, and only DuckDB warehouses keep them."""


def raw_tables() -> list[str]:
    """The tables the sources load, in registration order."""
    return list(source_tables())


@cache
def warehouse_schemas() -> dict[str, sch.Schema]:
    """The schema of every warehouse table: the sources' tables first, then peelstat's own."""
    schemas = {name: table.schema for name, table in source_tables().items()}
    return {**schemas, **OWN_SCHEMAS}


def table_schema(name: str) -> sch.Schema:
    """The schema of one warehouse table, the measure cache's included."""
    return CACHE_SCHEMAS[name] if name in CACHE_SCHEMAS else warehouse_schemas()[name]


_NAMES = """
    SELECT table_name FROM duckdb_tables()
    WHERE (database_name = current_database() OR temporary) AND schema_name = current_schema()
    UNION
    SELECT view_name FROM duckdb_views()
    WHERE (database_name = current_database() OR temporary) AND schema_name = current_schema()
      AND NOT internal"""


def table_names(con: BaseBackend) -> set[str]:
    """The tables and views of the warehouse, as Ibis's ``list_tables`` gives them; on DuckDB
    in one catalogue query (``list_tables`` takes three, and a report asks a dozen times)."""
    if con.name == "duckdb":
        return duckdb_table_names(con.con)  # type: ignore[attr-defined]
    return set(con.list_tables())


def duckdb_table_names(raw: Any) -> set[str]:
    """:func:`table_names` on a DuckDB connection or cursor."""
    return {row[0] for row in raw.execute(_NAMES).fetchall()}
