"""Benchmark: every built-in measure for every force over 36 months of national-scale data.

Run: ``.venv/bin/python benchmarks/measures.py [--months 36] [--street-per-month 450000] [--spark]``

Prints, from the same run and the same synthetic warehouse (SYNTHETIC data, not real):

* peelstat on DuckDB: all built-in measures, all 43 forces + England and Wales, every month
  with a complete window (one call of ``compute_measures``, a few queries);
* a straightforward pandas implementation of the same rolling rates (filter, group by force
  and month, rolling sum, divide by population), with the raw tables already in memory;
* the ratio pandas / DuckDB (target ≥ 5×);
* the performance-report table for one force on a warm warehouse (target < 1 s);
* the time the plausible rank ranges take inside that table (target < 0.5 s);
* the coverage ledger of every table, force and month (target < 2 s);
* with ``--spark``: the same measures on a local Spark session (tables as Parquet files).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peelstat.analysis.report import report_table
from peelstat.catalogue.loader import load_catalogue
from peelstat.demo.table_mixes import (
    ETHNICITY,
    OUTCOME_EVENTS,
    SEARCH_OUTCOMES,
    STREET_OUTCOMES,
    STREET_TYPES,
)
from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.measures.cache import clear_cache
from peelstat.measures.compile import compute_measures
from peelstat.periods import population_year
from peelstat.reference import ethnicity_census2011, population, territorial_forces
from peelstat.stats.rank_uncertainty import plausible_rank, rate_interval
from peelstat.warehouse.connect import connect
from peelstat.warehouse.coverage import coverage_ledger
from peelstat.warehouse.opening import memory_limit
from peelstat.warehouse.summaries import refresh_summaries

FIRST_MONTH = "2016-01"


def _weighted_list(mix: dict) -> str:
    """A SQL list of 1,000 entries in proportion to ``mix``, to draw from with random()."""
    keys = list(mix)
    p = np.array(list(mix.values()), dtype=float)
    counts = np.round(p / p.sum() * 1000).astype(int)
    items = []
    for key, count in zip(keys, counts, strict=True):
        literal = "NULL" if key is None else "'" + str(key).replace("'", "''") + "'"
        items += [literal] * int(count)
    return "[" + ", ".join(items) + "]"


def build_warehouse(
    path: Path, months: int, street_per_month: int, outcome_share: float = 0.05
) -> None:
    """National-scale street and stop and search rows generated inside DuckDB; the rest numpy.
    ``outcome_share``: outcome rows per street crime (police.uk publishes about 0.6)."""
    con = connect(str(path))
    forces = territorial_forces()
    small = warehouse_tables(FIRST_MONTH, months, forces, street_per_1000=0.01)
    for name in ("police_uk_street", "police_uk_outcomes", "police_uk_stop_search"):
        small.pop(name)
    load_tables(con, small)
    raw = duckdb.connect(str(path))
    raw.execute(f"SET memory_limit = '{memory_limit()}'")
    con.disconnect()
    residents = population().query("year == 2016").set_index("force")["residents"].reindex(forces)
    per_force = (residents / residents.sum() * street_per_month).round().astype(int)
    raw.register("per_force_df", pd.DataFrame({"force": forces, "n": per_force.to_numpy()}))
    raw.execute("CREATE OR REPLACE TEMP TABLE f AS SELECT * FROM per_force_df")
    types = _weighted_list(STREET_TYPES)
    outcomes = _weighted_list(STREET_OUTCOMES)
    events = _weighted_list(OUTCOME_EVENTS)
    # month by month, as `peelstat load` writes a national archive: a table's rows are then
    # in month order, as in a real warehouse, and a query of recent months skips the others
    for i in range(months):
        month = f"(DATE '{FIRST_MONTH}-01' + INTERVAL ({i}) MONTH)::DATE"
        into = (
            "CREATE OR REPLACE TABLE police_uk_street AS"
            if i == 0
            else "INSERT INTO police_uk_street"
        )
        raw.execute(f"""
            {into}
            WITH rows AS (
                SELECT f.force, {month} AS month, unnest(range(f.n)) AS i,
                       {types}[1 + floor(random() * 1000)::INT % 1000] AS crime_type,
                       {outcomes}[1 + floor(random() * 1000)::INT % 1000] AS outcome
                FROM f)
            SELECT CASE WHEN crime_type = 'Anti-social behaviour' THEN NULL
                        ELSE md5(force || month || i) END AS crime_id,
                   month, force AS reported_by, force AS falls_within, force,
                   -2.0 + random() AS longitude, 51.0 + random() AS latitude,
                   'On or near Example Street' AS location, 'E01000001' AS lsoa_code,
                   'Example 001A' AS lsoa_name, crime_type,
                   CASE WHEN crime_type = 'Anti-social behaviour' THEN NULL ELSE outcome END
                       AS last_outcome_category,
                   NULL::VARCHAR AS context, 'synthetic-street.csv' AS source_file,
                   i::BIGINT AS source_line
            FROM rows""")
        # outcome events of the month's crimes, in police.uk's mix (not all "Suspect charged")
        into = (
            "CREATE OR REPLACE TABLE police_uk_outcomes AS"
            if i == 0
            else "INSERT INTO police_uk_outcomes"
        )
        raw.execute(f"""
            {into}
            SELECT crime_id, month, reported_by, falls_within, force, longitude, latitude,
                   location, lsoa_code, lsoa_name,
                   {events}[1 + floor(random() * 1000)::INT % 1000] AS outcome_category,
                   source_file, source_line
            FROM police_uk_street
            WHERE month = {month} AND crime_id IS NOT NULL AND random() < {outcome_share}""")
    raw.execute(
        f"CREATE OR REPLACE TEMP TABLE m AS SELECT (DATE '{FIRST_MONTH}-01' + INTERVAL (i) MONTH)"
        f"::DATE AS month FROM range({months}) t(i)"
    )
    ethnicity = _weighted_list(ETHNICITY)
    search_outcomes = _weighted_list(SEARCH_OUTCOMES)
    raw.execute(f"""
        CREATE OR REPLACE TABLE police_uk_stop_search AS
        WITH rows AS (
            SELECT f.force, m.month, unnest(range(f.n // 10)) AS i FROM f CROSS JOIN m)
        SELECT force, month, 'Person search' AS type,
               (month::TIMESTAMP + INTERVAL 12 HOUR)::TIMESTAMPTZ AS date,
               false AS part_of_a_policing_operation, NULL::VARCHAR AS policing_operation,
               51.0 + random() AS latitude, -2.0 + random() AS longitude, 'Male' AS gender,
               '18-24' AS age_range, NULL::VARCHAR AS self_defined_ethnicity,
               {ethnicity}[1 + floor(random() * 1000)::INT % 1000] AS officer_defined_ethnicity,
               'Misuse of Drugs Act 1971 (section 23)' AS legislation,
               'Controlled drugs' AS object_of_search,
               {search_outcomes}[1 + floor(random() * 1000)::INT % 1000] AS outcome,
               random() < 0.25 AS outcome_linked_to_object_of_search,
               false AS removal_of_more_than_just_outer_clothing,
               'synthetic-stop-and-search.csv' AS source_file, i::BIGINT AS source_line
        FROM rows ORDER BY month""")
    refresh_summaries(raw)  # what the loader does after every load (rows written directly)
    raw.close()


# --------------------------------------------------------------------- the pandas baseline
def _mask(frame: pd.DataFrame, f) -> pd.Series:  # type: ignore[no-untyped-def]
    mask = pd.Series(True, index=frame.index)
    for column, values in f.include:
        mask &= frame[column].isin(list(values))
    for column, values in f.exclude:
        mask &= frame[column].isna() | ~frame[column].isin(list(values))
    return mask


def _counts(frame: pd.DataFrame, m, f, date: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Force × period table of counts (or sums) of rows matching ``f``."""
    rows = frame[_mask(frame, f)]
    column = f.sum_column or m.source_spec.count_column
    if f.count_distinct:
        grouped = rows.groupby(["force", date])[f.count_distinct].nunique()
    elif column:
        grouped = rows.groupby(["force", date])[column].sum()
    else:
        grouped = rows.groupby(["force", date]).size()
    return grouped.unstack(date).astype(float)


def pandas_rates(raw: dict[str, pd.DataFrame], catalogue) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The same rolling rates, one measure at a time, the way an analyst would in pandas."""
    people = population().set_index(["force", "year"])["residents"]
    households = raw["population"].set_index(["force", "year"])["households"]
    census = ethnicity_census2011()
    results: dict[str, pd.DataFrame] = {}
    for m in catalogue:
        if m.ratio_of:
            results[m.id] = results[m.ratio_of[0]] / results[m.ratio_of[1]]
            continue
        if m.source_spec.weights:
            continue  # severity scores: no weights table in the synthetic warehouse
        frame = raw[m.source]
        date = m.source_spec.date_column
        if m.sum_of:
            numerator = sum(
                _counts(frame, catalogue[p], catalogue[p].numerator, date) for p in m.sum_of
            )
        else:
            numerator = _counts(frame, m, m.numerator, date)
            for change in m.definition_changes:
                numerator = numerator.add(_counts(frame, m, change.before, date), fill_value=0)
        window = m.window_periods
        rolled = numerator.T.rolling(window).sum().T
        if m.denominator.kind == "records":
            denominator = _counts(frame, m, m.denominator.records, date).T.rolling(window).sum().T
        elif m.denominator.kind == "ethnic_group_residents":
            chosen = census[census.ethnic_group.isin(m.denominator.ethnic_groups)]
            by_force = chosen.groupby("force").residents.sum()
            denominator = pd.DataFrame({c: by_force for c in rolled.columns})
        else:
            source = households if m.denominator.kind == "households" else people
            denominator = pd.DataFrame(
                {
                    c: [
                        source.get((f, population_year(pd.Timestamp(c).date())), np.nan)
                        for f in rolled.index
                    ]
                    for c in rolled.columns
                },
                index=rolled.index,
            )
        results[m.id] = rolled / denominator * m.scale
    return (
        pd.concat({k: v.stack() for k, v in results.items()}, names=["measure", "force", "period"])
        .rename("value")
        .reset_index()
    )


def rank_range_seconds(con, catalogue, force: str, end: str) -> float:  # type: ignore[no-untyped-def]
    """Time the report's rank ranges alone: the same calls on the same windows (MSG and
    national range, exact interval of the force) for every count-based measure, with the
    arrays prepared beforehand as the report has them."""
    frame = compute_measures(con, start=end, end=end, national=False)
    group = ["avon-and-somerset", "derbyshire", "essex", "hampshire", "hertfordshire", "kent",
             "staffordshire", "sussex"]  # fmt: skip
    calls = []
    for measure_id, rows in frame.groupby("measure"):
        m = catalogue[str(measure_id)]
        if not m.numerator_is_a_count:
            continue
        arrays = [rows[c].to_numpy(float) for c in ("value", "numerator", "denominator")]
        is_force = rows["force"].to_numpy() == force
        for chosen in (rows["force"].isin(group).to_numpy(), np.ones(len(rows), bool)):
            calls.append((is_force[chosen], *(a[chosen] for a in arrays), m.lower_is_better))
    started = time.perf_counter()
    for call in calls:
        plausible_rank(*call)
        rate_interval(float(call[2][call[0]][0]) if call[0].any() else 0.0, 1000.0)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--street-per-month", type=int, default=450_000)
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--warehouse", type=Path, default=None)
    args = parser.parse_args()
    path = args.warehouse or Path(tempfile.mkdtemp()) / "bench.duckdb"
    print("peelstat measure benchmark on SYNTHETIC national-scale data (not real figures)")
    if not path.exists():
        started = time.perf_counter()
        build_warehouse(path, args.months, args.street_per_month)
        print(f"built warehouse {path} in {time.perf_counter() - started:.1f} s")
    con = connect(str(path))
    rows = con.table("police_uk_street").count().to_pyarrow().as_py()
    print(f"police_uk_street: {rows:,} rows over {args.months} months, 43 forces")
    catalogue = load_catalogue()
    first = pd.Period(FIRST_MONTH, "M")
    start, end = str(first + 11), str(first + args.months - 1)

    # use_cache=False: time the computation itself, not the stored frames of a warm warehouse
    compute_measures(con, start=start, end=end, use_cache=False)  # warm-up (OS file cache)
    started = time.perf_counter()
    frame = compute_measures(con, start=start, end=end, use_cache=False)
    duck = time.perf_counter() - started
    print(f"DuckDB: {len(catalogue)} measures, {len(frame):,} measure-frame rows in {duck:.2f} s")

    raw = {name: con.table(name).to_pandas() for name in (
        "police_uk_street", "police_uk_outcomes", "police_uk_stop_search", "recorded_crime",
        "recorded_crime_rolling", "crime_outcomes", "call_answering", "population")}  # fmt: skip
    for table in raw.values():
        for column in ("month", "period_end"):
            if column in table:
                table[column] = pd.to_datetime(table[column])
    started = time.perf_counter()
    baseline = pandas_rates(raw, catalogue)
    pandas_seconds = time.perf_counter() - started
    print(f"pandas baseline (tables already in memory): {pandas_seconds:.2f} s")
    print(f"ratio pandas / DuckDB: {pandas_seconds / duck:.1f}x (target >= 5x)")
    check = frame[(frame.measure == "police_uk_burglary") & (frame.force == "kent")].dropna(
        subset=["value"]
    )
    base = baseline[
        (baseline.measure == "police_uk_burglary") & (baseline.force == "kent")
    ].dropna()
    same = np.allclose(sorted(check.value), sorted(base.value.tail(len(check))))
    print(f"pandas and DuckDB agree on police_uk_burglary for Kent: {same}")

    clear_cache(con)
    started = time.perf_counter()
    report_table(con, catalogue, "avon-and-somerset", end)
    first = time.perf_counter() - started
    started = time.perf_counter()
    report_table(con, catalogue, "avon-and-somerset", end)
    warm = time.perf_counter() - started
    print(
        f"benchmark table, avon-and-somerset, all {len(catalogue)} measures: first {first:.2f} s,"
        f" warm warehouse (stored frames) {warm:.2f} s (target < 1 s)"
    )
    ranges = rank_range_seconds(con, catalogue, "avon-and-somerset", end)
    print(
        f"  of which plausible rank ranges and exact intervals: {ranges:.3f} s, so without"
        f" them {warm - ranges:.2f} s (target: ranges add < 0.5 s)"
    )

    coverage_ledger(con)  # warm-up
    started = time.perf_counter()
    ledger = coverage_ledger(con)
    seconds = time.perf_counter() - started
    print(
        f"coverage ledger: {len(ledger):,} force-periods over every table in {seconds:.2f} s"
        " (target < 2 s)"
    )

    if args.spark:
        import ibis
        from pyspark.sql import SparkSession

        started = time.perf_counter()
        session = (
            SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8").config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )  # fmt: skip
        spark = ibis.pyspark.connect(session)
        folder = Path(tempfile.mkdtemp())
        for name in raw:
            out = folder / f"{name}.parquet"
            con.raw_sql(f"COPY {name} TO '{out}' (FORMAT parquet)")  # type: ignore[attr-defined]
            session.read.parquet(str(out)).createOrReplaceTempView(name)
        print(f"Spark session and Parquet views: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        compute_measures(spark, start=start, end=end, use_cache=False)
        print(f"Spark local[2]: all measures in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
