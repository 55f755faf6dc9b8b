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
from functools import cache
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.periods import Grain, period_start, population_year
from peelstat.reference import ethnicity_census2011, population
from peelstat.warehouse.tables import table_names

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
    if con is None or "population" not in table_names(con):
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
    if con is None or "ons_pfa_population" not in table_names(con):
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


_CALENDARS: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}


def calendar_frame(
    forces: Sequence[str],
    periods: Sequence[dt.date],
    grain: Grain,
    populations: pd.DataFrame,
) -> pd.DataFrame:
    """One row per force and period: period_start, index, population year, residents, households.

    Groups of measures sharing a grain and window share a calendar: it is built once per
    populations table object (one per computation: hashing its contents took longer than
    the build) and a fresh copy handed out each time, for the caller to add columns to."""
    key = (tuple(forces), tuple(periods), grain, id(populations))
    kept = _CALENDARS.get(key)
    if kept is None or kept[0] is not populations:
        if len(_CALENDARS) >= 64:
            _CALENDARS.clear()
        # the table is kept with its calendar, so its id cannot be reused while the key lives
        kept = _CALENDARS[key] = (populations, _calendar_frame(forces, periods, grain, populations))
    return kept[1].copy()


def _calendar_frame(
    forces: Sequence[str],
    periods: Sequence[dt.date],
    grain: Grain,
    populations: pd.DataFrame,
) -> pd.DataFrame:
    # a plain loop: some 1,500 rows, where pandas string arithmetic took a quarter second
    starts = [period_start(end, grain) for end in periods]
    wanted = [population_year(end) for end in periods]
    columns = ["force", "year", "residents", "households", "origin", "households_origin"]
    figures: dict[tuple[str, int], tuple] = {}
    years: dict[str, list[int]] = {}
    for force, year, *values in populations[columns].itertuples(index=False, name=None):
        figures.setdefault((force, year), tuple(values))
        years.setdefault(force, []).append(year)
    none = (float("nan"), float("nan"), None, None)
    rows = []
    for force in forces:
        known = years.get(force)
        for index, (end, start, want) in enumerate(zip(periods, starts, wanted, strict=True)):
            year = _nearest(known, want) if known else want
            residents, households, origin, households_origin = figures.get((force, year), none)
            if known:
                population_note = _note("residents", year, want, ORIGINS.get(origin))
            else:
                population_note = f"no population figures for {force}"
            households_note = (
                _note("households", year, want, HOUSEHOLD_ORIGINS.get(households_origin))
                if pd.notna(households)
                else None
            )
            rows.append(
                (force, start, end, index, year, residents, households, population_note,
                 households_note)
            )  # fmt: skip
    names = ["force", "period_start", "period_end", "period_index", "population_year",
             "residents", "households", "population_note", "households_note"]  # fmt: skip
    kinds: list[Any] = [str, object, object, "int64", "int64", "float64", "float64", object, object]
    # built column by column: a mixed None/str column stays None, never NaN
    columns_of = zip(
        names, zip(*rows, strict=True) if rows else [()] * len(names), kinds, strict=True
    )
    return pd.DataFrame({n: pd.Series(list(c), dtype=k) for n, c, k in columns_of})


def _note(what: str, year: int, wanted: int, origin: str | None) -> str | None:
    """'residents: mid-2018, <origin>', saying so when the mid-year is not the window's own."""
    if origin is None:
        return None
    nearest = f" (nearest year available to mid-{wanted})" if year != wanted else ""
    return f"{what}: mid-{year}, {origin}{nearest}"


def ethnic_residents(groups: Sequence[str]) -> pd.Series:
    """Census 2011 residents of the given groups per force (stop and search denominators)."""
    return _ethnic_residents(tuple(groups)).copy()


@cache
def _ethnic_residents(groups: tuple[str, ...]) -> pd.Series:
    """The census table is read once per set of groups, not once per measure group."""
    table = ethnicity_census2011()
    chosen = table[table["ethnic_group"].isin(list(groups))]
    return chosen.groupby("force")["residents"].sum().astype(float)
