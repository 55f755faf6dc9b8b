"""Turning one YAML measure mapping into a validated Measure.

Each field is checked on its own and every problem is kept, naming file, measure and field,
so an analyst editing a file sees all their mistakes at once rather than one per run.

>>> m = parse_measure({"id": "burglary", "title": "Burglary", "source": "police_uk_street",
...     "numerator": {"crime_types": ["Burglary"]}, "denominator": "residents",
...     "unit": "per_1000_residents", "lower_is_better": True}, file="my.yaml")
>>> m.window_periods, m.source_spec.grain
(12, 'month')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from peelstat.catalogue.field_checks import (
    LOCAL_SOURCE,
    checked_grain,
    checked_polarity,
    checked_priority,
    checked_ratio_of,
    checked_unit,
    checked_window,
)
from peelstat.catalogue.filters import parse_changes, parse_denominator, parse_filter
from peelstat.catalogue.measure import Denominator, Filter, Measure
from peelstat.catalogue.problems import Problems
from peelstat.catalogue.source_specs import measure_sources
from peelstat.sources.contract import SourceSpec

_MEASURE_FIELDS = {
    "id",
    "title",
    "source",
    "numerator",
    "denominator",
    "unit",
    "lower_is_better",
    "window",
    "notes",
    "priority",
    "ratio_of",
    "definition_changes",
    "grain",
}


def parse_measure(raw: Mapping[str, Any], file: str, problems: Problems | None = None) -> Measure:
    """One YAML mapping → a Measure; problems are collected (or raised at once if standalone)."""
    own = problems is None
    problems = problems or Problems(file)
    mid = str(raw.get("id", "")) or None
    _check_fields(raw, mid, problems)
    source = _source(raw, mid, problems)
    spec = measure_sources()[source]
    numerator, sum_of = _numerator(raw, source, spec, mid, problems)
    denominator = _denominator(raw, source, spec, numerator, mid, problems)
    # checked in this order so problems are listed as they always have been
    unit = checked_unit(raw, denominator, mid, problems)
    polarity = checked_polarity(raw, mid, problems)
    window = checked_window(raw, source, spec, mid, problems)
    priority = checked_priority(raw, mid, problems)
    ratio_of = checked_ratio_of(raw, mid, problems)
    grain = checked_grain(raw, source, mid, problems)
    changes = parse_changes(raw.get("definition_changes"), spec, mid, problems)
    measure = Measure(
        id=str(mid),
        title=str(raw.get("title", mid)),
        source=source,
        numerator=numerator,
        denominator=denominator,
        unit=unit,
        lower_is_better=polarity,
        window_months=window,
        notes=str(raw.get("notes", "")).strip(),
        priority=priority,
        sum_of=sum_of,
        ratio_of=ratio_of,
        definition_changes=changes,
        grain_override=grain,
        file=file,
    )
    if own:
        problems.raise_if_any()
    return measure


def _check_fields(raw: Mapping[str, Any], mid: str | None, problems: Problems) -> None:
    """Misspelt fields would otherwise be ignored silently; missing ones are required."""
    for key in sorted(set(raw) - _MEASURE_FIELDS):
        problems.add(mid, key, f"unknown field; known fields: {sorted(_MEASURE_FIELDS)}")
    for key in ("id", "title", "source", "unit", "lower_is_better"):
        if key not in raw and not (key == "source" and "ratio_of" in raw):
            problems.add(mid, key, "required")


def _source(raw: Mapping[str, Any], mid: str | None, problems: Problems) -> str:
    """The table read; a ratio of two measures reads theirs, filled in by the loader."""
    source = str(raw.get("source", "police_uk_street"))
    known = measure_sources()
    if source not in known:
        problems.add(mid, "source", f"unknown source {source!r}; use one of {sorted(known)}")
        return "police_uk_street"
    return source


def _numerator(
    raw: Mapping[str, Any], source: str, spec: SourceSpec, mid: str | None, problems: Problems
) -> tuple[Filter, tuple[str, ...]]:
    """What is counted; a local measure with no filter counts its own rows of the export."""
    numerator, sum_of = parse_filter(raw.get("numerator"), spec, "numerator", mid or "", problems)
    if source == LOCAL_SOURCE and not numerator.include:
        numerator = dataclasses.replace(numerator, include=(("measure", (str(mid),)),))
    return numerator, sum_of


def _denominator(
    raw: Mapping[str, Any],
    source: str,
    spec: SourceSpec,
    numerator: Filter,
    mid: str | None,
    problems: Problems,
) -> Denominator:
    """What is divided by; residents unless a local export carries its own denominator."""
    default: Any = {"column": "denominator"} if source == LOCAL_SOURCE else "residents"
    denominator = parse_denominator(raw.get("denominator", default), spec, mid, problems)
    records = denominator.records
    if source == LOCAL_SOURCE and records and "measure" not in dict(records.include):
        # a local export holds many measures: the denominator is this measure's rows only
        this_measure = Filter(
            (*records.include, *numerator.include[:1]), records.exclude, records.sum_column
        )
        return Denominator("records", records=this_measure)
    return denominator
