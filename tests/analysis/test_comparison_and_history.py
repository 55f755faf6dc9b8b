"""All-forces comparison and force-vs-MSG history, checked against independent computations."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from peelstat.reference import NATIONAL, territorial_forces
from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"


def test_comparison_ranks_and_flags_every_force_by_hand(demo_warehouse: Path) -> None:
    ws = Workspace(demo_warehouse, create=False)
    result = ws.compare("police_uk_burglary", "2018-12", force=FORCE)
    frame = ws.measures(["police_uk_burglary"], start="2018-12", end="2018-12")
    values = frame[frame["force"] != NATIONAL].set_index("force")["value"].dropna()
    shown = result.to_frame().set_index("force")
    assert list(shown["value"]) == sorted(values, reverse=True)  # the ski slope, high to low
    # lower is better for burglary: rank 1 is the lowest rate, ties take the best place
    expected_rank = values.rank(method="min", ascending=True).astype(int)
    assert shown["rank"].to_dict() == expected_rank.to_dict()
    # HMICFRS band: mean ± 1 SD (ddof=1), on logs when the logs are more normal by Shapiro-Wilk
    logs = bool(
        stats.shapiro(values).pvalue < 0.05
        and stats.shapiro(np.log(values)).pvalue > stats.shapiro(values).pvalue
    )
    scale = np.log(values) if logs else values
    z = (scale - scale.mean()) / scale.std(ddof=1)
    assert result.band.transformed == logs
    np.testing.assert_allclose(shown.loc[z.index, "z"], z)
    expected_flags = np.where(
        z > 1, "well above average", np.where(z < -1, "well below average", "within band")
    )
    assert list(shown.loc[z.index, "flag"]) == list(expected_flags)
    group = ws.comparison_group(FORCE)
    assert set(shown.index[shown["in_msg"]]) == set(group.members)
    assert list(shown.index[shown["chosen"]]) == [FORCE]
    data = result.to_dict()
    assert data["period_end"] == "2018-12-31" and data["measure"]["id"] == "police_uk_burglary"


def test_history_is_the_force_against_its_msg_and_the_nation(demo_warehouse: Path) -> None:
    ws = Workspace(demo_warehouse, create=False)
    history = ws.history(FORCE, "police_uk_burglary", "2018-12", months=12)
    frame = ws.measures(["police_uk_burglary"], start="2018-01", end="2018-12")
    group = ws.comparison_group(FORCE)
    assert len(history.points) == 12 and not history.gaps
    for point in history.points:
        at = frame[frame["period_end"] == pd.Timestamp(point.period_end)].set_index("force")[
            "value"
        ]
        assert point.force_value == at[FORCE]
        assert point.msg_average == pytest.approx(at[list(group.members)].mean())
        assert point.national_value == at[NATIONAL]
        better = (at[list(group.members)] < at[FORCE]).sum()
        place, size = point.msg_rank.split("/")
        assert (int(place[:-2]), int(size)) == (better + 1, 8)  # "4th/8": 1 + the forces better


def test_a_missing_month_is_a_gap_in_the_history_never_a_zero(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "w.duckdb"
    shutil.copy(demo_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "DELETE FROM police_uk_street WHERE force = ? AND month = DATE '2018-03-01'", [FORCE]
        )
    history = Workspace(copy).history(FORCE, "police_uk_burglary", "2018-12", months=24)
    gaps = [f"{d:%Y-%m}" for d in history.gaps]
    # every 12-month window holding March 2018 has no value: March 2018 to February 2019
    assert gaps == [f"2018-{m:02d}" for m in range(3, 13)]
    assert all(math.isnan(p.force_value) for p in history.points if p.period_end in history.gaps)
    assert history.to_dict()["points"][-1]["force_value"] is None  # null in JSON, not 0
    assert len(territorial_forces()) == 43


def test_no_value_anywhere_says_what_is_missing_and_what_to_load(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    """A period before the recorded crime loaded names the table and the load command; a
    warehouse without household counts says so for a per-household measure."""
    from peelstat.errors import DataNotAvailableError

    ws = Workspace(demo_warehouse, create=False)
    with pytest.raises(DataNotAvailableError, match="recorded_crime table has no rows then; "
                       "load them with peelstat load home-office"):  # fmt: skip
        ws.compare("homicide", "2012-12")
    ws.close()
    copy = tmp_path / "w.duckdb"
    shutil.copy(demo_warehouse, copy)
    con = duckdb.connect(str(copy))
    con.execute("UPDATE population SET households = NULL")
    con.close()
    ws = Workspace(copy, create=False)
    with pytest.raises(DataNotAvailableError, match="no household counts"):
        ws.compare("residential_burglary", "2018-12")
    ws.close()
