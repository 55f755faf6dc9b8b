"""Vega-Lite specs of the dashboard's charts, one function per chart, from analysis results.

Stand-ins until the reports' chart builders (``peelstat.charts``) land on main: then each of
these is replaced by the report's own spec, so a chart is never written twice.
Colours are the Okabe-Ito palette (safe for colour-blind readers); every chart also has a
text alternative and a table beside it on the page.
"""

from __future__ import annotations

from typing import Any

from peelstat.analysis.comparison import MeasureComparison
from peelstat.analysis.history import MeasureHistory
from peelstat.analysis.plain import plain
from peelstat.analysis.series import MeasureSeries

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
BLUE, ORANGE, GREY, VERMILION, GREEN = "#0072B2", "#E69F00", "#7f7f7f", "#D55E00", "#009E73"
Spec = dict[str, Any]


def _base(title: str, values: list[dict[str, Any]], description: str) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "width": "container",
        "height": 280,
        "data": {"values": plain(values)},
        "config": {"font": "system-ui, sans-serif", "axis": {"labelFontSize": 12,
                   "titleFontSize": 13}, "legend": {"orient": "bottom", "labelFontSize": 12}},
    }  # fmt: skip


def history_spec(history: MeasureHistory) -> Spec:
    """The force against its MSG average and England and Wales, window by window."""
    names = [history.force_name, "MSG average", "England and Wales"]
    values = [
        {"period_end": p.period_end, "series": name, "value": value}
        for p in history.points
        for name, value in zip(names, (p.force_value, p.msg_average, p.national_value), strict=True)
    ]
    unit = history.measure.unit_label
    spec = _base(f"{history.measure.title}: 12 months to each month", values,
                 f"Line chart of {history.measure.title} ({unit}) for {history.force_name}, "
                 "its MSG average and England and Wales.")  # fmt: skip
    spec["mark"] = {"type": "line", "point": True, "strokeWidth": 2.5}
    spec["encoding"] = {
        "x": {"field": "period_end", "type": "temporal", "title": "12 months to"},
        "y": {"field": "value", "type": "quantitative", "title": unit, "scale": {"zero": False}},
        "color": {"field": "series", "type": "nominal", "title": None,
                  "scale": {"domain": names, "range": [BLUE, ORANGE, GREY]}},
        "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                       "scale": {"domain": names, "range": [[1, 0], [6, 3], [2, 2]]}},
        "tooltip": [{"field": "series"}, {"field": "period_end", "type": "temporal"},
                    {"field": "value", "type": "quantitative", "format": ",.3~f"}],
    }  # fmt: skip
    return spec


def comparison_spec(comparison: MeasureComparison) -> Spec:
    """Every force's value sorted, the chosen force and its MSG highlighted, the outlier band."""

    def role(chosen: bool, in_msg: bool) -> str:
        return "This force" if chosen else "Its MSG" if in_msg else "Other forces"

    values = [{"force": r.force_name, "value": r.value, "rank": r.rank, "flag": r.flag,
               "group": role(r.chosen, r.in_msg)} for r in comparison.rows]  # fmt: skip
    unit = comparison.measure.unit_label
    band = comparison.band
    spec = _base(f"{comparison.measure.title}, all forces, 12 months to "
                 f"{comparison.period_end:%B %Y}", values,
                 f"Bar chart of {len(values)} forces sorted by {comparison.measure.title} "
                 f"({unit}); the shaded band is the outlier band.")  # fmt: skip
    spec["height"] = 300
    x = {"field": "force", "type": "nominal", "sort": "-y", "title": None,
         "axis": {"labelAngle": -60, "labelFontSize": 10}}  # fmt: skip
    spec["layer"] = [
        {"data": {"values": [{"lower": band.lower, "upper": band.upper}]}, "mark":
         {"type": "rect", "color": "#cccccc", "opacity": 0.45},
         "encoding": {"y": {"field": "lower", "type": "quantitative"}, "y2": {"field": "upper"}}},
        {"mark": {"type": "bar"}, "encoding": {
            "x": x, "y": {"field": "value", "type": "quantitative", "title": unit},
            "color": {"field": "group", "type": "nominal", "title": None, "scale": {
                "domain": ["This force", "Its MSG", "Other forces"],
                "range": [BLUE, ORANGE, "#b8b8b8"]}},
            "tooltip": [{"field": "force"}, {"field": "value", "format": ",.3~f"},
                        {"field": "rank"}, {"field": "flag"}]}},
    ]  # fmt: skip
    return spec


def xmr_spec(series: MeasureSeries) -> Spec:
    """Single months (or quarters) with the XmR centre and limits; signals marked."""
    values = [{"period_end": p.period_end, "value": p.value, "centre": p.centre,
               "lower": p.lower, "upper": p.upper, "signal": p.signal or "none"}
              for p in series.points]  # fmt: skip
    unit = series.measure.unit_label
    spec = _base(f"{series.measure.title}, each {series.grain} (XmR chart)", values,
                 f"Process-control chart of {series.measure.title} ({unit}) for "
                 f"{series.force_name}; points outside the dashed limits are signals.")  # fmt: skip
    x = {"field": "period_end", "type": "temporal", "title": series.grain.capitalize()}
    rule = {"type": "line", "strokeDash": [5, 4], "color": GREY}
    spec["layer"] = [
        {"mark": {**rule, "strokeDash": [1, 0]}, "encoding": {"x": x, "y": {"field": "centre",
         "type": "quantitative", "title": unit}}},
        {"mark": rule, "encoding": {"x": x, "y": {"field": "upper", "type": "quantitative"}}},
        {"mark": rule, "encoding": {"x": x, "y": {"field": "lower", "type": "quantitative"}}},
        {"mark": {"type": "line", "color": BLUE, "point": False}, "encoding": {"x": x,
         "y": {"field": "value", "type": "quantitative"}}},
        {"mark": {"type": "point", "filled": True, "size": 60}, "encoding": {"x": x,
         "y": {"field": "value", "type": "quantitative"},
         "color": {"field": "signal", "type": "nominal", "title": "Signal",
                   "scale": {"range": [BLUE, VERMILION, GREEN, ORANGE]}},
         "shape": {"field": "signal", "type": "nominal", "legend": None},
         "tooltip": [{"field": "period_end", "type": "temporal"},
                     {"field": "value", "format": ",.3~f"}, {"field": "signal"}]}},
    ]  # fmt: skip
    return spec


def choropleth_spec(comparison: MeasureComparison, boundaries_url: str) -> Spec:
    """Force areas shaded by value (a force with no value is hatched grey, not zero)."""
    values = [{"force": r.force, "name": r.force_name, "value": r.value} for r in comparison.rows]
    spec = _base(f"{comparison.measure.title} by force area", [], "Map of force areas shaded by "
                 f"{comparison.measure.title} ({comparison.measure.unit_label}).")  # fmt: skip
    spec.update(height=420, projection={"type": "mercator"})
    spec["data"] = {"url": boundaries_url, "format": {"type": "json", "property": "features"}}
    spec["transform"] = [{"lookup": "properties.force", "from": {"data": {"values": plain(values)},
                          "key": "force", "fields": ["name", "value"]}}]  # fmt: skip
    spec["mark"] = {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5}
    spec["encoding"] = {
        "color": {"field": "value", "type": "quantitative", "title": comparison.measure.unit_label,
                  "scale": {"scheme": "blues"}},
        "tooltip": [{"field": "name", "title": "force"}, {"field": "value", "format": ",.3~f"}],
    }  # fmt: skip
    return spec
