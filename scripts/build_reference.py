"""Rebuild the population and ethnicity reference tables from the ONS files in ../shared/data.

Run: python scripts/build_reference.py [SHARED_DATA_DIR]
The outputs are small fact tables committed under src/peelstat/reference/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from peelstat.reference import resolve_force

OUT = Path(__file__).resolve().parents[1] / "src" / "peelstat" / "reference"


def population(data: Path) -> pd.DataFrame:
    """Residents by police force area and mid-year: LAD estimates summed through the ONS lookup."""
    mye = pd.read_excel(
        data / "ons" / "LAD23_Mid_Year_pop_2011_to_2023.xlsx", "MYE5", header=7, engine="openpyxl"
    )
    lookup = pd.read_csv(
        data
        / "ons"
        / "Local_Authority_District_to_CSPs_to_Police_Force_Areas_(December__2023)_Lookup_.csv",
        encoding="utf-8-sig",
    )
    # the lookup has one row per district *and* community safety partnership (332 rows, 318
    # districts): a district split over several partnerships must still be counted once
    districts = lookup[["LAD23CD", "PFA23NM"]].drop_duplicates("LAD23CD")
    merged = mye.merge(districts, left_on="Code", right_on="LAD23CD")
    rows = []
    for year in range(2011, 2024):
        grouped = merged.groupby("PFA23NM")[f"Estimated Population mid-{year}"].sum()
        for name, residents in grouped.items():
            rows.append(
                {"force": resolve_force(str(name)), "year": year, "residents": int(residents)}
            )
    area = merged.groupby("PFA23NM")["Area (sq km)"].sum()
    out = pd.DataFrame(rows).sort_values(["force", "year"])
    area_rows = pd.DataFrame(
        {
            "force": [resolve_force(str(n)) for n in area.index],
            "area_sq_km": area.to_numpy().round(1),
        }
    )
    area_rows.sort_values("force").to_csv(OUT / "force_area.csv", index=False)
    return out


def ethnicity(data: Path) -> pd.DataFrame:
    """Census 2011 residents by the police.uk officer-defined ethnic groups, per force area."""
    raw = pd.read_csv(data / "derived" / "police-defined-demographics-census2011.csv")
    long = raw.melt(id_vars="Police force", var_name="ethnic_group", value_name="residents")
    long["force"] = long["Police force"].map(resolve_force)
    return long[["force", "ethnic_group", "residents"]].sort_values(["force", "ethnic_group"])


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    population(shared).to_csv(OUT / "population.csv", index=False)
    ethnicity(shared).to_csv(OUT / "ethnicity_census2011.csv", index=False)
    print(f"wrote {OUT}/population.csv, force_area.csv and ethnicity_census2011.csv")
