"""Offence weights per Home Office offence code, for harm-weighted crime (Crime Severity Score).

Counts treat a homicide and a shoplifting alike; a severity score adds offences × weight.
The weights are a table the analyst chooses, loaded like any source and replaceable: ONS
Crime Severity Score weights, the Cambridge Crime Harm Index, a newer ONS release.

``offence_code, weight`` (plus ``offence_description`` and ``weights_label`` if wanted), or
the third-party file ``derived/css_weights/DEPRECATED-severity_codes.csv`` as it stands
(``code_original``, ``offence``, ``weight``): Home Office codes joined to the ONS weights
by M-O-P-D/Police-Supply-Demand, ONS release not stated. That file is labelled as the
third-party derivation it is wherever its weights are used.

The whole table is one unit (``offence-weights/active``): loading another weights file
replaces the one before, so the severity measures always use exactly one set, named in
their notes. A weight must be a number ≥ 0; a code listed twice is rejected on its second
line (the derivation lists six codes twice, with the same weight).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from peelstat.sources.base import Parsed, SourceFile
from peelstat.sources.contract import WarehouseTable
from peelstat.sources.table_source import TableSource
from peelstat.sources.tabular import Column, Record, RowProblem, parse_number

THIRD_PARTY_CSS = (
    "ONS Crime Severity Score weights, third-party derivation "
    "(M-O-P-D/Police-Supply-Demand severity_codes.csv; ONS release not stated)"
)
"""The label of weights read from the third-party derivation's own layout."""

OFFENCE_WEIGHTS = WarehouseTable(
    "offence_weights",
    {
        "weights_label": "string",
        "offence_code": "string",
        "offence_description": "string",
        "weight": "float64",
    },
)
"""Read by the severity measures through ``recorded_crime_severity``, not as a source itself."""


class OffenceWeightsSource(TableSource):
    """One weight per Home Office offence code; the table in use is named in every score."""

    name = "offence-weights"
    title = "Offence weights by Home Office offence code (Crime Severity Score or other)"
    table = OFFENCE_WEIGHTS
    columns = (
        Column("offence_code", ("offence_code", "offence code", "code_original", "code")),
        Column("weight", ("weight", "severity weight", "harm weight", "CSS weight")),
        Column(
            "offence_description",
            ("offence_description", "offence description", "offence", "description"),
            required=False,
        ),
        Column("weights_label", ("weights_label", "weights label", "label"), required=False),
        Column("derivation", ("code_severity",), required=False),
    )
    key_columns = ("offence_code",)

    def unit_key(self, record: Record) -> str:
        return "active"

    def convert(self, record: Record) -> dict[str, Any]:
        values = record.values
        code = values["offence_code"].strip()
        if not code:
            raise RowProblem("offence code is empty")
        weight = parse_number(values["weight"], "weight")
        if weight < 0:
            raise RowProblem(f"weight is negative: {weight}")
        label = values.get("weights_label", "").strip()
        if values.get("derivation", "").strip():
            label = THIRD_PARTY_CSS
        return {
            "weights_label": label or None,
            "offence_code": code,
            "offence_description": values.get("offence_description", "").strip() or None,
            "weight": weight,
        }

    def parse(self, unit: SourceFile) -> Parsed:
        """Rows without a label of their own are labelled with the file they came from."""
        parsed = super().parse(unit)
        labels = parsed.rows["weights_label"]
        named = pc.fill_null(labels, pa.scalar(f"weights from {unit.path.name}"))
        index = parsed.rows.schema.get_field_index("weights_label")
        rows = parsed.rows.set_column(index, "weights_label", named)
        return Parsed(rows, parsed.rejected)
