"""Stored measure frames kept current incrementally: a month loaded late, a corrected month and
a new month recompute only the windows that contain them, and give exactly the frames a full
recomputation gives.

The warehouse is loaded the way an analyst loads it (SYNTHETIC police.uk archives through
``Workspace.load``), all forces so the England and Wales row is there. Which windows were
recomputed is read from the period ranges the measure queries were run for.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from peelstat.demo.archives import generate_archives, month_range
from peelstat.measures import compile as compile_module
from peelstat.measures.compile import compute_measures
from peelstat.workspace import Workspace

FIRST, LAST = "2018-07", "2020-06"
LATE = "2019-03"  # published late: loaded after the frames were stored
START, END = "2019-06", "2020-06"  # the stored frames: 13 month ends
MEASURES = [
    "police_uk_all_crime",
    "police_uk_burglary",
    "police_uk_charged_share",
    "stop_search_arrest_rate",
    "stop_search_disparity_black",
]


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("archives")
    months = [*month_range(FIRST, LAST), "2020-07"]
    paths = generate_archives(folder, months, scale=0.005)
    corrected = generate_archives(folder / "corrected", ["2020-01"], scale=0.005, seed=7)
    return {**dict(zip(months, paths, strict=True)), "2020-01 corrected": corrected[0]}


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of every measure query run: the windows computed, not read back."""
    calls: list[tuple[dt.date, dt.date]] = []
    original = compile_module._compiled_frame

    def spy(con, catalogue, ids, scope):  # type: ignore[no-untyped-def]
        calls.append((scope.start, scope.end))
        return original(con, catalogue, ids, scope)

    monkeypatch.setattr(compile_module, "_compiled_frame", spy)
    return calls


def frames(workspace: Workspace, end: str = END) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(from the store, recomputed from scratch)."""
    stored = compute_measures(workspace.con, MEASURES, start=START, end=end)
    full = compute_measures(workspace.con, MEASURES, start=START, end=end, use_cache=False)
    return stored, full


def month_end(month: str) -> dt.date:
    return pd.Period(month, "M").end_time.date()


def test_loading_a_month_recomputes_only_the_windows_that_contain_it(
    archives: dict[str, Path], tmp_path: Path, recomputed: list
) -> None:
    workspace = Workspace(tmp_path / "warehouse.duckdb")
    on_time = [archives[m] for m in month_range(FIRST, LAST) if m != LATE]
    workspace.load("police-uk", on_time)
    before, _ = frames(workspace)
    late_window = before[before.period_end == pd.Timestamp(month_end("2019-06"))]
    assert late_window.numerator.isna().all()  # the gap empties every window containing it

    workspace.load("police-uk", [archives[LATE]])
    recomputed.clear()
    stored, full = frames(workspace)
    # windows ending 2019-03 … 2020-02 contain the late month; of those stored, 2019-06 onwards
    assert recomputed[0] == (month_end("2019-06"), month_end("2020-02"))
    pd.testing.assert_frame_equal(stored, full)
    kept = stored.period_end > pd.Timestamp("2020-02-29")
    pd.testing.assert_frame_equal(
        stored[kept].reset_index(drop=True),
        before[before.period_end > "2020-02-29"].reset_index(drop=True),
    )
    assert stored[~kept].numerator.notna().any()

    workspace.load("police-uk", [archives["2020-01 corrected"]])  # the same month, re-issued
    recomputed.clear()
    stored, full = frames(workspace)
    assert recomputed[0] == (month_end("2020-01"), month_end("2020-06"))
    pd.testing.assert_frame_equal(stored, full)


def test_a_new_month_leaves_earlier_windows_alone(
    archives: dict[str, Path], tmp_path: Path, recomputed: list
) -> None:
    workspace = Workspace(tmp_path / "warehouse.duckdb")
    workspace.load("police-uk", [archives[m] for m in month_range(FIRST, LAST)])
    frames(workspace)
    workspace.load("police-uk", [archives["2020-07"]])
    recomputed.clear()
    stored, full = frames(workspace)
    assert recomputed == [(month_end(START), month_end(END))]  # only the full recomputation
    pd.testing.assert_frame_equal(stored, full)
    recomputed.clear()
    stored, full = frames(workspace, end="2020-07")
    assert recomputed[0] == (month_end("2020-07"), month_end("2020-07"))
    pd.testing.assert_frame_equal(stored, full)


def test_the_store_serves_a_request_from_months_it_holds(
    tmp_path: Path, archives, recomputed
) -> None:
    """A report table's four windows come from the frame over the whole range once stored."""
    workspace = Workspace(tmp_path / "warehouse.duckdb")
    workspace.load("police-uk", [archives[m] for m in month_range(FIRST, LAST)])
    compute_measures(workspace.con, MEASURES, start=START, end=END)
    recomputed.clear()
    ends = [month_end("2019-06"), month_end("2020-06")]
    two = compute_measures(workspace.con, MEASURES, start=START, end=END, only_periods=ends)
    assert recomputed == []
    assert sorted(two.period_end.dt.date.unique()) == ends


def test_a_failed_compute_raises_its_own_error_and_leaves_no_stamp_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamps are read on another thread while the frame is computed: when the compute
    fails, the caller sees the compute's error (not the stamps'), and the thread is done."""
    import threading

    from peelstat.errors import NoCompletePeriodError
    from peelstat.measures import cache_state
    from peelstat.measures.cache import cached_frame
    from peelstat.warehouse.connect import connect

    con = connect(str(tmp_path / "w.duckdb"))
    started = threading.Event()

    def failing_stamps(raw, first, last):  # type: ignore[no-untyped-def]
        started.set()
        raise RuntimeError("the stamp query failed")

    def failing_compute(months):  # type: ignore[no-untyped-def]
        assert started.wait(10)  # the stamps were being read meanwhile
        raise NoCompletePeriodError("no complete period")

    monkeypatch.setattr(cache_state, "_read_stamps", failing_stamps)
    with pytest.raises(NoCompletePeriodError):
        cached_frame(con, "key", [dt.date(2020, 1, 31)], 12, failing_compute)
    readers = [t for t in threading.enumerate() if t.name.startswith("peelstat-stamps")]
    for reader in readers:
        reader.join(5)  # it ends once its one task is done: no reader left behind
    assert not [t for t in readers if t.is_alive()]
    con.disconnect()
