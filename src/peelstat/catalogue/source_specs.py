"""The tables a measure may read, the units it may report in and the report's priorities.

Kept apart from the declaration types so a new warehouse table or unit is one entry here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from peelstat.periods import Grain


@dataclass(frozen=True)
class SourceSpec:
    """A warehouse table a measure can read: its time grain and what a 'count' is there."""

    table: str
    grain: Grain
    date_column: str  # month start (monthly tables) or quarter end (quarterly tables)
    count_column: str | None  # summed for a count; None: one per row
    filters: Mapping[str, str]  # friendly filter name → column
    already_rolling: bool = False  # rows are 12-month totals already (the rolling-year table)
    weights: str | None = None  # table of weights per offence code: count_column is weighted
    optional_columns: tuple[str, ...] = ()  # fields a force may leave blank (then "not available")


_PLACE = {"outcome_categories": "last_outcome_category"}
_HOME_OFFICE = {
    "offence_codes": "offence_code",
    "offence_groups": "offence_group",
    "offence_subgroups": "offence_subgroup",
}

SOURCES: dict[str, SourceSpec] = {
    "police_uk_street": SourceSpec(
        "police_uk_street", "month", "month", None, {"crime_types": "crime_type", **_PLACE}
    ),
    "police_uk_outcomes": SourceSpec(
        "police_uk_outcomes",
        "month",
        "month",
        None,
        {"outcome_categories": "outcome_category"},
    ),
    "police_uk_stop_search": SourceSpec(
        "police_uk_stop_search",
        "month",
        "month",
        None,
        {
            "ethnic_groups": "officer_defined_ethnicity",
            "stop_search_outcomes": "outcome",
            "linked_to_object_of_search": "outcome_linked_to_object_of_search",
            "search_types": "type",
        },
        optional_columns=("outcome_linked_to_object_of_search", "officer_defined_ethnicity"),
    ),
    "recorded_crime": SourceSpec(
        "recorded_crime", "quarter", "period_end", "offences", _HOME_OFFICE
    ),
    "recorded_crime_severity": SourceSpec(
        "recorded_crime",
        "quarter",
        "period_end",
        "weighted_offences",
        _HOME_OFFICE,
        weights="offence_weights",
    ),
    "recorded_crime_rolling": SourceSpec(
        "recorded_crime_rolling",
        "quarter",
        "period_end",
        "offences_12m",
        {"offences": "offence"},
        already_rolling=True,
    ),
    "crime_outcomes": SourceSpec(
        "crime_outcomes",
        "quarter",
        "period_end",
        "outcomes_recorded_in_quarter",
        {**_HOME_OFFICE, "outcome_types": "outcome_type"},
    ),
    "call_answering": SourceSpec("call_answering", "month", "month", "calls_presented", {}),
    "local_observations": SourceSpec(
        "local_observations", "quarter", "period_end", "numerator", {"local_measures": "measure"}
    ),
}
"""Every table a measure may read. ``local_observations`` is read at the grain it is declared
with (``grain: month`` in the YAML for monthly exports; quarterly by default).
``recorded_crime_severity`` is ``recorded_crime`` with each offence count multiplied by the
weight of its offence code from ``offence_weights`` (see :mod:`peelstat.measures.severity`)."""

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
