"""The Parquet lake: ``peelstat export-lake`` writes every table, and a lake that is not there
is an error rather than an empty warehouse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.errors import WarehouseNotFoundError
from peelstat.warehouse.connect import connect
from peelstat.warehouse.tables import table_schema, warehouse_schemas


@pytest.fixture
def warehouse(warehouse_path: Path) -> Path:
    con = connect(warehouse_path)
    tables = warehouse_tables(
        first_month="2019-01", months=3, forces=["kent", "dorset"], street_per_1000=0.01
    )
    load_tables(con, tables)
    con.disconnect()
    return warehouse_path


def test_export_lake_writes_every_table_with_its_rows(warehouse: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    stale = lake / "police_uk_street" / "part-7.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"left over from an older export")
    done = subprocess.run(
        [sys.executable, "-m", "peelstat.cli.main", "export-lake", f"file://{lake}",
         "--warehouse", str(warehouse), "--json"],
        capture_output=True, text=True, timeout=120, env=os.environ,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    con = connect(warehouse, create=False)
    assert set(rows) == set(warehouse_schemas())
    for name in warehouse_schemas():
        expected = con.table(name).count().execute()
        assert rows[name] == expected
        files = sorted((lake / name).iterdir())
        assert [f.name for f in files] == ["part-0.parquet"]  # the stale part is gone
        table = pq.read_table(files[0])
        assert table.num_rows == expected
        assert table.schema.names == list(table_schema(name).names)
    assert rows["police_uk_street"] > 100


def test_export_lake_from_a_missing_warehouse_is_an_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "peelstat.cli.main", "export-lake", str(tmp_path / "lake"),
         "--warehouse", str(tmp_path / "nowhere.duckdb")],
        capture_output=True, text=True, timeout=120, env=os.environ,
    )  # fmt: skip
    assert done.returncode == 1
    assert "No warehouse at" in done.stderr
    assert not (tmp_path / "lake").exists()


@pytest.mark.spark
def test_a_lake_without_peelstat_tables_is_not_an_empty_warehouse(tmp_path: Path) -> None:
    url = os.environ.get("PEELSTAT_TEST_SPARK_CONNECT_URL")
    if not url:
        pytest.skip("no Spark Connect server: set PEELSTAT_TEST_SPARK_CONNECT_URL")
    with pytest.raises(WarehouseNotFoundError, match="no peelstat table folder"):
        connect(f"{url}/;lake=file://{tmp_path}/mistyped")
