from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial.distance import cdist

from peelstat.stats import similar_groups
from peelstat.stats.similar_groups import (
    force_distances,
    similar_forces,
    standardised,
)

AREAS = pd.DataFrame(
    {
        "residents_per_hectare": [1.2, 35.0, 4.1, 2.3, 28.0, 3.9, 0.9, 8.5, 12.0],
        "percent_hard_pressed": [8.0, 21.0, 12.0, 9.5, 18.0, 11.0, 7.0, 15.0, 14.0],
        "percent_terraced": [20.0, 40.0, 25.0, 22.0, 38.0, 28.0, 18.0, 30.0, 33.0],
    },
    index=[
        "dyfed-powys",
        "west-midlands",
        "essex",
        "norfolk",
        "merseyside",
        "kent",
        "north-yorkshire",
        "avon-and-somerset",
        "west-yorkshire",
    ],
)


def test_standardised_columns_match_scipy_zscores_with_ddof_1() -> None:
    z = standardised(AREAS)
    expected = stats.zscore(AREAS.to_numpy(), axis=0, ddof=1)
    assert z.to_numpy() == pytest.approx(expected, abs=1e-12)


def test_distances_match_scipy_euclidean_on_zscores() -> None:
    z = stats.zscore(AREAS.to_numpy(), axis=0, ddof=1)
    assert force_distances(AREAS).to_numpy() == pytest.approx(cdist(z, z), abs=1e-12)


def test_each_force_gets_its_k_nearest_others_labelled_as_derived() -> None:
    groups = similar_forces(AREAS, k=3)
    assert groups.columns.tolist() == ["force", "neighbour", "rank", "distance", "method"]
    assert groups.groupby("force").size().eq(3).all()
    assert (groups["force"] != groups["neighbour"]).all()
    assert groups["method"].str.startswith("derived, not official").all()
    west_midlands = groups[groups["force"] == "west-midlands"]
    assert west_midlands["neighbour"].iloc[0] == "merseyside"
    assert west_midlands["rank"].tolist() == [1, 2, 3]
    assert west_midlands["distance"].is_monotonic_increasing


def test_nearest_neighbours_agree_with_a_brute_force_ordering() -> None:
    z = stats.zscore(AREAS.to_numpy(), axis=0, ddof=1)
    distances = cdist(z, z)
    groups = similar_forces(AREAS, k=7)
    for i, force in enumerate(AREAS.index):
        others = [j for j in np.argsort(distances[i], kind="stable") if j != i][:7]
        expected = AREAS.index[others].tolist()
        assert groups.loc[groups["force"] == force, "neighbour"].tolist() == expected


def test_equal_distances_are_broken_by_slug() -> None:
    line = pd.DataFrame({"density": [0.0, 1.0, -1.0, 5.0]}, index=["middle", "zed", "aaa", "far"])
    groups = similar_forces(line, k=2)
    assert groups.loc[groups["force"] == "middle", "neighbour"].tolist() == ["aaa", "zed"]


def test_k_larger_than_the_other_forces_returns_all_of_them() -> None:
    groups = similar_forces(AREAS.iloc[:3], k=7)
    assert groups.groupby("force").size().eq(2).all()


def test_a_constant_characteristic_is_ignored() -> None:
    with_constant = AREAS.assign(country=1.0)
    pd.testing.assert_frame_equal(similar_forces(with_constant), similar_forces(AREAS))


def test_missing_characteristics_are_refused_naming_the_force() -> None:
    gappy = AREAS.copy()
    gappy.loc["kent", "percent_terraced"] = np.nan
    with pytest.raises(ValueError, match="kent"):
        similar_forces(gappy)


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)),
        min_size=2,
        max_size=12,
    ),
    st.integers(min_value=1, max_value=8),
)
def test_groups_are_deterministic_and_well_formed(rows: list[tuple[float, float]], k: int) -> None:
    names = [f"force-{i:02d}" for i in range(len(rows))]
    areas = pd.DataFrame(rows, index=names, columns=["a", "b"])
    groups = similar_forces(areas, k=k)
    assert groups.groupby("force").size().eq(min(k, len(rows) - 1)).all()
    assert (groups["force"] != groups["neighbour"]).all()
    shuffled = similar_forces(areas.iloc[::-1], k=k)
    pd.testing.assert_frame_equal(groups, shuffled)


def test_doctests() -> None:
    result = doctest.testmod(similar_groups)
    assert result.attempted > 0
    assert result.failed == 0
