"""Benchmark: the performance report for one force (HTML, PDF) and for all 43 forces (HTML).

Run: ``.venv/bin/python benchmarks/reports.py [--months 36]`` (``make bench``).

On a SYNTHETIC warehouse of every table for all forces (``peelstat.demo.warehouse``), warmed by
one report first, prints the seconds for:

* the full performance report of one force, HTML (target < 3 s);
* the same with the PDF (target < 10 s);
* all 43 forces' HTML reports, as ``peelstat report performance --force all`` writes them
  (figures first, then every chart drawn in one process per core; target < 60 s);

with the machine's load average beside each figure: on a shared machine the load says how
much of the time was this process's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.reference import territorial_forces
from peelstat.reports.performance import write_performance, write_performance_reports
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"
PERIOD = "Q3 2018/19"


def timed(label: str, target: float, run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{label}: {seconds:.2f} s (target < {target:g} s, {seconds / target:.2f} of it); load {load}"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        con = connect(str(work / "warehouse.duckdb"))
        load_tables(con, warehouse_tables(first_month="2016-01", months=args.months))
        con.disconnect()
        workspace = Workspace(work / "warehouse.duckdb")
        write_performance(workspace, FORCE, PERIOD, work / "warm")  # warm: caches, imports
        timed("one force, HTML", 3, lambda: write_performance(workspace, FORCE, PERIOD, work))
        timed("one force, HTML + PDF", 10,
              lambda: write_performance(workspace, FORCE, PERIOD, work, pdf=True))  # fmt: skip
        timed("43 forces, HTML", 60, lambda: write_performance_reports(
            workspace, territorial_forces(), PERIOD, work / "all"
        ))  # fmt: skip
        workspace.close()


if __name__ == "__main__":
    main()
