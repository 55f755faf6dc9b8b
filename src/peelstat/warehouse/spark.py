"""Spark warehouses: a local session, or a cluster through Spark Connect, over a Parquet lake.

Two locations reach Spark:

* ``pyspark:///path/to/lake``: a Spark session started in this process (``local[2]``);
* ``sc://host:port``: a Spark Connect server, i.e. a real cluster (Databricks, EMR, an
  on-premise Spark). The client sends plans over gRPC; the cluster reads the lake and runs
  the queries; only the measure frame comes back.

The lake is a folder of Parquet tables, one sub-folder per table (``<lake>/police_uk_street/``),
as written by ``peelstat export-lake``. It is named in the URL (``sc://host:15002/;lake=s3a://b/p``,
the ``lake`` parameter is peelstat's and is not sent to the server) or by ``PEELSTAT_LAKE``; it
is read by the cluster, so it can be any URI the cluster can read (``s3a://``, ``abfss://``,
``hdfs://``, ``file://``). Without a lake, the tables are those the session already has (e.g.
tables of the same names in the cluster's default database).
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.backends import BaseBackend

from peelstat.errors import WarehouseNotFoundError
from peelstat.settings import LAKE
from peelstat.warehouse.tables import table_schema, warehouse_schemas

LAKE_PARAMETER = "lake"
MISSING_PATH_ERRORS = ("PATH_NOT_FOUND", "UNABLE_TO_INFER_SCHEMA")
"""Spark's error classes for a table folder that is absent or holds no Parquet file."""


def split_lake(url: str) -> tuple[str, str | None]:
    """``sc://h:p/;token=x;lake=s3a://b/p`` → (``sc://h:p/;token=x``, ``s3a://b/p``).

    >>> split_lake("sc://127.0.0.1:15002/;lake=file:///tmp/lake")
    ('sc://127.0.0.1:15002', 'file:///tmp/lake')
    >>> split_lake("sc://host:443/;token=abc;lake=s3a://bucket/peelstat;use_ssl=true")
    ('sc://host:443/;token=abc;use_ssl=true', 's3a://bucket/peelstat')
    """
    base, _, params = url.partition(";")
    kept, lake = [], None
    for param in filter(None, params.split(";")):
        key, _, value = param.partition("=")
        if key == LAKE_PARAMETER:
            lake = value
        else:
            kept.append(param)
    if not kept:
        base = base.rstrip("/")
    return ";".join([base, *kept]), lake or LAKE.value() or None


def local_session() -> Any:
    """A Spark session in this process (``local[2]``), for a lake on this machine."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("peelstat")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def remote_session(url: str) -> Any:
    """A new Spark Connect session on the server at ``url`` (``sc://host:port/;params``).

    Built with the Connect client's own builder: the generic one marks the whole process as
    Connect-only, after which a local session (``pyspark://``) can no longer start.
    """
    from pyspark.sql.connect.session import SparkSession

    return SparkSession.builder.remote(url).create()


def spark_warehouse(where: str) -> BaseBackend:
    """The Ibis connection for a ``pyspark://`` or ``sc://`` location, with its lake read."""
    if where.startswith("sc://"):
        url, lake = split_lake(where)
        session = remote_session(url)
    else:
        lake = where.removeprefix("pyspark://") or LAKE.value() or None
        session = local_session()
    con = ibis.pyspark.connect(session)
    if lake:
        register_lake(con, lake)
    return con


def register_lake(con: BaseBackend, lake: str) -> list[str]:
    """Expose each ``<lake>/<table>/`` Parquet folder as a temporary view of that name.

    A table folder that is absent is skipped (the table is then created empty); any other
    failure (credentials, a bad URI) is raised. A lake with none of the tables is an error,
    so a mistyped URI is not read as an empty warehouse.
    """
    from pyspark.errors import AnalysisException

    found = []
    for name in warehouse_schemas():
        try:
            con.read_parquet(f"{lake.rstrip('/')}/{name}", table_name=name)  # type: ignore[attr-defined]
        except AnalysisException as error:
            if error.getCondition() not in MISSING_PATH_ERRORS:
                raise
            continue
        found.append(name)
    if not found:
        raise WarehouseNotFoundError(f"{lake} (no peelstat table folder found in that lake)")
    return found


def empty_view(con: Any, name: str) -> None:
    """A temporary view with the table's schema and no rows: a Spark session over a lake must
    not write managed tables into the server's working directory."""
    from ibis.backends.pyspark.datatypes import PySparkSchema

    session = con._session
    frame = session.createDataFrame([], PySparkSchema.from_ibis(table_schema(name)))
    frame.createOrReplaceTempView(name)
