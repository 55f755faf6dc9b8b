"""On the real public data: Avon and Somerset's report for the 12 months to December 2018 shows
exactly the rates and MSG ranks an independent pandas computation gives (Home Office rolling-year
table ÷ ONS mid-2018 residents, as shipped in reference/population.csv, or households from the
police force area tables' Table P3, read straight from the workbook)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from peelstat.reference import published_msg, resolve_force
from peelstat.reports.performance import PerformanceReport, performance_html, performance_report
from peelstat.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
FORCE = "avon-and-somerset"
REPO = Path(__file__).resolve().parents[2]
EDITION = "ons/pfa_tables/policeforceareatablesyearendingseptember2019.xlsx"
# measure id: (rolling-table offence, denominator column of ONS Table P3)
MEASURES = {
    "residential_burglary_rolling": ("Residential burglary", "households"),
    "robbery_rolling": ("Robbery", "residents"),
    "vehicle_offences_rolling": ("Vehicle offences", "residents"),
    "theft_from_the_person_rolling": ("Theft from the person", "residents"),
    "homicide_rolling": ("Homicide", "residents"),
}


@pytest.fixture(scope="module")
def real_report(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PerformanceReport]:
    workspace = Workspace(tmp_path_factory.mktemp("real-report") / "warehouse.duckdb")
    workspace.load("home-office-rolling", [shared_data / "home_office" / "rec-crime-pfa.csv"])
    workspace.load("ons-pfa-tables", [shared_data / "ons" / "pfa_tables"])
    yield performance_report(workspace, FORCE, "2018-12")
    workspace.close()


def mid_2018(shared_data: Path) -> pd.DataFrame:
    """Residents and households (mid-2018, rounded to 100) by force, from Table P3."""
    sheet = pd.read_excel(
        shared_data / EDITION, sheet_name="Table P3", header=None, engine="openpyxl"
    )
    rows = sheet[sheet[0].astype(str).str.match(r"^[EW]23\d{6}$")]
    return pd.DataFrame(
        {
            "residents": pd.to_numeric(rows[2], errors="coerce").to_numpy(),
            "households": pd.to_numeric(rows[3], errors="coerce").to_numpy(),
        },
        index=[resolve_force(str(name).rstrip("0123456789,")) for name in rows[1]],
    )


def residents_mid_2018() -> pd.Series:
    """The ONS mid-year estimates peelstat ships (a data input, read here with pandas alone)."""
    table = pd.read_csv(REPO / "src" / "peelstat" / "reference" / "population.csv")
    return table[table["year"] == 2018].set_index("force")["residents"].astype(float)


def independent_rates(shared_data: Path, offence: str, denominator: str) -> pd.Series:
    table = pd.read_csv(shared_data / "home_office" / "rec-crime-pfa.csv")
    table.columns = ["end", "pfa", "region", "offence", "offences"]
    december = table[(table["end"] == "31-12-2018") & (table["offence"] == offence)]
    counts = december.groupby(december["pfa"].map(resolve_force))["offences"].sum()
    people = (
        mid_2018(shared_data)["households"] if denominator == "households" else residents_mid_2018()
    )
    return (counts / people * 1000).dropna()


def test_rates_and_msg_ranks_match_an_independent_computation(
    real_report: PerformanceReport, shared_data: Path
) -> None:
    lines = {line.row.measure: line for line in real_report.lines if line.row is not None}
    peers = published_msg().query("force == @FORCE")["peer"].tolist()
    html = performance_html(real_report)
    for measure, (offence, denominator) in MEASURES.items():
        rates = independent_rates(shared_data, offence, denominator)
        row = lines[measure].row
        assert row is not None
        assert row.value == pytest.approx(rates[FORCE], rel=1e-9), measure
        group = rates.reindex([FORCE, *peers]).dropna().sort_values()  # lower is better
        rank = list(group.index).index(FORCE) + 1
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank if rank < 20 else rank % 10, "th")
        assert row.msg_rank == f"{rank}{suffix}/{len(group)}", measure
        assert row.msg_average == pytest.approx(group.mean(), rel=1e-9), measure
        assert lines[measure].benchmark in html


def test_homicide_fifteen_offences_is_flagged_small_numbers(real_report: PerformanceReport) -> None:
    line = next(
        x for x in real_report.lines if x.row is not None and x.row.measure == "homicide_rolling"
    )
    assert line.row is not None and line.row.numerator == 15
    assert line.change == "small numbers"
    assert any("Small numbers: 15 in these 12 months" in c for c in line.comments)
