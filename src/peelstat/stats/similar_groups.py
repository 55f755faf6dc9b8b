"""Derived comparison groups for forces without an official HMICFRS Most Similar Group.

Method: each force-area characteristic (population density, deprivation, ...) is turned into
a z-score across the forces given (mean 0, sample SD 1, ddof=1) so that no characteristic
dominates because of its units; forces are compared by Euclidean distance on those z-scores,
and each force's group is its k nearest other forces. Equal distances are broken by force
slug so the groups are the same on every run. A characteristic that is the same for every
force carries no information and contributes 0. These groups are derived, not official: the
``method`` column says so, and reports should too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METHOD = "derived, not official: k nearest forces by Euclidean distance on z-scored characteristics"


def standardised(characteristics: pd.DataFrame) -> pd.DataFrame:
    """Z-scores of each column (ddof=1); a constant column becomes 0 rather than NaN."""
    missing = characteristics.isna().any(axis=1)
    if missing.any():
        forces = characteristics.index[missing].astype(str)
        raise ValueError(f"characteristics have missing values for: {', '.join(forces)}")
    spread = characteristics.std(ddof=1).replace(0.0, 1.0)
    return (characteristics - characteristics.mean()) / spread


def force_distances(characteristics: pd.DataFrame) -> pd.DataFrame:
    """Square table of Euclidean distances between forces on standardised characteristics."""
    z = standardised(characteristics.astype(float)).to_numpy()
    distances = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
    return pd.DataFrame(distances, index=characteristics.index, columns=characteristics.index)


def similar_forces(characteristics: pd.DataFrame, k: int = 7) -> pd.DataFrame:
    """Each force's `k` nearest other forces: columns force, neighbour, rank, distance, method.

    Parameters
    ----------
    characteristics
        Indexed by force slug; one numeric column per force-area characteristic.
    k
        Group size excluding the force itself (7 gives groups of 8, like HMICFRS MSGs).

    Examples
    --------
    >>> areas = pd.DataFrame({"density": [1.0, 2.0, 10.0, 11.0]}, index=["a", "b", "c", "d"])
    >>> similar_forces(areas, k=1)[["force", "neighbour"]].values.tolist()
    [['a', 'b'], ['b', 'a'], ['c', 'd'], ['d', 'c']]
    """
    if characteristics.index.has_duplicates:
        raise ValueError("characteristics need one row per force; found repeated forces")
    # sorted by slug first, so the same forces in any order give bit-identical distances, and
    # rounded so distances equal in exact arithmetic tie and fall to slug order
    distances = force_distances(characteristics.sort_index()).round(12)
    forces = distances.index.astype(str).to_numpy()
    pairs = pd.DataFrame(
        {
            "force": np.repeat(forces, len(forces)),
            "neighbour": np.tile(forces, len(forces)),
            "distance": distances.to_numpy().ravel(),
        }
    )
    pairs = pairs[pairs["force"] != pairs["neighbour"]]
    pairs = pairs.sort_values(["force", "distance", "neighbour"], kind="mergesort")
    pairs["rank"] = pairs.groupby("force").cumcount() + 1
    nearest = pairs[pairs["rank"] <= k].reset_index(drop=True).assign(method=METHOD)
    return nearest[["force", "neighbour", "rank", "distance", "method"]]
