"""Stop and search disparity for one force: how many times as likely people of each ethnic
group were to be searched as White people, with the 95% interval on the rate ratio.

The ratio and its interval are the measure frame's (the catalogue's ``ratio_of`` measures,
compiled in the warehouse with the Katz interval of
:func:`peelstat.stats.intervals.rate_ratio_interval`); the MSG rank, MSG average and England
and Wales value are the report table's.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.plain import frame_of, number, plain
from peelstat.analysis.provenance import DataSources
from peelstat.analysis.report import report_table
from peelstat.catalogue.measure import Catalogue
from peelstat.measures.compile import compute_measures

PEOPLE = {
    "stop_search_disparity_black": "Black people",
    "stop_search_disparity_asian": "Asian people",
    "stop_search_disparity_mixed": "People of mixed ethnicity",
    "stop_search_disparity_other": "People of other ethnic groups",
}
"""The disparity measures, and whom each is about, in the order an inspection report gives them."""
FEW_SEARCHES = 20
"""Below this many searches of either group a ratio says little: its interval spans a factor of
about 1.6 or more each way, and ONS treats a rate from fewer than 20 events as unreliable."""


@dataclass(frozen=True)
class DisparityRow:
    """One group against White people: the ratio, its interval and its benchmarks."""

    measure: str
    people: str
    ratio: float
    lower: float
    upper: float
    searches: float  # the group's searches in the 12 months
    white_searches: float
    msg_rank: str
    msg_position: str
    msg_average: float
    national_value: float
    outlier: str

    @property
    def few_searches(self) -> bool:
        """Whether the group's or White people's searches are fewer than :data:`FEW_SEARCHES`."""
        counts = (self.searches, self.white_searches)
        return any(math.isfinite(c) and c < FEW_SEARCHES for c in counts)

    def caution(self) -> str:
        """What a reader should know before using the ratio ("" when nothing)."""
        if not self.few_searches:
            return ""
        return (
            f"Based on {self.searches:,.0f} searches of {self.people.replace('People', 'people')} "
            f"and {self.white_searches:,.0f} of White people: fewer than {FEW_SEARCHES}, "
            "too few for the ratio to mean much; read the interval, not the ratio."
        )

    def describe(self) -> str:
        """ "Black people were 3.2 (2.9 to 3.6) times as likely to be searched as White people.",
        with the :meth:`caution` when the searches are few (the report and the dashboard say it)."""
        if not math.isfinite(self.ratio):
            return f"{self.people}: no ratio (no searches or no residents recorded)."
        interval = (
            f" ({number(self.lower, digits=2)} to {number(self.upper, digits=2)})"
            if math.isfinite(self.lower) and math.isfinite(self.upper)
            else " (no interval)"
        )
        plain_chance = self.lower <= 1 <= self.upper
        text = (
            f"{self.people} were {number(self.ratio, digits=2)}{interval} times as likely to be "
            "searched as White people, per 1,000 residents of each group"
            + (
                "; the interval includes 1, so chance alone could explain it."
                if plain_chance
                else "."
            )
        )
        return f"{text} {self.caution()}" if self.few_searches else text


@dataclass(frozen=True)
class StopSearchDisparity:
    force: str
    force_name: str
    period_end: dt.date
    rows: tuple[DisparityRow, ...]
    sources: DataSources

    def to_frame(self) -> pd.DataFrame:
        frame = frame_of(self.rows, [f for f in DisparityRow.__dataclass_fields__])
        return frame.assign(text=[r.describe() for r in self.rows])

    def to_dict(self) -> dict:
        return plain(self) | {"text": [r.describe() for r in self.rows]}


def stop_search_disparity(
    con: BaseBackend, catalogue: Catalogue, force: str, period: str | dt.date
) -> StopSearchDisparity:
    """The four disparity ratios of ``force`` for the 12 months to ``period``."""
    ids = [i for i in PEOPLE if i in catalogue.ids()]
    table = report_table(con, catalogue, force, period, ids)
    end = max(r.period_end for r in table.rows)
    parts = {i: catalogue[i].ratio_of for i in ids}
    wanted = ids + sorted({p for pair in parts.values() if pair for p in pair})
    frame = compute_measures(con, wanted, start=end, end=end, forces=[table.force],
                             catalogue=catalogue, national=False)  # fmt: skip
    at = frame[frame["period_end"] == pd.Timestamp(end)].set_index("measure")
    rows = []
    for r in table.rows:
        top, bottom = parts[r.measure] or (r.measure, r.measure)
        rows.append(DisparityRow(
            r.measure, PEOPLE[r.measure], r.value, _cell(at, r.measure, "lower"),
            _cell(at, r.measure, "upper"), _cell(at, top, "numerator"),
            _cell(at, bottom, "numerator"), r.msg_rank, r.msg_position, r.msg_average,
            r.national_value, r.outlier,
        ))  # fmt: skip
    return StopSearchDisparity(table.force, table.force_name, end, tuple(rows), table.sources)


def _cell(at: pd.DataFrame, measure: str, column: str) -> float:
    if measure not in at.index:
        return math.nan
    value: Any = at.loc[measure, column]
    return float(value) if pd.notna(value) else math.nan
