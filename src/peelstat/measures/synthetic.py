"""Synthetic warehouse tables for the measure tests and benchmarks (not real data).

These are raw-layer tables with the exact warehouse schemas, generated with numpy so a
test or a benchmark can build a national-scale warehouse in seconds without any files. The
police.uk-format *archives* for the demo are made by :mod:`peelstat.sources.demo`; these
tables skip the files and go straight to the warehouse.

Labels shared with the demo live in :mod:`peelstat.sources.synthetic_facts`. The mixes below
are deliberately rounder and flatter than the demo's real 2018–19 ones (and have no seasonality
or trends): tests need every category present and no empty force-month, not realism.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from peelstat.reference import offence_codes, population, territorial_forces
from peelstat.sources.synthetic_facts import (
    ASB,
    DRUGS_ACT_SEARCH,
    ETHNIC_GROUPS,
    NO_FURTHER_ACTION,
    draw_codes,
)
from peelstat.warehouse.tables import SCHEMAS

STREET_TYPES = {
    "Violence and sexual offences": 0.26,
    ASB: 0.20,
    "Criminal damage and arson": 0.09,
    "Other theft": 0.07,
    "Public order": 0.06,
    "Vehicle crime": 0.06,
    "Shoplifting": 0.06,
    "Burglary": 0.05,
    "Drugs": 0.025,
    "Bicycle theft": 0.02,
    "Other crime": 0.02,
    "Theft from the person": 0.01,
    "Robbery": 0.0075,
    "Possession of weapons": 0.0075,
}
STREET_OUTCOMES = {
    "Investigation complete; no suspect identified": 0.35,
    "Unable to prosecute suspect": 0.30,
    "Status update unavailable": 0.10,
    "Court result unavailable": 0.05,
    "Suspect charged": 0.04,
    "Offender sent to prison": 0.02,
    "Local resolution": 0.04,
    "Under investigation": 0.10,
}
OUTCOME_EVENTS = {
    "Suspect charged": 0.15,
    "Investigation complete; no suspect identified": 0.4,
    "Unable to prosecute suspect": 0.35,
    "Local resolution": 0.1,
}
# Officer-defined ethnicity of people searched; None: not recorded.
ETHNICITY: dict[str | None, float] = dict(
    zip([*ETHNIC_GROUPS, None], [0.7, 0.1, 0.1, 0.03, 0.01, 0.06], strict=True)
)
SEARCH_OUTCOMES = {
    NO_FURTHER_ACTION: 0.7,
    "Arrest": 0.14,
    "Khat or Cannabis warning": 0.05,
    "Community resolution": 0.04,
    "Summons / charged by post": 0.02,
    None: 0.05,
}
ROLLING_OFFENCES = {
    "Homicide": 0.0001,
    "Violence with injury": 0.09,
    "Violence without injury": 0.12,
    "Stalking and harassment": 0.08,
    "Death or serious injury caused by illegal driving": 0.0001,
    "Sexual offences": 0.03,
    "Robbery": 0.01,
    "Theft from the person": 0.01,
    "Vehicle offences": 0.08,
    "Drug offences": 0.02,
    "Possession of weapons offences": 0.005,
    "Public order offences": 0.1,
    "Shoplifting": 0.08,
    "Bicycle theft": 0.02,
    "All other theft offences": 0.1,
    "Criminal damage and arson": 0.12,
    "Miscellaneous crimes against society": 0.015,
    "Non-residential burglary": 0.02,
    "Residential burglary": 0.05,
    "Domestic burglary": 0.0,
    "Non-domestic burglary": 0.0,
}
OUTCOME_TYPES = {
    "1": 0.07,
    "8": 0.05,
    "14": 0.2,
    "15": 0.1,
    "16": 0.1,
    "18": 0.3,
    "21": 0.03,
    "22": 0.01,
    "0": 0.14,
}


def _months(first: str, count: int) -> list[dt.date]:
    return [p.start_time.date() for p in pd.period_range(first, periods=count, freq="M")]


def _quarter_ends(first: str, count: int) -> list[dt.date]:
    start = pd.Period(first, "Q")
    return [(start + i).end_time.date() for i in range(count)]


def _choice(rng: np.random.Generator, mix: dict, size: int) -> pd.Categorical:
    keys = list(mix)
    codes = draw_codes(rng, mix, size)
    labels = [k for k in keys if k is not None]
    mapped = np.array([labels.index(k) if k is not None else -1 for k in keys])[codes]
    return pd.Categorical.from_codes(mapped, categories=labels)  # type: ignore[call-overload,arg-type,operator]


def _residents() -> pd.Series:
    table = population()
    return table[table["year"] == table["year"].max()].set_index("force")["residents"]


def _repeat_keys(counts: np.ndarray, forces: Sequence[str], months: Sequence[dt.date]) -> tuple:
    """Force and month columns for counts shaped (forces, months)."""
    flat = counts.ravel()
    force_idx = np.repeat(np.repeat(np.arange(len(forces)), len(months)), flat)
    month_idx = np.repeat(np.tile(np.arange(len(months)), len(forces)), flat)
    force_col = pd.Categorical.from_codes(force_idx, categories=list(forces))  # type: ignore[call-overload,arg-type,operator]
    month_col = np.array(months, dtype="datetime64[D]")[month_idx]
    return force_col, month_col


def _provenance(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame["source_file"] = name
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype="int64")
    return frame


def _financial_periods(frame: pd.DataFrame) -> None:
    """Add the financial year ('2017/18') and quarter (April-June is 1) of each period end."""
    ends = pd.to_datetime(frame["period_end"])
    fy_start = ends.dt.year - (ends.dt.month <= 3)
    frame["financial_year"] = (
        fy_start.astype(str) + "/" + ((fy_start + 1) % 100).astype(str).str.zfill(2)
    )
    frame["financial_quarter"] = ((ends.dt.month - 4) % 12 // 3 + 1).astype("int64")


def street(
    forces: Sequence[str], months: Sequence[dt.date], per_1000: float, rng: np.random.Generator
) -> pd.DataFrame:
    """police.uk street records: about ``per_1000`` per 1,000 residents per month."""
    residents = _residents().reindex(list(forces)).fillna(1_000_000).to_numpy()
    # at least ~40 records a force-month, so no small force has an empty month by chance
    expected = np.maximum(residents * per_1000 / 1000, 40.0)
    counts = rng.poisson(np.outer(expected, np.ones(len(months))))
    force_col, month_col = _repeat_keys(counts, forces, months)
    n = len(month_col)
    crime_type = _choice(rng, STREET_TYPES, n)
    asb = np.asarray(crime_type == ASB)
    outcome = _choice(rng, STREET_OUTCOMES, n)
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
    return _provenance(frame, "synthetic-street.csv")


def outcomes(street_rows: pd.DataFrame, share: float, rng: np.random.Generator) -> pd.DataFrame:
    """Outcome events for a sample of street crimes, some crime IDs repeated (as real files do)."""
    crimes = street_rows[street_rows["crime_id"].notna()]
    picked = crimes.sample(frac=share, random_state=int(rng.integers(1 << 31)))
    repeated = pd.concat([picked, picked.sample(frac=0.1, random_state=1)])
    n = len(repeated)
    frame = repeated[list(SCHEMAS["police_uk_street"].names[:11])].drop(columns="crime_type")
    frame = frame.assign(outcome_category=_choice(rng, OUTCOME_EVENTS, n)).reset_index(drop=True)
    return _provenance(frame, "synthetic-outcomes.csv")


def stop_search(
    forces: Sequence[str], months: Sequence[dt.date], per_1000: float, rng: np.random.Generator
) -> pd.DataFrame:
    """police.uk stop and search records."""
    residents = _residents().reindex(list(forces)).fillna(1_000_000).to_numpy()
    expected = np.maximum(residents * per_1000 / 1000, 20.0)
    counts = rng.poisson(np.outer(expected, np.ones(len(months))))
    force_col, month_col = _repeat_keys(counts, forces, months)
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
            "officer_defined_ethnicity": _choice(rng, ETHNICITY, n),
            "legislation": DRUGS_ACT_SEARCH,
            "object_of_search": "Controlled drugs",
            "outcome": _choice(rng, SEARCH_OUTCOMES, n),
            "outcome_linked_to_object_of_search": pd.array(linked, dtype="boolean"),
            "removal_of_more_than_just_outer_clothing": False,
        }
    )
    return _provenance(frame, "synthetic-stop-and-search.csv")


def recorded_crime(
    forces: Sequence[str], quarter_ends: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """Home Office offences by force, quarter and offence code (old burglary codes before 2017/18)."""
    codes = offence_codes()
    residents = _residents().reindex(list(forces)).fillna(1_000_000)
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
    _financial_periods(frame)
    return _provenance(frame, "synthetic-prc.csv")


def rolling(
    forces: Sequence[str], quarter_ends: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """Rolling-year totals by force and offence, with the 2017/18 burglary switch-over."""
    residents = _residents().reindex(list(forces)).fillna(1_000_000)
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
    return _provenance(frame, "synthetic-rec-crime-pfa.csv")


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
    _financial_periods(frame)
    return _provenance(frame, "synthetic-outcomes.csv")


def call_answering(
    forces: Sequence[str], months: Sequence[dt.date], rng: np.random.Generator
) -> pd.DataFrame:
    """999 calls presented and answered within 10 seconds by force and month."""
    residents = _residents().reindex(list(forces)).fillna(1_000_000)
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
    return _provenance(frame, "synthetic-999.csv")


def population_rows(forces: Sequence[str], households_per_resident: float = 0.42) -> pd.DataFrame:
    """Reference residents with a synthetic household count (the reference has no households)."""
    table = population()
    table = table[table["force"].isin(list(forces))].copy()
    table["households"] = (table["residents"] * households_per_resident).round().astype("int64")
    return _provenance(
        table[["force", "year", "residents", "households"]], "synthetic-population.csv"
    )


def warehouse_tables(
    first_month: str = "2017-01",
    months: int = 24,
    forces: Sequence[str] | None = None,
    street_per_1000: float = 0.05,
    seed: int = 20240601,
) -> dict[str, pd.DataFrame]:
    """Every raw table, small by default (street_per_1000=6.5 is about national scale)."""
    rng = np.random.default_rng(seed)
    forces = list(forces or territorial_forces())
    month_list = _months(first_month, months)
    quarters = _quarter_ends(first_month, months // 3)
    street_rows = street(forces, month_list, street_per_1000, rng)
    return {
        "police_uk_street": street_rows,
        "police_uk_outcomes": outcomes(street_rows, 0.2, rng),
        "police_uk_stop_search": stop_search(forces, month_list, street_per_1000 / 10, rng),
        "recorded_crime": recorded_crime(forces, quarters, rng),
        "recorded_crime_rolling": rolling(forces, quarters, rng),
        "crime_outcomes": crime_outcomes(forces, quarters, rng),
        "call_answering": call_answering(forces, month_list, rng),
        "population": population_rows(forces),
    }


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """A frame as an Arrow table with the warehouse schema of ``name`` (column order, types)."""
    schema = SCHEMAS[name].to_pyarrow()
    columns = {}
    for field in schema:
        values = frame[field.name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        columns[field.name] = pa.array(values, type=field.type, from_pandas=True)
    return pa.table(columns, schema=schema)


def load_tables(con: BaseBackend, tables: dict[str, pd.DataFrame]) -> None:
    """Replace the warehouse tables with these frames (DuckDB: real tables; Spark: temp views)."""
    for name, frame in tables.items():
        data = to_arrow(name, frame)
        if con.name == "pyspark":
            # Parquet files behind temp views: Spark reads them natively, queries stay fast
            folder = Path(tempfile.mkdtemp(prefix="peelstat-spark-"))
            pq.write_table(data, folder / f"{name}.parquet")
            session = con._session  # type: ignore[attr-defined]
            session.read.parquet(str(folder / f"{name}.parquet")).createOrReplaceTempView(name)
        else:
            con.create_table(name, data, overwrite=True)
