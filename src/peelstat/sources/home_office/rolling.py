"""Home Office recorded crime, rolling 12-month totals by force area and offence group
(``rec-crime-pfa.csv``) → ``recorded_crime_rolling``."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from peelstat.sources.base import Parsed, SourceFile
from peelstat.sources.contract import SourceSpec, WarehouseTable
from peelstat.sources.home_office.common import HomeOfficeTable, force_column
from peelstat.sources.tabular import Column, Record, RowProblem, month_end, parse_count, parse_date

log = logging.getLogger(__name__)

RECORDED_CRIME_ROLLING = WarehouseTable(
    "recorded_crime_rolling",
    {"force": "string", "period_end": "date", "offence": "string", "offences_12m": "int64"},
    SourceSpec(
        "recorded_crime_rolling",
        "quarter",
        "period_end",
        "offences_12m",
        {"offences": "offence"},
        already_rolling=True,
    ),
)


def rolling_period_end(text: str) -> tuple[dt.date, bool]:
    """End of a '12 months ending' window, and whether it was snapped to its month end.

    The published rec-crime-pfa.csv has one quarter dated 30-12-2017: a date in the last
    three days of a month is read as that month's end (31-12-2017), and noted.
    """
    day = parse_date(text, "12 months ending")
    end = month_end(day.year, day.month)
    if day == end:
        return day, False
    if (end - day).days <= 2:
        return end, True
    raise RowProblem(f"12 months ending is not a month end: {text.strip()!r}")


class RollingYearTable(HomeOfficeTable):
    """Rolling 12-month recorded crime by force area and offence group (``rec-crime-pfa.csv``).

    One unit per calendar year of the windows' end dates (``home-office-rolling/2017``), so a
    later edition replaces the years it repeats and adds the new ones.
    """

    name = "home-office-rolling"
    title = "Home Office recorded crime, rolling 12-month totals by force area and offence group"
    table = RECORDED_CRIME_ROLLING
    columns = (
        Column("period_end", ("12 months ending", "Rolling year ending", "Year ending")),
        force_column("Police Force Area name"),
        Column("region", ("Region",), required=False),
        Column("offence", ("Offence", "Offence Group")),
        Column(
            "offences_12m",
            ("Rolling year total number of offences", "Number of offences", "Offences"),
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self.snapped: dict[str, tuple[str, dt.date]] = {}
        """Misdated window ends met while parsing a unit: text → (first place, date read)."""

    def unit_key(self, record: Record) -> str:
        return str(rolling_period_end(record.values["period_end"])[0].year)

    def parse(self, unit: SourceFile) -> Parsed:
        """Rows of one year; a misdated window end is reported once, naming file and line."""
        self.snapped.clear()
        parsed = super().parse(unit)
        for text, (where, period_end) in self.snapped.items():
            log.warning(
                "%s %s: '12 months ending' %s is not a month end; read as %s",
                unit.label,
                where,
                text,
                period_end.isoformat(),
            )
        return parsed

    def convert(self, record: Record) -> dict[str, Any]:
        text = record.values["period_end"]
        period_end, snapped = rolling_period_end(text)
        if snapped:
            self.snapped.setdefault(text, (record.where, period_end))
        if not record.values["offence"]:
            raise RowProblem("offence is empty")
        return {
            "force": self.force(record),
            "period_end": period_end,
            "offence": record.values["offence"],
            "offences_12m": parse_count(
                record.values["offences_12m"], "rolling year total", negative=True
            ),
        }
