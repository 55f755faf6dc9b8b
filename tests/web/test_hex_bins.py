"""The force map's hexagon counts equal a direct count: every crime's own H3 cell, summed."""

from __future__ import annotations

import datetime as dt

import h3
import numpy as np
import pandas as pd

from peelstat.web.forcemap import hex_bins


def points(seed: int = 5) -> pd.DataFrame:
    """Map points shared by several crime types, some rows without a location."""
    rng = np.random.default_rng(seed)
    places = rng.normal((51.3, 0.5), (0.05, 0.08), (300, 2)).round(6)
    rows = []
    for crime_type in ("Burglary", "Robbery", "Vehicle crime"):
        for lat, lng in places[rng.choice(300, 200, replace=False)]:
            rows.append((crime_type, lat, lng, int(rng.integers(1, 9))))
        rows.append((crime_type, None, None, 4))  # "No Location"
    return pd.DataFrame(rows, columns=["crime_type", "latitude", "longitude", "crimes"])


def direct(frame: pd.DataFrame, resolution: int) -> dict[str, int]:
    placed = frame.dropna(subset=["latitude"])
    cells = [
        h3.latlng_to_cell(a, b, resolution)
        for a, b in zip(placed.latitude, placed.longitude, strict=True)
    ]
    return placed.assign(cell=cells).groupby("cell")["crimes"].sum().to_dict()


def test_cells_equal_each_crimes_own_cell_summed() -> None:
    frame = points()
    for resolution, crime_type in [(7, None), (8, "Robbery"), (6, None)]:
        bins = hex_bins(frame, "kent", dt.date(2023, 12, 31), 12, crime_type, resolution)
        chosen = frame if crime_type is None else frame[frame.crime_type == crime_type]
        assert dict(zip(bins.cells["cell"], bins.cells["crimes"], strict=True)) == direct(
            chosen, resolution
        )
        assert bins.crimes == int(chosen.crimes.sum())
        assert bins.without_location == 4 * (3 if crime_type is None else 1)
        assert list(bins.cells["crimes"]) == sorted(bins.cells["crimes"], reverse=True)
