"""Every kind of measure against a hand count in pandas, on DuckDB and on Spark (a local
session, and a Spark Connect server reading the Parquet lake exported from DuckDB).

Spark adds ~20 s per session and several seconds per query, so only a focused set takes the
``backend`` fixture (police.uk monthly counts, the rolling-year table with its definition
change, stop and search ratios with intervals); the parity tests then compare whole frames
for every source type and unit (local session) and for the whole catalogue (Spark Connect).

Hand counts filter the raw frames with plain pandas (no peelstat filter code), sum the
months or quarters in the window and divide by the reference mid-year population.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from ibis.backends import BaseBackend

from peelstat.measures.compile import compute_measures
from peelstat.reference import NATIONAL, ethnicity_census2011, population, territorial_forces

FORCES = ["avon-and-somerset", "dorset", "kent"]


def residents(force: str, year: int) -> float:
    table = population()
    return float(table[(table.force == force) & (table.year == year)].residents.iloc[0])


def in_window(months: pd.Series, end: str, count: int = 12) -> pd.Series:
    last = pd.Period(end, "M")
    periods = pd.to_datetime(months).dt.to_period("M")
    return (periods > last - count) & (periods <= last)


def row(frame: pd.DataFrame, measure: str, force: str, end: str) -> pd.Series:
    hit = frame[
        (frame.measure == measure)
        & (frame.force == force)
        & (frame.period_end == pd.Period(end, "M").end_time.normalize())
    ]
    assert len(hit) == 1, (measure, force, end)
    return hit.iloc[0]


def test_street_crime_rate_equals_hand_count(backend: BaseBackend, tables) -> None:
    frame = compute_measures(backend, "police_uk_burglary", start="2018-06", forces=FORCES)
    street = tables["police_uk_street"]
    for force in ("avon-and-somerset", "kent"):
        rows = street[(street.force == force) & (street.crime_type == "Burglary")]
        count = in_window(rows.month, "2018-06").sum()
        got = row(frame, "police_uk_burglary", force, "2018-06")
        assert got.numerator == count
        assert got.denominator == residents(force, 2018)
        assert got.value == pytest.approx(count / residents(force, 2018) * 1000)


def test_anti_social_behaviour_kept_out_of_crime(duckdb_backend: BaseBackend, tables) -> None:
    ids = ["police_uk_all_crime", "anti_social_behaviour"]
    frame = compute_measures(duckdb_backend, ids, start="2018-06", forces=["kent"])
    street = tables["police_uk_street"]
    kent = street[(street.force == "kent") & in_window(street.month, "2018-06")]
    assert (
        row(frame, "anti_social_behaviour", "kent", "2018-06").numerator
        == (kent.crime_type == "Anti-social behaviour").sum()
    )
    assert (
        row(frame, "police_uk_all_crime", "kent", "2018-06").numerator
        == kent.crime_id.notna().sum()
    )


def test_missing_month_empties_the_window_and_the_national_row(duckdb_backend: BaseBackend) -> None:
    frame = compute_measures(duckdb_backend, "police_uk_robbery", start="2018-02", end="2018-04")
    assert not np.isnan(row(frame, "police_uk_robbery", "dorset", "2018-02").numerator)
    short = row(frame, "police_uk_robbery", "dorset", "2018-03")
    assert np.isnan(short.numerator) and np.isnan(short.value)
    assert short.periods_covered == 11
    national = row(frame, "police_uk_robbery", NATIONAL, "2018-03")
    assert np.isnan(national.value)
    assert "complete for 42" in national.denominator_note


def test_national_row_is_the_43_territorial_forces(duckdb_backend: BaseBackend, tables) -> None:
    frame = compute_measures(duckdb_backend, "homicide", start="2018-03", forces=["kent"])
    crime = tables["recorded_crime"]
    ends = pd.to_datetime(crime.period_end)
    window = crime[
        (crime.offence_code == "1/4.1/4.10/4.2")
        & (ends > "2017-03-31")
        & (ends <= "2018-03-31")
        & crime.force.isin(territorial_forces())
    ]
    people = population()
    people = people[(people.year == 2017) & people.force.isin(territorial_forces())].residents.sum()
    national = row(frame, "homicide", NATIONAL, "2018-03")
    assert national.numerator == window.offences.sum()
    assert national.value == pytest.approx(window.offences.sum() / people * 1000)
    assert set(frame.force) == {"kent", NATIONAL}


def test_residential_burglary_follows_the_2017_definition_change(
    duckdb_backend: BaseBackend, tables
) -> None:
    frame = compute_measures(
        duckdb_backend, "residential_burglary", start="2017-06", end="2018-03", forces=["kent"]
    )
    crime = tables["recorded_crime"]
    crime = crime[crime.force == "kent"].assign(end=pd.to_datetime(crime.period_end))
    old = crime.offence_code.isin(["28A", "28B", "28C", "28D", "29"]) & (crime.end < "2017-04-01")
    new = crime.offence_code.isin(["28E", "28F", "28G", "28H", "29A"]) & (crime.end >= "2017-04-01")
    households = round(residents("kent", 2017) * 0.42)
    for end, note in (("2017-06", "spans"), ("2017-12", "spans"), ("2018-03", None)):
        last = pd.Period(end, "M").end_time
        in_window_ = (crime.end > last - pd.DateOffset(months=12)) & (crime.end <= last)
        expected = crime[in_window_ & (old | new)].offences.sum()
        got = row(frame, "residential_burglary", "kent", end)
        assert got.numerator == expected > 0
        if note:
            assert note in got.definition_note
        else:
            assert pd.isna(got.definition_note)
    assert row(frame, "residential_burglary", "kent", "2018-03").denominator == households


def test_rolling_table_adds_domestic_and_residential_burglary(backend: BaseBackend, tables) -> None:
    ids = ["residential_burglary_rolling", "all_crime_excluding_fraud_rolling"]
    frame = compute_measures(backend, ids, start="2016-12", end="2017-06", forces=["kent"])
    before = row(frame, "residential_burglary_rolling", "kent", "2016-12")
    assert before.numerator > 0 and "earlier definition" in before.definition_note
    rolling = tables["recorded_crime_rolling"]
    kent = rolling[(rolling.force == "kent") & (pd.to_datetime(rolling.period_end) == "2017-06-30")]
    burglary = kent[kent.offence.isin(["Domestic burglary", "Residential burglary"])]
    got = row(frame, "residential_burglary_rolling", "kent", "2017-06")
    assert got.numerator == burglary.offences_12m.sum()
    assert (burglary.offences_12m > 0).all()  # both halves present in the switch-over window
    assert "spans the definition change" in got.definition_note
    assert row(frame, "all_crime_excluding_fraud_rolling", "kent", "2017-06").numerator == (
        kent.offences_12m.sum()
    )


def test_charge_rate_from_crime_outcomes(duckdb_backend: BaseBackend, tables) -> None:
    frame = compute_measures(
        duckdb_backend, ["charge_rate", "rape_charge_rate"], start="2018-06", forces=["kent"]
    )
    out = tables["crime_outcomes"]
    ends = pd.to_datetime(out.period_end)
    kent = out[(out.force == "kent") & (ends > "2017-06-30") & (ends <= "2018-06-30")]
    no_fraud = kent[kent.offence_group != "Fraud offences"]
    charged = no_fraud[no_fraud.outcome_type == "1"].outcomes_recorded_in_quarter.sum()
    got = row(frame, "charge_rate", "kent", "2018-06")
    assert (got.numerator, got.denominator) == (
        charged,
        no_fraud.outcomes_recorded_in_quarter.sum(),
    )
    rape = kent[kent.offence_code == "19C"]
    got = row(frame, "rape_charge_rate", "kent", "2018-06")
    expected = rape[rape.outcome_type == "1"].outcomes_recorded_in_quarter.sum()
    assert got.value == pytest.approx(100 * expected / rape.outcomes_recorded_in_quarter.sum())


def test_stop_search_rates_and_disparity_interval(backend: BaseBackend, tables) -> None:
    ids = ["stop_search_arrest_rate", "stop_search_find_rate", "stop_search_disparity_black"]
    frame = compute_measures(backend, ids, start="2018-06", forces=["kent"])
    ss = tables["police_uk_stop_search"]
    kent = ss[(ss.force == "kent") & in_window(ss.month, "2018-06")]
    assert row(frame, "stop_search_arrest_rate", "kent", "2018-06").value == pytest.approx(
        100 * (kent.outcome == "Arrest").sum() / len(kent)
    )
    assert row(frame, "stop_search_find_rate", "kent", "2018-06").value == pytest.approx(
        100 * (kent.outcome_linked_to_object_of_search == True).sum() / len(kent)  # noqa: E712
    )
    census = ethnicity_census2011().set_index(["force", "ethnic_group"]).residents
    black = (kent.officer_defined_ethnicity == "Black").sum()
    white = (kent.officer_defined_ethnicity == "White").sum()
    ratio = (black / census["kent", "Black (or Black British)"]) / (white / census["kent", "White"])
    half_width = 1.959964 * np.sqrt(1 / black + 1 / white)
    got = row(frame, "stop_search_disparity_black", "kent", "2018-06")
    assert got.value == pytest.approx(ratio)
    assert got.lower == pytest.approx(ratio * np.exp(-half_width))
    assert got.upper == pytest.approx(ratio * np.exp(half_width))


def test_calls_answered_within_10_seconds(duckdb_backend: BaseBackend, tables) -> None:
    frame = compute_measures(
        duckdb_backend, "calls_answered_within_10s", start="2018-06", forces=["kent"]
    )
    calls = tables["call_answering"]
    kent = calls[(calls.force == "kent") & in_window(calls.month, "2018-06")]
    got = row(frame, "calls_answered_within_10s", "kent", "2018-06")
    assert got.value == pytest.approx(
        100 * kent.answered_within_10s.sum() / kent.calls_presented.sum()
    )


def test_police_uk_outcomes_count_each_crime_once(duckdb_backend: BaseBackend, tables) -> None:
    frame = compute_measures(
        duckdb_backend, "police_uk_suspects_charged", start="2018-06", forces=["kent"]
    )
    events = tables["police_uk_outcomes"]
    kent = events[(events.force == "kent") & (events.outcome_category == "Suspect charged")]
    kent = kent[in_window(kent.month, "2018-06")]
    expected = kent.groupby("month").crime_id.nunique().sum()
    assert len(kent) > expected  # the fixture repeats crime IDs
    assert row(frame, "police_uk_suspects_charged", "kent", "2018-06").numerator == expected


def test_population_year_is_the_mid_year_inside_the_window(duckdb_backend: BaseBackend) -> None:
    frame = compute_measures(
        duckdb_backend, "police_uk_drugs", start="2018-05", end="2018-06", forces=["kent"]
    )
    assert row(frame, "police_uk_drugs", "kent", "2018-05").denominator == residents("kent", 2017)
    assert row(frame, "police_uk_drugs", "kent", "2018-06").denominator == residents("kent", 2018)


PARITY_MEASURES = [
    "police_uk_all_crime",
    "police_uk_charged_share",
    "police_uk_suspects_charged",
    "stop_search_rate_black",
    "stop_search_disparity_black",
    "stop_search_find_rate",
    "residential_burglary",
    "neighbourhood_crime",
    "all_crime_excluding_fraud",
    "residential_burglary_rolling",
    "charge_rate",
    "calls_answered_within_10s",
]


@pytest.mark.spark
def test_duckdb_and_spark_give_identical_frames(duckdb_backend, spark_backend) -> None:
    """Every source type and unit, every force and the national row, on both engines."""
    kwargs = {"start": "2017-06", "end": "2018-12"}
    duck = compute_measures(duckdb_backend, PARITY_MEASURES, **kwargs)
    spark = compute_measures(spark_backend, PARITY_MEASURES, **kwargs)
    assert len(duck) > 1000
    pd.testing.assert_frame_equal(duck, spark, check_exact=False, rtol=1e-9, check_dtype=False)


@pytest.mark.spark
def test_every_measure_is_identical_through_spark_connect(
    duckdb_backend, spark_connect_backend
) -> None:
    """The whole catalogue, every force and month, DuckDB against the cluster reading the lake
    exported from the same warehouse (so the export is checked too)."""
    kwargs = {"start": "2017-06", "end": "2018-12", "use_cache": False}
    duck = compute_measures(duckdb_backend, **kwargs)
    remote = compute_measures(spark_connect_backend, **kwargs)
    assert duck.measure.nunique() > 50 and len(duck) > 20_000
    pd.testing.assert_frame_equal(duck, remote, check_exact=False, rtol=1e-9, check_dtype=False)


def test_output_period_ends_are_month_or_quarter_ends(duckdb_backend: BaseBackend) -> None:
    frame = compute_measures(
        duckdb_backend, ["homicide", "police_uk_drugs"], start="2018-01", end="2018-06"
    )
    quarterly = frame[frame.measure == "homicide"].period_end.dt.date.unique()
    assert sorted(quarterly) == [dt.date(2018, 3, 31), dt.date(2018, 6, 30)]
    assert frame[frame.measure == "police_uk_drugs"].period_end.nunique() == 6
