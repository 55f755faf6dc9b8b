"""The declaration types: what to count, what to divide by, and the catalogue holding them.

Frozen so a measure read once from YAML cannot drift between the compiler and the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from peelstat.catalogue.source_specs import UNITS, measure_sources
from peelstat.errors import UnknownMeasureError
from peelstat.periods import Grain
from peelstat.sources.contract import SourceSpec


@dataclass(frozen=True)
class Filter:
    """Which rows count: every ``include`` column in its values, no ``exclude`` column in its."""

    include: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    exclude: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    sum_column: str | None = None  # sum this column instead of the source's count
    count_distinct: str | None = None  # count distinct values of this column (per period)

    def describe(self) -> str:
        """One line for docs and tables, e.g. ``crime_type in (Burglary)``."""
        parts = [f"{c} in ({', '.join(map(str, v))})" for c, v in self.include]
        parts += [f"{c} not in ({', '.join(map(str, v))})" for c, v in self.exclude]
        return " and ".join(parts) or "all rows"


@dataclass(frozen=True)
class DefinitionChange:
    """A series the measure followed before ``date`` (e.g. Domestic → Residential burglary)."""

    date: dt.date
    before: Filter
    note: str


DenominatorKind = Literal["residents", "households", "ethnic_group_residents", "measure", "records"]


@dataclass(frozen=True)
class Denominator:
    """What the numerator is divided by."""

    kind: DenominatorKind
    records: Filter | None = None  # kind "records": rows of the same table
    measure: str | None = None  # kind "measure": the numerator of that measure
    ethnic_groups: tuple[str, ...] = ()  # kind "ethnic_group_residents": Census 2011 groups

    def describe(self) -> str:
        if self.kind == "records" and self.records is not None:
            what = f"sum of {self.records.sum_column}" if self.records.sum_column else "records"
            return f"{what} where {self.records.describe()}"
        if self.kind == "measure":
            return f"numerator of {self.measure}"
        if self.kind == "ethnic_group_residents":
            return f"Census 2011 residents: {', '.join(self.ethnic_groups)}"
        return f"{self.kind} (ONS mid-year estimate)"


@dataclass(frozen=True)
class Measure:
    """A performance measure, validated: everything the compiler needs and nothing else."""

    id: str
    title: str
    source: str
    numerator: Filter
    denominator: Denominator
    unit: str
    lower_is_better: bool
    window_months: int = 12
    notes: str = ""
    priority: str = "other"
    sum_of: tuple[str, ...] = ()  # numerator = sum of these measures' numerators (same source)
    ratio_of: tuple[str, str] | None = None  # value = value of first / value of second
    definition_changes: tuple[DefinitionChange, ...] = ()
    grain_override: Grain | None = None  # local observations only
    file: str = "<builtin>"

    @property
    def source_spec(self) -> SourceSpec:
        return measure_sources()[self.source]

    @property
    def grain(self) -> Grain:
        return self.grain_override or self.source_spec.grain

    @property
    def window_periods(self) -> int:
        """Periods in a window: 12 months, 4 quarters, 1 row of a table already rolling."""
        if self.source_spec.already_rolling:
            return 1
        return self.window_months // (3 if self.grain == "quarter" else 1)

    @property
    def scale(self) -> float:
        return UNITS[self.unit]

    @property
    def is_proportion(self) -> bool:
        """Percent measures are tested as proportions, the rest as Poisson counts."""
        return self.unit == "percent"

    @property
    def numerator_is_a_count(self) -> bool:
        """Whether the numerator is a count of events, so Poisson tests and rank ranges apply
        (not to a ratio of rates, a mean, or a weighted sum such as a severity score)."""
        return not self.ratio_of and self.unit not in ("mean", "ratio", "severity_per_resident")


@dataclass(frozen=True)
class Catalogue:
    """Measures by id, in declaration order; built-ins first, then the user's files."""

    measures: Mapping[str, Measure] = field(default_factory=dict)

    def __getitem__(self, measure_id: str) -> Measure:
        if measure_id not in self.measures:
            import difflib

            near = difflib.get_close_matches(measure_id, list(self.measures), n=3)
            raise UnknownMeasureError(measure_id, near)
        return self.measures[measure_id]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.measures.values())

    def __len__(self) -> int:
        return len(self.measures)

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self.measures

    def ids(self) -> list[str]:
        return list(self.measures)
