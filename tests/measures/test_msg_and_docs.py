"""Derived comparison groups, and the examples in the measure modules' docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

from peelstat.measures.msg import DERIVED, PUBLISHED, all_groups, derived_groups, msg_for
from peelstat.reference import territorial_forces


def test_every_force_has_a_group_of_eight() -> None:
    groups = all_groups(None)
    assert len(groups) == 43
    assert (groups["peers"].str.count(",") == 6).all()
    assert groups.set_index("force").loc["avon-and-somerset", "origin"] == PUBLISHED
    assert (groups["origin"] == DERIVED).sum() == 42


def test_derived_groups_are_nearest_neighbours_and_labelled() -> None:
    derived = derived_groups()
    assert set(derived["force"]) == set(territorial_forces())
    assert derived["method"].str.startswith("derived, not official").all()
    london = msg_for(None, "City of London")
    assert london.origin == DERIVED and "city-of-london" not in london.peers


@pytest.mark.parametrize(
    "module",
    ["peelstat.catalogue.parsing", "peelstat.catalogue.loader",
     "peelstat.measures.denominators", "peelstat.measures.compile"],
)  # fmt: skip
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
