"""Period arithmetic: month and quarter ends, financial-year quarters, the population mid-year."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelstat.errors import BadInputError, BadPeriodError
from peelstat.periods import (
    FinancialQuarter,
    add_months,
    financial_quarter,
    last_quarter_end,
    parse_period,
    period_ends,
    period_start,
    population_year,
    quarter_ends_of_year,
    window_end_after,
)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q1 2022/23", dt.date(2022, 4, 1), dt.date(2022, 6, 30)),  # as the reports name it
        ("Q2 2022/23", dt.date(2022, 7, 1), dt.date(2022, 9, 30)),
        ("Q3 2022/23", dt.date(2022, 10, 1), dt.date(2022, 12, 31)),
        ("Q4 2022/23", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
        ("q4 1999-2000", dt.date(2000, 1, 1), dt.date(2000, 3, 31)),
    ],
)
def test_financial_quarters_start_in_april(text: str, start: dt.date, end: dt.date) -> None:
    quarter = FinancialQuarter.parse(text)
    assert (quarter.start, quarter.end) == (start, end)
    assert financial_quarter(end) == quarter == financial_quarter(start)
    assert parse_period(text) == end


def test_bad_periods_are_refused_with_the_forms_expected() -> None:
    for text in ["foo", "2018-13", "2018-02-30", "Q5 2022/23", "Q1 2022/24", ""]:
        with pytest.raises(BadPeriodError, match="expected") as caught:
            parse_period(text)
        assert isinstance(caught.value, BadInputError)


def test_months_dates_and_timestamps_give_the_month_end() -> None:
    assert parse_period("2020-02") == dt.date(2020, 2, 29)
    assert parse_period("2020-02-03") == dt.date(2020, 2, 29)
    assert parse_period("2018-03-31 00:00:00") == dt.date(2018, 3, 31)
    assert parse_period(pd.Timestamp("2018-11-05")) == dt.date(2018, 11, 30)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), st.integers(-400, 400))
def test_add_months_agrees_with_pandas(day: dt.date, months: int) -> None:
    end = parse_period(day)
    expected = (pd.Period(end, "M") + months).end_time.date()
    assert add_months(end, months) == expected


@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 30))
def test_period_ends_agree_with_pandas_period_ranges(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=30 * length)
    for grain, freq in (("month", "M"), ("quarter", "Q")):
        last = pd.Period(end, freq)
        if pd.Period(end, "D") < last.end_time.to_period("D"):
            last -= 1
        expected = [p.end_time.date() for p in pd.period_range(pd.Period(start, freq), last)]
        assert period_ends(start, end, grain) == expected  # type: ignore[arg-type]


def test_quarter_ends_and_the_population_mid_year() -> None:
    assert last_quarter_end(dt.date(2023, 5, 31)) == dt.date(2023, 3, 31)
    assert quarter_ends_of_year(dt.date(2022, 3, 31)) == [
        dt.date(2021, 6, 30), dt.date(2021, 9, 30), dt.date(2021, 12, 31), dt.date(2022, 3, 31)
    ]  # fmt: skip
    # the 12 months to March 2018 hold 30 June 2017; to June 2023, 30 June 2023
    assert population_year(dt.date(2018, 3, 31)) == 2017
    assert population_year(dt.date(2023, 6, 30)) == 2023


@given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), st.integers(1, 36))
def test_window_ends_and_period_starts_agree_with_pandas(day: dt.date, months: int) -> None:
    expected = (pd.Timestamp(day) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()
    assert window_end_after(day, months) == expected
    end = parse_period(day)
    assert period_start(end, "month") == pd.Period(end, "M").start_time.date()
    quarter_end = last_quarter_end(end)
    assert period_start(quarter_end, "quarter") == pd.Period(quarter_end, "Q").start_time.date()
