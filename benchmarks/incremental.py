"""Benchmark: keeping stored measure frames current when one month arrives, against recomputing.

Run: ``.venv/bin/python benchmarks/incremental.py [--months 60] [--street-per-month 450000]``

Builds a SYNTHETIC national warehouse (``benchmarks/measures.py``'s generator), stores every
built-in measure for every force and month, then times, each against a full recomputation of
the same frame in the same run (ratios printed, with the machine's load average):

* a month published late (absent when the frames were stored, then loaded): the windows that
  contain it are recomputed, the rest read back;
* a corrected month (rows of one month replaced);
* a new month after the last one: the stored months stay; only the new month is computed.

Each incremental frame is checked equal to the full recomputation.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from measures import FIRST_MONTH, build_warehouse
from peelstat.measures.cache import clear_cache
from peelstat.measures.compile import compute_measures
from peelstat.warehouse.connect import connect

POLICE_UK = ("police_uk_street", "police_uk_outcomes", "police_uk_stop_search")


def timed(work: Callable[[], pd.DataFrame]) -> tuple[float, pd.DataFrame]:
    started = time.perf_counter()
    frame = work()
    return time.perf_counter() - started, frame


def move_month(con, month: str, into: str) -> None:  # type: ignore[no-untyped-def]
    """Take one month's police.uk rows out of the warehouse (kept in ``<table>_<into>``)."""
    for table in POLICE_UK:
        con.raw_sql(f"CREATE OR REPLACE TABLE {table}_{into} AS "
                    f"SELECT * FROM {table} WHERE month = DATE '{month}-01'")  # fmt: skip
        con.raw_sql(f"DELETE FROM {table} WHERE month = DATE '{month}-01'")


def put_back(con, into: str, where: str = "TRUE") -> None:  # type: ignore[no-untyped-def]
    for table in POLICE_UK:
        con.raw_sql(f"INSERT INTO {table} SELECT * FROM {table}_{into} WHERE {where}")
        con.raw_sql(f"DROP TABLE {table}_{into}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--street-per-month", type=int, default=450_000)
    parser.add_argument("--warehouse", type=Path, default=None)
    args = parser.parse_args()
    path = args.warehouse or Path(tempfile.mkdtemp()) / "incremental.duckdb"
    print("peelstat incremental-frames benchmark on SYNTHETIC national data (not real figures)")
    if not path.exists():
        started = time.perf_counter()
        build_warehouse(path, args.months, args.street_per_month)
        print(f"built {path} ({args.months} months) in {time.perf_counter() - started:.1f} s")
    con = connect(path)
    first = pd.Period(FIRST_MONTH, "M")
    last = first + args.months - 1
    start, end = str(first + 11), str(last - 1)  # the month after `end` arrives as "new"
    late, corrected = str(last - 20), str(last - 8)
    street = con.table("police_uk_street").count().execute()
    print(f"police_uk_street: {street:,} rows; stored frames for {start} … {end}")
    clear_cache(con)
    move_month(con, late, "late")
    move_month(con, str(last), "new")

    def stored(until: str = end) -> Callable[[], pd.DataFrame]:
        return lambda: compute_measures(con, start=start, end=until)

    def full(until: str = end) -> Callable[[], pd.DataFrame]:
        return lambda: compute_measures(con, start=start, end=until, use_cache=False)

    cold, _ = timed(stored())
    results = [("store every measure, force and month (cold)", cold, cold, True)]
    put_back(con, "late")
    incremental, got = timed(stored())
    baseline, want = timed(full())
    results.append((f"month {late} loaded late", incremental, baseline, got.equals(want)))

    con.raw_sql(f"DELETE FROM police_uk_street WHERE month = DATE '{corrected}-01' "
                "AND source_line % 50 = 0")  # fmt: skip
    incremental, got = timed(stored())
    baseline, want = timed(full())
    results.append((f"month {corrected} corrected", incremental, baseline, got.equals(want)))

    put_back(con, "new")
    incremental, got = timed(stored(str(last)))
    baseline, want = timed(full(str(last)))
    results.append((f"new month {last}", incremental, baseline, got.equals(want)))

    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores, shared)")
    print(f"{'change':44} {'stored frames':>13} {'recompute':>10} {'ratio':>7}  same")
    for name, seconds, base, same in results:
        print(f"{name:44} {seconds:12.2f}s {base:9.2f}s {base / seconds:6.1f}x  {same}")


if __name__ == "__main__":
    main()
