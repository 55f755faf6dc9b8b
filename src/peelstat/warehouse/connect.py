"""Open the warehouse: a DuckDB file by default, any Ibis backend by URL.

The default path is ``~/.peelstat/warehouse.duckdb``; ``PEELSTAT_WAREHOUSE`` or ``--warehouse``
override it with a path or a URL such as ``duckdb:///tmp/w.duckdb``, ``postgres://user@host/db``,
``pyspark:///path/to/lake`` (a local Spark session over a Parquet lake written by
``peelstat export-lake``) or ``sc://host:15002/;lake=s3a://bucket/peelstat`` (a Spark cluster
through Spark Connect, :mod:`peelstat.warehouse.spark`): how a warehouse outgrows one machine.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.schema as sch
from ibis.backends import BaseBackend

from peelstat.errors import WarehouseNotFoundError
from peelstat.settings import warehouse_location
from peelstat.warehouse.opening import check_folders, is_read_only, open_duckdb
from peelstat.warehouse.spark import empty_view, spark_warehouse
from peelstat.warehouse.tables import OWN_SCHEMAS, table_names, warehouse_schemas


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
    if where.startswith(("pyspark://", "sc://")):
        con = spark_warehouse(where)
    elif "://" in where:
        con = ibis.connect(where)
    else:
        con = open_duckdb(Path(where).expanduser(), read_only=not create and local)
    ensure_tables(con)
    return con


def ensure_tables(con: BaseBackend) -> None:
    """Create any missing peelstat table with its schema (existing tables are left as they are)."""
    existing = table_names(con)
    read_only = is_read_only(con)
    for name, schema in warehouse_schemas().items():
        if name in existing:
            if not read_only and con.name != "pyspark":
                _add_new_columns(con, name, schema)
            continue
        if read_only:
            con.create_table(name, schema=schema, temp=True)
        elif con.name == "pyspark":
            # Temporary views: a Spark session over a Parquet lake must not write managed
            # tables into the working directory.
            empty_view(con, name)
        else:
            con.create_table(name, schema=schema)


def _add_new_columns(con: BaseBackend, name: str, schema: sch.Schema) -> None:
    """Columns a newer peelstat keeps (``load_log.loaded_into``), added blank to an older
    warehouse's own tables so new rows can fill them; old rows keep what they had."""
    if name not in OWN_SCHEMAS:
        return
    have = set(con.table(name).columns)
    for column, dtype in schema.items():
        if column not in have:
            sql_type = con.compiler.type_mapper.to_string(dtype)  # type: ignore[attr-defined]
            con.raw_sql(f'ALTER TABLE {name} ADD COLUMN "{column}" {sql_type}')


def is_duckdb(con: BaseBackend) -> bool:
    """Whether this is the embedded DuckDB backend (transactions, native CSV reading)."""
    return con.name == "duckdb"
