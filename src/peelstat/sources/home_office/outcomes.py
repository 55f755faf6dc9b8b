"""Home Office crime outcomes by force, offence code, outcome type and quarter
→ ``crime_outcomes``."""

from __future__ import annotations

import re
from typing import Any

from peelstat.sources.contract import SourceSpec, WarehouseTable
from peelstat.sources.home_office.common import OFFENCE_COLUMNS, OFFENCE_FILTERS, HomeOfficeTable
from peelstat.sources.tabular import Column, Record, RowProblem, parse_count

CRIME_OUTCOMES = WarehouseTable(
    "crime_outcomes",
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
    },
    SourceSpec(
        "crime_outcomes",
        "quarter",
        "period_end",
        "outcomes_recorded_in_quarter",
        {**OFFENCE_FILTERS, "outcome_types": "outcome_type"},
    ),
)


class CrimeOutcomesTable(HomeOfficeTable):
    """Outcomes by force, offence code, outcome type and quarter (one unit per year).

    Two counts: outcomes assigned to offences recorded in the quarter, and outcomes of
    investigations closed in the quarter. Older tables with one "Number of Outcomes" count
    give outcomes assigned in the quarter whatever the offence's recording date, which is the
    closed-in-quarter count; the recorded-in-quarter count is then left empty.
    """

    name = "crime-outcomes"
    title = "Home Office crime outcomes open data tables (force, offence code, outcome, quarter)"
    table = CRIME_OUTCOMES
    columns = (
        *OFFENCE_COLUMNS,
        Column("outcome_description", ("Outcome Description",)),
        Column("outcome_group", ("Outcome Group",)),
        Column("outcome_type", ("Outcome Type", "Outcome Number", "Outcome Code", "Outcome")),
        Column(
            "outcomes_recorded_in_quarter",
            ("Force outcomes for offences recorded in quarter",),
            required=False,
            pattern=(
                r"(force |number of )?outcomes (for|of) (offences|crimes) "
                r"recorded in (the )?quarter"
            ),
        ),
        Column(
            "outcomes_closed_in_quarter",
            ("Force outcomes for offences closed in quarter", "Number of Outcomes", "Outcomes"),
            required=False,
            pattern=(
                r"(force |number of )?outcomes (for|of) (offences|crimes|investigations) "
                r"closed in (the )?quarter"
            ),
        ),
    )
    one_of = (("outcomes_recorded_in_quarter", "outcomes_closed_in_quarter"),)

    def convert(self, record: Record) -> dict[str, Any]:
        row = self.offence_and_quarter(record)
        values = record.values
        outcome_type = values["outcome_type"].lower()
        outcome = re.fullmatch(r"(?:outcome\s*)?(\d+[a-z]?)(?:\.0)?", outcome_type)
        if not values["outcome_type"]:
            raise RowProblem("outcome type is empty")
        row["outcome_type"] = outcome[1] if outcome else values["outcome_type"]
        row["outcome_description"] = values["outcome_description"]
        row["outcome_group"] = values["outcome_group"]
        for count in ("outcomes_recorded_in_quarter", "outcomes_closed_in_quarter"):
            text = values.get(count)
            what = count.replace("_", " ")
            row[count] = None if text is None else parse_count(text, what, negative=True)
        return row
