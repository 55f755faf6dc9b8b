"""The measure suite's engines: DuckDB always, a local Spark session when marked ``spark``.

Both get the same small synthetic warehouse (all 43 forces, 30 months) so their measure
frames can be compared row for row. The Spark session starts once per test session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ibis
import pandas as pd
import pytest
from ibis.backends import BaseBackend

from peelstat.demo.warehouse import load_tables, warehouse_tables

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
    pyspark_sql = pytest.importorskip("pyspark.sql")
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


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)], scope="session")
def backend(request: pytest.FixtureRequest) -> BaseBackend:
    """The warehouse on each engine the measure suite must agree on."""
    return request.getfixturevalue(f"{request.param}_backend")
