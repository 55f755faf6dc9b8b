"""Open the warehouse: a DuckDB file by default, any Ibis backend by URL.

The default path is ``~/.peelstat/warehouse.duckdb``; ``PEELSTAT_WAREHOUSE`` or ``--warehouse``
override it with a path or a URL such as ``duckdb:///tmp/w.duckdb``, ``postgres://user@host/db``,
or ``pyspark:///path/to/lake``: a local Spark session over a folder of Parquet tables written by
:func:`export_parquet` (one sub-folder per table), which is how a warehouse outgrows one machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.schema as sch
from ibis.backends import BaseBackend

from peelstat.errors import WarehouseNotFoundError
from peelstat.warehouse.opening import check_folders, is_read_only, open_duckdb
from peelstat.warehouse.tables import SCHEMAS

DEFAULT_WAREHOUSE = Path.home() / ".peelstat" / "warehouse.duckdb"
ENV_VAR = "PEELSTAT_WAREHOUSE"


def warehouse_location(location: str | Path | None = None) -> str:
    """The warehouse path or URL: the argument, else ``$PEELSTAT_WAREHOUSE``, else the default."""
    chosen = location or os.environ.get(ENV_VAR) or DEFAULT_WAREHOUSE
    return str(chosen)


def connect(location: str | Path | None = None, *, create: bool = True) -> BaseBackend:
    """An Ibis connection to the warehouse, with every peelstat table created if missing.

    With ``create=False`` (commands that only read) a DuckDB file that does not exist is an
    error rather than a new empty warehouse, so a mistyped path is not read as "no data", and
    an existing one is opened read-only (a table it lacks is an empty temporary one).
    """
    where = warehouse_location(location)
    local = "://" not in where and where != ":memory:"
    if not create and local and not Path(where).expanduser().exists():
        check_folders(Path(where).expanduser())
        raise WarehouseNotFoundError(where)
    if where.startswith("pyspark://"):
        con = _spark()
        lake = where.removeprefix("pyspark://")
        if lake:
            register_parquet_lake(con, Path(lake))
    elif "://" in where:
        con = ibis.connect(where)
    else:
        con = open_duckdb(Path(where).expanduser(), read_only=not create and local)
    ensure_tables(con)
    return con


def ensure_tables(con: BaseBackend) -> None:
    """Create any missing peelstat table with its schema (existing tables are left as they are)."""
    existing = set(con.list_tables())
    read_only = is_read_only(con)
    for name, schema in SCHEMAS.items():
        if name in existing:
            continue
        if read_only:
            con.create_table(name, schema=schema, temp=True)
        elif con.name == "pyspark":
            # Temporary views: a Spark session over a Parquet lake must not write managed
            # tables into the working directory.
            _spark_empty_view(con, name, schema)
        else:
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


def _spark_empty_view(con: Any, name: str, schema: sch.Schema) -> None:
    from ibis.backends.pyspark.datatypes import PySparkSchema

    session = con._session
    frame = session.createDataFrame([], PySparkSchema.from_ibis(schema))
    frame.createOrReplaceTempView(name)


def register_parquet_lake(con: BaseBackend, lake: Path) -> None:
    """Expose each ``lake/<table>/`` Parquet folder as a table of that name."""
    for name in SCHEMAS:
        folder = lake / name
        if folder.is_dir() and any(folder.glob("*.parquet")):
            con.read_parquet(str(folder), table_name=name)


def export_parquet(con: BaseBackend, lake: Path) -> dict[str, int]:
    """Write every peelstat table to ``lake/<table>/part-0.parquet``; returns rows per table.

    The Parquet lake is the hand-over from the embedded warehouse to Spark (or any engine that
    reads Parquet): ``connect("pyspark://" + str(lake))`` runs the same measures there.
    """
    written = {}
    for name in SCHEMAS:
        folder = lake / name
        folder.mkdir(parents=True, exist_ok=True)
        table = con.table(name)
        table.to_parquet(folder / "part-0.parquet")
        written[name] = int(table.count().to_pyarrow().as_py())
    return written


def is_duckdb(con: BaseBackend) -> bool:
    """Whether this is the embedded DuckDB backend (transactions, native CSV reading)."""
    return con.name == "duckdb"
