"""How fast peelstat loads police.uk archives, against baselines measured in the same run.

Generates N months of national-scale SYNTHETIC archives (``peelstat.demo.archives``), extracts
them once, and loads the same extracted CSV files three ways:

(a) peelstat: ``load_source`` into a fresh DuckDB file — header checks, validation, casts,
    line numbers, rejects, checksums, load_log, transactions, everything a real load does;
(b) plain DuckDB: ``CREATE TABLE … AS SELECT * FROM read_csv([files])`` per file kind into a
    fresh DuckDB file, both with DuckDB's defaults (type sniffing on every file) and tuned
    (explicit columns and types, no sniffing); the faster of the two is the ceiling;
(c) pandas: ``pd.read_csv`` of every file and ``pd.concat`` per kind, in memory only (the
    target's baseline), and, for a like-for-like figure, also written into a DuckDB file.

Every contender reads files already in the page cache, and each is timed as the best of
``--repeat`` runs. peelstat from the zips (extraction included) is shown for information.

    .venv/bin/python benchmarks/ingest.py --months 3

Exits 0 either way, printing PASS or MISS for the targets: peelstat ≥ 0.7× plain DuckDB and
≥ 5× pandas.
"""

from __future__ import annotations

import argparse
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

DUCKDB_TARGET = 0.7
PANDAS_TARGET = 5.0

_TYPES = {"longitude": "DOUBLE", "latitude": "DOUBLE", "date": "TIMESTAMPTZ"}


def _files_by_kind(folder: Path) -> dict[str, list[str]]:
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


def duckdb_default(files: dict[str, list[str]], database: Path) -> int:
    con = duckdb.connect(str(database))
    rows = 0
    for kind, paths in files.items():
        table = kind.replace("-", "_")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?)", [paths])
        rows += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    con.close()
    return rows


def duckdb_tuned(files: dict[str, list[str]], database: Path) -> int:
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


def pandas_concat(files: dict[str, list[str]]) -> int:
    rows = 0
    for paths in files.values():
        frame = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
        rows += len(frame)
    return rows


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


def _best(label: str, repeat: int, run: Callable[[int], int]) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for attempt in range(repeat):
        started = time.perf_counter()
        rows = run(attempt)
        best = min(best, time.perf_counter() - started)
    print(f"  {label}: {best:.2f} s, {rows:,} rows", flush=True)
    return best, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=3, help="months to generate (default 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="volume multiplier (1 = national)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per contender; best is kept")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="peelstat-bench-") as scratch:
        root = Path(scratch)
        started = time.perf_counter()
        zips = generate_archives(
            root / "zips", demo_months(args.months, "2019-12"), seed=args.seed, scale=args.scale
        )
        generated = time.perf_counter() - started
        print(f"Generated {len(zips)} SYNTHETIC month(s) in {generated:.1f} s", flush=True)
        extracted = root / "extracted"
        for archive in zips:
            with zipfile.ZipFile(archive) as z:
                z.extractall(extracted)
        files = _files_by_kind(extracted)
        for paths in files.values():  # warm the page cache for every contender alike
            for p in paths:
                Path(p).read_bytes()

        def fresh(name: str, attempt: int) -> Path:
            return root / f"{name}-{attempt}.duckdb"

        print(f"Timing (best of {args.repeat}):", flush=True)
        results = {
            "peelstat load_source (extracted CSVs)": _best(
                "peelstat", args.repeat, lambda a: peelstat_load([extracted], fresh("p", a))
            ),
            "duckdb read_csv, defaults": _best(
                "duckdb defaults", args.repeat, lambda a: duckdb_default(files, fresh("d", a))
            ),
            "duckdb read_csv, tuned": _best(
                "duckdb tuned", args.repeat, lambda a: duckdb_tuned(files, fresh("t", a))
            ),
            "pandas read_csv + concat": _best(
                "pandas", args.repeat, lambda a: pandas_concat(files)
            ),
            "pandas read_csv + concat + DuckDB file": _best(
                "pandas into duckdb",
                args.repeat,
                lambda a: pandas_into_duckdb(files, fresh("q", a)),
            ),
            "peelstat load_source (zips, info)": _best(
                "peelstat from zips", 1, lambda a: peelstat_load(zips, fresh("z", a))
            ),
        }
    _report(results)


def _report(results: dict[str, tuple[float, int]]) -> None:
    print()
    print(f"{'method':<40} {'seconds':>8} {'rows':>12} {'rows/s':>12}")
    for name, (seconds, rows) in results.items():
        print(f"{name:<40} {seconds:>8.2f} {rows:>12,} {rows / seconds:>12,.0f}")
    counts = {rows for _, rows in results.values()}
    if len(counts) != 1:
        print(f"WARNING: contenders loaded different row counts: {sorted(counts)}")
    rate = {name: rows / seconds for name, (seconds, rows) in results.items()}
    ours = rate["peelstat load_source (extracted CSVs)"]
    ceiling = max(rate["duckdb read_csv, defaults"], rate["duckdb read_csv, tuned"])
    pandas = rate["pandas read_csv + concat"]
    stored = rate["pandas read_csv + concat + DuckDB file"]
    print()
    for label, ratio, target in (
        ("peelstat / plain DuckDB (faster variant)", ours / ceiling, DUCKDB_TARGET),
        ("peelstat / pandas (in memory)", ours / pandas, PANDAS_TARGET),
    ):
        verdict = "PASS" if ratio >= target else "MISS"
        print(f"{label:<48} {ratio:6.2f}x   target >= {target}x   {verdict}")
    print(f"{'(info) peelstat / pandas into a DuckDB file':<48} {ours / stored:6.2f}x")
    print(
        f"{'(info) peelstat / DuckDB read_csv defaults':<48} {ours / rate['duckdb read_csv, defaults']:6.2f}x"
    )


if __name__ == "__main__":
    main()
