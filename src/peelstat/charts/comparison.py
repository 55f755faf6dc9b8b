"""The all-forces "ski slope": every force's value sorted high to low, the chosen force and its
MSG highlighted, and the HMICFRS outlier band (unweighted mean of forces ± 1 SD) behind the bars.

A force without a value has no bar (it is named in the description, never drawn as zero).
"""

from __future__ import annotations

import math
from typing import Any

from peelstat.analysis.comparison import ForceValue, MeasureComparison
from peelstat.charts.style import (
    BAND_COLOUR,
    FORCE_COLOUR,
    MSG_COLOUR,
    NATIONAL_COLOUR,
    OTHER_COLOUR,
    axis_title,
    base_spec,
    nullable,
    number,
)
from peelstat.reference import force_name

BAR_STEP = 15
"""Pixels per force: 43 forces make a chart about 650 pixels tall, each name in 11-point type."""
MSG_GROUP = "Its MSG peers"
OTHER_GROUP = "Other forces"


def band_label(comparison: MeasureComparison) -> str:
    """ "Outlier band: mean of forces ± 1 SD (on logs)"."""
    scale = " (on logs)" if comparison.band.transformed else ""
    return f"Outlier band: mean of forces ± 1 SD{scale}"


def _group(row: ForceValue) -> str:
    if row.chosen:
        return row.force_name
    return MSG_GROUP if row.in_msg else OTHER_GROUP


def comparison_values(comparison: MeasureComparison) -> list[dict[str, Any]]:
    """One row per force with a value, highest first, as the bars are drawn."""
    return [
        {"force": r.force, "force_name": r.force_name, "value": nullable(r.value),
         "rank": r.rank, "z": nullable(r.z), "flag": r.flag, "group": _group(r)}
        for r in comparison.rows
    ]  # fmt: skip


def describe_comparison(comparison: MeasureComparison) -> str:
    """The text alternative: highest and lowest, the chosen force's place and the band."""
    m, rows = comparison.measure, comparison.rows
    text = (
        f"Bar chart of {m.title} ({m.unit_label}) for {len(rows)} forces, 12 months to "
        f"{comparison.period_end:%B %Y}, highest first: {rows[0].force_name} "
        f"{number(rows[0].value, m.unit)} to {rows[-1].force_name} {number(rows[-1].value, m.unit)}."
    )
    chosen = next((r for r in rows if r.chosen), None)
    if chosen is not None:
        text += f" {chosen.force_name}: {number(chosen.value, m.unit)}, {chosen.flag}."
    band = comparison.band
    text += (
        f" {band_label(comparison)}: {number(band.lower, m.unit)} to {number(band.upper, m.unit)}."
    )
    if comparison.missing:
        text += f" No value for {', '.join(force_name(f) for f in comparison.missing)}."
    return text


def on_log_scale(comparison: MeasureComparison) -> bool:
    """Whether to draw the values on a log axis: when the outlier band is on logs (the values are
    skewed, one force often many times the rest) and every value is above zero. On a linear
    axis the one long bar leaves the other 42 too short to tell apart."""
    return comparison.band.transformed and all(r.value > 0 for r in comparison.rows)


def _log_scale(comparison: MeasureComparison) -> dict[str, Any]:
    """Whole powers of ten around the values: the bars grow from the lower one (a log axis has
    no zero)."""
    values = [r.value for r in comparison.rows]
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    return {"type": "log", "domain": [10.0**low, 10.0 ** max(high, low + 1)]}


def _powers_of_ten(comparison: MeasureComparison) -> list[float]:
    low, high = _log_scale(comparison)["domain"]
    return [10.0**k for k in range(round(math.log10(low)), round(math.log10(high)) + 1)]


def comparison_chart(comparison: MeasureComparison) -> dict[str, Any]:
    """Vega-Lite spec: sorted bars coloured by force / MSG / other, band and E&W rules behind."""
    m = comparison.measure
    values = comparison_values(comparison)
    chosen = [v["group"] for v in values if v["group"] not in (MSG_GROUP, OTHER_GROUP)]
    domain = [*chosen, MSG_GROUP, OTHER_GROUP] if comparison.force else [OTHER_GROUP]
    palette = [FORCE_COLOUR, MSG_COLOUR, OTHER_COLOUR] if comparison.force else [OTHER_COLOUR]
    order = [v["force_name"] for v in values]
    log = on_log_scale(comparison)
    y_title = axis_title(m.unit_label) + (" (log scale)" if log else "")
    band = comparison.band
    # Bars across, forces down: 43 force names read level at any width (a phone's too), where
    # names under upright bars had to be tilted, shrunk and still overlapped.
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "force_name", "type": "nominal", "sort": order, "title": None,
                  "axis": {"labelLimit": 170, "grid": False, "ticks": False}},
            "x": {"field": "value", "type": "quantitative", "title": y_title,
                  # a long title runs left; a log axis labels its powers of ten only
                  "axis": {"orient": "top", "titleAnchor": "end", "labelOverlap": "greedy",
                           **({"values": _powers_of_ten(comparison)} if log else {})},
                  "scale": _log_scale(comparison) if log else {}},
            **({"x2": {"datum": _log_scale(comparison)["domain"][0]}} if log else {}),
            "color": {"field": "group", "type": "nominal", "title": None,
                      "legend": {"orient": "top", "direction": "vertical"},  # narrow enough for a phone
                      "scale": {"domain": domain, "range": palette}},
            "tooltip": [
                {"field": "force_name", "title": "Force"},
                {"field": "value", "type": "quantitative", "title": m.unit_label, "format": ",.3~r"},
                {"field": "rank", "type": "quantitative", "title": "National rank (1 = best)"},
                {"field": "flag", "title": "Outlier flag"},
            ],
        },
    }  # fmt: skip
    lines = [
        {"label": band_label(comparison), "lower": nullable(band.lower), "upper": nullable(band.upper),
         "centre": nullable(band.centre), "national": nullable(comparison.national_value)},
    ]  # fmt: skip
    spec = base_spec(describe_comparison(comparison), width=760, height=BAR_STEP * len(values))
    spec["height"] = {"step": BAR_STEP}
    spec["title"] = {
        "text": f"{m.title}, all forces",
        # one short line each, so a narrow chart on the dashboard does not cut them off
        "subtitle": [
            f"12 months to {comparison.period_end:%B %Y}",
            f"Shaded: {band_label(comparison)}",
            "Dashed: mean of forces; dotted: England and Wales",
        ],
    }
    spec["layer"] = [
        # the band first, behind the bars: drawn over them it tinted them and took their tooltips
        {"data": {"values": lines}, "mark": {"type": "rect", "color": BAND_COLOUR, "opacity": 0.3},
         "encoding": {"x": {"field": "lower", "type": "quantitative"}, "x2": {"field": "upper"},
                      "tooltip": [{"field": "label", "title": "Band"}]}},
        {"data": {"values": values}, **bars},
        {"data": {"values": lines}, "mark": {"type": "rule", "color": "#1f5f86", "strokeDash": [6, 3]},
         "encoding": {"x": {"field": "centre", "type": "quantitative"}}},
        {"data": {"values": lines}, "mark": {"type": "rule", "color": NATIONAL_COLOUR, "strokeDash": [2, 2]},
         "encoding": {"x": {"field": "national", "type": "quantitative"},
                      "tooltip": {"value": "England and Wales"}}},
    ]  # fmt: skip
    return spec
