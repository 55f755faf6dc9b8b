from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from peelstat.stats import benchmark
from peelstat.stats.benchmark import (
    MEAN_OF_FORCE_RATES,
    POOLED_RATE,
    msg_average,
    msg_position,
    msg_rank,
    national_rank,
    national_rate,
    ordinal,
    position_against,
    rank_by_polarity,
)

MSG = ["b", "c", "d", "e", "f", "g", "h"]


def one_period(
    values: dict[str, float], denominators: dict[str, float] | None = None
) -> pd.DataFrame:
    """Measure-frame rows for one measure at one period; value = 1000 × numerator / denominator."""
    denominators = denominators or dict.fromkeys(values, 1000.0)
    forces = list(values)
    denominator = np.array([denominators[f] for f in forces])
    return pd.DataFrame(
        {
            "measure": "burglary",
            "force": forces,
            "period_end": pd.Timestamp("2024-03-31"),
            "numerator": np.array([values[f] for f in forces]) * denominator / 1000,
            "denominator": denominator,
            "value": [values[f] for f in forces],
        }
    )


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (43, "43rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinal_suffixes(number: int, expected: str) -> None:
    assert ordinal(number) == expected


def test_rank_by_polarity_hand_example_with_ties_taking_the_best_rank() -> None:
    values = pd.Series([5.0, 2.0, 9.0, 2.0], index=list("abcd"))
    assert rank_by_polarity(values, lower_is_better=True).tolist() == [3, 1, 4, 1]
    assert rank_by_polarity(values, lower_is_better=False).tolist() == [2, 3, 1, 3]


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=50), st.booleans())
def test_rank_matches_scipy_and_is_a_permutation_for_distinct_values(
    values: list[float], lower_is_better: bool
) -> None:
    ranks = rank_by_polarity(pd.Series(values), lower_is_better)
    signed = np.array(values) * (1 if lower_is_better else -1)
    assert ranks.tolist() == stats.rankdata(signed, method="min").astype(int).tolist()
    if len(set(values)) == len(values):
        assert sorted(ranks.tolist()) == list(range(1, len(values) + 1))


def test_msg_rank_counts_the_force_itself() -> None:
    values = dict(zip(["a", *MSG], [6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 8.0], strict=True))
    rank = msg_rank(one_period(values | {"z": 0.5}), "a", MSG, lower_is_better=True)
    assert (rank.rank, rank.n, rank.label, rank.missing) == (6, 8, "6th/8", ())


def test_proactive_measures_rank_the_highest_rate_first() -> None:
    drug_trafficking = one_period({"a": 0.9, "b": 0.4, "c": 0.6})
    assert msg_rank(drug_trafficking, "a", ["b", "c"], lower_is_better=False).label == "1st/3"
    assert msg_rank(drug_trafficking, "b", ["a", "c"], lower_is_better=False).label == "3rd/3"


def test_members_without_a_value_are_left_out_and_named() -> None:
    frame = one_period({"a": 2.0, "b": 1.0, "c": np.nan})
    rank = msg_rank(frame, "a", ["b", "c", "d"], lower_is_better=True)
    # the label names who is missing, wherever the rank is shown (issue 10, item 4)
    expected = (2, 2, "2nd/2 (no value for c, d)", ("c", "d"))
    assert (rank.rank, rank.n, rank.label, rank.missing) == expected
    unranked = msg_rank(frame, "c", ["a", "b"], lower_is_better=True)
    assert (unranked.rank, unranked.n, unranked.label) == (None, 2, "not ranked/2")
    hampshire = msg_rank(
        one_period({"kent": 2.0, "sussex": 1.0}), "kent", ["sussex", "hampshire"], True
    )
    assert hampshire.label == "2nd/2 (no value for Hampshire)"


