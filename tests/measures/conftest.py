"""A small synthetic warehouse file (DuckDB) shared by the report, MSG and CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.warehouse.connect import connect


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All forces, 30 months from July 2016, every source table (synthetic)."""
    path = tmp_path_factory.mktemp("measures") / "warehouse.duckdb"
    con = connect(str(path))
    load_tables(con, warehouse_tables(first_month="2016-07", months=30))
    con.disconnect()
    return path
