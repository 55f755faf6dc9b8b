"""Local observations: figures an analyst exports from the force's own systems.

A CSV or Excel file with ``measure, force, period_end, numerator, denominator`` — victim
satisfaction (satisfied / surveyed), days to charge (total days / charges) — so a measure
peelstat cannot get from public data still gets rates, ranks, trends and charts.

Force names go through the alias table (an unknown name is rejected with the nearest
names); ``period_end`` may be ``YYYY-MM`` (the month's last day), ``YYYY-Qn`` (the calendar
quarter's last day) or a date (ISO or DD/MM/YYYY); the numerator must be a non-negative
number, the denominator too or empty. Units are one measure, force and period each
(``local/victim-satisfaction/kent/2024-01-31``): analysts export month by month, so each
new export adds its periods, and a corrected export of a period replaces it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from peelstat.sources.contract import SourceSpec, WarehouseTable
from peelstat.sources.table_source import TableSource
from peelstat.sources.tabular import (
    Column,
    Record,
    RowProblem,
    month_end,
    parse_date,
    parse_number,
)

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*q([1-4])")


def period_end(text: str) -> dt.date:
    """The last day of the period a local figure covers.

    >>> period_end("2024-02"), period_end("2024-Q1"), period_end("2024-03-31")
    (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31), datetime.date(2024, 3, 31))
    """
    value = text.strip().lower()
    found = _MONTH.fullmatch(value)
    if found and 1 <= int(found[2]) <= 12:
        return month_end(int(found[1]), int(found[2]))
    found = _QUARTER.fullmatch(value)
    if found:
        return month_end(int(found[1]), 3 * int(found[2]))
    try:
        return parse_date(value, "period end")
    except RowProblem:
        raise RowProblem(
            f"period end is not YYYY-MM, YYYY-Qn or a date: {text.strip()!r}"
        ) from None


def measure_slug(measure: str) -> str:
    """The measure as it appears in a unit name: ``Victim satisfaction`` → ``victim-satisfaction``."""
    return re.sub(r"[^a-z0-9]+", "-", measure.lower()).strip("-")


LOCAL_OBSERVATIONS = WarehouseTable(
    "local_observations",
    {
        "measure": "string",
        "force": "string",
        "period_end": "date",
        "numerator": "float64",
        "denominator": "float64",
    },
    SourceSpec(
        "local_observations", "quarter", "period_end", "numerator", {"local_measures": "measure"}
    ),
)
"""Read at the grain a measure declares (``grain: month`` in the YAML for monthly exports;
quarterly by default)."""


class LocalObservationsSource(TableSource):
    """A force's own figures for any measure, as numerator and denominator per period."""

    name = "local"
    title = "Local observations: measure, force, period_end, numerator, denominator"
    table = LOCAL_OBSERVATIONS
    columns = (
        Column("measure", ("measure",)),
        Column("force", ("force", "Force Name")),
        Column("period_end", ("period_end", "period end", "period", "month")),
        Column("numerator", ("numerator",)),
        Column("denominator", ("denominator",)),
    )
    key_columns = ("measure", "force", "period_end")

    def unit_key(self, record: Record) -> str:
        measure = measure_slug(record.values["measure"])
        if not measure:
            raise RowProblem("measure is empty")
        force = self.forces.slug(record.values["force"])
        return f"{measure}/{force}/{period_end(record.values['period_end']).isoformat()}"

    def convert(self, record: Record) -> dict[str, Any]:
        values = record.values
        numerator = parse_number(values["numerator"], "numerator")
        denominator = None
        if values["denominator"]:
            denominator = parse_number(values["denominator"], "denominator")
        for what, number in (("numerator", numerator), ("denominator", denominator)):
            if number is not None and number < 0:
                raise RowProblem(f"{what} is negative: {number:g}")
        return {
            "measure": values["measure"],
            "force": self.forces.slug(values["force"]),
            "period_end": period_end(values["period_end"]),
            "numerator": numerator,
            "denominator": denominator,
        }
