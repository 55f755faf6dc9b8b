"""A force-area map (choropleth) of one measure, from an ONS police force area boundary file.

The boundary file is the user's (a path or the ``PEELSTAT_BOUNDARIES`` setting): nothing large
is shipped in the package. Give GeoJSON as ONS publishes it (WGS84, or British National Grid,
which is drawn as it is); features are matched to forces by their ONS code (``PFA19CD``,
``PFA16CD``…), so a name spelt "Devon & Cornwall" still finds its force. A force with no value
is drawn in light grey and said so in the description.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from peelstat.analysis.comparison import MeasureComparison
from peelstat.charts.comparison import on_log_scale
from peelstat.charts.style import FORCE_COLOUR, MISSING_COLOUR, SEQUENTIAL_SCHEME, base_spec, number
from peelstat.errors import BadInputError
from peelstat.reference import forces

COORDINATE_PLACES = 4
"""About 10 metres in WGS84: enough for a national map, a third of the file's size."""


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, list):
        return [_rounded(c) for c in coordinates]
    return round(coordinates, COORDINATE_PLACES) if isinstance(coordinates, float) else coordinates


def read_boundaries(path: str | Path) -> dict[str, Any]:
    """The GeoJSON FeatureCollection at ``path``; anything else is refused saying what to give.
    Read once while the file is unchanged: every map of every measure draws the same areas
    (callers must not change what it returns)."""
    path = Path(path)
    if path.is_dir():
        found = sorted(path.glob("*.geojson")) + sorted(path.glob("*.json"))
        if not found:
            raise BadInputError(
                f"{path}: no .geojson file in this folder; give an ONS police force area GeoJSON"
            )
        path = found[0]
    if path.suffix.lower() in (".shp", ".zip"):
        raise BadInputError(
            f"{path}: shapefiles are not read; convert it to GeoJSON "
            f"(ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson {path.name}) and give that"
        )
    try:
        stat = path.stat()
        return _parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise BadInputError(f"{path}: cannot be read as GeoJSON ({error})") from None


@lru_cache(maxsize=4)
def _parsed(path: str, _mtime_ns: int, _size: int) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadInputError(f"{path}: cannot be read as GeoJSON ({error})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BadInputError(f"{path}: not a GeoJSON FeatureCollection of police force areas")
    return data


def _code_of(properties: dict[str, Any]) -> str | None:
    for key, value in properties.items():
        if key.upper().startswith("PFA") and key.upper().endswith("CD"):
            return str(value)
    return None


def _is_british_grid(data: dict[str, Any]) -> bool:
    name = str(data.get("crs", {}).get("properties", {}).get("name", ""))
    return "27700" in name


def boundary_shapes(boundaries: dict[str, Any]) -> list[dict[str, Any]]:
    """Each boundary feature's geometry (coordinates rounded) and the force it is (its slug, or
    None when its ONS code is no force's): the part of the map that is the same for every measure."""
    by_code = dict(zip(forces()["ons_pfa_code"], forces()["slug"], strict=True))
    shapes = []
    for feature in boundaries["features"]:
        geometry = feature["geometry"]
        shapes.append({
            "type": "Feature",
            "geometry": {**geometry, "coordinates": _rounded(geometry["coordinates"])},
            "properties": {"force": by_code.get(_code_of(feature.get("properties", {})) or "")},
        })  # fmt: skip
    return shapes


def map_features(comparison: MeasureComparison, boundaries: dict[str, Any]) -> list[dict[str, Any]]:
    """The boundary features with the force, its value and whether it is the chosen force."""
    values = {r.force: r for r in comparison.rows}
    return [{**shape, "properties": _area(shape["properties"]["force"], values)}
            for shape in boundary_shapes(boundaries)]  # fmt: skip


def _area(slug: str | None, values: dict[str, Any]) -> dict[str, Any]:
    row = values.get(slug) if slug else None
    return {"force": slug, "force_name": row.force_name if row else str(slug),
            "value": row.value if row else None, "chosen": bool(row and row.chosen),
            "flag": row.flag if row else "no value"}  # fmt: skip


def _shapes_from(url: str, comparison: MeasureComparison) -> dict[str, Any]:
    """Data and transform of a map whose shapes (:func:`boundary_shapes`) are fetched from
    ``url`` (cached by the browser from page to page), each area's value joined on by force."""
    values = {r.force: r for r in comparison.rows}
    rows = [_area(r.force, values) for r in comparison.rows]
    join = {"lookup": "properties.force", "from": {"data": {"values": rows}, "key": "force"},
            "as": "properties", "default": _area(None, {}) | {"force_name": ""}}  # fmt: skip
    return {"data": {"url": url, "format": {"type": "json", "property": "features"}},
            "transform": [join]}  # fmt: skip


def describe_choropleth(comparison: MeasureComparison) -> str:
    """The text alternative: what is shaded, the extremes, and the forces without a value."""
    m, rows = comparison.measure, comparison.rows
    text = (
        f"Map of police force areas shaded by {m.title} ({m.unit_label}), 12 months to "
        f"{comparison.period_end:%B %Y}: darkest {rows[-1].force_name} ({number(rows[-1].value, m.unit)}), "
        f"brightest {rows[0].force_name} ({number(rows[0].value, m.unit)})."
    )
    if comparison.missing:
        text += f" Grey, no value: {', '.join(comparison.missing)}."
    return text


def choropleth_chart(
    comparison: MeasureComparison, boundaries: str | Path, shapes_url: str | None = None
) -> dict[str, Any]:
    """Vega-Lite spec of the force-area map; the chosen force outlined. With ``shapes_url``
    the shapes are not written into the spec but fetched from there (the dashboard)."""
    data = read_boundaries(boundaries)
    m = comparison.measure
    projection = (
        {"type": "identity", "reflectY": True} if _is_british_grid(data) else {"type": "mercator"}
    )
    spec = base_spec(describe_choropleth(comparison), width=420, height=480)
    spec["title"] = {
        "text": f"{m.title}, by police force area",
        # short lines, so a phone-width map does not cut them off
        "subtitle": [
            f"12 months to {comparison.period_end:%B %Y}",
            "Grey: no value" + ("; colours on a log scale" if on_log_scale(comparison) else ""),
        ],
    }
    spec["projection"] = projection
    if shapes_url:
        spec |= _shapes_from(shapes_url, comparison)
    else:
        spec["data"] = {"values": map_features(comparison, data)}
    spec["mark"] = {"type": "geoshape", "strokeWidth": 0.4, "stroke": "white"}
    spec["encoding"] = {
        "color": {
            "condition": {"test": "datum.properties.value == null", "value": MISSING_COLOUR},
            "field": "properties.value", "type": "quantitative", "title": m.unit_label,
            "scale": {"scheme": SEQUENTIAL_SCHEME, **({"type": "log"} if on_log_scale(comparison) else {})},
        },
        "stroke": {"condition": {"test": "datum.properties.chosen", "value": FORCE_COLOUR}, "value": "white"},
        "strokeWidth": {"condition": {"test": "datum.properties.chosen", "value": 2.5}, "value": 0.4},
        "tooltip": [
            {"field": "properties.force_name", "title": "Force"},
            {"field": "properties.value", "type": "quantitative", "title": m.unit_label, "format": ",.3~r"},
            {"field": "properties.flag", "title": "Outlier flag"},
        ],
    }  # fmt: skip
    return spec
