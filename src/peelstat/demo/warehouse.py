"""A SYNTHETIC warehouse for the measure tests and benchmarks (not real data).

Raw-layer tables with the exact warehouse schemas, generated with numpy so a test or a
benchmark can build a national-scale warehouse in seconds without any files. The police.uk
format *archives* for ``peelstat demo`` are made by :mod:`peelstat.demo.archives`; these tables
skip the files and go straight to the warehouse. Their mixes (:mod:`peelstat.demo.table_mixes`)
are rounder and flatter than the archives': tests need every category present, not realism.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from peelstat.demo.aggregate_tables import (
    call_answering,
    crime_outcomes,
    population_rows,
    recorded_crime,
    rolling,
)
from peelstat.demo.police_uk_tables import outcomes, stop_search, street
from peelstat.demo.table_rows import months_from, quarter_ends_from
from peelstat.reference import territorial_forces
from peelstat.warehouse.notes import NOTES_TABLE, synthetic_frame
from peelstat.warehouse.tables import table_schema


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
    month_list = months_from(first_month, months)
    quarters = quarter_ends_from(first_month, months // 3)
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
    schema = table_schema(name).to_pyarrow()
    columns = {}
    for field in schema:
        values = frame[field.name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        columns[field.name] = pa.array(values, type=field.type, from_pandas=True)
    return pa.table(columns, schema=schema)


def load_tables(con: BaseBackend, tables: dict[str, pd.DataFrame]) -> None:
    """Replace the warehouse tables with these frames (DuckDB: real tables; Spark: temp views),
    and note that the warehouse is SYNTHETIC, so everything computed from it says so."""
    notes = {NOTES_TABLE: synthetic_frame("peelstat's demo generator (peelstat.demo)")}
    for name, frame in {**tables, **notes}.items():
        data = to_arrow(name, frame)
        if con.name == "pyspark":
            # Parquet files behind temp views: Spark reads them natively, queries stay fast
            folder = Path(tempfile.mkdtemp(prefix="peelstat-spark-"))
            pq.write_table(data, folder / f"{name}.parquet")
            session = con._session  # type: ignore[attr-defined]
            session.read.parquet(str(folder / f"{name}.parquet")).createOrReplaceTempView(name)
        else:
            con.create_table(name, data, overwrite=True)
