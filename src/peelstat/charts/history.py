"""The performance report's line chart: a force's 12-month rate against its MSG and the nation.

A window the force has no value for breaks its line (each unbroken run is its own ``segment``)
and is marked by a dashed grey rule, so a missing month is never drawn as a line across it
or as a zero.
"""

from __future__ import annotations

import math
from typing import Any

from peelstat.analysis.history import MeasureHistory
from peelstat.charts.style import (
    FORCE_COLOUR,
    MSG_COLOUR,
    NATIONAL_COLOUR,
    axis_title,
    base_spec,
    month_axis,
    month_tooltip,
    nullable,
    number,
)

MSG_SERIES = "MSG average"
NATIONAL_SERIES = "England and Wales"


def history_values(history: MeasureHistory) -> list[dict[str, Any]]:
    """One row per series and window with a value; ``segment`` counts the gaps before it."""
    rows: list[dict[str, Any]] = []
    series = (
        (history.force_name, "force_value"),
        (MSG_SERIES, "msg_average"),
        (NATIONAL_SERIES, "national_value"),
    )
    for name, field in series:
        segment = 0
        for p in history.points:
            value = nullable(getattr(p, field))
            if value is None:
                segment += 1
                continue
            rows.append({
                "period_end": p.period_end.isoformat(), "series": name, "value": value,
                "segment": f"{name} {segment}",
                "msg_members": p.msg_members_with_value if field == "msg_average" else None,
            })  # fmt: skip
    return rows


def describe_history(history: MeasureHistory) -> str:
    """The chart's text alternative: the span, the last values and any gaps."""
    m = history.measure
    if not history.points:
        return f"No values of {m.title} for {history.force_name}."
    last = history.points[-1]
    first_end, last_end = history.points[0].period_end, last.period_end
    text = (
        f"Line chart of {m.title} ({m.unit_label}, 12 months to each period) from "
        f"{first_end:%B %Y} to {last_end:%B %Y}. In the 12 months to {last_end:%B %Y}: "
        f"{history.force_name} {number(last.force_value, m.unit)}, MSG average "
        f"{number(last.msg_average, m.unit)}, England and Wales {number(last.national_value, m.unit)}."
    )
    if history.gaps:
        gaps = ", ".join(f"{g:%b %Y}" for g in history.gaps)
        text += f" No value for {history.force_name} in {len(history.gaps)} window(s): {gaps}."
    return text


def history_chart(history: MeasureHistory) -> dict[str, Any]:
    """Vega-Lite spec: three lines (force solid, MSG dashed, England and Wales dotted), gaps marked."""
    m = history.measure
    names = [history.force_name, MSG_SERIES, NATIONAL_SERIES]
    colour = {
        "field": "series", "type": "nominal", "title": None,
        "scale": {"domain": names, "range": [FORCE_COLOUR, MSG_COLOUR, NATIONAL_COLOUR]},
        "sort": names, "legend": {"symbolType": "stroke", "symbolStrokeWidth": 2.5},
    }  # fmt: skip
    dash = {
        "field": "series", "type": "nominal", "title": None, "sort": names,
        "scale": {"domain": names, "range": [[1, 0], [6, 3], [2, 2]]},
    }  # fmt: skip
    x = month_axis("12 months to")
    y = {"field": "value", "type": "quantitative", "title": axis_title(m.unit_label),
         "scale": {"zero": True}}  # fmt: skip
    tooltip = [
        {"field": "series", "title": "Series"},
        month_tooltip("12 months to"),
        {"field": "value", "type": "quantitative", "title": m.unit_label, "format": ",.3~r"},
        {"field": "msg_members", "type": "quantitative", "title": "MSG forces with a value"},
    ]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "strokeDash": dash,
                "detail": {"field": "segment"},
                "tooltip": tooltip,
            },
        },
        {
            "transform": [{"filter": {"field": "series", "equal": history.force_name}}],
            "mark": {"type": "point", "filled": True, "size": 18, "color": FORCE_COLOUR},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        },
    ]
    if history.gaps:
        layers.append(_gap_layer(history))
    spec = base_spec(describe_history(history), width=520, height=200)
    spec["title"] = {
        "text": m.title,
        "subtitle": f"{history.force_name}, its MSG and England and Wales",
    }
    spec["data"] = {"values": history_values(history)}
    spec["layer"] = layers
    return spec


def _gap_layer(history: MeasureHistory) -> dict[str, Any]:
    gaps = [{"period_end": g.isoformat(), "label": "no value"} for g in history.gaps]
    return {
        "data": {"values": gaps},
        "mark": {"type": "rule", "color": "#999999", "strokeDash": [2, 3]},
        "encoding": {
            "x": month_axis("12 months to"),
            "tooltip": [{"field": "label", "title": f"{history.force_name}"}],
        },
    }


def has_values(history: MeasureHistory) -> bool:
    """Whether there is anything to draw (a measure the data cannot supply has no points)."""
    return any(math.isfinite(p.force_value) for p in history.points)
