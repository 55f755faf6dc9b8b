"""One force's measure series: single months from the warehouse, XmR limits and the outlook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peelstat.analysis.series import measure_series
from peelstat.catalogue.loader import load_catalogue
from peelstat.errors import PeelstatError
from peelstat.reference import population
from peelstat.warehouse.connect import connect

FORCE = "avon-and-somerset"
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def con(demo_warehouse: Path):
    connection = connect(str(demo_warehouse), create=False)
    yield connection
    connection.disconnect()


def test_each_month_is_that_month_alone_and_the_limits_are_xmr(con) -> None:
    series = measure_series(con, CATALOGUE, FORCE, "police_uk_all_crime", "2018-12", months=24)
    counted = con.con.execute(
        "SELECT month, count(*) FROM police_uk_street WHERE force = ? "
        "AND crime_type <> 'Anti-social behaviour' "
        "AND month BETWEEN DATE '2017-01-01' AND DATE '2018-12-01' GROUP BY 1 ORDER BY 1",
        [FORCE],
    ).fetchall()
    chart = series.chart
    assert len(chart) == 24 == len(counted)
    assert chart["numerator"].tolist() == [float(n) for _, n in counted]
    residents = population().query("force == @FORCE")["residents"].astype(float)
    expected = chart["numerator"] / chart["denominator"] * 1000
    np.testing.assert_allclose(chart["value"], expected)
    assert set(chart["denominator"]) <= set(residents)  # the force's mid-year populations
    values = chart["value"].to_numpy()
    mr_bar = np.mean(np.abs(np.diff(values)))
    assert chart["centre"].iloc[0] == pytest.approx(values.mean())
    assert chart["upper"].iloc[0] == pytest.approx(values.mean() + 2.66 * mr_bar)
    assert chart["lower"].iloc[0] == pytest.approx(values.mean() - 2.66 * mr_bar)
    outside = (values > chart["upper"].iloc[0]) | (values < chart["lower"].iloc[0])
    flagged = chart["signal"].fillna("").str.contains("limit").to_numpy()
    assert (flagged == outside).all()
    assert len(series.outlook) == 6
    assert series.outlook["period_end"].iloc[0] == pd.Timestamp("2019-01-31")
    assert (series.outlook["lower"] <= series.outlook["forecast"]).all()


def test_a_quarterly_measure_is_charted_by_quarter(con) -> None:
    series = measure_series(con, CATALOGUE, FORCE, "homicide", "2018-12", months=24)
    assert series.grain == "quarter"
    assert (series.chart["period_end"].dt.month % 3 == 0).all()
    assert len(series.outlook) == 2  # the next two quarters


def test_twelve_month_totals_cannot_be_charted_month_by_month(con) -> None:
    with pytest.raises(PeelstatError, match="12-month totals"):
        measure_series(con, CATALOGUE, FORCE, "robbery_rolling", "2018-12")
