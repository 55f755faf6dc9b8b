"""Population by force area: ONS local authority estimates through a lookup, or a force table."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.reference import population as reference_population
from peelstat.sources import get_source
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import LoadReport, load_source

LOOKUP = "\ufeffLAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM,ObjectId\n" + "\n".join(
    [
        "E06000022,Bath and North East Somerset,E22000001,BANES,E23000036,Avon and Somerset,1",
        'E06000023,"Bristol, City of",E22000002,Bristol,E23000036,Avon and Somerset,2',
        "E06000052,Cornwall,E22000003,Cornwall,E23000035,Devon & Cornwall,3",
    ]
)


def write_mye(path: Path, rows: list[list[object]]) -> Path:
    """A workbook shaped like the ONS one: notes sheet, titles, header on row 8 of MYE5."""
    header = ["Code", "Name", "Geography", "Area (sq km)"]
    for year in (2022, 2021):
        header += [f"Estimated Population mid-{year}", f"{year} people per sq. km"]
    titles: list[list[object]] = [["MYE5: Population density for local authorities"]]
    titles += [[f"note {i}"] for i in range(6)]
    median: list[list[object]] = [["MYE6: Median age of population"], ["Code", "Name", "Mid-2022"]]
    median += [["E06000022", "Bath", 42.0]]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([["Cover sheet"]]).to_excel(
            writer, sheet_name="Cover sheet", index=False, header=False
        )
        pd.DataFrame(median).to_excel(writer, sheet_name="MYE6", index=False, header=False)
        grid = pd.DataFrame([*titles, header, *rows])
        grid.to_excel(writer, sheet_name="MYE5", index=False, header=False)
    return path


MYE_ROWS: list[list[object]] = [
    ["K04000001", "ENGLAND AND WALES", "Country", 1.0, 999999.0, 1.0, 999998.0, 1.0],
    ["E06000022", "Bath and NE Somerset", "Unitary Authority", 1.0, 195000.0, 1.0, 194000.0, 1.0],
    ["E06000023", "Bristol, City of", "Unitary Authority", 1.0, 479000.0, 1.0, 472000.0, 1.0],
    ["E06000052", "Cornwall", "Unitary Authority", 1.0, 575000.0, 1.0, "x", 1.0],
    ["S12000033", "Aberdeen City", "Council Area", 1.0, 227000.0, 1.0, 226000.0, 1.0],
]  # fmt: skip
NOWHERE: list[object] = ["E06000099", "Nowhere", "Unitary Authority", 1.0, 10.0, 1.0, 11.0, 1.0]


def load(warehouse: Path, *paths: Path, **options: object) -> LoadReport:
    return load_source(connect(warehouse), get_source("population", **options), list(paths))


def rows_of(warehouse: Path, table: str = "population") -> pd.DataFrame:
    return connect(warehouse).table(table).to_pyarrow().to_pandas()


@pytest.fixture
def lookup(tmp_path: Path) -> Path:
    path = tmp_path / "lad-pfa.csv"
    path.write_text(LOOKUP, encoding="utf-8")
    return path


def test_ons_estimates_sum_local_authorities_into_force_areas(
    tmp_path: Path, lookup: Path, warehouse_path: Path
) -> None:
    mye = write_mye(tmp_path / "mye.xlsx", MYE_ROWS)

    report = load(warehouse_path, mye, lookup=lookup)

    assert [u.file for u in report.units] == ["population/mid-2021", "population/mid-2022"]
    got = rows_of(warehouse_path).set_index(["force", "year"])["residents"].to_dict()
    # Cornwall's mid-2021 is not a number: Devon and Cornwall mid-2021 is not loaded at all.
    assert got == {
        ("avon-and-somerset", 2021): 194000 + 472000,
        ("avon-and-somerset", 2022): 195000 + 479000,
        ("devon-and-cornwall", 2022): 575000,
    }
    rejects = rows_of(warehouse_path, "rejected_rows").sort_values(["file", "line"])
    reasons = rejects["reason"].tolist()
    assert len(reasons) == 3
    assert any(
        "E06000052" in r and "devon-and-cornwall mid-2021 residents not loaded" in r
        for r in reasons
    )
    # a Scottish council area is in no force area of England and Wales: rejected, naming it
    scottish = [r for r in reasons if "S12000033" in r]
    assert len(scottish) == 2 and "(Aberdeen City) is not in the lookup lad-pfa.csv" in scottish[0]
    assert all(r.startswith("sheet 'MYE5' row 13: ") for r in scottish)  # header row 8


def test_changing_the_lookup_reloads_instead_of_skipping(
    tmp_path: Path, lookup: Path, warehouse_path: Path
) -> None:
    mye = write_mye(tmp_path / "mye.xlsx", MYE_ROWS)
    load(warehouse_path, mye, lookup=lookup)
    assert {u.outcome for u in load(warehouse_path, mye, lookup=lookup).units} == {"skipped"}

    lookup.write_text(LOOKUP + "\nE06000099,Nowhere,E2,N,E23000036,Avon and Somerset,4\n")
    write_mye(mye, [*MYE_ROWS, NOWHERE])
    report = load(warehouse_path, mye, lookup=lookup)

    assert {u.outcome for u in report.units} == {"replaced"}
    got = rows_of(warehouse_path).set_index(["force", "year"])["residents"].to_dict()
    assert got[("avon-and-somerset", 2022)] == 195000 + 479000 + 10
    assert len(rows_of(warehouse_path)) == 3


def test_a_district_the_lookup_does_not_know_refuses_the_file_and_keeps_the_figures(
    tmp_path: Path, lookup: Path, warehouse_path: Path
) -> None:
    """Summing without it would give its force a short total for every year."""
    mye = write_mye(tmp_path / "mye.xlsx", MYE_ROWS)
    load(warehouse_path, mye, lookup=lookup)
    before = rows_of(warehouse_path)
    newer = write_mye(tmp_path / "newer.xlsx", [*MYE_ROWS, NOWHERE])
    with pytest.raises(IngestError) as raised:
        load(warehouse_path, newer, lookup=lookup)
    message = str(raised.value)
    assert "1 local authority districts are not in the lookup lad-pfa.csv: E06000099 (Nowhere)" in (
        message
    )
    assert "The lookup is for 2023 districts (LAD23CD)" in message
    assert "the estimates run to mid-2022: use that year's lookup" in message
    assert "Nothing was loaded" in message
    pd.testing.assert_frame_equal(rows_of(warehouse_path), before)


def test_local_authority_figures_without_a_lookup_say_how_to_give_one(
    tmp_path: Path, warehouse_path: Path
) -> None:
    mye = write_mye(tmp_path / "mye.xlsx", MYE_ROWS)
    with pytest.raises(IngestError, match="--lookup"):
        load(warehouse_path, mye)


def test_force_table_with_households_column(tmp_path: Path, warehouse_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text(
        "force,year,residents,households\n"
        "Avon & Somerset,2021,1745075,730000\n"
        "Kent,2021,1860000,\n"
        "Kent,2021,1860001,\n"
        "Avon and Somerest,2021,1,1\n"
        "Essex,20x1,1,1\n"
        "Essex,2021,-5,1\n"
    )
    load(warehouse_path, path)

    got = rows_of(warehouse_path).sort_values("force").astype(object)
    got = got.where(got.notna(), None)
    assert got[["force", "year", "residents", "households", "source_line"]].values.tolist() == [
        ["avon-and-somerset", 2021, 1745075, 730000, 2],
        ["kent", 2021, 1860000, None, 3],
    ]
    rejects = rows_of(warehouse_path, "rejected_rows").set_index("line")["reason"]
    assert "already given on line 3" in rejects[4]
    assert "Avon and Somerset" in rejects[5]
    assert "year is not a year" in rejects[6]
    assert "residents is negative" in rejects[7]


def test_households_from_a_separate_local_authority_file(
    tmp_path: Path, lookup: Path, warehouse_path: Path
) -> None:
    mye = write_mye(tmp_path / "mye.xlsx", MYE_ROWS[:3])
    households = tmp_path / "households.csv"
    households.write_text("LAD23CD,year,households\nE06000022,2022,80000\nE06000023,2022,200000\n")

    load(warehouse_path, mye, lookup=lookup, households=households)

    got = rows_of(warehouse_path).set_index(["force", "year"])
    assert got.loc[("avon-and-somerset", 2022), "households"] == 280000
    assert pd.isna(got.loc[("avon-and-somerset", 2021), "households"])


def test_unrecognised_file_is_a_header_error(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("area,when,people\nKent,2021,1\n")
    with pytest.raises(HeaderMismatchError, match="'area', 'when', 'people'"):
        get_source("population").discover([path])


@pytest.mark.realdata
def test_real_estimates_give_avon_and_somerset_the_sum_of_its_local_authorities(
    shared_data: Path, warehouse_path: Path
) -> None:
    ons = shared_data / "ons"
    lookup = (
        ons / "Local_Authority_District_to_CSPs_to_Police_Force_Areas_(December__2023)_Lookup_.csv"
    )
    with lookup.open(encoding="utf-8-sig", newline="") as handle:
        avon_lads = {
            r["LAD23CD"] for r in csv.DictReader(handle) if r["PFA23NM"] == "Avon and Somerset"
        }
    sheet = pd.read_excel(ons / "LAD23_Mid_Year_pop_2011_to_2023.xlsx", sheet_name="MYE5", header=7)
    independent = int(
        sheet.loc[sheet["Code"].isin(avon_lads), "Estimated Population mid-2021"].sum()
    )

    report = load(warehouse_path, ons / "LAD23_Mid_Year_pop_2011_to_2023.xlsx", lookup=lookup)

    got = rows_of(warehouse_path).set_index(["force", "year"])["residents"]
    assert got[("avon-and-somerset", 2021)] == independent == 1_745_075
    assert report.rows_rejected == 0 and len(report.units) == 13
    reference = reference_population().set_index(["force", "year"])["residents"]
    assert got[("avon-and-somerset", 2021)] == reference[("avon-and-somerset", 2021)]
    assert len(got) == 43 * 13

    # the same estimates with the 2016 lookup: refused, and the complete figures stay
    with pytest.raises(IngestError) as raised:
        load(warehouse_path, ons / "LAD23_Mid_Year_pop_2011_to_2023.xlsx",
             lookup=ons / "LAD16_CSP16_PFA16_lookup_December_2016.csv")  # fmt: skip
    message = str(raised.value)
    assert "are not in the lookup LAD16_CSP16_PFA16_lookup_December_2016.csv" in message
    assert "The lookup is for 2016 districts (LAD16CD)" in message
    assert "mid-2023" in message and "Nothing was loaded" in message
    after = rows_of(warehouse_path).set_index(["force", "year"])["residents"]
    pd.testing.assert_series_equal(after.sort_index(), got.sort_index())
