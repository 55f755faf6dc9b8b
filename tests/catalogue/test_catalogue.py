"""The catalogue: built-ins cover the performance report, declarations are validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelstat.catalogue.loader import load_catalogue, parse_file
from peelstat.errors import CatalogueError
from peelstat.reference import offence_codes

REQUIRED = [
    "homicide", "serious_violence", "drug_trafficking", "possession_of_weapons",
    "residential_burglary", "vehicle_offences", "personal_robbery", "theft_from_the_person",
    "neighbourhood_crime", "violence_and_sexual_offences", "rape", "all_crime_excluding_fraud",
    "anti_social_behaviour", "charge_rate", "rape_charge_rate", "outcome_14_share",
    "outcome_15_share", "outcome_16_share", "outcome_18_share", "outcome_21_share",
    "outcome_22_share", "outcome_not_yet_assigned_share", "stop_search_arrest_rate",
    "stop_search_find_rate", "stop_search_rate_black", "stop_search_disparity_black",
    "calls_answered_within_10s",
]  # fmt: skip
POLICE_UK_TYPES = [
    "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences",
]  # fmt: skip


def test_builtins_cover_the_performance_report() -> None:
    catalogue = load_catalogue()
    assert set(REQUIRED) <= set(catalogue.ids())
    assert all(m.notes for m in catalogue), "every measure says what it counts and why"


def test_every_police_uk_crime_type_has_a_measure() -> None:
    covered = {
        value
        for m in load_catalogue()
        if m.source == "police_uk_street"
        for column, values in m.numerator.include
        if column == "crime_type"
        for value in values
    }
    assert set(POLICE_UK_TYPES) <= covered


def test_proactive_measures_rank_higher_as_better() -> None:
    catalogue = load_catalogue()
    for measure in ("drug_trafficking", "possession_of_weapons", "police_uk_drugs"):
        assert catalogue[measure].lower_is_better is False
    assert catalogue["personal_robbery"].lower_is_better is True


def test_home_office_codes_exist_in_the_reference() -> None:
    known = set(offence_codes()["offence_code"])
    for m in load_catalogue():
        if m.source in ("recorded_crime", "crime_outcomes"):
            filters = [m.numerator, *(c.before for c in m.definition_changes)]
            for f in filters:
                for column, values in f.include:
                    if column == "offence_code":
                        assert set(values) <= known, m.id


def test_windows_and_units() -> None:
    catalogue = load_catalogue()
    assert catalogue["homicide"].window_periods == 4  # 4 quarters
    assert catalogue["police_uk_burglary"].window_periods == 12
    assert catalogue["residential_burglary_rolling"].window_periods == 1  # already 12 months
    assert catalogue["residential_burglary"].denominator.kind == "households"
    assert catalogue["stop_search_disparity_black"].source == "police_uk_stop_search"


def test_errors_name_file_measure_and_field() -> None:
    text = """
measures:
  - id: thefts
    title: Thefts
    source: police_uk_street
    numerator: {crime_typo: [Burglary]}
    unit: per_1000_residents
    lower_is_better: maybe
"""
    with pytest.raises(CatalogueError) as caught:
        parse_file(text, "mine.yaml")
    message = str(caught.value)
    assert "mine.yaml" in message and "2 problems" in message
    assert "measure 'thefts', field 'numerator.crime_typo'" in message
    assert "field 'lower_is_better'" in message


def test_single_problem_is_one_error_with_its_field() -> None:
    text = (
        "measures:\n  - {id: x, title: X, source: nowhere, unit: percent, lower_is_better: true}\n"
    )
    with pytest.raises(CatalogueError) as caught:
        parse_file(text, "one.yaml")
    assert (caught.value.file, caught.value.measure, caught.value.field_name) == (
        "one.yaml", "x", "source"
    )  # fmt: skip


def test_user_file_adds_local_measures_and_overrides(tmp_path: Path) -> None:
    mine = tmp_path / "local.yaml"
    mine.write_text(
        """
measures:
  - id: victim_satisfaction
    title: Victims satisfied with the whole experience
    source: local_observations
    grain: month
    unit: percent
    lower_is_better: false
    priority: victim satisfaction
    notes: Force survey export.
  - id: homicide
    title: Homicide (our definition)
    source: recorded_crime
    numerator: {offence_codes: ["1/4.1/4.10/4.2", "2"]}
    unit: per_1000_residents
    lower_is_better: true
    notes: Adds attempted murder.
"""
    )
    catalogue = load_catalogue([mine])
    local = catalogue["victim_satisfaction"]
    assert local.numerator.include == (("measure", ("victim_satisfaction",)),)
    assert local.denominator.records is not None
    assert local.denominator.records.sum_column == "denominator"
    assert catalogue["homicide"].title == "Homicide (our definition)"


def test_unknown_reference_in_sum_of(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "measures:\n  - {id: y, title: Y, source: recorded_crime, unit: per_1000_residents,"
        " lower_is_better: true, numerator: {sum_of: [nothing]}}\n"
    )
    with pytest.raises(CatalogueError, match=r"numerator\.sum_of"):
        load_catalogue([bad])


def test_measures_are_frozen() -> None:
    m = load_catalogue()["homicide"]
    with pytest.raises(AttributeError):
        m.title = "changed"  # type: ignore[misc]


def test_every_builtin_measure_and_command_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "measures.md").read_text()
    missing = [m.id for m in load_catalogue() if f"`{m.id}`" not in docs]
    assert not missing, f"document these measures in docs/measures.md: {missing}"
    for command in (
        "peelstat measures",
        "peelstat benchmark",
        "peelstat msg show",
        "peelstat msg set",
    ):
        assert command in docs


def test_a_local_measure_without_a_filter_keeps_the_rest_of_its_numerator() -> None:
    text = (
        "measures:\n  - {id: officers_trained, title: Officers trained, source: local_observations,"
        " unit: count, lower_is_better: false, numerator: {count_distinct: force}}\n"
    )
    (m,) = parse_file(text, "mine.yaml")
    assert m.numerator.include == (("measure", ("officers_trained",)),)
    assert m.numerator.count_distinct == "force"
