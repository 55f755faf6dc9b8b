"""The measure catalogue as a front-end lists it: what each measure counts and divides by."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from peelstat.analysis.plain import field_names, frame_of, plain
from peelstat.catalogue.measure import Catalogue, Measure

UNIT_LABELS = {
    "per_1000_residents": "per 1,000 residents",
    "per_1000_households": "per 1,000 households",
    "per_1000_people": "per 1,000 people",
    "percent": "%",
    "ratio": "ratio",
    "mean": "mean",
    "count": "count",
}


@dataclass(frozen=True)
class MeasureInfo:
    """One measure in the analyst's words: the header of every table and chart of it."""

    id: str
    title: str
    priority: str
    source: str
    unit: str
    unit_label: str
    better: str  # "lower" or "higher"
    numerator: str
    denominator: str
    window_months: int
    notes: str
    file: str

    @classmethod
    def of(cls, m: Measure) -> MeasureInfo:
        return cls(
            id=m.id,
            title=m.title,
            priority=m.priority,
            source=m.source,
            unit=m.unit,
            unit_label=UNIT_LABELS.get(m.unit, m.unit.replace("_", " ")),
            better="lower" if m.lower_is_better else "higher",
            numerator=", ".join(m.sum_of) if m.sum_of else m.numerator.describe(),
            denominator=f"{m.ratio_of[1]} (ratio)" if m.ratio_of else m.denominator.describe(),
            window_months=m.window_months,
            notes=m.notes,
            file=m.file,
        )

    @property
    def tables(self) -> tuple[str, ...]:
        """The warehouse tables this measure reads (for provenance)."""
        return (self.source,)


@dataclass(frozen=True)
class CatalogueListing:
    """Every measure the workspace knows: the built-ins, then the user's files."""

    measures: tuple[MeasureInfo, ...]
    files: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return frame_of(self.measures, field_names(MeasureInfo))

    def to_dict(self) -> dict:
        return plain(self)


def catalogue_listing(catalogue: Catalogue) -> CatalogueListing:
    """The catalogue's measures and the files they were declared in."""
    infos = tuple(MeasureInfo.of(m) for m in catalogue)
    return CatalogueListing(infos, tuple(dict.fromkeys(i.file for i in infos)))


def load_commands(source: str) -> tuple[str, ...]:
    """The commands that load a measure's source table ("peelstat load home-office"), for a
    front-end to say what to load when a table has no rows."""
    from peelstat.sources import loaded_by

    return tuple(f"peelstat load {name}" for name in loaded_by(source))
