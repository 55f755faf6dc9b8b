"""The calendar every measure is computed on: force × period, with the population for each.

Building it once per query, in pandas (44 forces × a few dozen periods is tiny), does two
jobs. It makes a missing force-month visible (the source has no row to join, so the window
knows it is short) and it fixes which mid-year population divides each window:

* Residents: the warehouse ``population`` table when it has that force and year, else the
  ONS mid-year estimates shipped in :func:`peelstat.reference.population`.
* Households: the warehouse ``population.households`` column, else the household counts of
  the ONS police force area tables (``ons_pfa_population``, loaded by ``peelstat load
  ons-pfa-tables``). peelstat never invents household counts; without them a
  per-1,000-households rate is NULL with a note saying so.
* Which year: the mid-year (30 June) inside the 12 months ending at ``period_end``, i.e. the
  period end's year when it is June or later, else the year before (y/e March 2018 → mid-2017).
  A year outside the estimates available takes the nearest year, and the note says which.

Every window's ``denominator_note`` says which figure divided it: "residents: mid-2018,
warehouse population table" or "residents: mid-2018, ONS estimates shipped with peelstat
(none in the warehouse)" — so a rate resting on the fallback says so where it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.periods import Grain, period_start, population_year
from peelstat.reference import ethnicity_census2011, population

WAREHOUSE = "warehouse population table"
SHIPPED_SHORT = "ONS estimates shipped with peelstat"
SHIPPED = f"{SHIPPED_SHORT} (none in the warehouse for this force and year)"
ORIGINS = {"warehouse": WAREHOUSE, "reference": SHIPPED}
HOUSEHOLD_ORIGINS = {
    "warehouse": WAREHOUSE,
    "ons-pfa-tables": "ONS police force area tables, Table P3 (rounded to 100)",
}

NO_HOUSEHOLDS = (
    "no household counts for this force and year: load the ONS police force area tables "
    "(`peelstat load ons-pfa-tables`) or a population table with households "
    "(`peelstat load population`); peelstat does not estimate households"
)


def population_table(con: BaseBackend | None) -> pd.DataFrame:
    """Residents and households by force and year: warehouse rows first, reference residents
    after; households the population table lacks come from the ONS force area tables."""
    reference = population().assign(households=float("nan"), origin="reference")
    if con is None or "population" not in con.list_tables():
        return with_table_households(con, reference)
    loaded = con.table("population").select("force", "year", "residents", "households").to_pandas()
    loaded = loaded.assign(origin="warehouse").astype({"residents": float, "households": float})
    combined = pd.concat([loaded, reference], ignore_index=True) if len(loaded) else reference
    # warehouse residents win; reference fills the force-years the warehouse lacks
    combined = combined.drop_duplicates(["force", "year"], keep="first").reset_index(drop=True)
    return with_table_households(con, combined)


def with_table_households(con: BaseBackend | None, table: pd.DataFrame) -> pd.DataFrame:
    """``households_origin`` for each row, filling missing households from ``ons_pfa_population``."""
    table = table.assign(households_origin=table["households"].notna().map({True: "warehouse"}))
    if con is None or "ons_pfa_population" not in con.list_tables():
        return table
    pfa = con.table("ons_pfa_population")
    pfa = pfa.filter(pfa.figure == "households").select("force", "year", "value").to_pandas()
    if pfa.empty:
        return table
    merged = table.merge(pfa, on=["force", "year"], how="left")
    fill = merged["households"].isna() & merged["value"].notna()
    merged.loc[fill, "households"] = merged.loc[fill, "value"].astype(float)
    merged.loc[fill, "households_origin"] = "ons-pfa-tables"
    return merged.drop(columns="value")


def _nearest(years: Sequence[int], wanted: int) -> int:
    return min(years, key=lambda y: (abs(y - wanted), -y))


_CALENDARS: dict[tuple, pd.DataFrame] = {}


def calendar_frame(
    forces: Sequence[str],
    periods: Sequence[dt.date],
    grain: Grain,
    populations: pd.DataFrame,
) -> pd.DataFrame:
    """One row per force and period: period_start, index, population year, residents, households.

    Groups of measures sharing a grain and window share a calendar: it is built once per
    populations table (a fresh copy each time, for the caller to add columns to)."""
    digest = pd.util.hash_pandas_object(populations, index=False).to_numpy().tobytes()
    key = (tuple(forces), tuple(periods), grain, digest)
    if key not in _CALENDARS:
        if len(_CALENDARS) >= 64:
            _CALENDARS.clear()
        _CALENDARS[key] = _calendar_frame(forces, periods, grain, populations)
    return _CALENDARS[key].copy()


def _calendar_frame(
    forces: Sequence[str],
    periods: Sequence[dt.date],
    grain: Grain,
    populations: pd.DataFrame,
) -> pd.DataFrame:
    grid = pd.DataFrame(
        {
            "force": np.repeat(list(forces), len(periods)),
            "period_end": list(periods) * len(forces),
            "period_index": np.tile(np.arange(len(periods), dtype="int64"), len(forces)),
        }
    )
    grid["period_start"] = [period_start(end, grain) for end in grid["period_end"]]
    grid["wanted_year"] = [population_year(end) for end in grid["period_end"]]
    years = populations.groupby("force")["year"].apply(list).to_dict()
    grid["population_year"] = [
        _nearest(years[f], w) if f in years else w
        for f, w in zip(grid["force"], grid["wanted_year"], strict=True)
    ]
    grid = grid.merge(
        populations[
            ["force", "year", "residents", "households", "origin", "households_origin"]
        ].rename(columns={"year": "population_year"}),
        on=["force", "population_year"],
        how="left",
    )
    grid["population_note"] = _note(grid, "residents", grid["origin"].map(ORIGINS))
    has_households = grid["households"].notna()
    households_from = grid["households_origin"].map(HOUSEHOLD_ORIGINS)
    grid["households_note"] = _note(grid, "households", households_from).where(has_households, None)
    missing = "no population figures for " + grid["force"]
    grid["population_note"] = grid["population_note"].where(
        grid["force"].isin(list(years)), missing
    )
    columns = ["force", "period_start", "period_end", "period_index", "population_year"]
    notes = ["population_note", "households_note"]
    return grid[[*columns, "residents", "households", *notes]].astype(
        {"residents": "float64", "households": "float64"} | dict.fromkeys(notes, object)
    )


def _note(grid: pd.DataFrame, what: str, origin: pd.Series | str) -> pd.Series:
    """'residents: mid-2018, <origin>', saying so when the mid-year is not the window's own."""
    text = what + ": mid-" + grid["population_year"].astype(str) + ", " + origin
    nearest = " (nearest year available to mid-" + grid["wanted_year"].astype(str) + ")"
    other_year = grid["population_year"] != grid["wanted_year"]
    return (text + nearest.where(other_year, "")).astype(object)


def ethnic_residents(groups: Sequence[str]) -> pd.Series:
    """Census 2011 residents of the given groups per force (stop and search denominators)."""
    table = ethnicity_census2011()
    chosen = table[table["ethnic_group"].isin(list(groups))]
    return chosen.groupby("force")["residents"].sum().astype(float)
