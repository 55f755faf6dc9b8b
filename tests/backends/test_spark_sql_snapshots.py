"""The Spark SQL each measure kind compiles to, snapshotted beside the DuckDB SQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ibis.backends import BaseBackend

from peelstat.measures.compile import measure_sql

SNAPSHOTS = Path(__file__).parents[1] / "measures" / "snapshots"
SNAPSHOT_MEASURES = {
    "police_uk_burglary": "2018-06",
    "residential_burglary_rolling": "2018-03",
    "charge_rate": "2018-03",
    "stop_search_disparity_black": "2018-06",
}


@pytest.mark.spark
@pytest.mark.parametrize("measure", sorted(SNAPSHOT_MEASURES))
def test_spark_sql_snapshot(
    measure: str, spark_backend: BaseBackend, snapshot: Callable[[Path, str], None]
) -> None:
    sql = measure_sql(spark_backend, measure, start=SNAPSHOT_MEASURES[measure], dialect="pyspark")
    snapshot(SNAPSHOTS / measure / "pyspark" / "out.sql", sql + "\n")
