"""Benchmark: the whole police.uk history on one machine, and how the figures grow with months.

Run: ``.venv/bin/python benchmarks/scale.py [--months 12 36 180] [--load-months 2]``

SYNTHETIC data, not real figures. Two parts:

1. **Loading** (``--load-months`` national months of demo zips, all forces, full volume):
   ``Workspace.load`` from the zips, time and rows/s, the warehouse size against the zips.
   Loading is per unit (force-month-file), so its time and size grow linearly with months;
   the per-month figures are carried to the largest size, and shown as carried, not measured.
2. **Querying** at each size in ``--months``, each in its own process (peak memory is that
   process's): a national warehouse generated inside DuckDB (``benchmarks/measures.py``'s
   generator: 555,000 street rows and 333,000 outcome rows a month, about what police.uk
   publishes, 15 years ≈ 100 M + 60 M), then every built-in measure × every force × every
   month (computed with nothing stored, and stored), the single-force report table on a fresh
   warehouse (cold: the median of three fresh processes, each run shown) and again (warm),
   the all-forces comparison of one measure at one month
   (cold), the report table read-only from the stored frames, and the incremental update of
   the stored frames after one month is corrected (its monthly summary refreshed first, as
   a load does), against a full recomputation (its SQL already compiled). The build ends as
   every load does, with the monthly summaries (``peelstat.warehouse.summaries``) the
   measures read. The synthetic build runs in a process of its own, so the peak memory
   is peelstat's (DuckDB's ``memory_limit`` is ``PEELSTAT_DUCKDB_MEMORY``, default 4GB).

The growth table prints seconds per (month × force) so linear growth shows as a flat line.
The load average (2 cores, shared) is printed with every table: the seconds move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from measures import FIRST_MONTH, build_warehouse
from peelstat.demo.archives import generate_archives
from peelstat.measures.cache import clear_cache
from peelstat.measures.compile import compute_measures
from peelstat.warehouse.summaries import refresh_summaries
from peelstat.workspace import Workspace

FORCES = 44  # 43 territorial forces + England and Wales in every measure frame
STREET_PER_MONTH = 555_000
OUTCOME_SHARE = 0.85  # of crimes with an ID: about 0.6 of all street rows, as police.uk
COLD_RUNS = 3
TARGETS = {"all measures": 20.0, "report table warm": 0.5, "report table cold": 2.0}


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def clock(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def one_size(months: int, folder: Path, street: int) -> dict:
    """Every query figure for one warehouse size (run in a child process)."""
    path = folder / f"national-{months}.duckdb"
    figures: dict = {"months": months, "load average at start": load_average()}
    # the synthetic build runs in a process of its own: the peak memory below is peelstat's
    started = time.perf_counter()
    built = subprocess.run(
        [sys.executable, __file__, "--build", str(months), "--folder", str(folder),
         "--street-per-month", str(street)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures["build s"] = time.perf_counter() - started
    figures["build peak GB"] = float(built.stdout.strip().splitlines()[-1])
    figures["warehouse MB"] = path.stat().st_size / 1e6
    workspace = Workspace(path)
    con = workspace.con
    figures["rows"] = sum(
        con.table(t).count().execute()
        for t in ("police_uk_street", "police_uk_outcomes", "police_uk_stop_search")
    )
    workspace.close()
    first = pd.Period(FIRST_MONTH, "M")
    start, end = str(first + 11), str(first + months - 1)
    # the first report table in a fresh process on a warehouse with nothing stored: once
    # with no compiled SQL kept (the first run after installing), once with it kept
    store = folder / f"sql-cache-{months}"
    shutil.rmtree(store, ignore_errors=True)  # one left by a stopped run would skip compiling
    compiling = fresh_process_report(path, end, store)
    figures["report table cold, compiling s"] = compiling["cold s"]
    # then COLD_RUNS fresh processes with the SQL kept: the median is the figure, the
    # spread is printed (the first query's seconds move with the file cache and the load)
    kept = [fresh_process_report(path, end, store) for _ in range(COLD_RUNS)]
    figures["start-up s"] = statistics.median(k["start-up s"] for k in kept)
    figures["report table cold runs"] = [round(k["cold s"], 2) for k in kept]
    figures["report table cold s"] = statistics.median(k["cold s"] for k in kept)
    figures["report table warm s"] = statistics.median(k["warm s"] for k in kept)
    shutil.rmtree(store)
    workspace = Workspace(path)
    con = workspace.con
    clear_cache(con)
    figures["comparison s"] = clock(lambda: workspace.compare("police_uk_burglary", end))
    clear_cache(con)
    # every measure × force × month, computed (nothing stored yet) and stored for reuse
    figures["all measures s"] = clock(lambda: compute_measures(con, start=start, end=end))
    reader = Workspace(path, create=False)  # what `peelstat benchmark` opens: read-only
    figures["report table stored s"] = clock(lambda: reader.report_table("kent", end))
    reader.close()
    corrected = str(first + months - 9)
    con.raw_sql(f"DELETE FROM police_uk_street WHERE month = DATE '{corrected}-01' "
                "AND source_line % 50 = 0")  # fmt: skip
    # what a load does once its rows are in: the changed month summarised again
    figures["summary refresh s"] = clock(lambda: refresh_summaries(con.con))
    figures["incremental s"] = clock(lambda: compute_measures(con, start=start, end=end))
    # the same frame recomputed in full, the SQL already compiled: what incremental saves
    figures["full recompute s"] = clock(
        lambda: compute_measures(con, start=start, end=end, use_cache=False)
    )
    workspace.close()
    figures["peak memory GB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    figures["load average at end"] = load_average()
    path.unlink()
    return figures


def fresh_process_report(path: Path, end: str, sql_store: Path) -> dict:
    """``cold_report.py`` in a child process (nothing imported, nothing stored), this SQL store."""
    environment = {**os.environ, "PEELSTAT_SQL_CACHE": str(sql_store)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("cold_report.py")), str(path), end],
        capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def loading(months: int, folder: Path) -> dict:
    """Demo zips of ``months`` national months loaded through the Workspace."""
    archives = folder / "zips"
    names = [str(pd.Period("2023-01", "M") + i) for i in range(months)]
    generate_s = clock(lambda: generate_archives(archives, names))
    zips = sum(p.stat().st_size for p in archives.glob("*.zip"))
    workspace = Workspace(folder / "loaded.duckdb")
    started = time.perf_counter()
    report = workspace.load("police-uk", sorted(archives.glob("*.zip")))
    seconds = time.perf_counter() - started
    workspace.close()
    size = (folder / "loaded.duckdb").stat().st_size
    shutil.rmtree(archives)
    return {"months": months, "generate s": generate_s, "load s": seconds,
            "rows": report.rows_loaded, "zips MB": zips / 1e6, "warehouse MB": size / 1e6,
            "load average": load_average()}  # fmt: skip


def print_loading(figures: dict, largest: int) -> None:
    per_month = figures["load s"] / figures["months"]
    print(f"\nLoading {figures['months']} national months of demo zips "
          f"(load average {figures['load average']})")  # fmt: skip
    print(f"  {figures['rows']:,} rows in {figures['load s']:.1f} s: "
          f"{figures['rows'] / figures['load s']:,.0f} rows/s")  # fmt: skip
    print(f"  warehouse {figures['warehouse MB']:.0f} MB against {figures['zips MB']:.0f} MB of "
          f"zips: {figures['warehouse MB'] / figures['zips MB']:.2f}x")  # fmt: skip
    print(f"  carried to {largest} months (not measured): load ≈ {per_month * largest / 60:.0f} "
          f"min, zips ≈ {figures['zips MB'] / figures['months'] * largest / 1e3:.1f} GB, "
          f"warehouse ≈ {figures['warehouse MB'] / figures['months'] * largest / 1e3:.1f} GB")  # fmt: skip


def print_sizes(sizes: list[dict]) -> None:
    frame = pd.DataFrame(sizes).set_index("months")
    print("\nQuerying (seconds; load average at start → end of each size)")
    shown = ["rows", "build s", "warehouse MB", "all measures s", "start-up s",
             "report table cold, compiling s", "report table cold s", "report table warm s", "report table stored s", "comparison s", "summary refresh s",
             "incremental s", "full recompute s", "peak memory GB", "build peak GB"]  # fmt: skip
    print(frame[shown].to_string(float_format=lambda v: f"{v:,.2f}"))
    for months, row in frame.iterrows():
        print(f"  {months} months: load average {row['load average at start']} → "
              f"{row['load average at end']}; report table cold in {COLD_RUNS} fresh processes "
              f"(median above): {', '.join(f'{s:.2f}' for s in row['report table cold runs'])} s")  # fmt: skip
    growth = pd.DataFrame({
        "ms per month×force, all measures": frame["all measures s"] / (frame.index * FORCES) * 1e3,
        "ms per month×force, report cold": frame["report table cold s"] / (frame.index * FORCES) * 1e3,
        "full recompute / incremental": frame["full recompute s"] / frame["incremental s"],
    })  # fmt: skip
    print("\nGrowth (a flat first column = linear in months × forces)")
    print(growth.to_string(float_format=lambda v: f"{v:,.2f}"))
    largest = frame.iloc[-1]
    print(f"\nTargets at {frame.index[-1]} months:")
    for name, target in (*TARGETS.items(), ("peak memory", 8.0)):
        value = largest[f"{name} s"] if name in TARGETS else largest["peak memory GB"]
        print(
            f"  {name:<20} {value:8.2f}  target < {target}  {'PASS' if value < target else 'MISS'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--months", type=int, nargs="+", default=[12, 36, 180])
    parser.add_argument("--load-months", type=int, default=2)
    parser.add_argument("--street-per-month", type=int, default=STREET_PER_MONTH)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)

    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="peelstat-scale-"))
    if args.build:
        path = args.folder / f"national-{args.build}.duckdb"
        path.unlink(missing_ok=True)  # a file left by a stopped run would only grow
        build_warehouse(path, args.build, args.street_per_month, OUTCOME_SHARE)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6)
        return
    if args.one:
        print(json.dumps(one_size(args.one, folder, args.street_per_month)))
        return
    print("peelstat scale benchmark on SYNTHETIC national data (not real figures)")
    print(f"disk free where the warehouses go: {shutil.disk_usage(folder).free / 1e9:.0f} GB")
    if args.load_months:
        print_loading(loading(args.load_months, folder), max(args.months))
    sizes = []
    for months in args.months:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(months), "--folder", str(folder),
             "--street-per-month", str(args.street_per_month)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        sizes.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {months} months done: {json.dumps(sizes[-1])}", flush=True)
    print_sizes(sizes)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
