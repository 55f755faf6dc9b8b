"""The tables a measure may read, the units it may report in and the report's priorities.

Which tables a measure may read, and how, is declared by the sources themselves (each
table's :class:`~peelstat.sources.contract.SourceSpec`); a new unit or priority is one entry here.
"""

from __future__ import annotations

from peelstat.sources import source_tables
from peelstat.sources.contract import SourceSpec


def measure_sources() -> dict[str, SourceSpec]:
    """Every table a measure may read (its ``source:``), with how it is read.

    ``local_observations`` is read at the grain a measure declares (``grain: month`` in the
    YAML for monthly exports; quarterly by default); ``recorded_crime_severity`` is
    ``recorded_crime`` with each offence count weighted (see :mod:`peelstat.measures.severity`).
    """
    return {name: spec for table in source_tables().values() for name, spec in table.specs.items()}


UNITS: dict[str, float] = {
    "per_1000_residents": 1000.0,
    "per_1000_households": 1000.0,
    "per_1000_people": 1000.0,
    "percent": 100.0,
    "ratio": 1.0,
    "mean": 1.0,
    "count": 1.0,
    "severity_per_resident": 1.0,
}
"""Unit → scale applied to numerator / denominator (``count``: value is the numerator)."""

PRIORITIES = (
    "homicide",
    "serious violence",
    "drugs and county lines",
    "neighbourhood crime",
    "violence against women and girls",
    "crime volume",
    "anti-social behaviour",
    "victim satisfaction",
    "rape outcomes",
    "criminal justice",
    "outcomes",
    "stop and search",
    "call handling",
    "other",
)
"""Performance-report priorities a measure can belong to (the report's section headings)."""
