"""What a measure is: a frozen, validated declaration read from YAML.

A declaration says *what* to count (a filter on one warehouse table), *what to divide by*
(residents, households, another measure, or a column of the same table), the unit and which
direction is better. How it is computed lives in :mod:`peelstat.measures.compile`.

The types live in :mod:`~peelstat.catalogue.measure`, the tables a measure may read in
:mod:`~peelstat.catalogue.source_specs` and the YAML checks in
:mod:`~peelstat.catalogue.parsing`; this module gathers them under one familiar name.

>>> m = parse_measure({"id": "burglary", "title": "Burglary", "source": "police_uk_street",
...     "numerator": {"crime_types": ["Burglary"]}, "denominator": "residents",
...     "unit": "per_1000_residents", "lower_is_better": True}, file="my.yaml")
>>> m.window_periods, m.source_spec.grain
(12, 'month')
"""

from __future__ import annotations

from peelstat.catalogue.filters import parse_filter
from peelstat.catalogue.measure import (
    Catalogue,
    DefinitionChange,
    Denominator,
    DenominatorKind,
    Filter,
    Measure,
)
from peelstat.catalogue.parsing import parse_measure
from peelstat.catalogue.problems import _Problems
from peelstat.catalogue.source_specs import PRIORITIES, SOURCES, UNITS, Grain, SourceSpec

__all__ = [
    "PRIORITIES",
    "SOURCES",
    "UNITS",
    "Catalogue",
    "DefinitionChange",
    "Denominator",
    "DenominatorKind",
    "Filter",
    "Grain",
    "Measure",
    "SourceSpec",
    "_Problems",
    "parse_filter",
    "parse_measure",
]
