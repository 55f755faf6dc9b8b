"""How fast peelstat loads police.uk archives, from zips and from CSVs, against baselines
measured in the same run.

Generates N months of national-scale SYNTHETIC archives (``peelstat.demo.archives``),
extracts them once, and times five contenders, each into a fresh DuckDB file:

* **ceiling**: DuckDB ``CREATE TABLE … AS SELECT * FROM read_csv([files])`` per file kind
  over the extracted CSVs, with explicit columns and types (no sniffing) — nothing checked,
  no line numbers, no log;
* **unzip + ceiling**: the same, timed from the zips (``extractall`` to a fresh folder first);
* **peelstat from CSVs**: ``load_source`` over the extracted folders — header and contents
  checks, validation, casts, line numbers, rejects, checksums, load_log, transactions;
* **peelstat from zips**: ``load_source`` over the zips, the same rules;
* **pandas to DuckDB**: ``pd.read_csv`` of every file, ``pd.concat`` per kind, written into a
  DuckDB file (what an analyst does today, carried to the same end point).

Each of ``--runs`` runs times every contender once, in an order that alternates (forward,
then reversed), so that none always runs first or last. Ratios are speeds (baseline time /
contender time) worked out within each run, then the best and the median over the runs are
printed, with the load average before and after: on a shared machine only ratios from the
same run mean anything.

    nice -n 10 .venv/bin/python benchmarks/ingest.py --months 3 --runs 5

Exits 0 either way, printing PASS (best and median both meet the target) or MISS for:
zips ≥ 0.9× CSVs and ≥ 0.8× the ceiling; CSVs ≥ 0.9× the ceiling; zips ≥ 3× pandas.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from peelstat.demo.archives import demo_months, generate_archives
from peelstat.sources.police_uk import KINDS, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

CEILING, UNZIP = "ceiling: DuckDB read_csv of the CSVs", "unzip + DuckDB read_csv"
CSVS, ZIPS, PANDAS = "peelstat from CSVs", "peelstat from zips", "pandas to DuckDB"
SHORT = {CEILING: "ceiling", UNZIP: "unzip+ceiling", CSVS: "CSVs", ZIPS: "zips", PANDAS: "pandas"}
TARGETS = (  # (contender, baseline, speed ratio it must reach)
    (ZIPS, CSVS, 0.9),
    (ZIPS, CEILING, 0.8),
    (CSVS, CEILING, 0.9),
    (ZIPS, PANDAS, 3.0),
    (CSVS, PANDAS, 3.0),
)
_TYPES = {"longitude": "DOUBLE", "latitude": "DOUBLE", "date": "TIMESTAMPTZ"}


def files_by_kind(folder: Path) -> dict[str, list[str]]:
    return {
        kind: sorted(str(p) for p in folder.rglob(f"*-{kind}.csv"))
        for kind in ("street", "outcomes", "stop-and-search")
    }


def peelstat_load(paths: list[Path], database: Path) -> int:
    con = connect(database)
    source = PoliceUkArchive()
    try:
        report = load_source(con, source, paths)
    finally:
        source.close()
        con.disconnect()
    return report.rows_loaded


def duckdb_read_csv(files: dict[str, list[str]], database: Path) -> int:
    con = duckdb.connect(str(database))
    rows = 0
    for kind, paths in files.items():
        table = kind.replace("-", "_")
        columns = {c: _TYPES.get(c, "VARCHAR") for c in KINDS[kind].columns}
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, columns = ?, header = true, "
            "auto_detect = false, delim = ',', quote = '\"', escape = '\"')",
            [paths, columns],
        )
        rows += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    con.close()
    return rows


def unzip_then_read_csv(zips: list[Path], folder: Path, database: Path) -> int:
    for archive in zips:
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(folder)
    try:
        return duckdb_read_csv(files_by_kind(folder), database)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def pandas_into_duckdb(files: dict[str, list[str]], database: Path) -> int:
    """The pandas baseline carried on to where peelstat stops: a table in a DuckDB file."""
    con = duckdb.connect(str(database))
    rows = 0
    for kind, paths in files.items():
        frame = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
        con.register("frame", frame)
        con.execute(f"CREATE TABLE {kind.replace('-', '_')} AS SELECT * FROM frame")
        con.unregister("frame")
        rows += len(frame)
    con.close()
    return rows


def timed(run: Callable[[], int], database: Path) -> tuple[float, int]:
    started = time.perf_counter()
    rows = run()
    seconds = time.perf_counter() - started
    database.unlink(missing_ok=True)
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=3, help="months to generate (default 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="volume multiplier (1 = national)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every contender (default 3)")
    parser.add_argument("--no-pandas", action="store_true", help="leave out the pandas baseline")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="peelstat-bench-") as scratch:
        root = Path(scratch)
        started = time.perf_counter()
        zips = generate_archives(
            root / "zips", demo_months(args.months, "2019-12"), seed=args.seed, scale=args.scale
        )
        print(f"Generated {len(zips)} SYNTHETIC month(s) in {time.perf_counter() - started:.1f} s")
        extracted = root / "extracted"
        for archive in zips:
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(extracted)
        files = files_by_kind(extracted)
        for path in [*zips, *(p for paths in files.values() for p in paths)]:
            Path(path).read_bytes()  # in the page cache for every contender alike
        folders = sorted({Path(p).parent for paths in files.values() for p in paths})
        db = root / "bench.duckdb"
        contenders: dict[str, Callable[[], int]] = {
            CEILING: lambda: duckdb_read_csv(files, db),
            UNZIP: lambda: unzip_then_read_csv(zips, root / "unzipped", db),
            CSVS: lambda: peelstat_load(folders, db),
            ZIPS: lambda: peelstat_load(zips, db),
        }
        if not args.no_pandas:
            contenders[PANDAS] = lambda: pandas_into_duckdb(files, db)
        loads = [os.getloadavg()[0]]
        runs: list[dict[str, tuple[float, int]]] = []
        for number in range(args.runs):
            order = list(contenders) if number % 2 == 0 else list(reversed(contenders))
            run = {name: timed(contenders[name], db) for name in order}
            runs.append(run)
            loads.append(os.getloadavg()[0])
            shown = ", ".join(f"{name} {run[name][0]:.2f} s" for name in order)
            print(f"run {number + 1} (load {loads[-1]:.2f}): {shown}", flush=True)
    report(runs, loads)


def report(runs: list[dict[str, tuple[float, int]]], loads: list[float]) -> None:
    names = list(runs[0])
    print(f"\n{len(runs)} runs, load average (1 min) {min(loads):.2f}–{max(loads):.2f}")
    print(f"{'contender':<34} {'best s':>7} {'median s':>9} {'rows':>11} {'rows/s (best)':>14}")
    for name in names:
        seconds = [run[name][0] for run in runs]
        rows = runs[0][name][1]
        print(f"{name:<34} {min(seconds):>7.2f} {statistics.median(seconds):>9.2f} "
              f"{rows:>11,} {rows / min(seconds):>14,.0f}")  # fmt: skip
    counts = {run[name][1] for run in runs for name in names}
    if len(counts) != 1:
        print(f"WARNING: contenders loaded different row counts: {sorted(counts)}")
    print(
        f"\n{'speed ratio, same run (peelstat = CSVs, zips)':<48} {'best':>6} {'median':>7}  target"
    )
    pairs = [(a, b, t) for a, b, t in TARGETS if a in names and b in names]
    pairs += [(UNZIP, CEILING, None), (ZIPS, UNZIP, None)]
    for contender, baseline, target in pairs:
        ratios = [run[baseline][0] / run[contender][0] for run in runs]
        best, median = max(ratios), statistics.median(ratios)
        verdict = (
            "(info)"
            if target is None
            else f">= {target}x " + ("PASS" if min(best, median) >= target else "MISS")
        )
        pair = f"{SHORT[contender]} / {SHORT[baseline]}"
        print(f"{pair:<48} {best:>5.2f}x {median:>6.2f}x  {verdict}")


if __name__ == "__main__":
    main()
