"""Stop and search rows for the demo: who is searched, for what, and what came of it.

Volumes follow residents and the force's search level; the ethnic mix follows the force's
residents weighted by national search rates; a force's find level moves its arrest and other
positive outcome shares. Vehicle-only searches have no person details.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from peelstat.demo.columns import (
    categories,
    coordinates,
    flag,
    month_name,
    optional,
)
from peelstat.demo.forces import ForceProfile
from peelstat.demo.labels import (
    AGE_RANGES,
    ETHNIC_GROUPS,
    LEGISLATION,
    NO_FURTHER_ACTION,
    draw_codes,
)
from peelstat.demo.mixes import (
    OBJECTS,
    SEARCH_OUTCOMES,
    SEARCH_TYPES,
    SELF_DEFINED,
    STOP_SEARCH_PER_1000,
    STOP_SEARCH_SEASONALITY,
    seasonal_factor,
)


def stop_search_table(
    rng: np.random.Generator, force: ForceProfile, month: int, scale: float
) -> pa.Table:
    """The force's stop and search file: volume from residents, outcomes from its find level."""
    season = seasonal_factor(*STOP_SEARCH_SEASONALITY, month % 12 + 1)
    expected = force.residents(month // 12) / 1000 * STOP_SEARCH_PER_1000 / 12 * force.search_level
    n = int(rng.poisson(expected * season * scale))
    kind = draw_codes(rng, SEARCH_TYPES, n)
    vehicle = kind == 2
    start = np.datetime64(f"{month_name(month)}-01T00:00")
    days = np.datetime64(f"{month_name(month + 1)}-01T00:00") - start
    minutes = np.sort(rng.integers(0, days.astype("timedelta64[m]").astype(int), n))
    dates = np.datetime_as_string(start + minutes.astype("timedelta64[m]"), unit="s")
    missing_place = rng.random(n) < 0.17
    lsoa = rng.integers(0, len(force.lsoa_lon), n)
    lat = force.lsoa_lat[lsoa] + rng.normal(0, 0.01, n)
    lon = force.lsoa_lon[lsoa] + rng.normal(0, 0.01, n)
    gender = draw_codes(rng, {"Male": 0.9, "Female": 0.095, "Other": 0.005}, n)
    ethnicity = rng.choice(len(ETHNIC_GROUPS), size=n, p=force.ethnicity)
    no_ethnicity = vehicle | (rng.random(n) < 0.07)
    self_defined = no_ethnicity | (rng.random(n) < 0.15)
    objects = draw_codes(rng, OBJECTS, n)
    drugs = objects == 0
    # A force's find level scales how many searches end in something other than NFA.
    positive = rng.random(n) < min(0.9, (1 - SEARCH_OUTCOMES[NO_FURTHER_ACTION]) * force.find_level)
    found = (
        draw_codes(rng, {k: v for k, v in SEARCH_OUTCOMES.items() if k != NO_FURTHER_ACTION}, n) + 1
    )
    found = np.where(~drugs & (found == 3), 1, found)  # khat/cannabis warnings: drugs only
    outcome = np.where(positive, found, 0)
    legislation = np.select(
        [drugs, objects == 6, (objects == 1) & (rng.random(n) < 0.1)], [0, 2, 3], 1
    )
    linked = np.where(positive, draw_codes(rng, {"True": 0.6, "False": 0.25, "": 0.15}, n), 2)
    linked = np.where(~positive & (rng.random(n) < 0.15), 1, linked)
    return pa.table(
        {
            "Type": categories(list(SEARCH_TYPES), kind),
            "Date": pa.array(np.char.add(dates.astype(str), "+00:00")),
            "Part of a policing operation": flag(rng, (0.017, 0.695), n),
            "Policing operation": pa.nulls(n, pa.string()),
            "Latitude": coordinates(lat, missing_place),
            "Longitude": coordinates(lon, missing_place),
            "Gender": optional(["Male", "Female", "Other"], gender, vehicle),
            "Age range": optional(
                AGE_RANGES,
                draw_codes(rng, {"u": 0.001, "a": 0.19, "b": 0.38, "c": 0.24, "d": 0.19}, n),
                vehicle | (rng.random(n) < 0.05),
            ),
            "Self-defined ethnicity": optional(
                [SELF_DEFINED[g] for g in ETHNIC_GROUPS], ethnicity, self_defined
            ),
            "Officer-defined ethnicity": optional(ETHNIC_GROUPS, ethnicity, no_ethnicity),
            "Legislation": categories(LEGISLATION, legislation),
            "Object of search": categories(list(OBJECTS), objects),
            "Outcome": categories(list(SEARCH_OUTCOMES), outcome),
            "Outcome linked to object of search": optional(
                ["True", "False", ""], linked, linked == 2
            ),
            "Removal of more than just outer clothing": flag(rng, (0.018, 0.358), n),
        }
    )
