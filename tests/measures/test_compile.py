"""Compilation: the SQL users see (snapshots), local observations, missing households,
and properties of any rolling rate."""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstat.catalogue.loader import load_catalogue, parse_file
from peelstat.catalogue.measure import Catalogue
from peelstat.demo.warehouse import load_tables, to_arrow, warehouse_tables
from peelstat.measures.compile import compute_measures, measure_frame, measure_sql
from peelstat.reference import population as reference_population
from peelstat.warehouse.connect import connect
from peelstat.warehouse.tables import table_schema

SNAPSHOTS = Path(__file__).parent / "snapshots"
SNAPSHOT_MEASURES = {
    "police_uk_burglary": "2018-06",
    "residential_burglary_rolling": "2018-03",
    "charge_rate": "2018-03",
    "stop_search_disparity_black": "2018-06",
}


@pytest.mark.parametrize("measure", sorted(SNAPSHOT_MEASURES))
def test_sql_snapshot(measure: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    """The DuckDB SQL each measure kind compiles to (reviewed snapshots; Spark's are in
    tests/backends)."""
    con = connect(":memory:")
    sql = measure_sql(con, measure, start=SNAPSHOT_MEASURES[measure]) + "\n"
    snapshot(SNAPSHOTS / measure / "duckdb" / "out.sql", sql)


LOCAL = """
measures:
  - id: victim_satisfaction
    title: Victims satisfied with the whole experience
    source: local_observations
    grain: month
    unit: percent
    lower_is_better: false
    priority: victim satisfaction
    notes: Force survey export, satisfied / surveyed.
  - id: days_to_charge
    title: Mean days from report to charge
    source: local_observations
    grain: month
    unit: mean
    lower_is_better: true
    priority: criminal justice
    notes: Sum of days / cases charged, from the case system.
"""


def _with(text: str) -> Catalogue:
    return Catalogue({m.id: m for m in [*load_catalogue(), *parse_file(text, "local.yaml")]})


def test_local_observations_roll_up_like_any_measure() -> None:
    con = connect(":memory:")
    months = pd.date_range("2022-01-01", periods=14, freq="MS")
    rows = pd.DataFrame(
        {
            "measure": ["victim_satisfaction"] * 14 + ["days_to_charge"] * 14,
            "force": "dorset",
            "period_end": list(months) * 2,
            "numerator": [70.0 + i for i in range(14)] + [300.0] * 14,
            "denominator": [100.0] * 14 + [10.0] * 14,
            "source_file": "export.csv",
            "source_line": range(28),
        }
    )
    rows["period_end"] = rows["period_end"].dt.date
    con.create_table("local_observations", to_arrow("local_observations", rows), overwrite=True)
    frame = compute_measures(
        con, ["victim_satisfaction", "days_to_charge"], start="2022-12", end="2023-02",
        forces=["dorset"], catalogue=_with(LOCAL), national=False,
    )  # fmt: skip
    satisfaction = frame[frame.measure == "victim_satisfaction"].set_index("period_end")
    assert satisfaction.loc["2022-12-31", "value"] == pytest.approx(
        100 * sum(70 + i for i in range(12)) / 1200
    )
    assert satisfaction.loc["2023-02-28", "value"] == pytest.approx(
        100 * sum(72 + i for i in range(12)) / 1200
    )
    assert satisfaction.loc["2023-01-31", "value"] == pytest.approx(
        100 * sum(71 + i for i in range(12)) / 1200
    )
    days = frame[frame.measure == "days_to_charge"]
    assert days.value.tolist() == pytest.approx([30.0, 30.0, 30.0])


def test_households_missing_gives_no_rate_and_says_so() -> None:
    con = connect(":memory:")
    tables = warehouse_tables(first_month="2017-01", months=15, forces=["dorset"])
    tables.pop("population")
    load_tables(con, tables)
    frame = compute_measures(
        con,
        ["residential_burglary", "homicide"],
        start="2018-03",
        forces=["dorset"],
        national=False,
    )
    burglary = frame[frame.measure == "residential_burglary"].iloc[0]
    assert burglary.numerator > 0 and np.isnan(burglary.value)
    assert "no household counts" in burglary.denominator_note
    assert not np.isnan(
        frame[frame.measure == "homicide"].value.iloc[0]
    )  # residents from reference


def test_denominator_note_says_which_population_divided_each_rate() -> None:
    """Warehouse figures where loaded, the shipped ONS estimates otherwise, with the mid-year."""
    con = connect(":memory:")
    tables = warehouse_tables(first_month="2017-04", months=12, forces=["dorset", "kent"])
    population = tables["population"]
    tables["population"] = population[population.force == "dorset"]
    load_tables(con, tables)
    frame = compute_measures(
        con,
        ["all_crime_excluding_fraud", "residential_burglary"],
        start="2018-03",
        forces=["dorset", "kent"],
        national=False,
    ).set_index(["measure", "force"])
    notes = frame["denominator_note"]
    assert notes["all_crime_excluding_fraud", "dorset"] == (
        "residents: mid-2017, warehouse population table"
    )
    assert notes["all_crime_excluding_fraud", "kent"] == (
        "residents: mid-2017, ONS estimates shipped with peelstat "
        "(none in the warehouse for this force and year)"
    )
    assert notes["residential_burglary", "dorset"] == (
        "households: mid-2017, warehouse population table"
    )
    assert "no household counts" in notes["residential_burglary", "kent"]
    kent = frame.loc[("all_crime_excluding_fraud", "kent")]
    shipped = reference_population().set_index(["force", "year"]).loc[("kent", 2017), "residents"]
    assert kent.denominator == shipped


def test_national_note_counts_forces_on_each_population() -> None:
    con = connect(":memory:")
    tables = warehouse_tables(first_month="2017-04", months=12)
    population = tables["population"]
    tables["population"] = population[population.force != "kent"]
    load_tables(con, tables)
    frame = compute_measures(con, ["all_crime_excluding_fraud"], start="2018-03")
    note = frame.set_index("force").loc["england-and-wales", "denominator_note"]
    assert note.startswith(
        "summed over the 43 forces: 42 from the warehouse population table, the rest from "
        "the ONS estimates shipped with peelstat; e.g. residents: mid-2017"
    )


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=13, max_size=18), st.data())
def test_rolling_counts_match_pandas_and_never_go_negative(counts: list[int], data) -> None:
    """Any monthly counts, any one missing month: windows equal pandas' rolling sum or are NULL."""
    gap = data.draw(st.one_of(st.none(), st.integers(0, len(counts) - 1)))
    months = pd.date_range("2020-01-01", periods=len(counts), freq="MS")
    rows = [(m, "Burglary") for m, n in zip(months, counts, strict=True) for _ in range(n)]
    rows += [(m, "Anti-social behaviour") for m in months]  # every month present unless gapped
    street = pd.DataFrame(rows, columns=["month", "crime_type"])
    if gap is not None:
        street = street[street.month != months[gap]]
    street = street.assign(force="dorset", crime_id="x")
    for column in table_schema("police_uk_street").names:
        if column not in street:
            street[column] = None
    street["month"] = street["month"].dt.date
    con = ibis.duckdb.connect()
    con.create_table("police_uk_street", to_arrow("police_uk_street", street))
    con.create_table("population", schema=table_schema("population"))
    end = months[-1].strftime("%Y-%m")
    frame = compute_measures(
        con, "police_uk_burglary", start="2020-12", end=end, forces=["dorset"], national=False,
        use_cache=False,
    )  # fmt: skip
    expected = pd.Series(counts, index=months, dtype=float)
    if gap is not None:
        expected.iloc[gap] = np.nan
    expected = expected.rolling(12).sum().dropna() if gap is None else expected.rolling(12).sum()
    got = frame.set_index("period_end").numerator
    for end_month, value in got.items():
        want = expected.get(pd.Timestamp(end_month).to_period("M").start_time, np.nan)
        assert (np.isnan(value) and np.isnan(want)) or value == want
    assert (frame.value.dropna() >= 0).all()


