"""Force profiles for the demo: what stays fixed for a force from month to month.

Each force gets its residents, a crime level, per-type multipliers and trends, a search and
a find level, the ethnic mix of the people it searches and a cloud of synthetic LSOAs, all
drawn from the seed, so forces differ and rankings vary from seed to seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstat.demo.labels import ETHNIC_GROUPS
from peelstat.demo.mixes import (
    BTP_NOTIONAL_RESIDENTS,
    CENSUS_GROUP,
    CRIME_TYPES,
    NATIONAL_ETHNICITY,
    SEARCH_RATE_RATIO,
)
from peelstat.reference import ethnicity_census2011, population
from peelstat.reference import forces as reference_forces

RngFor = Callable[..., np.random.Generator]


@dataclass
class ForceProfile:
    """What stays fixed for a force across months: size, multipliers, trends, places."""

    slug: str
    index: int
    police_uk_name: str
    residents_by_year: dict[int, int]
    crime_level: float
    type_multiplier: np.ndarray
    type_trend: np.ndarray
    search_level: float
    find_level: float
    ethnicity: np.ndarray
    lsoa_lon: np.ndarray
    lsoa_lat: np.ndarray

    def residents(self, year: int) -> int:
        """Residents in the latest population year up to ``year`` (the earliest before it)."""
        years = sorted(self.residents_by_year)
        chosen = max((y for y in years if y <= year), default=years[0])
        return self.residents_by_year[chosen]


def force_profiles(slugs: list[str], scale: float, rng_for: RngFor) -> dict[str, ForceProfile]:
    """Profiles of the chosen forces, each drawn from its own generator (seed, 1, force)."""
    table = reference_forces().set_index("slug")
    people = population()
    every = list(table.index)
    return {
        slug: _profile(slug, every.index(slug), table, people, scale, rng_for) for slug in slugs
    }


def _profile(
    slug: str, index: int, table: pd.DataFrame, people: pd.DataFrame, scale: float, rng_for: RngFor
) -> ForceProfile:
    rng = rng_for(1, index)
    rows = people[people["force"] == slug]
    residents = dict(zip(rows["year"], rows["residents"], strict=True)) or {
        2011: BTP_NOTIONAL_RESIDENTS
    }
    lsoas = max(30, int(max(residents.values()) * scale) // 1600)
    centre = (rng.uniform(-4.2, 1.2), rng.uniform(50.6, 54.6))
    return ForceProfile(
        slug=slug,
        index=index,
        police_uk_name=str(table.loc[slug, "police_uk_name"]),
        residents_by_year={int(y): int(r) for y, r in residents.items()},
        crime_level=float(np.exp(rng.normal(0, 0.08))),
        type_multiplier=np.exp(rng.normal(0, 0.18, len(CRIME_TYPES))),
        type_trend=rng.normal(0, 0.05, len(CRIME_TYPES)),
        search_level=float(np.exp(rng.normal(0, 0.45))),
        find_level=float(np.exp(rng.normal(0, 0.2))),
        ethnicity=searched_ethnicity(slug),
        lsoa_lon=centre[0] + rng.normal(0, 0.18, lsoas),
        lsoa_lat=centre[1] + rng.normal(0, 0.12, lsoas),
    )


def searched_ethnicity(slug: str) -> np.ndarray:
    """Shares of searches by group: the force's 2011 residents weighted by national search rates."""
    census = ethnicity_census2011()
    rows = census[census["force"] == slug]
    shares = dict.fromkeys(ETHNIC_GROUPS, 0.0)
    for group, residents in zip(rows["ethnic_group"], rows["residents"], strict=True):
        shares[CENSUS_GROUP.get(group, "Mixed" if "Mixed" in group else "Other")] += residents
    if not sum(shares.values()):
        shares = dict(NATIONAL_ETHNICITY)
    weights = np.array([shares[g] * SEARCH_RATE_RATIO[g] for g in ETHNIC_GROUPS])
    return weights / weights.sum()
