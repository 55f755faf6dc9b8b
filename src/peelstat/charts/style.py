"""Colours, fonts and number formats every chart shares.

Okabe-Ito colours stay distinct under the common colour-vision deficiencies; each series also
differs by dash or shape, so a chart printed in grey still reads.
"""

from __future__ import annotations

import math
from typing import Any

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


def number(value: float | None, unit: str = "", digits: int = 3) -> str:
    """A figure as a reader writes it: 3 significant figures, thousands separated, "%" kept.

    >>> number(29.52113, "per_1000_households"), number(1234.6), number(float("nan"))
    ('29.5', '1,235', 'no value')
    >>> number(87.41, "percent")
    '87.4%'
    """
    if value is None or not math.isfinite(value):
        return "no value"
    if value == 0:
        text = "0"
    else:
        places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
        text = f"{value:,.{places}f}"
    return f"{text}%" if unit == "percent" else text


def whole(value: float | None) -> str:
    """A count: ``1,714,753``; "no value" when there is none.

    >>> whole(1714753.0), whole(None)
    ('1,714,753', 'no value')
    """
    return "no value" if value is None or not math.isfinite(value) else f"{value:,.0f}"


def nullable(value: float) -> float | None:
    """A number for a chart's data: ``None`` (a gap) instead of NaN, never a false zero."""
    return float(value) if value is not None and math.isfinite(value) else None


def axis_title(unit_label: str, window: str = "12 months") -> str:
    """ "Rate per 1,000 households, 12 months" or "%, 12 months" for a y axis."""
    if unit_label.startswith("per "):
        return f"Rate {unit_label}, {window}"
    return f"{unit_label}, {window}"
