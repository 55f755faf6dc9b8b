"""The measure page's and inspection page's charts: the reports' own Vega-Lite specs
(:mod:`peelstat.charts`), each with its text alternative, sized to the page's width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peelstat.analysis.comparison import MeasureComparison
from peelstat.analysis.history import MeasureHistory
from peelstat.analysis.series import MeasureSeries
from peelstat.charts.choropleth import choropleth_chart, describe_choropleth
from peelstat.charts.comparison import comparison_chart, describe_comparison
from peelstat.charts.grades import describe_grades, grades_chart
from peelstat.charts.history import describe_history, history_chart
from peelstat.charts.xmr import describe_xmr, xmr_chart
from peelstat.inspection.records_types import Judgment

Figure = tuple[dict[str, Any], str]
"""A chart's spec and the sentence that says what it shows (under it, and read out)."""


def fitted(spec: dict[str, Any]) -> dict[str, Any]:
    """The report's fixed width replaced by the page's (a single view or layer only)."""
    if isinstance(spec.get("width"), int) and not {"hconcat", "vconcat", "concat"} & set(spec):
        return {**spec, "width": "container"}
    return spec


def measure_figures(
    history: MeasureHistory, comparison: MeasureComparison, series: MeasureSeries | None,
    boundaries: Path | None, shapes_url: str = "",
) -> dict[str, Figure]:  # fmt: skip
    figures = {
        "history": (fitted(history_chart(history)), describe_history(history)),
        "comparison": (fitted(comparison_chart(comparison)), describe_comparison(comparison)),
    }
    if series is not None:
        figures["xmr"] = (fitted(xmr_chart(series)), describe_xmr(series))
    if boundaries is not None:
        # the page's width: a shrunken map shrinks its type too
        spec = fitted(choropleth_chart(comparison, boundaries, shapes_url or None))
        figures["map"] = (spec, describe_choropleth(comparison))
    return figures


def grades_figure(judgments: list[Judgment]) -> Figure | None:
    return (grades_chart(judgments), describe_grades(judgments)) if judgments else None
