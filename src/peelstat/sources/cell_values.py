"""Turning the text of a cell into a count, a number, a date or a force.

A cell that cannot be read raises RowProblem with the reason, so the row is rejected with
that reason and the rest of the file still loads.
"""

from __future__ import annotations

import datetime as dt
import re

from peelstat.errors import UnknownForceError
from peelstat.periods import month_end
from peelstat.reference import resolve_force


class RowProblem(ValueError):
    """Why one row cannot be loaded; becomes the ``reason`` of a rejected row."""


def parse_count(text: str, what: str = "count", negative: bool = False) -> int:
    """A whole number, tolerating padding, thousands separators and ``12.0``.

    Negative numbers are refused unless ``negative`` (published net adjustments).

    >>> parse_count(" 66776 ")
    66776
    >>> parse_count("1,234")
    1234
    """
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise RowProblem(f"{what} is empty")
    try:
        number = float(cleaned)
    except ValueError:
        raise RowProblem(f"{what} is not a number: {text.strip()!r}") from None
    if not number.is_integer():
        raise RowProblem(f"{what} is not a whole number: {text.strip()!r}")
    if number < 0 and not negative:
        raise RowProblem(f"{what} is negative: {text.strip()!r}")
    return int(number)


def parse_number(text: str, what: str) -> float:
    """A finite decimal number (a mean, a rate, a numerator that may be fractional)."""
    cleaned = text.strip().replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise RowProblem(f"{what} is not a number: {text.strip()!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise RowProblem(f"{what} is not a finite number: {text.strip()!r}")
    return number


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ].*)?")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_date(text: str, what: str = "date") -> dt.date:
    """An ISO (``2018-03-31``) or British (``31-03-2018``, ``31/03/2018``) date."""
    value = text.strip()
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_DMY_DATE, (2, 1, 0))):
        found = pattern.fullmatch(value)
        if found:
            parts = [int(p) for p in found.groups()[:3]]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise RowProblem(f"{what} is not a date (YYYY-MM-DD or DD-MM-YYYY): {value!r}")


def parse_month(text: str, what: str = "month") -> dt.date:
    """``YYYY-MM`` (or a date within the month) → the month's last day."""
    value = text.strip()
    found = _MONTH.fullmatch(value)
    if found:
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return month_end(year, month)
        raise RowProblem(f"{what} has no month {month}: {value!r}")
    try:
        day = parse_date(value, what)
    except RowProblem:
        raise RowProblem(f"{what} is not a month (YYYY-MM): {value!r}") from None
    return month_end(day.year, day.month)


class ForceNames:
    """Resolves force names once each; an unknown name becomes a reason naming the nearest."""

    def __init__(self) -> None:
        self._seen: dict[str, str | RowProblem] = {}

    def slug(self, name: str) -> str:
        if name not in self._seen:
            try:
                self._seen[name] = resolve_force(name) if name.strip() else RowProblem("no force")
            except UnknownForceError as error:
                self._seen[name] = RowProblem(str(error))
        found = self._seen[name]
        if isinstance(found, RowProblem):
            raise found
        return found
