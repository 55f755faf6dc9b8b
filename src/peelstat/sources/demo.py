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

The parts: mixes and rates in :mod:`~peelstat.sources.demo_mixes`, force profiles in
:mod:`~peelstat.sources.demo_forces`, one module per file kind (``demo_street``,
``demo_outcomes``, ``demo_stop_search``), the zip writer in :mod:`~peelstat.sources.demo_archive`;
labels shared with the measure tables are in :mod:`~peelstat.sources.synthetic_facts`.

>>> demo_months(3, last="2019-01")
['2018-11', '2018-12', '2019-01']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from peelstat.reference import forces as reference_forces
from peelstat.reference import resolve_force
from peelstat.sources.demo_archive import SYNTHETIC_NOTICE
from peelstat.sources.demo_columns import COMMA_PLACEHOLDER as _COMMA
from peelstat.sources.demo_columns import categories as _categories
from peelstat.sources.demo_columns import coordinates as _coordinates
from peelstat.sources.demo_columns import flag as _flag
from peelstat.sources.demo_columns import hex_ids as _hex_ids
from peelstat.sources.demo_columns import month_name, ordinal
from peelstat.sources.demo_columns import optional as _optional
from peelstat.sources.demo_forces import ForceProfile as _Force
from peelstat.sources.demo_generator import DemoGenerator
from peelstat.sources.demo_mixes import (
    ASB_PER_CRIME,
    BTP_NOTIONAL_RESIDENTS,
    COURT_EVENTS,
    CRIME_MIX,
    CRIME_TYPES,
    CRIMES_PER_1000,
    DUPLICATE_OUTCOME_SHARE,
    NO_LOCATION_SHARE,
    OBJECTS,
    OUTCOME_LAG_SHARE,
    POLICE_EVENTS,
    SEARCH_OUTCOMES,
    SEARCH_RATE_RATIO,
    SEARCH_TYPES,
    SEASONALITY,
    SELF_DEFINED,
    STOP_SEARCH_PER_1000,
    STREET_OUTCOMES,
    STREETS,
)
from peelstat.sources.demo_mixes import CENSUS_GROUP as _CENSUS_GROUP
from peelstat.sources.demo_street import Crimes as _Crimes
from peelstat.sources.synthetic_facts import ASB, ETHNIC_GROUPS
from peelstat.sources.synthetic_facts import NO_FURTHER_ACTION as NFA
from peelstat.sources.synthetic_facts import draw_codes as _draw

# Names importable from here before the split, kept for existing imports.
_Generator = DemoGenerator
_ordinal, _month_name = ordinal, month_name
__all__ = [
    "ASB",
    "ASB_PER_CRIME",
    "BTP_NOTIONAL_RESIDENTS",
    "COURT_EVENTS",
    "CRIMES_PER_1000",
    "CRIME_MIX",
    "CRIME_TYPES",
    "DEFAULT_LAST_MONTH",
    "DUPLICATE_OUTCOME_SHARE",
    "ETHNIC_GROUPS",
    "NFA",
    "NO_LOCATION_SHARE",
    "OBJECTS",
    "OUTCOME_LAG_SHARE",
    "POLICE_EVENTS",
    "SEARCH_OUTCOMES",
    "SEARCH_RATE_RATIO",
    "SEARCH_TYPES",
    "SEASONALITY",
    "SELF_DEFINED",
    "STOP_SEARCH_PER_1000",
    "STREETS",
    "STREET_OUTCOMES",
    "SYNTHETIC_NOTICE",
    "_CENSUS_GROUP",
    "_COMMA",
    "_Crimes",
    "_Force",
    "_Generator",
    "_categories",
    "_chosen_forces",
    "_coordinates",
    "_draw",
    "_flag",
    "_hex_ids",
    "_month_name",
    "_optional",
    "_ordinal",
    "demo_months",
    "generate_archives",
    "generate_demo",
    "month_range",
]  # fmt: skip

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
) -> list[Path]:
    """Write one SYNTHETIC ``YYYY-MM.zip`` per month into ``folder``; returns their paths.

    ``months`` lists them, or ``start``/``end`` bound them; ``forces`` takes slugs or any
    spelling of a force name (default: the 43 territorial forces and British Transport Police);
    ``scale`` multiplies every volume (0.01 for a quick test).
    """
    if months is None:
        if start is None or end is None:
            raise ValueError("give months, or start and end ('YYYY-MM')")
        months = month_range(start, end)
    generator = DemoGenerator(seed=seed, scale=scale, forces=_chosen_forces(forces))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [generator.write_month(folder, month) for month in months]


def _chosen_forces(forces: Sequence[str] | None) -> list[str]:
    """Force slugs from any spelling; by default every territorial force and BTP."""
    table = reference_forces()
    default = sorted(table.loc[table["territorial"] | (table["slug"] == "btp"), "slug"])
    if forces is None:
        return default
    return sorted({resolve_force(f) for f in forces})