def test_national_rank_and_rate_leave_out_the_england_and_wales_row() -> None:
    frame = one_period(
        {"a": 4.0, "b": 2.0, "c": 8.0, "england-and-wales": 1.0},
        {"a": 1000.0, "b": 3000.0, "c": 500.0, "england-and-wales": 4500.0},
    )
    rank = national_rank(frame, "a", lower_is_better=True)
    assert (rank.rank, rank.n, rank.label) == (2, 3, "2nd/3")
    # numerators 4 + 6 + 4 = 14 over 4,500 residents
    assert national_rate(frame) == pytest.approx(14 / 4500 * 1000, rel=1e-12)


def test_msg_average_both_ways_against_hand_sums() -> None:
    frame = one_period({"a": 10.0, "b": 20.0, "c": 60.0}, {"a": 1000.0, "b": 3000.0, "c": 500.0})
    average = msg_average(frame, "a", ["b", "c"])
    assert average.mean_of_force_rates == pytest.approx(30.0, rel=1e-12)
    # numerators 10 + 60 + 30 = 100 over 4,500
    assert average.pooled_rate == pytest.approx(100 / 4500 * 1000, rel=1e-12)
    assert average.n == 3
    assert average.labelled() == {MEAN_OF_FORCE_RATES: 30.0, POOLED_RATE: average.pooled_rate}


@settings(max_examples=40)
@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 2_000_000)), min_size=2, max_size=12)
)
def test_pooled_rate_is_total_numerator_over_total_denominator(
    counts: list[tuple[int, int]],
) -> None:
    forces = [f"force-{i}" for i in range(len(counts))]
    frame = pd.DataFrame(
        {
            "force": forces,
            "numerator": [float(n) for n, _ in counts],
            "denominator": [float(d) for _, d in counts],
        }
    ).assign(value=lambda f: 1000 * f["numerator"] / f["denominator"])
    expected = 1000 * sum(n for n, _ in counts) / sum(d for _, d in counts)
    assert national_rate(frame) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert msg_average(frame, forces[0], forces[1:]).pooled_rate == pytest.approx(
        expected, rel=1e-9, abs=1e-12
    )


@pytest.mark.parametrize(
    ("value", "tolerance", "expected"),
    [
        (10.5, 0.05, "similar to MSG average"),
        (9.5, 0.05, "similar to MSG average"),
        (10.51, 0.05, "above MSG average"),
        (9.49, 0.05, "below MSG average"),
        (10.8, 0.10, "similar to MSG average"),
        (np.nan, 0.05, "not compared"),
    ],
)
def test_position_against_uses_a_relative_tolerance(
    value: float, tolerance: float, expected: str
) -> None:
    assert position_against(value, 10.0, tolerance) == expected


def test_a_zero_average_is_only_similar_to_zero() -> None:
    assert position_against(0.0, 0.0) == "similar to MSG average"
    assert position_against(0.1, 0.0) == "above MSG average"


def test_msg_position_compares_with_the_mean_of_force_rates_including_the_force() -> None:
    # mean of 12, 9, 9 is 10: 12 is 20% above; mean of 10.2, 10, 10 is 10.07: similar
    assert msg_position(one_period({"a": 12.0, "b": 9.0, "c": 9.0}), "a", ["b", "c"]) == (
        "above MSG average"
    )
    assert msg_position(one_period({"a": 10.2, "b": 10.0, "c": 10.0}), "a", ["b", "c"]) == (
        "similar to MSG average"
    )


def test_mixed_periods_or_repeated_forces_are_refused() -> None:
    frame = one_period({"a": 1.0, "b": 2.0})
    frame.loc[1, "period_end"] = pd.Timestamp("2024-06-30")
    with pytest.raises(ValueError, match="one period_end at a time"):
        national_rank(frame, "a", lower_is_better=True)
    repeated = pd.concat([one_period({"a": 1.0}), one_period({"a": 2.0})])
    with pytest.raises(ValueError, match="one row per force"):
        msg_rank(repeated, "a", [], lower_is_better=True)


def test_doctests() -> None:
    result = doctest.testmod(benchmark)
    assert result.attempted > 0
    assert result.failed == 0
