"""The warehouse tables the police.uk source writes, and how measures read them."""

from __future__ import annotations

from peelstat.sources.contract import SourceSpec, WarehouseTable

PLACE = {
    "reported_by": "string",
    "falls_within": "string",
    "force": "string",
    "longitude": "float64",
    "latitude": "float64",
    "location": "string",
    "lsoa_code": "string",
    "lsoa_name": "string",
}

STREET = WarehouseTable(
    "police_uk_street",
    {
        "crime_id": "string",
        "month": "date",
        **PLACE,
        "crime_type": "string",
        "last_outcome_category": "string",
        "context": "string",
    },
    SourceSpec(
        "police_uk_street",
        "month",
        "month",
        None,
        {"crime_types": "crime_type", "outcome_categories": "last_outcome_category"},
    ),
)
OUTCOMES = WarehouseTable(
    "police_uk_outcomes",
    {"crime_id": "string", "month": "date", **PLACE, "outcome_category": "string"},
    SourceSpec(
        "police_uk_outcomes",
        "month",
        "month",
        None,
        {"outcome_categories": "outcome_category"},
        distinct_columns=("crime_id",),  # suspects charged: distinct crimes a month
    ),
)
STOP_SEARCH = WarehouseTable(
    "police_uk_stop_search",
    {
        "force": "string",
        "month": "date",
        "type": "string",
        "date": "timestamp('UTC')",
        "part_of_a_policing_operation": "boolean",
        "policing_operation": "string",
        "latitude": "float64",
        "longitude": "float64",
        "gender": "string",
        "age_range": "string",
        "self_defined_ethnicity": "string",
        "officer_defined_ethnicity": "string",
        "legislation": "string",
        "object_of_search": "string",
        "outcome": "string",
        "outcome_linked_to_object_of_search": "boolean",
        "removal_of_more_than_just_outer_clothing": "boolean",
    },
    SourceSpec(
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
)
TABLES = (STREET, OUTCOMES, STOP_SEARCH)
