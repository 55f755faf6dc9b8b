"""The XmR (process-control) chart of a force's single months or quarters, with the outlook.

Values are joined by a line; the centre line and the natural process limits are drawn as
lines; a point the rules flag (beyond a limit, or in a run of 8 on one side) is a larger
vermillion diamond; the forecast is a dashed line in its shaded 95% prediction interval.
"""

from __future__ import annotations

from typing import Any

from peelstat.analysis.series import MeasureSeries
from peelstat.charts.style import (
    BAND_COLOUR,
    FORCE_COLOUR,
    NATIONAL_COLOUR,
    SIGNAL_COLOUR,
    axis_title,
    base_spec,
    month_axis,
    month_tooltip,
    nullable,
    number,
)


def xmr_values(series: MeasureSeries) -> list[dict[str, Any]]:
    """One row per period: value, centre, limits and the signal (``None`` when none)."""
    return [
        {"period_end": p.period_end.isoformat(), "value": nullable(p.value),
         "centre": nullable(p.centre), "lower": nullable(p.lower), "upper": nullable(p.upper),
         "signal": p.signal}
        for p in series.points
    ]  # fmt: skip


def outlook_values(series: MeasureSeries) -> list[dict[str, Any]]:
    return [
        {"period_end": p.period_end.isoformat(), "forecast": nullable(p.forecast),
         "lower": nullable(p.lower), "upper": nullable(p.upper)}
        for p in series.forecast
    ]  # fmt: skip


def describe_xmr(series: MeasureSeries) -> str:
    """The text alternative: span, centre and limits, signals and the outlook."""
    m, points = series.measure, series.points
    last = points[-1]
    grain = "quarterly" if series.grain == "quarter" else "monthly"
    text = (
        f"XmR chart of {series.force_name}'s {grain} {m.title} ({m.unit_label}) from "
        f"{points[0].period_end:%B %Y} to {last.period_end:%B %Y}: centre "
        f"{number(last.centre, m.unit)}, limits {number(last.lower, m.unit)} to "
        f"{number(last.upper, m.unit)}. "
    )
    spans = series.signal_spans()
    text += f"Signals: {'; '.join(spans)}." if spans else "No signals: the variation is routine."
    if series.forecast:
        end = series.forecast[-1]
        text += (
            f" Outlook to {end.period_end:%B %Y}: {number(end.forecast, m.unit)} "
            f"(95% interval {number(end.lower, m.unit)} to {number(end.upper, m.unit)})."
        )
    return text


def xmr_chart(series: MeasureSeries) -> dict[str, Any]:
    """Vega-Lite spec of the XmR chart with signals marked and the outlook with its interval."""
    m = series.measure
    window = "one quarter" if series.grain == "quarter" else "one month"
    x = month_axis("Month" if series.grain == "month" else "Quarter ending")
    y_title = axis_title(m.unit_label, window)

    def y(field: str) -> dict[str, Any]:
        return {"field": field, "type": "quantitative", "title": y_title}

    def limit(field: str, dash: list[int], colour: str) -> dict[str, Any]:
        return {"mark": {"type": "line", "color": colour, "strokeDash": dash, "interpolate": "step-after"},
                "encoding": {"x": x, "y": y(field)}}  # fmt: skip

    tooltip = [
        month_tooltip("Period"),
        {"field": "value", "type": "quantitative", "title": m.unit_label, "format": ",.3~r"},
        {"field": "signal", "title": "Signal"},
    ]
    layers: list[dict[str, Any]] = [
        limit("upper", [4, 3], NATIONAL_COLOUR),
        limit("lower", [4, 3], NATIONAL_COLOUR),
        limit("centre", [1, 0], "#888888"),
        {"mark": {"type": "line", "color": FORCE_COLOUR, "point": {"color": FORCE_COLOUR, "size": 20}},
         "encoding": {"x": x, "y": y("value"), "tooltip": tooltip}},
        {"transform": [{"filter": "datum.signal != null"}],
         "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 90, "color": SIGNAL_COLOUR},
         "encoding": {"x": x, "y": y("value"), "tooltip": tooltip}},
    ]  # fmt: skip
    if series.forecast:
        layers += [
            {"data": {"values": outlook_values(series)},
             "mark": {"type": "area", "color": BAND_COLOUR, "opacity": 0.3},
             "encoding": {"x": x, "y": y("lower"), "y2": {"field": "upper"}}},
            {"data": {"values": outlook_values(series)},
             "mark": {"type": "line", "color": FORCE_COLOUR, "strokeDash": [5, 3]},
             "encoding": {"x": x, "y": y("forecast")}},
        ]  # fmt: skip
    spec = base_spec(describe_xmr(series))
    spec["title"] = {
        "text": f"{m.title}, {series.force_name}, {window} at a time",
        "subtitle": [  # short lines: a phone-width chart must not cut the key off
            "Dashed grey: natural process limits; diamonds: signals",
            "Shaded: outlook with its 95% interval",
        ],
    }
    spec["data"] = {"values": xmr_values(series)}
    spec["layer"] = layers
    return spec
