"""The measure suite's engines: DuckDB always; Spark when marked ``spark``, both a local session
and a Spark Connect server (``$PEELSTAT_TEST_SPARK_CONNECT_URL``, started by
``.ci/spark-connect.sh``) reading a Parquet lake exported from the DuckDB warehouse.

All get the same small synthetic warehouse (all 43 forces, 30 months) so their measure
frames can be compared row for row. Each Spark session starts once per test session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import ibis
import pandas as pd
import pytest
from ibis.backends import BaseBackend

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

FIRST_MONTH = "2016-07"
MONTHS = 30


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    """Raw tables for every source, with one force-month deliberately missing."""
    data = warehouse_tables(first_month=FIRST_MONTH, months=MONTHS, street_per_1000=0.05)
    street = data["police_uk_street"]
    gap = (street["force"] == "dorset") & (street["month"] == pd.Timestamp("2018-03-01"))
    data["police_uk_street"] = street[~gap].reset_index(drop=True)
    return data


def _spark_session(tmp: Path):  # type: ignore[no-untyped-def]
    """A local Spark session; its JVM launch is tried twice. Once in CI (session 12, a full
    run under load) the JVM exited before it gave its port (JAVA_GATEWAY_EXITED) in a worker
    where Spark Connect tests had run; the same tests run again passed."""
    pytest.importorskip("pyspark.sql")
    from pyspark.errors import PySparkRuntimeError

    try:
        return _local_session(tmp)
    except PySparkRuntimeError as error:
        if error.getCondition() != "JAVA_GATEWAY_EXITED":
            raise
        return _local_session(tmp)


def _local_session(tmp: Path):  # type: ignore[no-untyped-def]
    from pyspark import sql as pyspark_sql

    return (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("peelstat-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(tmp / "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={tmp}")
        .getOrCreate()
    )


@pytest.fixture(scope="session")
def duckdb_backend(tables: dict[str, pd.DataFrame]) -> BaseBackend:
    con = ibis.duckdb.connect()
    load_tables(con, tables)
    return con


@pytest.fixture(scope="session")
def spark_backend(
    tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BaseBackend]:
    session = _spark_session(tmp_path_factory.mktemp("spark"))
    con = ibis.pyspark.connect(session)
    load_tables(con, tables)
    yield con


@pytest.fixture(scope="session")
def lake(tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test warehouse as a DuckDB file, exported with ``Workspace.export_lake``."""
    folder = tmp_path_factory.mktemp("lake")
    con = connect(folder / "warehouse.duckdb")
    load_tables(con, tables)
    con.disconnect()
    Workspace(folder / "warehouse.duckdb", create=False).export_lake(f"file://{folder}/lake")
    return f"file://{folder}/lake"


@pytest.fixture(scope="session")
def spark_connect_backend(lake: str) -> BaseBackend:
    url = os.environ.get("PEELSTAT_TEST_SPARK_CONNECT_URL")
    if not url:
        pytest.skip(
            "no Spark Connect server: set PEELSTAT_TEST_SPARK_CONNECT_URL "
            "(bash .ci/spark-connect.sh start prints one)"
        )
    pytest.importorskip("pyspark.sql.connect.session")
    return connect(f"{url};lake={lake}", create=False)


SPARK = pytest.mark.spark
ENGINES = ["duckdb", pytest.param("spark", marks=SPARK), pytest.param("spark_connect", marks=SPARK)]


@pytest.fixture(params=ENGINES, scope="session")
def backend(request: pytest.FixtureRequest) -> BaseBackend:
    """The warehouse on each engine the measure suite must agree on."""
    return request.getfixturevalue(f"{request.param}_backend")
