"""SYNTHETIC police.uk-format monthly archives, for trying peelstat and for benchmarks.

Nothing here is real police data. The generator writes one zip per month in the
data.police.uk archive layout (``YYYY-MM/YYYY-MM-<force>-street.csv``, ``-outcomes.csv``,
``-stop-and-search.csv``, with the exact real columns) plus a ``README.txt`` saying SYNTHETIC
DATA; LSOAs are named ``Synthetic 001A`` with codes ``X01…`` that match no real area, and
every location is ``On or near Synthetic Street …``. Volumes follow each force's residents
(about 85 recorded crimes per 1,000 a year, anti-social behaviour about a third of street
rows), the crime type mix of real 2018–19 archives, summer peaks for violence and ASB,
per-force multipliers and gentle trends drawn from the seed, so rankings and trend labels
vary. Use it to see the tool work; draw no conclusions from it.

The same seed always gives the same bytes: every random draw comes from a generator keyed
by (seed, force, month, purpose), so a month can be regenerated alone and outcomes can cite
the crime IDs of earlier months without generating those months' files.

The parts: mixes and rates in :mod:`~peelstat.demo.mixes`, force profiles in
:mod:`~peelstat.demo.forces`, one module per file kind (``street``,
``outcomes``, ``stop_search``), the zip writer in :mod:`~peelstat.demo.zip_writer`;
labels shared with the measure tables are in :mod:`~peelstat.demo.labels`.

>>> demo_months(3, last="2019-01")
['2018-11', '2018-12', '2019-01']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from peelstat.demo.columns import month_name, ordinal
from peelstat.demo.generator import DemoGenerator
from peelstat.reference import forces as reference_forces
from peelstat.reference import resolve_force

DEFAULT_LAST_MONTH = "2023-12"


def demo_months(count: int, last: str = DEFAULT_LAST_MONTH) -> list[str]:
    """The ``count`` months ending with ``last`` ('YYYY-MM'), oldest first."""
    end = ordinal(last)
    return [month_name(end - k) for k in range(count - 1, -1, -1)]


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive ('YYYY-MM')."""
    return [month_name(m) for m in range(ordinal(start), ordinal(end) + 1)]


def generate_demo(
    folder: Path,
    months: int = 12,
    forces: Sequence[str] | None = None,
    seed: int = 0,
    scale: float = 1.0,
    last: str = DEFAULT_LAST_MONTH,
) -> list[Path]:
    """``peelstat demo --months N --forces ... --seed S``: the last N months up to ``last``."""
    return generate_archives(
        folder, demo_months(months, last), forces=forces, seed=seed, scale=scale
    )


def generate_archives(
    folder: Path,
    months: Sequence[str] | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    forces: Sequence[str] | None = None,
    seed: int = 0,
    scale: float = 1.0,
    workers: int | None = None,
) -> list[Path]:
    """Write one SYNTHETIC ``YYYY-MM.zip`` per month into ``folder``; returns their paths.

    ``months`` lists them, or ``start``/``end`` bound them; ``forces`` takes slugs or any
    spelling of a force name (default: the 43 territorial forces and British Transport Police);
    ``scale`` multiplies every volume (0.01 for a quick test). The months are shared out in
    runs of consecutive months between ``workers`` processes (default: one per core): the
    generator is pure Python and numpy, held by one core in one process, and every draw is
    keyed by the month, so the bytes are the same however the months are shared.
    """
    if months is None:
        if start is None or end is None:
            raise ValueError("give months, or start and end ('YYYY-MM')")
        months = month_range(start, end)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    slugs = chosen_forces(forces)
    count = min(workers or os.cpu_count() or 1, len(months))
    runs = [list(months[i * len(months) // count : (i + 1) * len(months) // count])
            for i in range(count)]  # fmt: skip
    if count <= 1:
        return write_months(folder, list(months), slugs, seed, scale)
    # spawn, not fork: the caller may hold a warehouse connection and its threads
    with ProcessPoolExecutor(count, mp_context=get_context("spawn")) as pool:
        done = pool.map(write_months, [folder] * count, runs, [slugs] * count,
                        [seed] * count, [scale] * count)  # fmt: skip
        return [path for paths in done for path in paths]


def write_months(
    folder: Path, months: list[str], slugs: list[str], seed: int, scale: float
) -> list[Path]:
    """One process's run of consecutive months, by one generator (it keeps the crimes that
    later months' outcomes cite)."""
    generator = DemoGenerator(seed=seed, scale=scale, forces=slugs)
    return [generator.write_month(folder, month) for month in months]


def chosen_forces(forces: Sequence[str] | None) -> list[str]:
    """Force slugs from any spelling; by default every territorial force and BTP."""
    table = reference_forces()
    default = sorted(table.loc[table["territorial"] | (table["slug"] == "btp"), "slug"])
    if forces is None:
        return default
    return sorted({resolve_force(f) for f in forces})
