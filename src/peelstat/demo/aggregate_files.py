"""SYNTHETIC Home Office and 999 tables as the files their loaders read, for ``peelstat demo``.

The demo's police.uk archives cover the street-level measures; these files cover the rest
(recorded crime by offence code, the rolling year, outcomes, 999 call answering), so the
demo's performance report and dashboard have every priority filled. They are written in each
source's own column headings and loaded through the same loaders as real files, so every
figure from them is traceable to a file like any other. Not real data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from peelstat.demo import aggregate_tables
from peelstat.reference import force_name, resolve_force, territorial_forces
from peelstat.sources import source_class

Generator = Callable[[Sequence[str], Sequence[dt.date], np.random.Generator], pd.DataFrame]
QUARTERLY: dict[str, Generator] = {
    "home-office": aggregate_tables.recorded_crime,
    "home-office-rolling": aggregate_tables.rolling,
    "crime-outcomes": aggregate_tables.crime_outcomes,
}
MONTHLY: dict[str, Generator] = {"call-answering": aggregate_tables.call_answering}


def write_aggregate_files(
    folder: Path, months: Sequence[str], forces: Sequence[str] | None = None, seed: int = 0
) -> dict[str, Path]:
    """One CSV per source (``demo-home-office.csv``...) for the territorial forces among
    ``forces`` and the quarters that end within ``months`` ('YYYY-MM'); by source name."""
    wanted = None if forces is None else {resolve_force(f) for f in forces}
    chosen = [f for f in territorial_forces() if wanted is None or f in wanted]
    firsts = [pd.Period(m, "M").start_time.date() for m in months]
    quarter_ends = [pd.Period(m, "M").end_time.date() for m in months if int(m[-2:]) % 3 == 0]
    rng = np.random.default_rng(seed + 1)  # not the archives' stream: they stay as they were
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for source, make in {**QUARTERLY, **MONTHLY}.items():
        periods = firsts if source in MONTHLY else quarter_ends
        if not chosen or not periods:
            continue
        path = folder / f"demo-{source}.csv"
        as_file(source, make(chosen, periods, rng)).to_csv(path, index=False)
        written[source] = path
    return written


def as_file(source: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (warehouse columns) under the first heading the source's loader accepts for
    each column, forces by name, as a published table has them."""
    columns = source_class(source).columns  # type: ignore[attr-defined]
    shown = {c.spellings[0]: frame[c.name] for c in columns if c.name in frame}
    out = pd.DataFrame(shown)
    heading = next(c.spellings[0] for c in columns if c.name == "force")
    out[heading] = [force_name(f) for f in frame["force"]]
    return out
