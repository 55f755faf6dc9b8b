"""Period arithmetic, written once: month ends, quarter ends, financial years and quarters.

Every figure is labelled by the last day of its period (``period_end``). Police performance
reports name quarters of the financial year, which starts in April: "Q1 2022/23" is April to
June 2022 and "Q4 2022/23" is January to March 2023.

>>> FinancialQuarter.parse("Q1 2022/23").end
datetime.date(2022, 6, 30)
>>> str(financial_quarter(dt.date(2023, 2, 28)))
'Q4 2022/23'
>>> parse_period("Q1 2022/23"), parse_period("2018-12")
(datetime.date(2022, 6, 30), datetime.date(2018, 12, 31))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from peelstat.errors import BadPeriodError

Grain = Literal["month", "quarter"]

PERIOD_FORMS = "a month (2022-06), a date (2022-06-30) or a financial-year quarter (Q1 2022/23)"

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_QUARTER = re.compile(r"Q([1-4])\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})", re.IGNORECASE)


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month: the ``period_end`` of a monthly figure."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(period_end: dt.date, months: int) -> dt.date:
    """The month end ``months`` later (earlier when negative).

    >>> add_months(dt.date(2020, 2, 29), -12), add_months(dt.date(2019, 11, 30), 3)
    (datetime.date(2019, 2, 28), datetime.date(2020, 2, 29))
    """
    index = period_end.year * 12 + period_end.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


def year_before(period_end: dt.date) -> dt.date:
    """The same window a year earlier: what "change against the year before" compares with."""
    return add_months(period_end, -12)


def is_quarter_end(day: dt.date) -> bool:
    """Whether ``day`` is the last day of March, June, September or December."""
    return day.month % 3 == 0 and day == month_end(day.year, day.month)


def last_quarter_end(day: dt.date) -> dt.date:
    """The latest calendar quarter end on or before ``day`` (quarterly tables end there).

    >>> last_quarter_end(dt.date(2023, 6, 30)), last_quarter_end(dt.date(2023, 5, 31))
    (datetime.date(2023, 6, 30), datetime.date(2023, 3, 31))
    """
    if is_quarter_end(day):
        return day
    back = day.month % 3 or 3
    return add_months(month_end(day.year, day.month), -back)


def quarter_ends_of_year(end: dt.date) -> list[dt.date]:
    """The four quarter ends of the 12 months to ``end`` (which must end a quarter)."""
    return [add_months(end, -back) for back in (9, 6, 3, 0)]


def period_ends(start: dt.date, end: dt.date, grain: Grain, history: int = 0) -> list[dt.date]:
    """Month or quarter ends from ``start`` to ``end``, plus ``history`` periods before start.

    A quarter that has not ended by ``end`` is not in the range.

    >>> period_ends(dt.date(2023, 1, 31), dt.date(2023, 8, 31), "quarter")
    [datetime.date(2023, 3, 31), datetime.date(2023, 6, 30)]
    """
    step = 3 if grain == "quarter" else 1
    first = month_end(start.year, start.month)
    if grain == "quarter":
        first = add_months(first, (3 - first.month % 3) % 3)
        end = last_quarter_end(end)
    first = add_months(first, -step * history)
    ends = []
    while first <= end:
        ends.append(first)
        first = add_months(first, step)
    return ends


def period_start(period_end: dt.date, grain: Grain) -> dt.date:
    """The first day of the month or quarter that ends on ``period_end``.

    >>> period_start(dt.date(2023, 6, 30), "quarter"), period_start(dt.date(2023, 6, 30), "month")
    (datetime.date(2023, 4, 1), datetime.date(2023, 6, 1))
    """
    months = 3 if grain == "quarter" else 1
    return add_months(period_end, 1 - months).replace(day=1)


def window_end_after(start: dt.date, months: int) -> dt.date:
    """The day before ``start`` plus ``months`` months: the end of the first window it fills.

    >>> window_end_after(dt.date(2017, 4, 1), 12)
    datetime.date(2018, 3, 31)
    """
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) - dt.timedelta(days=1)


def population_year(period_end: dt.date) -> int:
    """The mid-year (30 June) inside the 12 months ending ``period_end``: its population divides.

    >>> population_year(dt.date(2018, 3, 31)), population_year(dt.date(2023, 6, 30))
    (2017, 2023)
    """
    return period_end.year if period_end.month >= 6 else period_end.year - 1


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    """A quarter of the financial year starting 1 April ``year``; ``quarter`` 1 is April–June."""

    year: int
    quarter: int

    @property
    def end(self) -> dt.date:
        return add_months(dt.date(self.year, 3, 31), 3 * self.quarter)

    @property
    def start(self) -> dt.date:
        return add_months(self.end, -2).replace(day=1)

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.financial_year}"

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """ "Q1 2022/23" (also "q1 2022-23" and "Q1 2022/2023")."""
        found = _QUARTER.fullmatch(text.strip())
        if not found:
            raise BadPeriodError(text, "a financial-year quarter such as Q1 2022/23")
        quarter, year, following = int(found[1]), int(found[2]), int(found[3])
        if following % 100 != (year + 1) % 100:
            raise BadPeriodError(
                text, f"consecutive years, such as Q{quarter} {year}/{(year + 1) % 100:02d}"
            )
        return cls(year, quarter)


def financial_year_start(day: dt.date) -> int:
    """The calendar year in which the financial year holding ``day`` began (April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_quarter(day: dt.date) -> FinancialQuarter:
    """The financial-year quarter that holds ``day``."""
    return FinancialQuarter(financial_year_start(day), (day.month - 4) % 12 // 3 + 1)


def parse_period(value: str | dt.date) -> dt.date:
    """A period end from a month, a date or a financial-year quarter; a bad one is refused."""
    if isinstance(value, dt.datetime):
        return month_end(value.year, value.month)
    if isinstance(value, dt.date):
        return month_end(value.year, value.month)
    text = str(value).strip()
    if text[:1].upper() == "Q":
        return FinancialQuarter.parse(text).end
    found = _MONTH.fullmatch(text) or _DATE.fullmatch(text.split("T")[0].split(" ")[0])
    if found:
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12 and (found.re is _MONTH or _valid_day(year, month, int(found[3]))):
            return month_end(year, month)
    raise BadPeriodError(text, PERIOD_FORMS)


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def month_start(value: str | dt.date) -> dt.date:
    """The first day of the month of ``value`` (the warehouse stores police.uk months so)."""
    return parse_period(value).replace(day=1)


def month_label(period_end: dt.date) -> str:
    """``2018-12``: how police.uk and the command line name a month."""
    return f"{period_end:%Y-%m}"
