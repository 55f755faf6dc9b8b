"""What the three Home Office tables share: financial years and quarters, force names with
the national fraud bodies refused, and the offence columns."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from peelstat.sources.table_source import TableSource
from peelstat.sources.tabular import Column, Record, RowProblem, month_end, normalise_header

NOT_A_FORCE = "national fraud body, not a force area"
FRAUD_BODIES = frozenset({"action fraud", "cifas", "uk finance", "financial fraud action uk"})
"""Names (normalised) of the national fraud reporting bodies the Home Office lists as 'forces'."""

_FY = re.compile(r"(?:fy\s*)?(\d{4})\s*[/\-_ ]\s*(\d{2}|\d{4})")


def financial_year(text: str) -> str:
    """The financial year in the Home Office spelling, ``2017/18``.

    >>> financial_year("2017-2018")
    '2017/18'
    """
    found = _FY.fullmatch(text.strip().lower())
    if found:
        start, end = int(found[1]), int(found[2])
        if end % 100 == (start + 1) % 100 and (end < 100 or end == start + 1):
            return f"{start}/{(start + 1) % 100:02d}"
    raise RowProblem(f"financial year is not like 2017/18: {text.strip()!r}")


def quarter_end(year: str, quarter: str) -> tuple[int, dt.date]:
    """Quarter number and last day of a financial quarter (Q1 of 2017/18 ends 30 June 2017)."""
    found = re.fullmatch(r"q?\s*([1-4])(?:\.0)?", quarter.strip().lower())
    if not found:
        raise RowProblem(f"financial quarter is not 1 to 4: {quarter.strip()!r}")
    number = int(found[1])
    start = int(year[:4])
    month = 3 * number + 3
    return number, month_end(start + (month - 1) // 12, (month - 1) % 12 + 1)


def force_column(*extra: str) -> Column:
    return Column("force", ("Force Name", "Force", "Police Force Area", "PFA", *extra))


OFFENCE_COLUMNS = (
    Column("financial_year", ("Financial Year",)),
    Column("financial_quarter", ("Financial Quarter", "Quarter")),
    force_column(),
    Column("offence_description", ("Offence Description",)),
    Column("offence_group", ("Offence Group",)),
    Column("offence_subgroup", ("Offence Subgroup", "Offence Sub-group", "Offence Sub group")),
    Column("offence_code", ("Offence Code",)),
)
OFFENCE_FILTERS = {
    "offence_codes": "offence_code",
    "offence_groups": "offence_group",
    "offence_subgroups": "offence_subgroup",
}
"""Filters a measure may put on a table with offence columns: filter name → column."""


class HomeOfficeTable(TableSource):
    """What the three tables share: force names with fraud bodies refused, quarters."""

    def force(self, record: Record) -> str:
        name = record.values["force"]
        if normalise_header(name) in FRAUD_BODIES:
            raise RowProblem(NOT_A_FORCE)
        return self.forces.slug(name)

    def unit_key(self, record: Record) -> str:
        return self.key_prefix + financial_year(record.values["financial_year"]).replace("/", "-")

    key_prefix: ClassVar[str] = ""

    def offence_and_quarter(self, record: Record) -> dict[str, Any]:
        values = record.values
        year = financial_year(values["financial_year"])
        quarter, period_end = quarter_end(year, values["financial_quarter"])
        code = values["offence_code"]
        if not code:
            raise RowProblem("offence code is empty")
        return {
            "force": self.force(record),
            "financial_year": year,
            "financial_quarter": quarter,
            "period_end": period_end,
            "offence_code": code,
            "offence_description": values["offence_description"],
            "offence_group": values["offence_group"],
            "offence_subgroup": values["offence_subgroup"],
        }
