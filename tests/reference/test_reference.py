from __future__ import annotations

import pandas as pd
import pytest

from peelstat.errors import UnknownForceError
from peelstat.reference import (
    force_name,
    forces,
    offence_codes,
    outcome_types,
    police_uk_outcome_types,
    population,
    resolve_force,
    territorial_forces,
)


def test_43_territorial_forces_of_england_and_wales() -> None:
    assert len(territorial_forces()) == 43
    assert "btp" not in territorial_forces()
    assert set(forces()["country"][forces()["territorial"]]) == {"England", "Wales"}


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Avon and Somerset Constabulary", "avon-and-somerset"),  # police.uk
        ("Avon and Somerset", "avon-and-somerset"),  # Home Office
        ("Avon & Somerset", "avon-and-somerset"),  # Census 2011 tables
        ("Devon & Cornwall Police", "devon-and-cornwall"),  # police.uk
        ("Devon & Cornwall", "devon-and-cornwall"),  # ONS 2023
        ("Devon and Cornwall", "devon-and-cornwall"),
        ("London, City of", "city-of-london"),  # PRC table
        ("City of London Police", "city-of-london"),
        ("Metropolitan Police Service", "metropolitan"),
        ("Metropolitan Police", "metropolitan"),
        ("E23000036", "avon-and-somerset"),  # ONS code
        ("W15000004", "dyfed-powys"),
        ("dyfed-powys", "dyfed-powys"),
        ("  ESSEX POLICE ", "essex"),
    ],
)
def test_every_source_spelling_resolves(spelling: str, slug: str) -> None:
    assert resolve_force(spelling) == slug


def test_every_reference_name_resolves_to_its_own_slug() -> None:
    for row in forces().itertuples():
        for spelling in (row.name, row.police_uk_name, row.home_office_name):
            if isinstance(spelling, str) and spelling:
                assert resolve_force(spelling) == row.slug


def test_unknown_force_lists_nearest_names() -> None:
    with pytest.raises(UnknownForceError) as caught:
        resolve_force("Avon and Somersett")
    assert caught.value.suggestions == ["Avon and Somerset"]
    assert "Did you mean: Avon and Somerset?" in str(caught.value)


def test_names_for_display() -> None:
    assert force_name("avon-and-somerset") == "Avon and Somerset"
    assert force_name("england-and-wales") == "England and Wales"


def test_population_covers_every_territorial_force_every_year() -> None:
    table = population()
    assert set(table["force"]) == set(territorial_forces())
    assert (
        table.groupby("force")["year"].apply(lambda y: sorted(y) == list(range(2011, 2024))).all()
    )
    assert (table["residents"] > 0).all()


def test_outcome_types_and_police_uk_categories_line_up() -> None:
    types = set(outcome_types()["outcome_type"]) | {"0"}
    mapped = police_uk_outcome_types()
    assert set(mapped["outcome_type"]) <= types
    assert not mapped.duplicated(["police_uk_category", "outcome_type"]).any()


def test_offence_codes_have_groups_and_crime_types() -> None:
    codes = offence_codes()
    assert codes["offence_code"].is_unique
    assert not codes[["offence_group", "police_uk_crime_type"]].isna().any().any()
    assert isinstance(codes, pd.DataFrame)


@pytest.mark.parametrize(
    ("part", "suggested"),
    [
        ("avon", "Avon and Somerset"),
        ("manchester", "Greater Manchester"),
        ("yorkshire", "North Yorkshire"),
    ],
)
def test_part_of_a_force_name_suggests_the_forces_it_belongs_to(part: str, suggested: str) -> None:
    with pytest.raises(UnknownForceError) as caught:
        resolve_force(part)
    assert suggested in caught.value.suggestions
    assert "Did you mean: " in str(caught.value)
