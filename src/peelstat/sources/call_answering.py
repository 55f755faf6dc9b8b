"""999 call answering by force and month, from a documented tidy CSV (or spreadsheet).

No sample of the Home Office's published 999 call answering file was available while this
was written, so peelstat reads a tidy table an analyst can make from it:

``force, month, calls_presented, answered_within_10s, mean_answer_seconds``

``month`` is ``YYYY-MM`` (stored as the month's last day). Counts must be whole and not
negative, and no more calls can be answered within 10 seconds than were presented; a row
that breaks this is rejected with its line. Units are one force-month each
(``call-answering/kent/2023-01``): forces publish and export month by month, so loading
February's file after January's adds February, and a re-export of a month replaces it.
"""

from __future__ import annotations

from typing import Any

from peelstat.sources.contract import SourceSpec, WarehouseTable
from peelstat.sources.table_source import TableSource
from peelstat.sources.tabular import (
    Column,
    Record,
    RowProblem,
    parse_count,
    parse_month,
    parse_number,
)

CALL_ANSWERING = WarehouseTable(
    "call_answering",
    {
        "force": "string",
        "month": "date",
        "calls_presented": "int64",
        "answered_within_10s": "int64",
        "mean_answer_seconds": "float64",
    },
    SourceSpec("call_answering", "month", "month", "calls_presented", {}),
)


class CallAnsweringSource(TableSource):
    """999 calls presented, answered within 10 seconds and mean answer time, per force-month."""

    name = "call-answering"
    title = "999 call answering by force and month (tidy CSV)"
    table = CALL_ANSWERING
    columns = (
        Column("force", ("force", "Force Name", "Police Force Area")),
        Column("month", ("month",)),
        Column("calls_presented", ("calls_presented", "calls presented")),
        Column("answered_within_10s", ("answered_within_10s", "answered within 10 seconds")),
        Column(
            "mean_answer_seconds",
            ("mean_answer_seconds", "mean answer time seconds", "mean answer time"),
        ),
    )
    key_columns = ("force", "month")

    def unit_key(self, record: Record) -> str:
        force = self.forces.slug(record.values["force"])
        return f"{force}/{parse_month(record.values['month']):%Y-%m}"

    def convert(self, record: Record) -> dict[str, Any]:
        values = record.values
        presented = parse_count(values["calls_presented"], "calls presented")
        answered = parse_count(values["answered_within_10s"], "answered within 10s")
        if answered > presented:
            raise RowProblem(
                f"answered within 10s ({answered}) is more than calls presented ({presented})"
            )
        mean = None
        if values["mean_answer_seconds"]:
            mean = parse_number(values["mean_answer_seconds"], "mean answer seconds")
            if mean < 0:
                raise RowProblem(f"mean answer seconds is negative: {mean}")
        return {
            "force": self.forces.slug(values["force"]),
            "month": parse_month(values["month"]),
            "calls_presented": presented,
            "answered_within_10s": answered,
            "mean_answer_seconds": mean,
        }
