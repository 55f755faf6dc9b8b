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


def shapes_fetched(spec: dict[str, Any], url: str) -> dict[str, Any]:
    """The report's map with its area shapes fetched from ``url`` (kept in the browser's cache
    from page to page) instead of written into the page; each area's value joined on by force."""
    rows = [f["properties"] for f in spec["data"]["values"] if f["properties"]["force"]]
    no_value = {"force_name": "", "value": None, "chosen": False, "flag": "no value"}
    join = {"lookup": "properties.force", "from": {"data": {"values": rows}, "key": "force"},
            "as": "properties", "default": no_value}  # fmt: skip
    data = {"url": url, "format": {"type": "json", "property": "features"}}
    return {**spec, "data": data, "transform": [join, *spec.get("transform", [])]}


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
        spec = choropleth_chart(comparison, boundaries)
        spec = fitted(spec)  # the page's width: a shrunken map shrinks its type too
        figures["map"] = (shapes_fetched(spec, shapes_url) if shapes_url else spec,
                          describe_choropleth(comparison))  # fmt: skip
    return figures


def grades_figure(judgments: list[Judgment]) -> Figure | None:
    return (grades_chart(judgments), describe_grades(judgments)) if judgments else None
