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


def benchmark_text(row: ReportRow) -> str:
    """ "6th/8 MSG (below MSG average rates)", or "Not ranked" when the force has no value."""
    if not math.isfinite(row.value) or row.msg_rank.startswith("not ranked"):
        return "Not available"
    position = row.msg_position.replace("MSG average", "MSG average rates")
    return f"{rank_core(row.msg_rank)} MSG ({position})"


def change_text(row: ReportRow) -> str:
    """The change on the year before, or why it is not given."""
    if row.small_numbers:
        return "small numbers"
    if not math.isfinite(row.change):
        return "no comparison"
    text = f"{row.change * 100:+.1f}%"
    return "0.0%" if text in ("+0.0%", "-0.0%") else text


def _rank_words(row: ReportRow, info: MeasureInfo) -> str:
    rank, _, size = rank_core(row.msg_rank).partition("/")
    best = "lowest" if info.better == "lower" else "highest"
    return f"{rank} of {size} in its MSG (1st is the {best})"


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
    elif math.isfinite(row.change):
        sentences.append(
            f"That is {abs(row.change) * 100:.1f}% {'higher' if row.change > 0 else 'lower'} than "
            f"the year before ({number(row.previous_value, info.unit)}); trend: {row.trend.lower()}."
        )
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
