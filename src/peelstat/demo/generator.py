"""The demo generator: one seed, scale and set of forces, and the caches months share.

Every random draw comes from a generator keyed by (seed, purpose, force, month, ...), so a
month can be regenerated alone and outcomes can cite crimes of earlier months without
writing those months' files.
"""

from __future__ import annotations

from functools import cached_property, partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from peelstat.demo.columns import ordinal
from peelstat.demo.forces import ForceProfile, force_profiles
from peelstat.demo.mixes import OUTCOME_LAG_SHARE
from peelstat.demo.outcomes import outcomes_table
from peelstat.demo.stop_search import stop_search_table
from peelstat.demo.street import (
    Crimes,
    PlaceNames,
    draw_crimes,
    expected_counts,
    place_names,
    street_table,
)
from peelstat.demo.zip_writer import SYNTHETIC_NOTICE, Member, write_archive
from peelstat.sources.police_uk import OUTCOMES_HEADER, STOP_SEARCH_HEADER, STREET_HEADER


class DemoGenerator:
    """Makes the street, outcomes and stop and search tables of any force-month."""

    def __init__(self, seed: int, scale: float, forces: list[str]) -> None:
        self.seed, self.scale, self.slugs = seed, scale, forces
        self._crimes: dict[tuple[str, int], Crimes] = {}
        self._place_names: dict[str, PlaceNames] = {}

    def rng(self, *key: int) -> np.random.Generator:
        """The generator for one purpose (1 forces, 2 crimes, 3 outcomes, 4 searches)."""
        return np.random.default_rng([self.seed, *key])

    @cached_property
    def forces(self) -> dict[str, ForceProfile]:
        return force_profiles(self.slugs, self.scale, self.rng)

    def crimes(self, slug: str, month: int) -> Crimes:
        """A force-month's crimes, kept while later months' outcomes may still cite them."""
        key = (slug, month)
        if key not in self._crimes:
            force = self.forces[slug]
            rng = self.rng(2, force.index, month)
            self._crimes[key] = draw_crimes(rng, force, self.expected(force, month))
            for old in [k for k in self._crimes if k[1] < month - len(OUTCOME_LAG_SHARE) - 1]:
                del self._crimes[old]
        return self._crimes[key]

    def expected(self, force: ForceProfile, month: int) -> np.ndarray:
        """Expected street rows of a force-month by crime type (see ``expected_counts``)."""
        return expected_counts(force, month, self.scale)

    def places(self, force: ForceProfile) -> PlaceNames:
        if force.slug not in self._place_names:
            self._place_names[force.slug] = place_names(force)
        return self._place_names[force.slug]

    def street(self, force: ForceProfile, month: int) -> pa.Table:
        crimes = self.crimes(force.slug, month)
        return street_table(force, month, crimes, self.places(force))

    def outcomes(self, force: ForceProfile, month: int) -> pa.Table:
        def crimes_of(earlier: int) -> Crimes:
            return self.crimes(force.slug, earlier)

        return outcomes_table(force, month, crimes_of, self.rng, self.places(force))

    def stop_search(self, force: ForceProfile, month: int) -> pa.Table:
        return stop_search_table(self.rng(4, force.index, month), force, month, self.scale)

    def write_month(self, folder: Path, month_name: str) -> Path:
        """One month's zip: for each force its street, outcomes and stop and search files."""
        month = ordinal(month_name)
        return write_archive(
            folder / f"{month_name}.zip",
            SYNTHETIC_NOTICE.format(seed=self.seed, scale=self.scale),
            [member for slug in self.slugs for member in self._members(slug, month, month_name)],
        )

    def _members(self, slug: str, month: int, month_name: str) -> list[Member]:
        force = self.forces[slug]
        kinds = (
            ("street", self.street, STREET_HEADER),
            ("outcomes", self.outcomes, OUTCOMES_HEADER),
            ("stop-and-search", self.stop_search, STOP_SEARCH_HEADER),
        )
        return [
            (f"{month_name}/{month_name}-{slug}-{kind}.csv", partial(make, force, month), header)
            for kind, make, header in kinds
        ]
