"""Warehouse status (coverage and gaps) and the Parquet hand-over to Spark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from peelstat.warehouse.connect import connect
from peelstat.warehouse.lake import export_lake
from peelstat.warehouse.status import warehouse_status
from peelstat.workspace import Workspace


def _stop_search_rows(force: str, months: list[str]) -> pd.DataFrame:
    rows = []
    for month in months:
        for i in range(3):
            rows.append(
                {
                    "force": force,
                    "month": dt.date.fromisoformat(month + "-01"),
                    "type": "Person search",
                    "date": pd.Timestamp(month + "-02T10:00:00+00:00"),
                    "object_of_search": "Controlled drugs",
                    "outcome": "A no further action disposal",
                    "outcome_linked_to_object_of_search": False,
                    "source_file": f"police-uk/{month}/{force}/stop-and-search",
                    "source_line": i + 2,
                }
            )
    return pd.DataFrame(rows)


def test_status_reports_rows_periods_and_missing_force_months(warehouse_path: Path) -> None:
    con = connect(warehouse_path)
    full = ["2019-05", "2019-06", "2019-07", "2019-08"]
    con.insert("police_uk_stop_search", _stop_search_rows("kent", full))
    # Greater Manchester stopped supplying stop and search after June 2019.
    con.insert("police_uk_stop_search", _stop_search_rows("greater-manchester", full[:2]))
    (status,) = warehouse_status(con)
    assert status.table == "police_uk_stop_search"
    assert status.rows == 18
    assert status.forces == 2
    assert (status.first_period, status.last_period) == ("2019-05", "2019-08")
    assert status.missing_force_periods == [
        "greater-manchester 2019-07",
        "greater-manchester 2019-08",
    ]


def test_a_month_missing_for_every_force_is_reported(warehouse_path: Path) -> None:
    con = connect(warehouse_path)
    con.insert("police_uk_stop_search", _stop_search_rows("kent", ["2019-01", "2019-03"]))
    (status,) = warehouse_status(con)
    assert status.missing_force_periods == ["kent 2019-02"]


def test_empty_warehouse_has_no_status_rows(warehouse_path: Path) -> None:
    assert Workspace(warehouse_path).status().tables == ()


@pytest.mark.spark
def test_parquet_lake_gives_spark_the_same_tables(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    con.insert("police_uk_stop_search", _stop_search_rows("kent", ["2019-01", "2019-02"]))
    written = export_lake(con, tmp_path / "lake")
    assert written["police_uk_stop_search"] == 6
    spark = connect(f"pyspark://{tmp_path / 'lake'}")
    assert spark.name == "pyspark"
    duck = [(s.table, s.rows, s.missing_force_periods) for s in warehouse_status(con)]
    on_spark = [(s.table, s.rows, s.missing_force_periods) for s in warehouse_status(spark)]
    assert on_spark == duck
