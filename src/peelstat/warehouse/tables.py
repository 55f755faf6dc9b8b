"""Schemas of the warehouse tables: one raw table per source, plus the load bookkeeping.

Every raw table carries ``source_file`` (the load unit's name, e.g.
``2018-10-avon-and-somerset-street.csv``) and ``source_line`` (1-based line in that file), so
a changed file replaces exactly its own rows and any figure can be traced to the line it came from.
"""

from __future__ import annotations

import ibis
import ibis.expr.schema as sch

_PROVENANCE = {"source_file": "string", "source_line": "int64"}

_POLICE_UK_PLACE = {
    "reported_by": "string",
    "falls_within": "string",
    "force": "string",
    "longitude": "float64",
    "latitude": "float64",
    "location": "string",
    "lsoa_code": "string",
    "lsoa_name": "string",
}

SCHEMAS: dict[str, sch.Schema] = {
    "police_uk_street": ibis.schema(
        {
            "crime_id": "string",
            "month": "date",
            **_POLICE_UK_PLACE,
            "crime_type": "string",
            "last_outcome_category": "string",
            "context": "string",
            **_PROVENANCE,
        }
    ),
    "police_uk_outcomes": ibis.schema(
        {
            "crime_id": "string",
            "month": "date",
            **_POLICE_UK_PLACE,
            "outcome_category": "string",
            **_PROVENANCE,
        }
    ),
    "police_uk_stop_search": ibis.schema(
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
            **_PROVENANCE,
        }
    ),
    "recorded_crime": ibis.schema(
        {
            "force": "string",
            "financial_year": "string",
            "financial_quarter": "int64",
            "period_end": "date",
            "offence_code": "string",
            "offence_description": "string",
            "offence_group": "string",
            "offence_subgroup": "string",
            "offences": "int64",
            **_PROVENANCE,
        }
    ),
    "recorded_crime_rolling": ibis.schema(
        {
            "force": "string",
            "period_end": "date",
            "offence": "string",
            "offences_12m": "int64",
            **_PROVENANCE,
        }
    ),
    "crime_outcomes": ibis.schema(
        {
            "financial_year": "string",
            "financial_quarter": "int64",
            "period_end": "date",
            "force": "string",
            "offence_code": "string",
            "offence_description": "string",
            "offence_group": "string",
            "offence_subgroup": "string",
            "outcome_type": "string",
            "outcome_description": "string",
            "outcome_group": "string",
            "outcomes_recorded_in_quarter": "int64",
            "outcomes_closed_in_quarter": "int64",
            **_PROVENANCE,
        }
    ),
    "population": ibis.schema(
        {
            "force": "string",
            "year": "int64",
            "residents": "int64",
            "households": "int64",
            **_PROVENANCE,
        }
    ),
    "call_answering": ibis.schema(
        {
            "force": "string",
            "month": "date",
            "calls_presented": "int64",
            "answered_within_10s": "int64",
            "mean_answer_seconds": "float64",
            **_PROVENANCE,
        }
    ),
    "ons_pfa_recorded_crime": ibis.schema(
        {
            "force": "string",
            "period_end": "date",
            "offence_group": "string",
            "offences": "int64",
            **_PROVENANCE,
        }
    ),
    "ons_pfa_population": ibis.schema(
        {
            "force": "string",
            "year": "int64",
            "figure": "string",
            "value": "int64",
            **_PROVENANCE,
        }
    ),
    "offence_weights": ibis.schema(
        {
            "weights_label": "string",
            "offence_code": "string",
            "offence_description": "string",
            "weight": "float64",
            **_PROVENANCE,
        }
    ),
    "local_observations": ibis.schema(
        {
            "measure": "string",
            "force": "string",
            "period_end": "date",
            "numerator": "float64",
            "denominator": "float64",
            **_PROVENANCE,
        }
    ),
    "load_log": ibis.schema(
        {
            "file": "string",
            "source": "string",
            "path": "string",
            "sha256": "string",
            "rows_loaded": "int64",
            "rows_rejected": "int64",
            "loaded_at": "timestamp",
        }
    ),
    "rejected_rows": ibis.schema(
        {
            "file": "string",
            "source": "string",
            "line": "int64",
            "reason": "string",
            "raw": "string",
        }
    ),
}

RAW_TABLES = [name for name in SCHEMAS if name not in ("load_log", "rejected_rows")]
