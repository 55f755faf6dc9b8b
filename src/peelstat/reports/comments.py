"""Plain-English sentences that state only what the figures show: no cause, no judgment.

Every number in a sentence is a field of the :class:`~peelstat.analysis.report_rows.ReportRow`
it words; where a figure rests on a gap the sentence says so.
"""

from __future__ import annotations

import math

from peelstat.analysis.catalogue import MeasureInfo
from peelstat.analysis.report_rows import ReportRow
from peelstat.charts.style import number, whole
from peelstat.reference import force_name
from peelstat.stats.trend import SMALL_COUNT

SMALL_NUMBERS_RULE = (
    f"When either 12-month count is below {SMALL_COUNT} offences, the change on the year "
    'before is shown as "small numbers" instead of a percentage: at such counts chance alone '
    "moves the figure by tens of percent."
)


def with_unit(value: float, info: MeasureInfo) -> str:
    """ "29.5 per 1,000 households", "87.4%", "3.77 (ratio)"."""
    text = number(value, info.unit)
    if info.unit == "percent" or text == "no value":
        return text
    return (
        f"{text} {info.unit_label}"
        if info.unit_label.startswith("per ")
        else f"{text} ({info.unit_label})"
    )


def rank_core(label: str) -> str:
    """ "3rd/7" from "3rd/7 (no value for Hampshire)": who is missing is said in a sentence.

    >>> rank_core("3rd/7 (no value for Hampshire)"), rank_core("6th/8")
    ('3rd/7', '6th/8')
    """
    return label.split(" (")[0]


CHANGE_RULE = (
    "The change on the year before compares the 12-month figure with the same 12 months a "
    "year earlier: as a percentage of the earlier figure for rates and counts, and in "
    "percentage points for a measure that is itself a percentage (a charge rate of 6.0% "
    'becoming 7.5% is "+1.5 percentage points", where a percentage change would say +25%).'
)

RANK_RANGE_RULE = (
    "A 12-month count is partly chance: at the same underlying rate a force would have recorded "
    "somewhat more or fewer offences in another year. So each MSG rank comes with the places "
    'the force could plausibly hold: "6th/8 MSG (plausibly 4th–8th; …)". The range is exact, '
    "not simulated: the force is compared with every other member by the exact test of two "
    "Poisson rates, and a member counts as certainly better or certainly worse only when the "
    "difference holds at 95% confidence over all the comparisons together (Klein, Wright and "
    "Wieczorek, 2020), so the true rank lies in the range at least 95% of the time. A wide "
    'range ("plausibly 1st–8th") means the rank itself says little; "plausibly only 6th" '
    "means the force is clearly apart from every other member. Ratios (stop and search "
    "disparity) are not counts and have no range."
)


def plausible_places(rank_range: str | None) -> str | None:
    """ "plausibly 4th–8th" from the row's "6th/8, plausibly 4th–8th" (None without a range).

    >>> plausible_places("6th/8, plausibly 4th–8th"), plausible_places(None)
    ('plausibly 4th–8th', None)
    """
    if not rank_range or ", plausibly " not in rank_range:
        return None
    return "plausibly " + rank_range.split(", plausibly ", 1)[1]


def benchmark_text(row: ReportRow) -> str:
    """ "6th/8 MSG (plausibly 4th–8th; below MSG average rates)", or "Not available" when the
    force has no value (the range, for counts, is :data:`RANK_RANGE_RULE`)."""
    if not math.isfinite(row.value) or row.msg_rank.startswith("not ranked"):
        return "Not available"
    position = row.msg_position.replace("MSG average", "MSG average rates")
    parts = [p for p in (plausible_places(row.msg_rank_range), position) if p]
    return f"{rank_core(row.msg_rank)} MSG ({'; '.join(parts)})"


def _signed(value: float, suffix: str) -> str:
    """ "+1.5%", "−0.3 percentage points"; never "+0.0"."""
    text = f"{value:+.1f}"
    return f"{'0.0' if text in ('+0.0', '-0.0') else text}{suffix}"


def change_text(row: ReportRow) -> str:
    """The change on the year before, or why it is not given: in percentage points for a
    percent measure (40.0% to 41.5% is "+1.5 percentage points", not "+3.8%"), else in %."""
    if row.small_numbers:
        return "small numbers"
    if row.unit == "percent":
        if not math.isfinite(row.change_points):
            return "no comparison"
        return _signed(row.change_points, " percentage points")
    if not math.isfinite(row.change):
        return "no comparison"
    return _signed(row.change * 100, "%")


def _change_sentence(row: ReportRow, info: MeasureInfo) -> str | None:
    """ "That is 1.5 percentage points higher than the year before (40.0%); …" """
    points = row.unit == "percent"
    change = row.change_points if points else row.change * 100
    if not math.isfinite(change):
        return None
    size = f"{abs(change):.1f} percentage points" if points else f"{abs(change):.1f}%"
    if f"{abs(change):.1f}" == "0.0":
        return (
            f"That is about the same as the year before ({number(row.previous_value, info.unit)}); "
            f"trend: {row.trend.lower()}."
        )
    return (
        f"That is {size} {'higher' if change > 0 else 'lower'} than the year before "
        f"({number(row.previous_value, info.unit)}); trend: {row.trend.lower()}."
    )


def _rank_words(row: ReportRow, info: MeasureInfo) -> str:
    rank, _, size = rank_core(row.msg_rank).partition("/")
    best = "lowest" if info.better == "lower" else "highest"
    places = plausible_places(row.msg_rank_range)
    return f"{rank} of {size} in its MSG (1st is the {best}{'; ' + places if places else ''})"


def row_comments(row: ReportRow, info: MeasureInfo, name: str) -> list[str]:
    """Two to four sentences for one measure: level and rank, change, and any warning."""
    if not math.isfinite(row.value):
        return [f"{info.title}: no value for {name} in the 12 months to {row.period_end:%B %Y}."]
    sentences = [
        f"In the 12 months to {row.period_end:%B %Y}, {info.title.lower()} in {name} was "
        f"{with_unit(row.value, info)}: {_rank_words(row, info)} and "
        f"{row.msg_position} ({number(row.msg_average, info.unit)}); England and Wales "
        f"{number(row.national_value, info.unit)}."
    ]
    if row.small_numbers:
        sentences.append(
            f"Small numbers: {whole(row.numerator)} in these 12 months and "
            f"{whole(row.previous_numerator)} the year before. Below {SMALL_COUNT} a "
            "percentage change mostly reflects chance, so none is given."
        )
    elif (change := _change_sentence(row, info)) is not None:
        sentences.append(change)
    if row.outlier in ("well above average", "well below average"):
        sentences.append(
            f"Across all forces it is an outlier, {row.outlier} (outside the band of one "
            "standard deviation around the mean of forces)."
        )
    if row.msg_missing:
        missing = ", ".join(force_name(f) for f in row.msg_missing)
        size = int(rank_core(row.msg_rank).partition("/")[2])
        sentences.append(
            f"The MSG rank is out of {size}, not {size + len(row.msg_missing)}: no value for {missing}."
        )
    return sentences
