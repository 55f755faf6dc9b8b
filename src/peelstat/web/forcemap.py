"""police.uk street crimes as hexagon bins (H3 cells), drawn without boundary files or tiles.

police.uk publishes each crime at one of a few anonymised map points, so the warehouse first
counts crimes per point (:meth:`~peelstat.workspace.Workspace.street_points`) and only the
distinct points are turned into H3 cells here. Rows with no location are counted and their
share stated: a map that silently dropped them would understate every cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import h3
import numpy as np
import pandas as pd

from peelstat.analysis.plain import plain
from peelstat.charts.style import SCHEMA
from peelstat.errors import BadInputError
from peelstat.periods import add_months, month_label

RESOLUTIONS = range(5, 10)
"""H3 resolutions offered: 5 (cells about 250 km²) to 9 (about 0.1 km²)."""
DEFAULT_RESOLUTION = 7


@dataclass(frozen=True)
class HexBins:
    """Crimes per H3 cell for one force and months, with the rows that could not be placed."""

    force: str
    first_month: dt.date
    last_month: dt.date
    crime_type: str | None
    resolution: int
    cells: pd.DataFrame  # cell, crimes, latitude, longitude (the cell centre)
    crime_types: tuple[str, ...]
    crimes: int
    without_location: int

    @property
    def share_without_location(self) -> float | None:
        return self.without_location / self.crimes if self.crimes else None

    def to_frame(self) -> pd.DataFrame:
        return self.cells

    def to_dict(self) -> dict:
        return plain({
            "force": self.force, "first_month": month_label(self.first_month),
            "last_month": month_label(self.last_month), "crime_type": self.crime_type,
            "resolution": self.resolution, "crimes": self.crimes,
            "without_location": self.without_location,
            "share_without_location": self.share_without_location,
            "crime_types": list(self.crime_types), "cells": self.cells.to_dict("records"),
        })  # fmt: skip

    def features(self) -> list[dict]:
        """Each cell as a GeoJSON polygon (longitude, latitude) for a Vega-Lite geoshape."""
        shapes = []
        for cell, crimes in zip(self.cells["cell"], self.cells["crimes"], strict=True):
            ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
            ring.reverse()  # d3-geo fills inside clockwise rings (the reverse of GeoJSON)
            shapes.append({"type": "Feature", "properties": {"cell": cell, "crimes": int(crimes)},
                           "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}})  # fmt: skip
        return shapes


def hex_bins(
    points: pd.DataFrame, force: str, last_month: dt.date, months: int,
    crime_type: str | None, resolution: int,
) -> HexBins:  # fmt: skip
    """Bins from the per-point counts of :meth:`Workspace.street_points`."""
    if resolution not in RESOLUTIONS:
        raise BadInputError(f"resolution {resolution} is not offered: choose 5 to 9")
    types = tuple(sorted(str(t) for t in points["crime_type"].dropna().unique()))
    if crime_type:
        if crime_type not in types:
            raise BadInputError(f"no {crime_type!r} crimes here; crime types: {', '.join(types)}")
        points = points[points["crime_type"] == crime_type]
    placed = points.dropna(subset=["latitude", "longitude"])
    # crimes summed per map point first, then one cell lookup per point: police.uk places
    # crimes at few points, and the rows here are points × crime types
    where = placed["latitude"].to_numpy(float) + 1j * placed["longitude"].to_numpy(float)
    codes, places = pd.factorize(where)
    per_place = np.bincount(codes, weights=placed["crimes"].to_numpy(float), minlength=len(places))
    cell_of = [h3.latlng_to_cell(p.real, p.imag, resolution) for p in places]
    cells = pd.DataFrame({"cell": pd.Series(cell_of, dtype=object),
                          "crimes": per_place.round().astype("int64")})  # fmt: skip
    summed = cells.groupby("cell", as_index=False).agg(crimes=("crimes", "sum"))
    cells = summed.sort_values(["crimes", "cell"], ascending=[False, True], ignore_index=True)
    centres = [h3.cell_to_latlng(c) for c in cells["cell"]]
    cells["latitude"] = [round(c[0], 5) for c in centres]
    cells["longitude"] = [round(c[1], 5) for c in centres]
    total = int(points["crimes"].sum())
    return HexBins(
        force, add_months(last_month, -(months - 1)).replace(day=1), last_month, crime_type,
        resolution, cells, types, total, total - int(placed["crimes"].sum()),
    )  # fmt: skip


def _whole_number_legend(bins: HexBins) -> dict:
    """Counts are whole: a few cells' range gets one label per count, never "1.5 crimes"."""
    top = int(bins.cells["crimes"].max()) if len(bins.cells) else 1
    return {"values": list(range(1, top + 1)), "format": "d"} if top <= 6 else {"format": ",d"}


def hexbin_spec(bins: HexBins, base_map: dict | None = None) -> dict:
    """The cells shaded by crimes (a base map layer under them when one is set)."""
    what = bins.crime_type or "All crime types"
    cells = {"data": {"values": bins.features()}, "mark": {"type": "geoshape", "stroke": "white",
             "strokeWidth": 0.3}, "encoding": {"color": {"field": "properties.crimes",
             "type": "quantitative", "title": "Crimes per cell",
             # the scheme's palest third is lost against a white page: start darker
             "scale": {"scheme": {"name": "yelloworangered", "extent": [0.3, 1]}},
             "legend": _whole_number_legend(bins)},
             "tooltip": [{"field": "properties.crimes", "title": "crimes"},
                         {"field": "properties.cell", "title": "H3 cell"}]}}  # fmt: skip
    layers = [cells]
    if base_map is not None:
        layers.insert(0, {"data": {"values": base_map.get("features", [])},
                          "mark": {"type": "geoshape", "fill": "#eeeeee", "stroke": "#bbbbbb"}})  # fmt: skip
    return {"$schema": SCHEMA, "title": f"{what}, {month_label(bins.first_month)} to "
            f"{month_label(bins.last_month)}", "description": f"Hexagon map of {bins.crimes:,} "
            f"crimes in {len(bins.cells)} H3 cells.", "width": "container", "height": 460,
            "projection": {"type": "mercator"}, "layer": layers}  # fmt: skip
