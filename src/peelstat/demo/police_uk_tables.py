"""SYNTHETIC police.uk record-level tables (street, outcomes, stop and search), straight to
warehouse rows without files. Not real data: see :mod:`peelstat.demo.warehouse`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from peelstat.demo.labels import ASB, DRUGS_ACT_SEARCH
from peelstat.demo.table_mixes import (
    ETHNICITY,
    OUTCOME_EVENTS,
    SEARCH_OUTCOMES,
    STREET_OUTCOMES,
    STREET_TYPES,
)
from peelstat.demo.table_rows import draw_labels, force_month_keys, with_provenance
from peelstat.warehouse.tables import table_schema


def street(
    forces: Sequence[str], months: Sequence[dt.date], per_1000: float, rng: np.random.Generator
) -> pd.DataFrame:
    """police.uk street records: about ``per_1000`` per 1,000 residents per month."""
    force_col, month_col = force_month_keys(forces, months, per_1000, 40.0, rng)
    n = len(month_col)
    crime_type = draw_labels(rng, STREET_TYPES, n)
    asb = np.asarray(crime_type == ASB)
    outcome = draw_labels(rng, STREET_OUTCOMES, n)
    frame = pd.DataFrame(
        {
            "crime_id": pd.array(np.where(asb, None, np.char.mod("c%09d", np.arange(n))), "str"),  # type: ignore[call-overload,arg-type,operator]
            "month": month_col,
            "reported_by": force_col,
            "falls_within": force_col,
            "force": force_col,
            "longitude": rng.uniform(-3, 0, n),
            "latitude": rng.uniform(51, 53, n),
            "location": "On or near Example Street",
            "lsoa_code": "E01000001",
            "lsoa_name": "Example 001A",
            "crime_type": crime_type,
            "last_outcome_category": outcome.add_categories([]).to_numpy(),
            "context": None,
        }
    )
    frame.loc[asb, "last_outcome_category"] = None
    return with_provenance(frame, "synthetic-street.csv")


def outcomes(street_rows: pd.DataFrame, share: float, rng: np.random.Generator) -> pd.DataFrame:
    """Outcome events for a sample of street crimes, some crime IDs repeated (as real files do)."""
    crimes = street_rows[street_rows["crime_id"].notna()]
    picked = crimes.sample(frac=share, random_state=int(rng.integers(1 << 31)))
    repeated = pd.concat([picked, picked.sample(frac=0.1, random_state=1)])
    n = len(repeated)
    frame = repeated[list(table_schema("police_uk_street").names[:11])].drop(columns="crime_type")
    frame = frame.assign(outcome_category=draw_labels(rng, OUTCOME_EVENTS, n)).reset_index(
        drop=True
    )
    return with_provenance(frame, "synthetic-outcomes.csv")


def stop_search(
    forces: Sequence[str], months: Sequence[dt.date], per_1000: float, rng: np.random.Generator
) -> pd.DataFrame:
    """police.uk stop and search records."""
    force_col, month_col = force_month_keys(forces, months, per_1000, 20.0, rng)
    n = len(month_col)
    linked = rng.choice([True, False, None], size=n, p=[0.25, 0.45, 0.3])  # type: ignore[call-overload,arg-type,operator]
    frame = pd.DataFrame(
        {
            "force": force_col,
            "month": month_col,
            "type": "Person search",
            "date": pd.to_datetime(month_col).tz_localize("UTC") + pd.Timedelta(hours=12),
            "part_of_a_policing_operation": False,
            "policing_operation": None,
            "latitude": rng.uniform(51, 53, n),
            "longitude": rng.uniform(-3, 0, n),
            "gender": "Male",
            "age_range": "18-24",
            "self_defined_ethnicity": None,
            "officer_defined_ethnicity": draw_labels(rng, ETHNICITY, n),
            "legislation": DRUGS_ACT_SEARCH,
            "object_of_search": "Controlled drugs",
            "outcome": draw_labels(rng, SEARCH_OUTCOMES, n),
            "outcome_linked_to_object_of_search": pd.array(linked, dtype="boolean"),
            "removal_of_more_than_just_outer_clothing": False,
        }
    )
    return with_provenance(frame, "synthetic-stop-and-search.csv")
