"""ONS police force area data tables: all three shared editions, a new edition, households in rates."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from peelstat.measures.compile import compute_measures
from peelstat.reference import territorial_forces
from peelstat.sources import get_source
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

# edition: (12 months ending, Avon and Somerset total, residents' and households' mid-year)
EDITIONS = {
    "policeforceareatablesyeendingmarch2019.xlsx": ("2019-03", 136_761, 2017, 2017),
    "policeforceareatablesyearendingjune2019.xlsx": ("2019-06", 136_710, 2018, 2017),
    "policeforceareatablesyearendingseptember2019.xlsx": ("2019-09", 137_517, 2018, 2018),
}
TOTAL = "Total recorded crime (excluding fraud)"
# Avon and Somerset as SOURCES.md gives them: (residents, households) by mid-year
AVON = {2017: (1_695_000, 716_600), 2018: (1_711_500, 723_200)}


def load(paths: list[Path]):
    con = connect(":memory:")
    report = load_source(con, get_source("ons-pfa-tables"), paths)
    return con, report


def published_total(path: Path) -> int:
    """The England and Wales row of P1, read straight from the workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = next(book[n] for n in book.sheetnames if n.strip() == "Table P1")
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "K04000001")
    return int(row[2])


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_each_edition_loads_its_twelve_months_and_denominators(
    shared_data: Path, name: str
) -> None:
    path = shared_data / "ons" / "pfa_tables" / name
    ending, avon_total, residents_year, households_year = EDITIONS[name]
    con, report = load([path])
    assert sorted(u.file for u in report.units) == sorted(
        [
            f"ons-pfa-tables/recorded-crime/ye-{ending}",
            f"ons-pfa-tables/residents/mid-{residents_year}",
            f"ons-pfa-tables/households/mid-{households_year}",
        ]
    )
    crime = con.table("ons_pfa_recorded_crime").to_pandas()
    totals = crime[crime.offence_group == TOTAL].set_index("force")["offences"]
    assert totals["avon-and-somerset"] == avon_total  # published check figure
    # the published England and Wales row is the sum of the forces it includes ("Includes
    # British Transport Police"; Greater Manchester, '..' in September, is left out of it)
    territorial = totals[totals.index.isin(territorial_forces())].sum()
    assert territorial + totals["btp"] == published_total(path)
    assert "Residential burglary" in set(crime.offence_group)  # footnote digit '5' removed
    people = con.table("ons_pfa_population").to_pandas()
    avon = people[people.force == "avon-and-somerset"].set_index("figure")
    assert avon.loc["residents", "value"] == AVON[residents_year][0]
    assert avon.loc["households", "value"] == AVON[households_year][1]


@pytest.mark.realdata
def test_greater_manchester_dots_are_rejected_not_zero(shared_data: Path) -> None:
    path = shared_data / "ons" / "pfa_tables" / "policeforceareatablesyearendingseptember2019.xlsx"
    con, _ = load([path])
    crime = con.table("ons_pfa_recorded_crime").to_pandas()
    assert "greater-manchester" not in set(crime.force)
    assert len(set(crime.force) & set(territorial_forces())) == 42
    reasons = con.table("rejected_rows").to_pandas()["reason"]
    expected = f"{TOTAL} for greater-manchester is '..' (ONS: data not available)"
    assert reasons.str.contains(expected, regex=False).any()


@pytest.mark.realdata
def test_households_feed_residential_burglary(shared_data: Path) -> None:
    con, _ = load([shared_data / "ons" / "pfa_tables"])
    prc = shared_data / "home_office" / "prc-pfa-mar2013-onwards-tables201718.csv"
    load_source(con, get_source("home-office"), [prc])
    frame = compute_measures(
        con, ["residential_burglary"], start="2018-03", forces=["avon-and-somerset"]
    ).set_index("force")
    avon = frame.loc["avon-and-somerset"]
    codes = {"28E", "28F", "28G", "28H", "29A"}
    with prc.open(encoding="utf-8-sig", newline="") as handle:
        by_hand = sum(
            int(float(r["Number of Offences"]))
            for r in csv.DictReader(handle)
            if r["Force Name"] == "Avon and Somerset" and r["Offence Code"] in codes
        )
    assert avon.numerator == by_hand
    assert avon.denominator == AVON[2017][1]
    assert avon.value == pytest.approx(by_hand / AVON[2017][1] * 1000)
    assert avon.denominator_note == (
        "households: mid-2017, ONS police force area tables, Table P3 (rounded to 100)"
    )
    # the national row needs every force's households: Greater Manchester has them for 2017
    assert frame.loc["england-and-wales", "denominator"] > 0


def write_edition(path: Path) -> Path:
    """A later edition of the same kind: another quarter, sheet names with spaces, new footnotes."""
    book = openpyxl.Workbook()
    p1 = book.active
    p1.title = "Table P1  "
    p1.append(["Table P1: Police recorded crime ..., year ending December 20201,2"])
    p1.append([])
    p1.append([None, None, "Total recorded crime (excluding fraud4)", None, "Victim-based crime"])
    p1.append(["Area Code", "Area Name", None, None, "Violence against the person7"])
    p1.append([None, None, "Numbers"])
    p1.append(["K04000001", "ENGLAND AND WALES6", 1100, None, 500])
    p1.append(["E23000036", "Avon and Somerset11", 1000, None, 400])
    p1.append(["E23000035", "Devon & Cornwall", "..", None, ".."])
    p1.append([None, "British Transport Police", 100, None, 100])
    p3 = book.create_sheet("Table P3 ")
    p3.append(["Table P3: ... rate of offences, year ending December 2020"])
    p3.append(
        [
            "Area Code",
            "Area Name",
            "Population figures\n (mid-2019)3",
            "Household figures (mid-2019)4",
        ]
    )
    p3.append(["E23000036", "Avon and Somerset11", 1725000, 730000])
    book.save(path)
    return path


def test_a_later_edition_loads_without_code_changes(tmp_path: Path) -> None:
    con, report = load([write_edition(tmp_path / "pfa-dec2020.xlsx")])
    assert sorted(u.file for u in report.units) == [
        "ons-pfa-tables/households/mid-2019",
        "ons-pfa-tables/recorded-crime/ye-2020-12",
        "ons-pfa-tables/residents/mid-2019",
    ]
    crime = con.table("ons_pfa_recorded_crime").to_pandas()
    rows = {(r.force, r.offence_group): r.offences for r in crime.itertuples()}
    assert rows == {
        ("avon-and-somerset", TOTAL): 1000,
        ("avon-and-somerset", "Violence against the person"): 400,
        ("btp", TOTAL): 100,
        ("btp", "Violence against the person"): 100,
    }
    rejected = con.table("rejected_rows").to_pandas()
    assert list(rejected["line"]) == [8, 8]  # Devon and Cornwall's two '..' cells
    people = con.table("ons_pfa_population").to_pandas().set_index("figure")["value"]
    assert people.to_dict() == {"residents": 1_725_000, "households": 730_000}