def test_rows_of_forces_outside_the_scope_change_nothing(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    """A national query reads the table without a force filter (the calendar join keeps the
    scope's forces): British Transport Police rows must still count nowhere, not even in
    England and Wales; a one-force query is filtered and gives that force's rows alike."""
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(demo_warehouse.read_bytes())
    con = connect(str(path))
    args = {"start": "2017-06", "end": "2017-12"}
    measures = ["police_uk_burglary", "charge_rate", "stop_search_disparity_black"]
    before = compute_measures(con, measures, use_cache=False, **args)
    for table in ("police_uk_street", "police_uk_stop_search", "crime_outcomes"):
        con.raw_sql(f"INSERT INTO {table} SELECT * REPLACE ('btp' AS force) FROM {table}")
    street = con.table("police_uk_street")
    assert street.filter(street.force == "btp").count().execute() > 0
    after = compute_measures(con, measures, use_cache=False, **args)
    pd.testing.assert_frame_equal(before, after)
    assert "btp" not in set(after["force"])
    kent = compute_measures(con, measures, forces=["kent"], national=False, use_cache=False, **args)
    one_force = measure_frame(
        con, "police_uk_burglary", start="2017-06", forces=["kent"], national=False
    )
    assert "\"force\" IN ('kent')" in str(ibis.to_sql(one_force, dialect="duckdb"))
    pd.testing.assert_frame_equal(
        kent.reset_index(drop=True),
        after[after["force"] == "kent"].reset_index(drop=True),
    )
