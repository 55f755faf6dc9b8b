"""Crime data integrity estimates: reproduce HMICFRS's published figures from their inputs."""

from __future__ import annotations

import doctest
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstat.errors import ValidationError
from peelstat.stats import audit
from peelstat.stats.audit import (
    compare_audits,
    recording_rate,
    round_down_like_hmicfrs,
    unrecorded_estimate,
)
from peelstat.stats.intervals import wald_interval

# Published (rate, margin, "more than N" unrecorded) for one force's crime data integrity audit.
PUBLISHED = {
    "all crime excluding fraud": (0.914, 0.026, 13_100),
    "violence against the person": (0.866, 0.046, 8_300),
    "sexual offences": (0.929, 0.045, 420),
}


def implied_recorded(rate: float, unrecorded: int) -> tuple[float, float]:
    """Recorded crimes consistent with a rate printed to 0.1 points and 'more than N' unrecorded.

    The true rate lies in [rate − 0.0005, rate + 0.0005); "more than N" means the estimate lies
    in [N, N + step), step 100 from 1,000 and 10 below. recorded = unrecorded × rate / (1 − rate),
    which rises with both, so the corners give the range.
    """
    step = 100 if unrecorded >= 1000 else 10
    low_rate, high_rate = rate - 0.0005, rate + 0.0005
    return (
        unrecorded * low_rate / (1 - low_rate),
        (unrecorded + step) * high_rate / (1 - high_rate),
    )


def test_doctests() -> None:
    assert doctest.testmod(audit).failed == 0


def test_back_solved_recorded_counts_are_consistent() -> None:
    """The published figures imply these 12-month recorded crime counts (documented here):

    all crime excl. fraud 138,345 – 141,186; violence 53,410 – 54,521; sexual 5,454 – 5,669.
    Violence and sexual offences are parts of all crime, so together they must fit inside it,
    and their unrecorded crimes must be fewer than the total's.
    """
    ranges = {name: implied_recorded(rate, n) for name, (rate, _, n) in PUBLISHED.items()}
    assert [round(v) for v in ranges["all crime excluding fraud"]] == [138_345, 141_186]
    assert [round(v) for v in ranges["violence against the person"]] == [53_410, 54_521]
    assert [round(v) for v in ranges["sexual offences"]] == [5_454, 5_669]
    parts_max = ranges["violence against the person"][1] + ranges["sexual offences"][1]
    assert parts_max < ranges["all crime excluding fraud"][0]
    assert 8_300 + 420 < 13_100


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_published_unrecorded_figures_reproduce(name: str) -> None:
    """From a recorded count in the implied range, the estimate prints as published."""
    rate, margin, published = PUBLISHED[name]
    low, high = implied_recorded(rate, published)
    recorded = math.ceil((low + high) / 2)
    result = unrecorded_estimate(recorded, rate, margin)
    assert result.published == published
    assert result.lower < result.unrecorded < result.upper
    assert result.lower == pytest.approx(recorded * (1 / (rate + margin) - 1))
    assert result.upper == pytest.approx(recorded * (1 / (rate - margin) - 1))


def test_all_crime_example_text() -> None:
    result = unrecorded_estimate(139_300, 0.914, 0.026)
    assert result.published == 13_100
    assert round(result.lower, -2) == 8_900 and round(result.upper, -2) == 17_600
    assert "more than 13,100" in result.describe()


def test_published_margins_imply_plausible_effective_samples() -> None:
    """± 2.6 at 91.4% is what a simple random sample of ~447 records would give."""
    n = 447
    assert round(100 * wald_interval(round(0.914 * n), n).margin, 1) == 2.6


def test_rate_plus_margin_above_one_means_possibly_none_missed() -> None:
    result = unrecorded_estimate(1000, 0.98, 0.03)
    assert result.lower == 0


def test_bad_inputs_list_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        unrecorded_estimate(-1, 1.2, 2.0)
    assert len(caught.value.problems) == 3


@settings(deadline=None)
@given(
    st.integers(0, 500_000),
    st.floats(0.5, 0.999),
    st.floats(0.0, 0.2),
)
def test_unrecorded_interval_brackets_estimate(recorded: int, rate: float, margin: float) -> None:
    margin = min(margin, rate / 2)
    result = unrecorded_estimate(recorded, rate, margin)
    assert 0 <= result.lower <= result.unrecorded <= result.upper


def test_recording_rate_is_named_interval() -> None:
    assert recording_rate(457, 500).method == "wald"
    assert recording_rate(457, 500, method="wilson").method == "wilson"


@pytest.mark.parametrize(("value", "expected"), [(13_187.2, 13_100), (424.9, 420), (999, 990)])
def test_round_down_like_hmicfrs(value: float, expected: int) -> None:
    assert round_down_like_hmicfrs(value) == expected


def test_stop_and_search_2019_to_2022_is_not_significant() -> None:
    """86.5% ± 4.3 (2019) to 87.4% ± 4.8 (2022): every 2019 sample that prints as published
    gives a change well within chance."""
    fits_2019 = [
        (x, n)
        for n in range(150, 400)
        for x in range(n + 1)
        if f"{100 * x / n:.1f}" == "86.5" and f"{100 * wald_interval(x, n).margin:.1f}" == "4.3"
    ]
    assert fits_2019
    for x, n in fits_2019:
        result = compare_audits(x, n, 159, 182)
        assert not result.significant
        assert result.lower < 0 < result.upper
        assert "not a significant change" in result.describe()


def test_large_change_is_significant_and_matches_statsmodels() -> None:
    from statsmodels.stats.proportion import proportions_ztest

    result = compare_audits(120, 200, 170, 200)
    z, p = proportions_ztest([170, 120], [200, 200])
    assert result.z == pytest.approx(z) and result.p_value == pytest.approx(p)
    assert result.significant and result.difference == pytest.approx(0.25)


def test_identical_perfect_audits_do_not_divide_by_zero() -> None:
    result = compare_audits(50, 50, 80, 80)
    assert result.p_value == 1.0 and not result.significant
