"""Every warehouse table: the ones the sources declare, plus the warehouse's own.

Each source declares the tables it writes beside its own code (see
:mod:`peelstat.sources.contract`); this module adds the load bookkeeping peelstat itself keeps
(``load_log``, ``rejected_rows``). Every table here is created on connect and goes into a
Parquet lake and back.
"""

from __future__ import annotations

from functools import cache

import ibis
import ibis.expr.schema as sch

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
        }
    ),
    "rejected_rows": ibis.schema(
        {"file": "string", "source": "string", "line": "int64", "reason": "string", "raw": "string"}
    ),
}
"""The tables peelstat keeps for itself, whatever sources are installed."""


def raw_tables() -> list[str]:
    """The tables the sources load, in registration order."""
    return list(source_tables())


@cache
def warehouse_schemas() -> dict[str, sch.Schema]:
    """The schema of every warehouse table: the sources' tables first, then peelstat's own."""
    schemas = {name: table.schema for name, table in source_tables().items()}
    return {**schemas, **OWN_SCHEMAS}


def table_schema(name: str) -> sch.Schema:
    """The schema of one warehouse table."""
    return warehouse_schemas()[name]
