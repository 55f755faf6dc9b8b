"""The coverage ledger on a small synthetic warehouse, checked against pandas on the same rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.reference import territorial_forces
from peelstat.warehouse.connect import connect
from peelstat.warehouse.coverage import (
    coverage_frame,
    coverage_ledger,
    forces_without_rows,
    needs_attention,
)

FORCES = ["dorset", "kent", "greater-manchester"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    tables = warehouse_tables(first_month="2017-04", months=6, forces=FORCES, street_per_1000=0.5)
    street = tables["police_uk_street"]
    street = street[street.force.astype(str) != "kent"]  # Kent: no street rows at all
    manchester = street.force.astype(str) == "greater-manchester"
    street = street[~manchester | (street.index % 2 == 0)]  # about half Manchester's rows
    # the last month of the last quarter missing: that quarter is not compared
    tables["police_uk_street"] = street.reset_index(drop=True)
    search = tables["police_uk_stop_search"].copy()
    search.loc[search.force.astype(str) == "dorset", "outcome_linked_to_object_of_search"] = None
    tables["police_uk_stop_search"] = search
    return tables


@pytest.fixture(scope="module")
def warehouse(tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coverage") / "warehouse.duckdb"
    con = connect(str(path))
    load_tables(con, tables)
    con.disconnect()
    return path


@pytest.fixture(scope="module")
def ledger(warehouse: Path) -> pd.DataFrame:
    con = connect(str(warehouse))
    frame = coverage_frame(coverage_ledger(con)).set_index(["table", "force", "period"])
    con.disconnect()
    return frame


def test_every_territorial_force_has_a_row_and_absent_ones_are_missing(ledger) -> None:
    street = ledger.loc["police_uk_street"]
    assert set(street.index.get_level_values("force")) == set(territorial_forces())
    assert street.loc["kent", "missing"].all() and (street.loc["kent", "rows"] == 0).all()
    assert not street.loc["dorset", "missing"].any()


def test_rows_and_blank_shares_match_pandas(ledger, tables) -> None:
    street = tables["police_uk_street"].assign(force=lambda f: f.force.astype(str))
    dorset = street[street.force == "dorset"]
    by_month = dorset.groupby(pd.to_datetime(dorset.month).dt.strftime("%Y-%m")).size()
    rows = ledger.loc["police_uk_street"].loc["dorset", "rows"]
    assert rows.to_dict() == by_month.to_dict()
    shares = ledger.loc["police_uk_stop_search"].loc["dorset", "outcome_linked_blank_share"]
    assert (shares == 1.0).all()
    search = tables["police_uk_stop_search"]
    kent = search[search.force.astype(str) == "kent"]
    blank = (
        kent.outcome_linked_to_object_of_search.isna()
        .groupby(pd.to_datetime(kent.month).dt.strftime("%Y-%m"))
        .mean()
    )
    found = ledger.loc["police_uk_stop_search"].loc["kent", "outcome_linked_blank_share"]
    assert found.to_dict() == pytest.approx(blank.to_dict())


def test_police_uk_volume_against_the_home_office_quarter(ledger, tables) -> None:
    street = tables["police_uk_street"].assign(force=lambda f: f.force.astype(str))
    crime = tables["recorded_crime"]
    for force in ("dorset", "greater-manchester"):
        mine = street[(street.force == force) & street.crime_id.notna()]
        in_q1 = mine[pd.to_datetime(mine.month) < "2017-07-01"]
        offences = crime[
            (crime.force.astype(str) == force)
            & (pd.to_datetime(crime.period_end) == "2017-06-30")
            & (crime.offence_group != "Fraud offences")
        ].offences.sum()
        row = ledger.loc[("police_uk_street", force, "2017-05")]
        assert row.police_uk_crimes_in_quarter == len(in_q1)
        assert row.home_office_offences_in_quarter == offences
        assert row.police_uk_to_home_office == pytest.approx(len(in_q1) / offences)


def test_summaries_for_status(warehouse: Path) -> None:
    con = connect(str(warehouse))
    rows = coverage_ledger(con)
    con.disconnect()
    empty = forces_without_rows(rows)["police_uk_street"]
    assert "kent" in empty and "dorset" not in empty
    assert len(empty) == 43 - 2
    flagged = {(r.table, r.force) for r in rows if needs_attention(r)}
    assert ("police_uk_stop_search", "dorset") in flagged


def test_status_shows_the_ledger(warehouse: Path) -> None:
    run = [sys.executable, "-m", "peelstat.cli.main", "status", "--warehouse", str(warehouse)]
    plain = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert "police_uk_street: no rows at all for" in plain.stdout and "kent" in plain.stdout
    dumped = subprocess.run(
        [*run, "--coverage", "--json"], capture_output=True, text=True, timeout=120
    )
    rows = json.loads(dumped.stdout)
    kent = [r for r in rows if r["table"] == "police_uk_street" and r["force"] == "kent"]
    assert kent and all(r["missing"] and r["rows"] == 0 for r in kent)
