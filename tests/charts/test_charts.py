"""Each chart draws exactly the analysis result it is given: same values, same gaps, no zeros
where there is no value; every spec is valid Vega-Lite and renders without a browser."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
from altair.vegalite.v6.schema.core import TopLevelSpec

from peelstat.analysis.history import MeasureHistory
from peelstat.charts import render
from peelstat.charts.choropleth import choropleth_chart, map_features, read_boundaries
from peelstat.charts.comparison import MSG_GROUP, OTHER_GROUP, comparison_chart, comparison_values
from peelstat.charts.grades import grades_chart
from peelstat.charts.history import MSG_SERIES, NATIONAL_SERIES, history_chart, history_values
from peelstat.charts.xmr import xmr_chart, xmr_values
from peelstat.errors import BadInputError
from peelstat.inspection.grades import example_grades
from peelstat.workspace import Workspace

from .conftest import FORCE, PERIOD


@pytest.fixture(scope="module")
def history(demo_workspace: Workspace) -> MeasureHistory:
    return demo_workspace.history(FORCE, "police_uk_burglary", PERIOD)


def with_gap(history: MeasureHistory, index: int) -> MeasureHistory:
    """The same history with the force's value missing in one window (as a missing month gives)."""
    points = list(history.points)
    points[index] = dataclasses.replace(points[index], force_value=math.nan)
    return dataclasses.replace(history, points=tuple(points), gaps=(points[index].period_end,))


def test_history_chart_draws_the_three_series_of_the_result(history: MeasureHistory) -> None:
    rows = history_values(history)
    by_series = {name: [r for r in rows if r["series"] == name] for name in
                 (history.force_name, MSG_SERIES, NATIONAL_SERIES)}  # fmt: skip
    assert [r["value"] for r in by_series[history.force_name]] == [
        p.force_value for p in history.points
    ]
    assert [r["value"] for r in by_series[MSG_SERIES]] == [p.msg_average for p in history.points]
    assert [r["value"] for r in by_series[NATIONAL_SERIES]] == [
        p.national_value for p in history.points
    ]
    assert [r["period_end"] for r in by_series[MSG_SERIES]] == [
        p.period_end.isoformat() for p in history.points
    ]
    spec = history_chart(history)
    assert "Rate per 1,000 residents" in spec["layer"][0]["encoding"]["y"]["title"]


def test_a_missing_window_is_a_gap_in_the_line_never_a_zero(history: MeasureHistory) -> None:
    gappy = with_gap(history, 5)
    rows = [r for r in history_values(gappy) if r["series"] == gappy.force_name]
    assert len(rows) == len(history.points) - 1
    assert gappy.points[5].period_end.isoformat() not in {r["period_end"] for r in rows}
    assert 0 not in [r["value"] for r in rows]
    assert {r["segment"] for r in rows} == {f"{gappy.force_name} 0", f"{gappy.force_name} 1"}
    spec = history_chart(gappy)
    gap_layer = spec["layer"][-1]
    assert gap_layer["data"]["values"] == [
        {"period_end": gappy.points[5].period_end.isoformat(), "label": "no value"}
    ]
    assert f"{gappy.points[5].period_end:%b %Y}" in spec["description"]


def test_comparison_chart_bars_are_the_result_sorted_with_force_and_msg_highlighted(
    demo_workspace: Workspace,
) -> None:
    comparison = demo_workspace.compare("residential_burglary", PERIOD, FORCE)
    values = comparison_values(comparison)
    assert [v["value"] for v in values] == [r.value for r in comparison.rows]
    assert [v["value"] for v in values] == sorted((v["value"] for v in values), reverse=True)
    groups = {v["force"]: v["group"] for v in values}
    assert groups[FORCE] == "Avon and Somerset"
    assert {f for f, g in groups.items() if g == MSG_GROUP} == set(comparison.msg.peers)
    assert sum(g == OTHER_GROUP for g in groups.values()) == 43 - 8
    spec = comparison_chart(comparison)
    band = next(la for la in spec["layer"] if la["mark"]["type"] == "rect")["data"]["values"][0]
    assert (band["lower"], band["upper"]) == (comparison.band.lower, comparison.band.upper)
    assert ("on logs" in " ".join(spec["title"]["subtitle"])) == comparison.band.transformed


