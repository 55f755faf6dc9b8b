"""Seeded samples of crimes from the warehouse: reproducible, stratified, honest about gaps."""

from __future__ import annotations

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from peelstat.errors import ValidationError
from peelstat.inspection.sampling import (
    SampleRequest,
    candidate_crimes,
    draw_sample,
    outcome_type_mapping,
)

FORCE = "avon-and-somerset"
VSA = SampleRequest(
    FORCE, "2022-01", "2022-03", seed=2022, outcome_types=("15", "16", "21"), per_stratum=20
)


@pytest.fixture
def candidates(warehouse: BaseBackend, outcome_mapping: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    return candidate_crimes(warehouse, FORCE, "2022-01", "2022-03", outcome_mapping)


def test_candidates_are_the_forces_crimes_once_each(candidates: pd.DataFrame) -> None:
    assert len(candidates) == 240
    assert candidates["record_id"].is_unique
    assert set(candidates["force"]) == {FORCE}
    assert "" not in set(candidates["record_id"])  # anti-social behaviour is not a crime
    assert candidates.loc[candidates["record_id"] == "c0000", "month"].item() == "2022-01"


def test_latest_outcome_comes_from_the_outcomes_table(candidates: pd.DataFrame) -> None:
    by_id = candidates.set_index("record_id")
    assert by_id.loc["c0003", "outcome_category"] == "Suspect charged"
    assert by_id.loc["c0003", "outcome_type"] == "1"
    assert by_id.loc["c0001", "outcome_category"] == "Unable to prosecute suspect"
    assert by_id.loc["c0000", "outcome_type"] == "14/15/16"
    assert by_id.loc["c0002", "outcome_type"] == "18"


def test_period_filter(warehouse: BaseBackend, outcome_mapping: dict[str, tuple[str, ...]]) -> None:
    january = candidate_crimes(warehouse, FORCE, "2022-01", "2022-01", outcome_mapping)
    assert len(january) == 80 and set(january["month"]) == {"2022-01"}


def test_reference_mapping_is_the_default(warehouse: BaseBackend) -> None:
    mapping = outcome_type_mapping()
    assert set(mapping["Unable to prosecute suspect"]) == {"14", "15", "16"}
    frame = candidate_crimes(warehouse, FORCE, "2022-01", "2022-03")
    assert frame.set_index("record_id").loc["c0001", "outcome_type"] == "14/15/16"


def test_victim_service_sample_twenty_per_outcome_type(candidates: pd.DataFrame) -> None:
    drawn = draw_sample(candidates, VSA)
    counts = drawn.records["stratum"].value_counts().to_dict()
    assert counts == {"outcome 15": 20, "outcome 16": 20, "outcome 21": 20}
    assert drawn.records["record_id"].is_unique  # 15 and 16 share a pool: no crime twice
    # c0001 moved from outcome 21 to "Unable to prosecute suspect" in the outcomes file
    assert drawn.populations == {"outcome 15": 61, "outcome 16": 61, "outcome 21": 59}
    assert any("cannot" in w or "may have any" in w for w in drawn.warnings)
    by_stratum = drawn.records.groupby("stratum")["outcome_category"].agg(set).to_dict()
    assert by_stratum["outcome 21"] == {"Further investigation is not in the public interest"}


def test_overlapping_strata_are_flagged_so_results_are_not_weighted(
    candidates: pd.DataFrame,
) -> None:
    drawn = draw_sample(candidates, VSA)  # 15 and 16 come from one police.uk category
    assert drawn.overlapping and drawn.parameters["strata_overlap"] is True
    assert any("not weighted" in w for w in drawn.warnings)
    disjoint = SampleRequest(**{**VSA.__dict__, "outcome_types": ("15", "21")})
    assert draw_sample(candidates, disjoint).parameters["strata_overlap"] is False


def test_same_seed_same_sample_other_seed_other_sample(candidates: pd.DataFrame) -> None:
    first = draw_sample(candidates, VSA).records
    shuffled = candidates.sample(frac=1, random_state=7)
    again = draw_sample(shuffled, VSA).records
    pd.testing.assert_frame_equal(first, again)
    other = draw_sample(candidates, SampleRequest(**{**VSA.__dict__, "seed": 1})).records
    assert set(first["record_id"]) != set(other["record_id"])


def test_checksum_identifies_the_pool(candidates: pd.DataFrame) -> None:
    drawn = draw_sample(candidates, VSA)
    assert drawn.pool_checksum == draw_sample(candidates.iloc[::-1], VSA).pool_checksum
    assert drawn.pool_checksum != draw_sample(candidates.iloc[1:], VSA).pool_checksum


def test_simple_random_sample_by_crime_type(candidates: pd.DataFrame) -> None:
    request = SampleRequest(FORCE, "2022-01", "2022-03", 5, crime_types=("Burglary",), size=30)
    drawn = draw_sample(candidates, request)
    assert len(drawn.records) == 30 and set(drawn.records["crime_type"]) == {"Burglary"}
    assert drawn.populations == {"all": 80}


def test_strata_by_crime_type(candidates: pd.DataFrame) -> None:
    request = SampleRequest(
        FORCE, "2022-01", "2022-03", 5, crime_types=("Burglary", "Shoplifting"), per_stratum=10
    )
    drawn = draw_sample(candidates, request)
    assert drawn.records["stratum"].value_counts().to_dict() == {"Burglary": 10, "Shoplifting": 10}


def test_small_pool_takes_everything_and_says_so(candidates: pd.DataFrame) -> None:
    request = SampleRequest(FORCE, "2022-01", "2022-03", 1, outcome_types=("21",), per_stratum=99)
    drawn = draw_sample(candidates, request)
    assert len(drawn.records) == 59
    assert "only 59 crimes to draw 99 from" in " ".join(drawn.warnings)


def test_bad_request_lists_every_problem(candidates: pd.DataFrame) -> None:
    request = SampleRequest(FORCE, "2022-05", "2022-03", 1, per_stratum=-1)
    with pytest.raises(ValidationError) as caught:
        draw_sample(candidates, request)
    assert len(caught.value.problems) == 3


def test_unknown_crime_type_is_refused_naming_the_known_ones(candidates: pd.DataFrame) -> None:
    request = SampleRequest(FORCE, "2022-01", "2022-03", 5, crime_types=("burglary",), size=5)
    with pytest.raises(ValidationError, match="'burglary'") as caught:
        draw_sample(candidates, request)
    assert "Burglary, Shoplifting, Violence and sexual offences" in str(caught.value)


def test_period_without_crimes_says_what_to_load(warehouse: BaseBackend) -> None:
    with pytest.raises(ValidationError, match="peelstat load police-uk"):
        candidate_crimes(warehouse, FORCE, "2030-01", "2030-03")
