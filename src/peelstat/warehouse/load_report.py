"""What a load did, unit by unit: the CLI's load table and the tests read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from peelstat.sources.base import SourceFile

Outcome = Literal["loaded", "replaced", "skipped", "copy"]
"""``copy``: the same bytes as a unit given earlier in the same command (the zip and its
extracted folder), counted once."""


@dataclass(frozen=True)
class UnitResult:
    """What happened to one unit: loaded, replaced (changed file) or skipped (already loaded)."""

    file: str
    label: str
    table: str
    outcome: Outcome
    rows_loaded: int
    rows_rejected: int


@dataclass
class LoadReport:
    """Everything one ``peelstat load`` did, for the CLI table and for tests."""

    source: str
    units: list[UnitResult] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(u.rows_loaded for u in self.units if u.outcome in ("loaded", "replaced"))

    @property
    def rows_rejected(self) -> int:
        return sum(u.rows_rejected for u in self.units if u.outcome in ("loaded", "replaced"))

    def record(self, result: UnitResult) -> None:
        """Add a unit's result; a unit written twice in one command (a changed copy) counts
        once, with the rows of the copy the warehouse keeps (the last)."""
        if result.outcome in ("loaded", "replaced"):
            for position, earlier in enumerate(self.units):
                if earlier.file == result.file and earlier.outcome in ("loaded", "replaced"):
                    del self.units[position]
                    result = replace(result, outcome=earlier.outcome)
                    break
        self.units.append(result)

    @property
    def written(self) -> int:
        """Units loaded or replaced (not skipped) by this load."""
        return self.count("loaded") + self.count("replaced")

    def count(self, outcome: Outcome) -> int:
        return sum(1 for u in self.units if u.outcome == outcome)


ProgressCallback = Callable[[SourceFile, int], None]
"""Called with each unit and its rows once the unit is committed. If the callback also has a
``start(units)`` method (as :func:`peelstat.warehouse.progress.loading_progress` gives), it is
called first with every unit found, so a progress bar knows its total."""
