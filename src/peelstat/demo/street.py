"""Street rows for the demo: how many crimes of each type a force records in a month, and where.

A force-month's crimes are drawn once as arrays (:class:`Crimes`); the street file shows them
all and the outcomes files of later months cite some of them by crime ID and place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peelstat.demo.columns import (
    STREET_WITH_COMMA,
    categories,
    coordinates,
    hex_ids,
    month_name,
    optional,
    ordinal,
)
from peelstat.demo.forces import ForceProfile
from peelstat.demo.labels import draw_codes
from peelstat.demo.mixes import (
    ASB_PER_CRIME,
    CRIME_MIX,
    CRIME_TYPES,
    CRIMES_PER_1000,
    NO_LOCATION_SHARE,
    OTHER_SEASONALITY,
    SEASONALITY,
    STREET_OUTCOMES,
    STREETS,
    seasonal_factor,
)

PlaceNames = tuple[list[str], list[str], list[str]]  # streets, LSOA codes, LSOA names

MAP_POINTS_PER_LSOA = 16
"""police.uk places each crime at one of a fixed set of anonymous map points (a street's
centre), so a force's 12 months of crimes share far fewer places than rows: 13,573 distinct
points for 59,444 Kent crimes in four months of 2018/19. The demo does the same: a crime sits at
one of 16 points of its LSOA, chosen by its street, so a street is always at the same place."""
POINT_OFFSETS = np.random.default_rng(20181001).normal(0, (0.006, 0.004), (MAP_POINTS_PER_LSOA, 2))


@dataclass
class Crimes:
    """One force-month of street rows as arrays (type 0 is ASB), in file order."""

    types: np.ndarray
    lsoa: np.ndarray
    street: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    no_location: np.ndarray
    ids: np.ndarray
    outcome: np.ndarray


def expected_counts(force: ForceProfile, month: int, scale: float) -> np.ndarray:
    """Expected street rows by crime type: residents × rate × season × trend × force level."""
    calendar = month % 12 + 1
    years = (month - ordinal("2015-01")) / 12
    monthly = force.residents(month // 12) / 1000 * CRIMES_PER_1000 / 12 * force.crime_level
    shares = np.array([ASB_PER_CRIME, *CRIME_MIX.values()])
    season = np.array(
        [seasonal_factor(*SEASONALITY.get(t, OTHER_SEASONALITY), calendar) for t in CRIME_TYPES]
    )
    trend = np.exp(force.type_trend * years)
    return monthly * shares * season * trend * force.type_multiplier * scale


def draw_crimes(rng: np.random.Generator, force: ForceProfile, expected: np.ndarray) -> Crimes:
    """A month's crimes; real files run area by area, so rows come in LSOA order."""
    counts = rng.poisson(expected)
    types = rng.permutation(np.repeat(np.arange(len(CRIME_TYPES)), counts))
    n = len(types)
    areas = len(force.lsoa_lon)
    lsoa = np.repeat(np.arange(areas), rng.multinomial(n, np.full(areas, 1 / areas)))
    no_location = rng.random(n) < NO_LOCATION_SHARE
    outcome = draw_codes(rng, STREET_OUTCOMES, n)
    street = rng.integers(0, STREETS, n)
    rng.normal(
        0, 1, (2, n)
    )  # once each crime's own jitter: drawn still, so the IDs stay as they were
    point = POINT_OFFSETS[street % MAP_POINTS_PER_LSOA]
    return Crimes(
        types=types,
        lsoa=lsoa,
        street=street,
        lon=force.lsoa_lon[lsoa] + point[:, 0],
        lat=force.lsoa_lat[lsoa] + point[:, 1],
        no_location=no_location,
        ids=np.frombuffer(rng.bytes(32 * n), dtype=np.uint8).reshape(n, 32),
        outcome=outcome,
    )


def street_table(force: ForceProfile, month: int, crimes: Crimes, names: PlaceNames) -> pa.Table:
    """The force's street file for the month (ASB rows have no crime ID and no outcome)."""
    asb = crimes.types == 0
    return pa.table(
        {
            "Crime ID": pc.if_else(
                pa.array(asb), pa.scalar(None, pa.string()), hex_ids(crimes.ids)
            ),
            **place_columns(force, month, crimes, slice(None), names),
            "Crime type": categories(CRIME_TYPES, crimes.types),
            "Last outcome category": optional(list(STREET_OUTCOMES), crimes.outcome, asb),
            "Context": pa.nulls(len(crimes.types), pa.string()),
        }
    )


def place_columns(
    force: ForceProfile, month: int, crimes: Crimes, rows: slice | np.ndarray, names: PlaceNames
) -> dict:
    """Month, force and location columns for some of a month's crimes."""
    missing = crimes.no_location[rows]
    n = len(missing)
    lsoa = crimes.lsoa[rows]
    streets, lsoa_codes, lsoa_names = names
    street = np.where(missing, STREETS, crimes.street[rows])
    return {
        "Month": categories([month_name(month)], np.zeros(n, np.int32)),
        "Reported by": categories([force.police_uk_name], np.zeros(n, np.int32)),
        "Falls within": categories([force.police_uk_name], np.zeros(n, np.int32)),
        "Longitude": coordinates(crimes.lon[rows], missing),
        "Latitude": coordinates(crimes.lat[rows], missing),
        "Location": categories(streets, street),
        "LSOA code": optional(lsoa_codes, lsoa, missing),
        "LSOA name": optional(lsoa_names, lsoa, missing),
    }


def place_names(force: ForceProfile) -> PlaceNames:
    """The force's synthetic streets and LSOAs (codes ``X01…`` match no real area)."""
    streets = [f"On or near Synthetic Street {k}" for k in range(STREETS)]
    streets[7] = STREET_WITH_COMMA
    codes = [f"X01{force.index:02d}{k:04d}" for k in range(len(force.lsoa_lon))]
    names = [f"Synthetic {k // 5 + 1:03d}{'ABCDE'[k % 5]}" for k in range(len(codes))]
    return [*streets, "No Location"], codes, names
