"""A user's Most Similar Groups travel with the warehouse: the same report table on Spark."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peelstat.demo.warehouse import load_tables
from peelstat.measures.msg import USER
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

MEASURES = ["police_uk_burglary", "police_uk_robbery", "police_uk_violence_and_sexual_offences"]


@pytest.mark.spark
def test_a_user_set_msg_gives_the_same_report_table_on_duckdb_and_spark(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = connect(warehouse)
    load_tables(con, tables)
    con.disconnect()
    duck = Workspace(warehouse)
    groups = pd.DataFrame({"force": ["Kent"] * 3, "peer": ["essex", "Sussex Police", "surrey"]})
    assert duck.set_groups(groups, "kent-groups.csv") == 3
    on_duck = duck.report_table("kent", "2018-12", MEASURES)
    duck.export_lake(tmp_path / "lake")
    duck.close()

    on_spark = Workspace(f"pyspark://{tmp_path / 'lake'}").report_table("kent", "2018-12", MEASURES)

    assert on_duck.msg.origin == USER and on_duck.msg.source == "kent-groups.csv"
    assert set(on_duck.msg.peers) == {"essex", "sussex", "surrey"}
    assert on_spark.msg == on_duck.msg  # not the published group: the user's went with the data
    pd.testing.assert_frame_equal(on_spark.to_frame(), on_duck.to_frame())
