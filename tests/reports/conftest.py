"""Small SYNTHETIC warehouses for the report tests: the demo one, and one with honest gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"
MISSING_MONTH = dt.date(2018, 3, 1)
ABSENT_PEER = "hampshire"


@pytest.fixture(scope="session")
def demo_workspace(demo_warehouse: Path) -> Iterator[Workspace]:
    workspace = Workspace(demo_warehouse, create=False)
    yield workspace
    workspace.close()


def with_gaps(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One police.uk month missing for the force; an MSG peer absent from recorded crime."""
    street = tables["police_uk_street"]
    month = pd.to_datetime(street["month"]).dt.date
    tables["police_uk_street"] = street[~((street["force"] == FORCE) & (month == MISSING_MONTH))]
    crime = tables["recorded_crime"]
    tables["recorded_crime"] = crime[crime["force"] != ABSENT_PEER]
    return tables


@pytest.fixture(scope="session")
def gappy_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("gappy") / "warehouse.duckdb"
    con = connect(str(path))
    load_tables(con, with_gaps(warehouse_tables(first_month="2016-07", months=30)))
    con.disconnect()
    workspace = Workspace(path, create=False)
    yield workspace
    workspace.close()
