"""The all-forces chart names the forces down its side and, when the outlier band is on logs,
draws the values on a log axis whose domain holds every value (so no force is flattened)."""

from __future__ import annotations

import dataclasses

from peelstat.charts.comparison import comparison_chart, on_log_scale
from peelstat.workspace import Workspace

from .conftest import FORCE, PERIOD


def bars(spec: dict) -> dict:
    layer = next(la for la in spec["layer"] if la["mark"]["type"] == "bar")
    return layer["encoding"]  # type: ignore[no-any-return]


def test_the_band_is_drawn_behind_the_bars(demo_workspace: Workspace) -> None:
    spec = comparison_chart(demo_workspace.compare("police_uk_burglary", PERIOD, FORCE))
    marks = [la["mark"]["type"] for la in spec["layer"]]
    assert marks.index("rect") < marks.index("bar")  # later layers are drawn on top


def test_forces_are_named_down_the_side_with_the_values_across(demo_workspace: Workspace) -> None:
    comparison = demo_workspace.compare("police_uk_burglary", PERIOD, FORCE)
    spec = comparison_chart(comparison)
    assert bars(spec)["y"]["field"] == "force_name" and bars(spec)["x"]["field"] == "value"
    assert bars(spec)["y"]["sort"] == [r.force_name for r in comparison.rows]
    assert spec["height"] == {"step": 15}  # room for every name, whatever the count


def test_a_log_axis_exactly_when_the_band_is_on_logs(demo_workspace: Workspace) -> None:
    comparison = demo_workspace.compare("police_uk_burglary", PERIOD, FORCE)
    assert comparison.band.transformed  # the demo's City of London is many times the rest
    spec = comparison_chart(comparison)
    scale = bars(spec)["x"]["scale"]
    low, high = scale["domain"]
    values = [r.value for r in comparison.rows]
    assert scale["type"] == "log" and low <= min(values) and high >= max(values)
    assert bars(spec)["x2"] == {"datum": low} and "log scale" in bars(spec)["x"]["title"]
    linear = dataclasses.replace(
        comparison, band=dataclasses.replace(comparison.band, transformed=False)
    )
    assert not on_log_scale(linear) and bars(comparison_chart(linear))["x"]["scale"] == {}
    assert "x2" not in bars(comparison_chart(linear))
