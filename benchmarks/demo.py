"""Benchmark: generating the demo archives in one process against one per core.

Run: ``.venv/bin/python benchmarks/demo.py [--months 4] [--scale 1.0]``

``peelstat demo`` spends most of its time generating SYNTHETIC national archives, in pure
Python and numpy held by one core. Both ways are timed in the same run, alternating which
goes first, and must give the same bytes; the machine's load average is printed beside them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from peelstat.demo.archives import demo_months, generate_archives


def run(folder: Path, months: list[str], scale: float, workers: int) -> tuple[float, list[str]]:
    started = time.perf_counter()
    paths = generate_archives(folder, months, scale=scale, workers=workers)
    seconds = time.perf_counter() - started
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    shutil.rmtree(folder)
    return seconds, digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--months", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    months = demo_months(args.months)
    root = Path(tempfile.mkdtemp(prefix="peelstat-demo-bench-"))
    times: dict[int, list[float]] = {1: [], cores: []}
    same = True
    for i in range(args.repeat):
        order = (1, cores) if i % 2 == 0 else (cores, 1)
        results = {w: run(root / f"{w}-{i}", months, args.scale, w) for w in order}
        same &= results[1][1] == results[cores][1]
        for w, (seconds, _) in results.items():
            times[w].append(seconds)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"demo archives, {args.months} national months at scale {args.scale} (SYNTHETIC)")
    print(f"load average {load} ({cores} cores, shared)")
    for w, seconds in times.items():
        print(
            f"  {w} process(es): best {min(seconds):.1f} s, runs {', '.join(f'{s:.1f}' for s in seconds)}"
        )
    print(
        f"  speed-up, best against best: {min(times[1]) / min(times[cores]):.2f}x; same bytes: {same}"
    )
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
