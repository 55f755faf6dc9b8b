"""Home Office police recorded crime by force, offence code and financial quarter
(``prc-pfa-mar2013-onwards-tables``) → ``recorded_crime``."""

from __future__ import annotations

from typing import Any

from peelstat.sources.contract import SourceSpec, WarehouseTable
from peelstat.sources.home_office.common import OFFENCE_COLUMNS, OFFENCE_FILTERS, HomeOfficeTable
from peelstat.sources.tabular import Column, Record, parse_count

RECORDED_CRIME = WarehouseTable(
    "recorded_crime",
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
    },
    SourceSpec("recorded_crime", "quarter", "period_end", "offences", OFFENCE_FILTERS),
    read_as={
        # each offence count × the weight of its code in offence_weights (a severity score)
        "recorded_crime_severity": SourceSpec(
            "recorded_crime",
            "quarter",
            "period_end",
            "weighted_offences",
            OFFENCE_FILTERS,
            weights="offence_weights",
        )
    },
)


class RecordedCrimeTable(HomeOfficeTable):
    """Police recorded crime by force, offence code and financial quarter (one unit per year)."""

    name = "home-office"
    title = "Home Office police recorded crime open data tables (force, offence code, quarter)"
    table = RECORDED_CRIME
    key_prefix = "recorded-crime/"
    columns = (
        *OFFENCE_COLUMNS,
        Column("offences", ("Number of Offences", "Offences", "Number of crimes", "Count")),
    )

    def convert(self, record: Record) -> dict[str, Any]:
        row = self.offence_and_quarter(record)
        offences = record.values["offences"]
        row["offences"] = parse_count(offences, "number of offences", negative=True)
        return row
