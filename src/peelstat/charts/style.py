"""Colours, fonts and number formats every chart shares.

Okabe-Ito colours stay distinct under the common colour-vision deficiencies; each series also
differs by dash or shape, so a chart printed in grey still reads.
"""

from __future__ import annotations

import math
from typing import Any

from peelstat.analysis.plain import number, whole

__all__ = [
    "number",
    "whole",
]  # figures as a reader writes them, for charts and pages (defined in analysis)

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"

FORCE_COLOUR = "#0072B2"  # blue
MSG_COLOUR = "#E69F00"  # orange
NATIONAL_COLOUR = "#555555"  # dark grey
OTHER_COLOUR = "#C8C8C8"  # light grey: forces outside the MSG
SIGNAL_COLOUR = "#D55E00"  # vermillion: a point the XmR rules flag
BAND_COLOUR = "#56B4E9"  # sky blue: the outlier band, the outlook interval
MISSING_COLOUR = "#EEEEEE"
SEQUENTIAL_SCHEME = "viridis"

WIDTH = 640
HEIGHT = 220


def base_spec(description: str, width: int = WIDTH, height: int = HEIGHT) -> dict[str, Any]:
    """The top of every spec: schema, size, font and the text alternative."""
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": height,
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "grid": True,
                "gridColor": "#e6e6e6",
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
            "title": {"fontSize": 13, "anchor": "start"},
        },
    }


def month_axis(title: str) -> dict[str, Any]:
    """An x encoding of period ends (ISO dates) by month, in UTC so no day slips."""
    return {
        "field": "period_end",
        "type": "temporal",
        "timeUnit": "utcyearmonth",
        "title": title,
        "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 8},
    }


def month_tooltip(title: str) -> dict[str, Any]:
    """A tooltip line naming the month in full ("December 2018")."""
    return {"field": "period_end", "type": "temporal", "timeUnit": "utcyearmonth",
            "title": title, "format": "%B %Y"}  # fmt: skip


def nullable(value: float) -> float | None:
    """A number for a chart's data: ``None`` (a gap) instead of NaN, never a false zero."""
    return float(value) if value is not None and math.isfinite(value) else None


def axis_title(unit_label: str, window: str = "12 months") -> str:
    """ "Rate per 1,000 households, 12 months" or "%, 12 months" for a y axis."""
    if unit_label.startswith("per "):
        return f"Rate {unit_label}, {window}"
    return f"{unit_label}, {window}"
