"""Checking what a request names against what the warehouse holds, before any query.

An unknown force or measure is refused by the layers below with the nearest names
(:class:`~peelstat.errors.UnknownForceError`, :class:`~peelstat.errors.UnknownMeasureError`);
here a well-formed period outside the loaded months is refused naming the nearest one, and the
choices a page offers (forces, months, financial-year quarters) are listed.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from peelstat.analysis.coverage import DataCoverage
from peelstat.errors import DataNotAvailableError, UnknownForceError, UnknownPeriodError
from peelstat.periods import add_months, financial_quarter, is_quarter_end, parse_period
from peelstat.reference import force_name, resolve_force, territorial_forces

DEFAULT_FORCE = "avon-and-somerset"


@dataclass(frozen=True)
class Choices:
    """What a page's pickers offer: forces, then periods newest first (quarters and months)."""

    forces: tuple[tuple[str, str], ...]
    months: tuple[dt.date, ...]

    @classmethod
    def of(cls, coverage: DataCoverage) -> Choices:
        forces = tuple((f, force_name(f)) for f in territorial_forces())
        ends = [_month(p) for t in coverage.tables for p in (t.first_period, t.last_period)]
        known = [e for e in ends if e is not None]
        if not known:
            return cls(forces, ())
        start, end = min(known), max(known)
        months = []
        while end >= start:
            months.append(end)
            end = add_months(end, -1)
        return cls(forces, tuple(months))

    @property
    def latest(self) -> dt.date:
        if not self.months:
            raise DataNotAvailableError(
                "the warehouse holds no data yet: load some (peelstat load, or peelstat demo)"
            )
        return self.months[0]

    def periods(self) -> list[tuple[str, str]]:
        """(value, label) pairs: a quarter end offers "Q1 2022/23" before its month."""
        shown = []
        for month in self.months:
            if is_quarter_end(month):
                quarter = str(financial_quarter(month))
                shown.append((quarter, f"{quarter} (12 months to {month:%b %Y})"))
            shown.append((f"{month:%Y-%m}", f"12 months to {month:%B %Y}"))
        return shown

    def period(self, text: str | None) -> dt.date:
        """The period asked for (default the latest loaded), refused if no table reaches it."""
        if not text:
            return self.latest
        end = parse_period(text)
        if not self.months or not self.months[-1] <= end <= self.months[0]:
            first, last = (self.months[-1], self.months[0]) if self.months else (end, end)
            nearest = min((first, last), key=lambda m: abs((m - end).days))
            raise UnknownPeriodError(text, f"{first:%Y-%m}", f"{last:%Y-%m}", f"{nearest:%Y-%m}")
        return end

    @staticmethod
    def force(text: str | None) -> str:
        """The force named (default Avon and Somerset); an unknown one names the nearest three."""
        if not text:
            return DEFAULT_FORCE
        try:
            return resolve_force(text)
        except UnknownForceError as unknown:
            if unknown.suggestions:
                raise
            names = [force_name(f) for f in territorial_forces()]
            near = difflib.get_close_matches(text.title(), names, n=3, cutoff=0)
            raise UnknownForceError(text, sorted(near)) from None


def _month(label: str | None) -> dt.date | None:
    """A table's first or last month; a yearly table's "2018" is not a month."""
    if not label or len(label) != 7:
        return None
    return parse_period(label)
