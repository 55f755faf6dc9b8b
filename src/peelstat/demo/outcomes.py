"""Outcomes rows for the demo: events recorded this month for this and earlier months' crimes.

Most outcomes come within a few months (``OUTCOME_LAG_SHARE``), court results later; a few
lines repeat exactly, as they do in real police.uk outcomes files.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from peelstat.demo.columns import categories, hex_ids
from peelstat.demo.forces import ForceProfile, RngFor
from peelstat.demo.labels import draw_codes
from peelstat.demo.mixes import (
    COURT_EVENTS,
    DUPLICATE_OUTCOME_SHARE,
    OUTCOME_LAG_SHARE,
    POLICE_EVENTS,
)
from peelstat.demo.street import Crimes, PlaceNames, place_columns

OUTCOME_TYPES = [*POLICE_EVENTS, *COURT_EVENTS]


def outcomes_table(
    force: ForceProfile,
    month: int,
    crimes_of: Callable[[int], Crimes],
    rng_for: RngFor,
    names: PlaceNames,
) -> pa.Table:
    """The force's outcomes file for ``month``, citing crimes of up to six months before."""
    parts = [
        _events(force, month, lag, share, crimes_of(month - lag), rng_for(3, force.index, month, lag), names)
        for lag, share in enumerate(OUTCOME_LAG_SHARE)
    ]  # fmt: skip
    # Empty parts are dropped: pyarrow 26 writes garbage for empty chunks in a CSV.
    kept = [p for p in parts if p.num_rows] or parts[:1]
    return pa.concat_tables(kept, promote_options="permissive").combine_chunks()


def _events(
    force: ForceProfile,
    month: int,
    lag: int,
    share: float,
    earlier: Crimes,
    rng: np.random.Generator,
    names: PlaceNames,
) -> pa.Table:
    """Outcome events this month for crimes recorded ``lag`` months earlier (ASB has none)."""
    chosen = np.flatnonzero((earlier.types > 0) & (rng.random(len(earlier.types)) < share))
    chosen = np.sort(
        np.concatenate([chosen, chosen[rng.random(len(chosen)) < DUPLICATE_OUTCOME_SHARE]])
    )
    court = rng.random(len(chosen)) < min(0.05 * lag, 0.3)
    police = draw_codes(rng, POLICE_EVENTS, len(chosen))
    courts = draw_codes(rng, COURT_EVENTS, len(chosen)) + len(POLICE_EVENTS)
    events = np.where(court, courts, police)
    return pa.table(
        {
            "Crime ID": hex_ids(earlier.ids[chosen]),
            **place_columns(force, month, earlier, chosen, names),
            "Outcome type": categories(OUTCOME_TYPES, events.astype(np.int32)),
        }
    )