def test_xmr_chart_holds_the_series_limits_signals_and_outlook(demo_workspace: Workspace) -> None:
    series = demo_workspace.series(FORCE, "police_uk_robbery", PERIOD)
    rows = xmr_values(series)
    assert [(r["value"], r["centre"], r["lower"], r["upper"], r["signal"]) for r in rows] == [
        (p.value, p.centre, p.lower, p.upper, p.signal) for p in series.points
    ]
    spec = xmr_chart(series)
    outlook = spec["layer"][-1]["data"]["values"]
    assert [o["forecast"] for o in outlook] == [p.forecast for p in series.forecast]
    assert spec["layer"][4]["transform"] == [{"filter": "datum.signal != null"}]


def test_grades_on_the_two_scales_are_never_on_one_axis() -> None:
    judgments = [j for j in example_grades()[0] if j.force == FORCE]
    spec = grades_chart(judgments)
    four, five = spec["vconcat"]
    assert {v["scale"] for v in four["data"]["values"]} == {"four-tier"}
    assert {v["scale"] for v in five["data"]["values"]} == {"five-tier"}
    four_domain = four["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert "Adequate" not in four_domain and "Adequate" in five["layer"][0]["encoding"]["color"][
        "scale"]["domain"]  # fmt: skip
    assert spec["resolve"] == {"scale": {"color": "independent"}}
    assert "not directly comparable" in spec["title"]["subtitle"]


BOUNDARIES = "ons/boundaries/pfa_dec2016_ugc_geojson/force_boundaries_ugc.geojson"


def test_choropleth_matches_every_boundary_to_its_force_value(
    demo_workspace: Workspace, shared_data: Path
) -> None:
    comparison = demo_workspace.compare("residential_burglary", PERIOD, FORCE)
    features = map_features(comparison, read_boundaries(shared_data / BOUNDARIES))
    values = {r.force: r.value for r in comparison.rows}
    assert len(features) == 43
    assert {f["properties"]["force"]: f["properties"]["value"] for f in features} == values
    assert [f["properties"]["force"] for f in features if f["properties"]["chosen"]] == [FORCE]


def test_a_force_without_a_value_is_grey_on_the_map_not_zero(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    comparison = demo_workspace.compare("residential_burglary", PERIOD, FORCE)
    fewer = dataclasses.replace(
        comparison, rows=tuple(r for r in comparison.rows if r.force != "kent"), missing=("kent",)
    )
    square = {
        "type": "Polygon",
        "coordinates": [[[0.5, 51.0], [1.0, 51.0], [1.0, 51.4], [0.5, 51.0]]],
    }
    path = tmp_path / "two.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"PFA19CD": "E23000032"}, "geometry": square},
        {"type": "Feature", "properties": {"PFA19CD": "E23000036"}, "geometry": square},
    ]}))  # fmt: skip
    spec = choropleth_chart(fewer, path)
    kent, avon = spec["data"]["values"]
    assert kent["properties"]["value"] is None and avon["properties"]["force"] == FORCE
    assert "no value: kent" in spec["description"].lower()
    assert spec["encoding"]["color"]["condition"]["value"] != "#000000"


def test_a_shapefile_or_other_file_is_refused_naming_it(tmp_path: Path) -> None:
    shp = tmp_path / "areas.shp"
    shp.write_bytes(b"\0")
    with pytest.raises(BadInputError, match=r"areas\.shp.*ogr2ogr"):
        read_boundaries(shp)
    text = tmp_path / "areas.geojson"
    text.write_text('{"type": "Feature"}')
    with pytest.raises(BadInputError, match=r"areas\.geojson: not a GeoJSON FeatureCollection"):
        read_boundaries(text)


def test_every_spec_is_valid_vega_lite_and_renders_the_same_svg_twice(
    demo_workspace: Workspace, history: MeasureHistory
) -> None:
    comparison = demo_workspace.compare("residential_burglary", PERIOD, FORCE)
    specs = [
        history_chart(with_gap(history, 3)),
        comparison_chart(comparison),
        comparison_chart(demo_workspace.compare("residential_burglary", PERIOD)),
        xmr_chart(demo_workspace.series(FORCE, "police_uk_robbery", PERIOD)),
        grades_chart(example_grades()[0]),
    ]
    for spec in specs:
        TopLevelSpec.validate(spec)
        assert spec["description"]
        drawn = render.svg(spec)
        assert drawn.startswith("<svg") and drawn == render.svg(spec)
    assert render.png(specs[0]).startswith(b"\x89PNG")
