"""The shipped population reference against an independent sum of the ONS files.

The sum is taken here with openpyxl and the csv module (not pandas, not the build script),
with the December 2023 lookup taken one row per district: it lists a district once per
community safety partnership, and summing it as it stands counted Cumbria three times.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from peelstat.reference import force_area, population, resolve_force

pytestmark = pytest.mark.realdata

LOOKUP = "Local_Authority_District_to_CSPs_to_Police_Force_Areas_(December__2023)_Lookup_.csv"

# mid-2018 residents as ONS gives them (issue 10): the five forces the duplicated lookup broke
PUBLISHED_2018 = {
    "cumbria": 498_941,
    "dorset": 775_668,
    "northamptonshire": 769_240,
    "suffolk": 755_345,
    "thames-valley": 2_457_736,
}


def district_forces(shared: Path) -> dict[str, str]:
    """LAD code → force slug, one entry per district (a district never spans two forces)."""
    forces: dict[str, set[str]] = defaultdict(set)
    with (shared / "ons" / LOOKUP).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            forces[row["LAD23CD"]].add(row["PFA23NM"])
    assert all(len(names) == 1 for names in forces.values())
    return {code: resolve_force(names.pop()) for code, names in forces.items()}


def independent_sums(shared: Path) -> tuple[dict[tuple[str, int], int], dict[str, float]]:
    """(force, year) → residents and force → square km, summed over districts."""
    lookup = district_forces(shared)
    book = openpyxl.load_workbook(
        shared / "ons" / "LAD23_Mid_Year_pop_2011_to_2023.xlsx", read_only=True
    )
    rows = book["MYE5"].iter_rows(min_row=8, values_only=True)
    header = [str(cell) for cell in next(rows)]
    years = {i: int(h[-4:]) for i, h in enumerate(header) if h.startswith("Estimated Population")}
    residents: dict[tuple[str, int], int] = defaultdict(int)
    area: dict[str, float] = defaultdict(float)
    for row in rows:
        force = lookup.get(str(row[0]))
        if force is None:
            continue  # countries, regions and counties are not districts
        area[force] += float(row[header.index("Area (sq km)")])
        for column, year in years.items():
            residents[force, year] += int(row[column])
    return dict(residents), dict(area)


@pytest.fixture(scope="module")
def sums(shared_data: Path) -> tuple[dict[tuple[str, int], int], dict[str, float]]:
    return independent_sums(shared_data)


def test_every_shipped_force_year_matches_the_ons_districts(
    sums: tuple[dict[tuple[str, int], int], dict[str, float]],
) -> None:
    residents, _ = sums
    shipped = {(r.force, int(r.year)): int(r.residents) for r in population().itertuples()}
    assert len(shipped) == 43 * 13
    assert shipped == residents


def test_the_five_forces_the_duplicated_lookup_broke(
    sums: tuple[dict[tuple[str, int], int], dict[str, float]],
) -> None:
    table = population().set_index(["force", "year"])["residents"]
    for force, published in PUBLISHED_2018.items():
        assert table[force, 2018] == published
        assert sums[0][force, 2018] == published


def test_every_shipped_force_area_matches_the_ons_districts(
    sums: tuple[dict[tuple[str, int], int], dict[str, float]],
) -> None:
    _, area = sums
    shipped = force_area().set_index("force")["area_sq_km"].to_dict()
    assert set(shipped) == set(area)
    for force, sq_km in area.items():
        assert shipped[force] == pytest.approx(sq_km, abs=0.051), force
