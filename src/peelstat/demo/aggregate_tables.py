"""SYNTHETIC tables already counted by force and period: Home Office recorded crime, the
rolling year and outcomes, 999 call answering and population. Not real data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from peelstat.demo.table_mixes import OUTCOME_TYPES, ROLLING_OFFENCES
from peelstat.demo.table_rows import add_financial_periods, residents_of, with_provenance
from peelstat.reference import offence_codes, population


def recorded_crime(
    forces: Sequence[str], quarter_ends: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """Home Office offences by force, quarter and offence code (old burglary codes before 2017/18)."""
    codes = offence_codes()
    residents = residents_of(forces)
    rows = []
    for force in forces:
        for end in quarter_ends:
            new_burglary = end >= dt.date(2017, 6, 30)
            for code in codes.itertuples():
                if "outcome only" in code.offence_description and new_burglary:  # type: ignore[call-overload,arg-type,operator]
                    continue
                new_code = code.offence_code in (
                    "28E",
                    "28F",
                    "28G",
                    "28H",
                    "29A",
                    "30C",
                    "30D",
                    "31A",
                )
                if new_code and not new_burglary:
                    continue
                expected = residents[force] / 1000 * 0.6
                rows.append(
                    (force, end, code.offence_code, code.offence_description, code.offence_group,
                     code.offence_subgroup, int(rng.poisson(expected)))
                )  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["force", "period_end", "offence_code", "offence_description", "offence_group",
                 "offence_subgroup", "offences"],
    )  # fmt: skip
    add_financial_periods(frame)
    return with_provenance(frame, "synthetic-prc.csv")


def rolling(
    forces: Sequence[str], quarter_ends: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """Rolling-year totals by force and offence, with the 2017/18 burglary switch-over."""
    residents = residents_of(forces)
    rows = []
    for force in forces:
        for end in quarter_ends:
            for offence, share in ROLLING_OFFENCES.items():
                total = float(rng.poisson(residents[force] / 1000 * 80 * max(share, 1e-4)))
                burglary = offence in ("Residential burglary", "Domestic burglary")
                if burglary:
                    total = float(rng.poisson(residents[force] / 1000 * 4))
                    new_part = min(
                        max((pd.Period(end, "Q") - pd.Period("2017Q1", "Q")).n / 4, 0), 1
                    )
                    total *= new_part if offence == "Residential burglary" else 1 - new_part
                rows.append((force, end, offence, round(total)))
    frame = pd.DataFrame(rows, columns=["force", "period_end", "offence", "offences_12m"])
    return with_provenance(frame, "synthetic-rec-crime-pfa.csv")


def crime_outcomes(
    forces: Sequence[str], quarter_ends: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """Home Office outcomes for offences recorded in each quarter, by offence code and outcome."""
    chosen = offence_codes()[
        offence_codes()["offence_code"].isin(["19C", "39", "34B", "46", "105A", "AF"])
    ]
    rows = []
    for force in forces:
        for end in quarter_ends:
            for code in chosen.itertuples():
                for outcome, share in OUTCOME_TYPES.items():
                    count = int(rng.poisson(200 * share))
                    rows.append(
                        (end, force, code.offence_code, code.offence_description, code.offence_group,
                         code.offence_subgroup, outcome, f"outcome {outcome}", "group", count, count)
                    )  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["period_end", "force", "offence_code", "offence_description", "offence_group",
                 "offence_subgroup", "outcome_type", "outcome_description", "outcome_group",
                 "outcomes_recorded_in_quarter", "outcomes_closed_in_quarter"],
    )  # fmt: skip
    add_financial_periods(frame)
    return with_provenance(frame, "synthetic-outcomes.csv")


def call_answering(
    forces: Sequence[str], months: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """999 calls presented and answered within 10 seconds by force and month."""
    residents = residents_of(forces)
    rows = []
    for force in forces:
        for month in months:
            presented = int(rng.poisson(residents[force] / 1000 * 12))
            answered = int(rng.binomial(presented, 0.88))
            rows.append((force, month, presented, answered, float(rng.uniform(4, 12))))
    frame = pd.DataFrame(
        rows,
        columns=["force", "month", "calls_presented", "answered_within_10s", "mean_answer_seconds"],
    )
    return with_provenance(frame, "synthetic-999.csv")


def population_rows(forces: Sequence[str], households_per_resident: float = 0.42) -> pd.DataFrame:
    """Reference residents with a synthetic household count (the reference has no households)."""
    table = population()
    table = table[table["force"].isin(list(forces))].copy()
    table["households"] = (table["residents"] * households_per_resident).round().astype("int64")
    return with_provenance(
        table[["force", "year", "residents", "households"]], "synthetic-population.csv"
    )
