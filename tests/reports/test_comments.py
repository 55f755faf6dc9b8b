"""The words of the report table and comments, from hand-made rows: the benchmark with its
plausible rank range, and a percent measure's change in percentage points."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from peelstat.analysis.catalogue import MeasureInfo
from peelstat.analysis.report_rows import ReportRow
from peelstat.catalogue.loader import load_catalogue
from peelstat.reports.comments import benchmark_text, change_text, row_comments
from peelstat.workspace import Workspace

from .conftest import FORCE

BASE = ReportRow(
    measure="residential_burglary", title="Residential burglary", priority="neighbourhood",
    unit="per_1000_households", period_end=dt.date(2018, 12, 31), value=5.1, numerator=3000.0,
    previous_value=5.0, change=0.02, trend="Stable", msg_rank="6th/8",
    msg_position="below MSG average", msg_average=5.6, msg_rate=5.5, national_value=5.3,
    national_rank="20th/43", outlier="within band", outlier_z=0.1, note=None,
    msg_rank_range="6th/8, plausibly 4th–8th", previous_numerator=2950.0,
)  # fmt: skip


@pytest.fixture(scope="module")
def infos() -> dict[str, MeasureInfo]:
    catalogue = load_catalogue(())
    return {i: MeasureInfo.of(catalogue[i]) for i in ("residential_burglary", "charge_rate")}


def percent_row(value: float, previous: float) -> ReportRow:
    """A charge rate (a percent measure) moving from ``previous``% to ``value``%."""
    return dataclasses.replace(
        BASE, measure="charge_rate", title="Charge rate", unit="percent", value=value,
        previous_value=previous, change=value / previous - 1, change_points=value - previous,
    )  # fmt: skip


def test_benchmark_shows_the_plausible_rank_range_beside_the_rank() -> None:
    assert benchmark_text(BASE) == "6th/8 MSG (plausibly 4th–8th; below MSG average rates)"
    only = dataclasses.replace(BASE, msg_rank_range="6th/8, plausibly only 6th")
    assert benchmark_text(only) == "6th/8 MSG (plausibly only 6th; below MSG average rates)"
    ratio = dataclasses.replace(BASE, msg_rank_range=None)  # not a count: no range
    assert benchmark_text(ratio) == "6th/8 MSG (below MSG average rates)"
    assert benchmark_text(dataclasses.replace(BASE, value=math.nan)) == "Not available"


def test_comment_gives_the_range_with_the_rank(infos: dict[str, MeasureInfo]) -> None:
    first = row_comments(BASE, infos["residential_burglary"], "Avon and Somerset")[0]
    assert "6th of 8 in its MSG (1st is the lowest; plausibly 4th–8th)" in first


def test_a_percent_measure_changes_in_percentage_points(infos: dict[str, MeasureInfo]) -> None:
    # 40.0% to 41.5%: +1.5 points by hand (a relative change would be +3.75%)
    row = percent_row(41.5, 40.0)
    assert change_text(row) == "+1.5 percentage points"
    assert change_text(percent_row(6.0, 7.5)) == "-1.5 percentage points"
    assert change_text(percent_row(40.02, 40.0)) == "0.0 percentage points"
    sentences = row_comments(row, infos["charge_rate"], "Avon and Somerset")
    assert "That is 1.5 percentage points higher than the year before (40.0%)" in sentences[1]
    assert "%" not in change_text(row)


def test_a_rate_keeps_its_percentage_change(infos: dict[str, MeasureInfo]) -> None:
    # 5.0 to 5.1 per 1,000 households: +2.0% by hand
    assert change_text(BASE) == "+2.0%"
    sentence = row_comments(BASE, infos["residential_burglary"], "Avon and Somerset")[1]
    assert sentence.startswith("That is 2.0% higher than the year before (5.00)")
    small = dataclasses.replace(BASE, small_numbers=True)
    assert change_text(small) == "small numbers"


def test_report_rows_carry_the_change_in_points_for_percent_measures(
    demo_workspace: Workspace,
) -> None:
    table = demo_workspace.report_table(FORCE, "2018-12", ["charge_rate", "residential_burglary"])
    rate, burglary = table.row("charge_rate"), table.row("residential_burglary")
    assert rate.unit == "percent" and math.isfinite(rate.change_points)
    assert rate.change_points == pytest.approx(rate.value - rate.previous_value)
    assert math.isnan(burglary.change_points)  # a rate keeps its relative change
    assert burglary.msg_rank_range.startswith(burglary.msg_rank.split(" (")[0])
