"""Load test of the dashboard on loopback: 50 clients, with ~1 s pauses and saturated.

Run against a running server (``peelstat serve --warehouse demo/warehouse.duckdb``):
``.venv/bin/python benchmarks/web_load.py [--url http://127.0.0.1:8000] [--clients 50]
[--seconds 30]``. Only 127.0.0.1 is allowed, the run is bounded by time and by request count,
and it prints p50/p95/p99 per kind of request, errors, throughput and the load average.

First the force map page for 12 months of every force, twice each, one at a time (the first
request computes that force's map). Then each client loops over the overview, a measure page
and the API report table for forces chosen at random (seeded); first each URL is requested
once, so the figures are warm ones.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from urllib.parse import urlparse

import httpx

FORCES = ["avon-and-somerset", "kent", "essex", "merseyside", "west-yorkshire", "dorset"]
KINDS = {
    "overview": "/?force={force}",
    "measure": "/measure?measure=police_uk_burglary&force={force}",
    "api report table": "/api/v1/report-table?force={force}",
}
MAX_REQUESTS = 200_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def client_loop(http: httpx.AsyncClient, rng: random.Random, pause: float, until: float,
                      timings: dict[str, list[float]], errors: list[str]) -> None:  # fmt: skip
    while time.monotonic() < until and sum(map(len, timings.values())) < MAX_REQUESTS:
        kind = rng.choice(list(KINDS))
        url = KINDS[kind].format(force=rng.choice(FORCES))
        start = time.perf_counter()
        try:
            response = await http.get(url)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {url}")
        except httpx.HTTPError as problem:
            errors.append(f"{type(problem).__name__} {url}")
        timings[kind].append((time.perf_counter() - start) * 1000)
        if pause:
            await asyncio.sleep(rng.uniform(0.5 * pause, 1.5 * pause))


async def run(url: str, clients: int, seconds: float, pause: float) -> None:
    timings: dict[str, list[float]] = {k: [] for k in KINDS}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        start = time.monotonic()
        until = start + seconds
        loops = [client_loop(http, random.Random(i), pause, until, timings, errors)
                 for i in range(clients)]  # fmt: skip
        await asyncio.gather(*loops)
        elapsed = time.monotonic() - start
    total = sum(map(len, timings.values()))
    label = f"{clients} clients, " + (
        f"~{pause:.0f} s pauses" if pause else "no pauses (saturated)"
    )
    print(f"\n{label}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s, "
          f"{len(errors)} errors; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    for kind, values in timings.items():
        if values:
            print(f"  {kind:17} n={len(values):6}  p50 {percentile(values, .5):7.1f} ms  "
                  f"p95 {percentile(values, .95):7.1f} ms  p99 {percentile(values, .99):7.1f} ms  "
                  f"mean {statistics.fmean(values):7.1f} ms")  # fmt: skip
    for problem in sorted(set(errors))[:10]:
        print(f"  error: {problem}")


async def warm(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=600) as http:
        for force in FORCES:
            for path in KINDS.values():
                (await http.get(path.format(force=force))).raise_for_status()


async def force_maps(url: str) -> None:
    """The force map page for 12 months of every force: its first request (nothing of that
    force's map computed yet) and its second, one at a time (target < 500 ms)."""
    from peelstat.reference import territorial_forces

    first: dict[str, float] = {}
    again: list[float] = []

    async def timed(http: httpx.AsyncClient, force: str) -> float:
        start = time.perf_counter()
        (await http.get(f"/map?force={force}&months=12")).raise_for_status()
        return (time.perf_counter() - start) * 1000

    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        for force in territorial_forces():
            first[force] = await timed(http, force)
            again.append(await timed(http, force))
    slowest = sorted(first.items(), key=lambda kv: -kv[1])[:5]
    over = [f for f, ms in first.items() if ms >= 500]
    print(f"\nforce map, 12 months, {len(first)} forces one at a time (target < 500 ms): first "
          f"request p50 {percentile(list(first.values()), .5):.0f} ms, max {slowest[0][1]:.0f} "
          f"ms; again p50 {percentile(again, .5):.1f} ms; {len(over)} over 500 ms: "
          + ", ".join(f"{f} {ms:.0f}" for f, ms in slowest if ms >= 500)
          + f"; load average {os.getloadavg()[0]:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    if urlparse(args.url).hostname != "127.0.0.1":
        raise SystemExit("web_load.py runs against 127.0.0.1 only")
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 300:
        raise SystemExit("at most 200 clients and 300 seconds")
    asyncio.run(force_maps(args.url))  # first: the maps must not be warmed by the pages below
    print(f"warming {len(FORCES)} forces × {len(KINDS)} pages ...")
    asyncio.run(warm(args.url))
    asyncio.run(run(args.url, args.clients, args.seconds, pause=1.0))
    asyncio.run(run(args.url, args.clients, args.seconds, pause=0.0))


if __name__ == "__main__":
    main()
