"""Open the warehouse: a DuckDB file by default, any Ibis backend by URL.

The default path is ``~/.peelstat/warehouse.duckdb``; ``PEELSTAT_WAREHOUSE`` or ``--warehouse``
override it with a path or a URL such as ``duckdb:///tmp/w.duckdb``, ``pyspark://`` (a local
Spark session) or ``postgres://user@host/db``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ibis
from ibis.backends import BaseBackend

from peelstat.warehouse.tables import SCHEMAS

DEFAULT_WAREHOUSE = Path.home() / ".peelstat" / "warehouse.duckdb"
ENV_VAR = "PEELSTAT_WAREHOUSE"


def warehouse_location(location: str | Path | None = None) -> str:
    """The warehouse path or URL: the argument, else ``$PEELSTAT_WAREHOUSE``, else the default."""
    chosen = location or os.environ.get(ENV_VAR) or DEFAULT_WAREHOUSE
    return str(chosen)


def connect(location: str | Path | None = None) -> BaseBackend:
    """An Ibis connection to the warehouse, with every peelstat table created if missing."""
    where = warehouse_location(location)
    if where.startswith("pyspark://") or where == "spark":
        con = _spark()
    elif "://" in where:
        con = ibis.connect(where)
    else:
        Path(where).expanduser().parent.mkdir(parents=True, exist_ok=True)
        con = ibis.duckdb.connect(str(Path(where).expanduser()))
    ensure_tables(con)
    return con


def ensure_tables(con: BaseBackend) -> None:
    """Create any missing peelstat table with its schema (existing tables are left as they are)."""
    existing = set(con.list_tables())
    for name, schema in SCHEMAS.items():
        if name not in existing:
            con.create_table(name, schema=schema)


def _spark() -> BaseBackend:
    """A local Spark session (``local[2]``) through Ibis: what CI uses to prove Spark parity."""
    from pyspark.sql import SparkSession

    session: Any = (
        SparkSession.builder.master("local[2]")
        .appName("peelstat")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    return ibis.pyspark.connect(session)


def is_duckdb(con: BaseBackend) -> bool:
    """Whether this is the embedded DuckDB backend (transactions, native CSV reading)."""
    return con.name == "duckdb"
