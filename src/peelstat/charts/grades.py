"""Graded judgments per area and inspection: one panel per grading scale.

PEEL graded on four tiers until 2018/19 and on five from 2021/22 with new criteria, so the
two scales are never put on one axis or one colour scale: each has its own panel, legend and
order (best first). An area not graded in an inspection is an empty cell, not a grade.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelstat.charts.style import base_spec
from peelstat.inspection.grades import FIVE_TIER, FOUR_TIER, Scale
from peelstat.inspection.records_types import Judgment

# Blue (best) to vermillion (worst): Okabe-Ito ends with a neutral middle, per scale.
GRADE_COLOURS = {
    "five-tier": ["#0072B2", "#56B4E9", "#F0E442", "#E69F00", "#D55E00"],
    "four-tier": ["#0072B2", "#56B4E9", "#E69F00", "#D55E00"],
}


def grade_values(judgments: Sequence[Judgment]) -> list[dict[str, Any]]:
    """One row per graded judgment, in inspection order."""
    ordered = sorted(judgments, key=lambda j: (j.inspection_year, j.area))
    return [
        {"inspection": f"{j.inspection} ({j.inspection_year})", "area": j.area,
         "grade": j.grade or "ungraded", "scale": j.scale, "year": j.inspection_year}
        for j in ordered
    ]  # fmt: skip


def describe_grades(judgments: Sequence[Judgment]) -> str:
    """The text alternative: each inspection's grades, area by area."""
    if not judgments:
        return "No graded judgments recorded."
    parts = []
    for inspection in dict.fromkeys(v["inspection"] for v in grade_values(judgments)):
        grades = [v for v in grade_values(judgments) if v["inspection"] == inspection]
        listed = "; ".join(f"{v['area']}: {v['grade']}" for v in grades)
        parts.append(f"{inspection}, {grades[0]['scale']} scale: {listed}.")
    return "Grades by inspection. " + " ".join(parts)


def _panel(values: list[dict[str, Any]], scale: Scale) -> dict[str, Any]:
    grades = [*scale.grades, "ungraded"]
    return {
        "title": f"{scale.id} scale ({scale.used})",
        "data": {"values": values},
        "width": {"step": 150},
        "height": {"step": 22},
        "encoding": {
            "x": {"field": "inspection", "type": "nominal", "title": None,
                  "sort": {"field": "year"}, "axis": {"labelAngle": 0, "orient": "top", "labelLimit": 200, "grid": False}},
            "y": {"field": "area", "type": "nominal", "title": None, "axis": {"labelLimit": 380, "grid": False}},
        },
        "layer": [
            {"mark": {"type": "rect", "stroke": "white"},
             "encoding": {"color": {"field": "grade", "type": "ordinal", "title": scale.id,
                                    "legend": {"columns": 3},  # two short rows fit a phone
                                    "scale": {"domain": grades, "range": [*GRADE_COLOURS[scale.id], "#eeeeee"]}}}},
            {"mark": {"type": "text", "fontSize": 10},
             "encoding": {"text": {"field": "grade"},
                          "color": {"condition": {"test": f"datum.grade == {grades[0]!r} || datum.grade == {grades[-2]!r}",
                                                  "value": "white"}, "value": "black"}}},
        ],
    }  # fmt: skip


def grades_chart(judgments: Sequence[Judgment]) -> dict[str, Any]:
    """Vega-Lite spec: a grid of grades (area × inspection) per scale, side by side."""
    values = grade_values(judgments)
    panels = [
        _panel([v for v in values if v["scale"] == scale.id], scale)
        for scale in (FOUR_TIER, FIVE_TIER)
        if any(v["scale"] == scale.id for v in values)
    ]
    spec = base_spec(describe_grades(judgments))
    del spec["width"], spec["height"]
    spec["title"] = {
        "text": "Graded judgments",
        "subtitle": "Grades on different scales are not directly comparable",
    }
    spec["vconcat"] = panels
    spec["resolve"] = {"scale": {"color": "independent"}}
    return spec
