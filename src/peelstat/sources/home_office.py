"""Home Office police recorded crime and crime outcomes open data tables, by force.

Three published tables, each as CSV or as the published ODS/XLSX (the sheet whose header
matches is used; a workbook with one sheet per year gives every year):

* ``home-office``: recorded crime by force, offence code and financial quarter
  (``prc-pfa-mar2013-onwards-tables``) → ``recorded_crime``;
* ``home-office-rolling``: rolling 12-month totals by force area and offence group
  (``rec-crime-pfa.csv``) → ``recorded_crime_rolling``;
* ``crime-outcomes``: outcomes by force, offence code, outcome type and quarter
  → ``crime_outcomes``.

Rows for Action Fraud, CIFAS, UK Finance and Financial Fraud Action UK are rejected with the
reason :data:`NOT_A_FORCE`: they are national fraud reporting bodies, not force areas, and
counting them as forces would add about 640,000 offences a year to any sum over forces.

Negative counts are loaded as published: they are net adjustments (offences cancelled or
reclassified after the quarter they were recorded in), and the published totals include them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any, ClassVar

from peelstat.sources.base import Parsed, SourceFile
from peelstat.sources.table_source import TableSource
from peelstat.sources.tabular import (
    Column,
    Record,
    RowProblem,
    month_end,
    normalise_header,
    parse_count,
    parse_date,
)

log = logging.getLogger(__name__)

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


def _force_column(*extra: str) -> Column:
    return Column("force", ("Force Name", "Force", "Police Force Area", "PFA", *extra))


_OFFENCE_COLUMNS = (
    Column("financial_year", ("Financial Year",)),
    Column("financial_quarter", ("Financial Quarter", "Quarter")),
    _force_column(),
    Column("offence_description", ("Offence Description",)),
    Column("offence_group", ("Offence Group",)),
    Column("offence_subgroup", ("Offence Subgroup", "Offence Sub-group", "Offence Sub group")),
    Column("offence_code", ("Offence Code",)),
)


class _HomeOfficeTable(TableSource):
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


class RecordedCrimeTable(_HomeOfficeTable):
    """Police recorded crime by force, offence code and financial quarter (one unit per year)."""

    name = "home-office"
    title = "Home Office police recorded crime open data tables (force, offence code, quarter)"
    table = "recorded_crime"
    key_prefix = "recorded-crime/"
    columns = (
        *_OFFENCE_COLUMNS,
        Column("offences", ("Number of Offences", "Offences", "Number of crimes", "Count")),
    )

    def convert(self, record: Record) -> dict[str, Any]:
        row = self.offence_and_quarter(record)
        offences = record.values["offences"]
        row["offences"] = parse_count(offences, "number of offences", negative=True)
        return row


class CrimeOutcomesTable(_HomeOfficeTable):
    """Outcomes by force, offence code, outcome type and quarter (one unit per year).

    Two counts: outcomes assigned to offences recorded in the quarter, and outcomes of
    investigations closed in the quarter. Older tables with one "Number of Outcomes" count
    give outcomes assigned in the quarter whatever the offence's recording date, which is the
    closed-in-quarter count; the recorded-in-quarter count is then left empty.
    """

    name = "crime-outcomes"
    title = "Home Office crime outcomes open data tables (force, offence code, outcome, quarter)"
    table = "crime_outcomes"
    columns = (
        *_OFFENCE_COLUMNS,
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


class RollingYearTable(_HomeOfficeTable):
    """Rolling 12-month recorded crime by force area and offence group (``rec-crime-pfa.csv``).

    One unit per calendar year of the windows' end dates (``home-office-rolling/2017``), so a
    later edition replaces the years it repeats and adds the new ones.
    """

    name = "home-office-rolling"
    title = "Home Office recorded crime, rolling 12-month totals by force area and offence group"
    table = "recorded_crime_rolling"
    columns = (
        Column("period_end", ("12 months ending", "Rolling year ending", "Year ending")),
        _force_column("Police Force Area name"),
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
