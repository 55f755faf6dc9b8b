"""The monthly summaries: kept in step by the loader, refused by queries when the table
moved without it, and giving exactly the frames the rows give."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import peelstat.sources.police_uk.native as native
import peelstat.warehouse.batch as batch
import peelstat.warehouse.loading as loading
import peelstat.warehouse.writers as writers
from peelstat.catalogue.measure import DefinitionChange, Filter, Measure
from peelstat.measures.compile import compute_measures
from peelstat.sources.police_uk import PoliceUkArchive
from peelstat.sources.police_uk.files import KINDS
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source
from peelstat.warehouse.summaries import refresh_summaries, summaries, summaries_for_writers
from peelstat.warehouse.summary_checks import InStep, usable_summary

STREET = summaries()["police_uk_street"]
SUMMED = (
    "SELECT source_file, force, month, crime_type, last_outcome_category, count(*) AS n "
    "FROM police_uk_street GROUP BY ALL ORDER BY ALL"
)
KEPT = (
    "SELECT source_file, force, month, crime_type, last_outcome_category, rows__ AS n "
    "FROM police_uk_street__monthly ORDER BY ALL"
)


def _load(con, *paths: Path) -> None:
    source = PoliceUkArchive()
    try:
        load_source(con, source, list(paths))
    finally:
        source.close()


def _street(files, month: str, force: str, n: int, crime: str | None = None) -> Path:
    rows = files.street_rows(month, force, n)
    if crime is not None:
        rows = [[*r[:9], crime, *r[10:]] for r in rows]
    return files.write("street", month, force, rows)


def test_the_summary_declares_every_filter_column_of_the_police_uk_tables() -> None:
    assert STREET.keys == ("crime_type", "last_outcome_category")
    assert summaries()["police_uk_outcomes"].keys == ("outcome_category",)
    assert "recorded_crime" not in summaries()  # a count column: summed, not counted


def test_a_load_keeps_the_summary_equal_to_the_rows_grouped(police_uk_files, warehouse_path):
    con = connect(warehouse_path)
    _street(police_uk_files, "2020-01", "kent", 30)
    _street(police_uk_files, "2020-02", "surrey", 12)
    _load(con, police_uk_files.root / "extracted")
    raw = con.con
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    assert raw.execute("SELECT sum(rows__) FROM police_uk_street__monthly").fetchone() == (42,)
    # the unit is replaced by one as long but of other crimes: counts alone would not see it
    _street(police_uk_files, "2020-01", "kent", 30, crime="Robbery")
    _load(con, police_uk_files.root / "extracted")
    kept = raw.execute(KEPT).fetchall()
    assert kept == raw.execute(SUMMED).fetchall()
    assert {r[3] for r in kept if r[2] == dt.date(2020, 1, 1)} == {"Robbery"}
    # a unit whose log entry is gone (removed) leaves the summary at the next load
    raw.execute("DELETE FROM police_uk_street WHERE source_file LIKE '%surrey%'")
    raw.execute("DELETE FROM load_log WHERE file LIKE '%surrey%'")
    _street(police_uk_files, "2020-03", "kent", 5)
    _load(con, police_uk_files.root / "extracted" / "2020-03")
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    con.disconnect()


def test_a_query_reads_the_rows_for_months_changed_behind_the_loader(
    police_uk_files, warehouse_path
):
    con = connect(warehouse_path)
    for month in ("2020-01", "2020-02"):
        _street(police_uk_files, month, "kent", 20)
    _load(con, police_uk_files.root / "extracted")
    raw, columns = con.con, {"force", "month", "crime_type"}
    jan, feb = dt.date(2020, 1, 1), dt.date(2020, 2, 1)
    assert usable_summary(raw, "police_uk_street", columns, jan, feb) == STREET.name
    # a filter column the summary lacks: the rows
    assert usable_summary(raw, "police_uk_street", {*columns, "context"}, jan, feb) is None
    raw.execute("DELETE FROM police_uk_street WHERE month = DATE '2020-02-01' AND source_line = 2")
    assert usable_summary(raw, "police_uk_street", columns, jan, feb) is None
    assert usable_summary(raw, "police_uk_street", columns, jan, jan) == STREET.name
    refresh_summaries(raw)  # what the next load does: the changed month summarised again
    assert usable_summary(raw, "police_uk_street", columns, jan, feb) == STREET.name
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    con.disconnect()


def test_measure_frames_from_the_summaries_equal_those_from_the_rows(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every built-in measure, every force, 13 months of the SYNTHETIC demo warehouse (the
    distinct count of suspects charged, definition changes and blank fields included)."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_warehouse, path)
    con = connect(path)
    refresh_summaries(con.con)
    months = {"start": "2017-12", "end": "2018-12", "use_cache": False}
    read: list[str | None] = []
    real = InStep.summary

    def spied(self: InStep, *args: object) -> str | None:
        read.append(real(self, *args))  # type: ignore[arg-type]
        return read[-1]

    import peelstat.measures.windows as windows

    summed: list[str] = []
    with_summary = windows._with_summary

    def spied_group(*args: object) -> windows.GroupInput:
        given = with_summary(*args)  # type: ignore[arg-type]
        summed.extend(given.summed_distinct)
        return given

    monkeypatch.setattr(InStep, "summary", spied)
    monkeypatch.setattr(windows, "_with_summary", spied_group)
    from_summaries = compute_measures(con, **months)
    assert {s.name for s in summaries().values()} <= set(read)  # all three were read
    assert "police_uk_suspects_charged" in summed  # its distinct crimes added up too
    monkeypatch.setattr(InStep, "summary", lambda *args: None)
    from_rows = compute_measures(con, **months)
    assert len(from_rows) > 10_000
    assert from_summaries["measure"].nunique() >= 60
    assert "police_uk_suspects_charged" in set(from_summaries["measure"])
    pd.testing.assert_frame_equal(from_summaries, from_rows)
    con.disconnect()


def test_a_failed_refresh_keeps_the_rows_and_says_so(
    police_uk_files, warehouse_path, monkeypatch: pytest.MonkeyPatch
):
    import duckdb

    import peelstat.warehouse.loading as loading

    def fail(raw: object) -> None:
        raise duckdb.IOException("IO Error: No space left on device")

    con = connect(warehouse_path)
    _street(police_uk_files, "2020-01", "kent", 10)
    monkeypatch.setattr(loading, "refresh_summaries", fail)
    with pytest.warns(UserWarning, match="No space left on device.*read the rows"):
        _load(con, police_uk_files.root / "extracted")
    raw = con.con
    assert raw.execute("SELECT count(*) FROM police_uk_street").fetchone() == (10,)
    # no summary yet: a query reads the rows; the next load's refresh catches up
    assert usable_summary(raw, "police_uk_street", {"force"}, *(dt.date(2020, 1, 1),) * 2) is None
    monkeypatch.undo()
    _street(police_uk_files, "2020-02", "kent", 4)
    _load(con, police_uk_files.root / "extracted")
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    con.disconnect()


def test_a_refresh_that_fails_midway_leaves_the_summary_as_it_was(
    police_uk_files, warehouse_path, monkeypatch: pytest.MonkeyPatch
):
    import peelstat.warehouse.summaries as module

    con = connect(warehouse_path)
    _street(police_uk_files, "2020-01", "kent", 10)
    _load(con, police_uk_files.root / "extracted")
    raw = con.con
    before = raw.execute(KEPT).fetchall()
    raw.execute("DELETE FROM police_uk_street WHERE source_line = 2")
    real = module._refresh
    calls: list[str] = []

    def once_then_fail(raw_: object, s: object, *args: object) -> None:
        calls.append(s.table)  # type: ignore[attr-defined]
        real(raw_, s, *args)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # after the street summary was rewritten

    monkeypatch.setattr(module, "_refresh", once_then_fail)
    with pytest.raises(KeyboardInterrupt):
        refresh_summaries(raw)
    assert calls == ["police_uk_street"]
    assert raw.execute(KEPT).fetchall() == before  # rolled back, then refused by the check
    assert usable_summary(raw, "police_uk_street", {"force"}, *(dt.date(2020, 1, 1),) * 2) is None
    con.disconnect()


def test_a_unit_loaded_without_its_refresh_is_not_read_and_a_rerun_catches_up(
    police_uk_files, warehouse_path, monkeypatch: pytest.MonkeyPatch
):
    """police.uk re-issues files with the same row counts and other values: the month totals
    alone would not see the summary fall behind."""
    import peelstat.warehouse.loading as loading

    con = connect(warehouse_path)
    _street(police_uk_files, "2020-01", "kent", 12)
    _load(con, police_uk_files.root / "extracted")
    raw, jan = con.con, dt.date(2020, 1, 1)
    monkeypatch.setattr(loading, "refresh_summaries", lambda raw: None)  # a stop before it
    _street(police_uk_files, "2020-01", "kent", 12, crime="Robbery")
    _load(con, police_uk_files.root / "extracted")
    assert usable_summary(raw, "police_uk_street", {"force", "month"}, jan, jan) is None
    monkeypatch.undo()
    _load(con, police_uk_files.root / "extracted")  # nothing to write, the refresh still runs
    assert usable_summary(raw, "police_uk_street", {"force", "month"}, jan, jan) == STREET.name
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    # a summary made with other columns (an older peelstat) is not read, and is rebuilt
    raw.execute(f"ALTER TABLE {STREET.name} DROP COLUMN last_outcome_category")
    assert usable_summary(raw, "police_uk_street", {"force", "month"}, jan, jan) is None
    refresh_summaries(raw)
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    con.disconnect()


def test_the_stored_frames_stamps_read_from_the_summary_see_what_the_rows_show(
    police_uk_files, warehouse_path, monkeypatch: pytest.MonkeyPatch
):
    """The stamps say which stored windows a change touched; read from the summary, they
    must still see rows deleted behind the loader (that month is counted from the rows)."""
    import peelstat.measures.cache_state as cache_state
    from peelstat.warehouse.summary_checks import unit_counts_sql

    con = connect(warehouse_path)
    for month, force in (("2020-01", "kent"), ("2020-02", "kent"), ("2020-02", "surrey")):
        _street(police_uk_files, month, force, 15)
    _load(con, police_uk_files.root / "extracted")
    raw, span = con.con, (dt.date(2020, 1, 1), dt.date(2020, 2, 29))
    assert unit_counts_sql(raw, "police_uk_street", *span) is not None

    def from_rows() -> dict:
        with monkeypatch.context() as m:
            m.setattr(cache_state, "unit_counts_sql", lambda *args: None)
            return cache_state.period_stamps(con, *span)

    before = cache_state.period_stamps(con, *span)
    assert before == from_rows()
    assert ("police_uk_street", dt.date(2020, 2, 1)) in before
    raw.execute(
        "DELETE FROM police_uk_street WHERE month = DATE '2020-02-01' AND source_line = 3 "
        "AND source_file LIKE '%surrey%'"
    )
    after = cache_state.period_stamps(con, *span)
    assert after == from_rows()
    assert cache_state.changed_periods(before, after) == {("police_uk_street", dt.date(2020, 2, 1))}
    # a summary behind load_log is not read at all
    raw.execute(f"DELETE FROM {STREET.name} WHERE source_file LIKE '%2020-01%'")
    assert unit_counts_sql(raw, "police_uk_street", *span) is None
    assert cache_state.period_stamps(con, *span) == after
    con.disconnect()


def test_distinct_counts_are_added_up_only_where_one_unit_holds_a_force_month(
    police_uk_files, warehouse_path
):
    """A crime ID in two units of one force and month counts once in the rows: there the
    summary's per-unit counts must not be used. A filter picking two outcome types cannot
    use them either (one crime with both counts once)."""
    from peelstat.catalogue.loader import load_catalogue
    from peelstat.measures.summary_reads import distinct_summable

    catalogue = load_catalogue()
    charged = catalogue.measures["police_uk_suspects_charged"]
    outcomes = summaries()["police_uk_outcomes"]
    assert distinct_summable(charged, outcomes.keys)
    either = ("Suspect charged", "Offender given a caution")
    assert not distinct_summable(_numerator_of(charged, either), outcomes.keys)
    # the distinct count applies under an earlier definition too: it must pick one as well
    before = DefinitionChange(
        dt.date(2019, 4, 1), Filter(include=(("outcome_category", either),)), ""
    )
    assert not distinct_summable(replace(charged, definition_changes=(before,)), outcomes.keys)
    con = connect(warehouse_path)
    ids = [f"crime{i}" for i in range(6)]
    rows = [
        [*r[:-1], "Suspect charged"] for r in police_uk_files.outcome_rows("2020-01", "kent", ids)
    ]
    police_uk_files.write("outcomes", "2020-01", "kent", rows + rows[:2])  # two repeated
    _load(con, police_uk_files.root / "extracted")
    raw, jan = con.con, dt.date(2020, 1, 1)
    kept = raw.execute(
        "SELECT sum(distinct__crime_id), sum(rows__) FROM police_uk_outcomes__monthly "
        "WHERE outcome_category = 'Suspect charged'"
    ).fetchone()
    assert kept == (6, 8)
    counted = {"force", "month", "outcome_category", "distinct__crime_id"}
    assert usable_summary(raw, "police_uk_outcomes", counted, jan, jan) == outcomes.name
    # the same force and month again under another unit name (a table written directly)
    raw.execute(
        "INSERT INTO police_uk_outcomes SELECT * REPLACE ('other.csv' AS source_file) "
        "FROM police_uk_outcomes"
    )
    refresh_summaries(raw)
    assert usable_summary(raw, "police_uk_outcomes", counted, jan, jan) is None
    assert usable_summary(raw, "police_uk_outcomes", counted - {"distinct__crime_id"}, jan, jan)
    con.disconnect()


def _numerator_of(m: Measure, categories: tuple[str, ...]) -> Measure:
    numerator = replace(m.numerator, include=(("outcome_category", categories),))
    return replace(m, numerator=numerator)


def test_a_force_month_in_two_units_counts_its_distinct_crimes_from_the_rows(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same charged crimes loaded again under another unit name for one force and month
    (a table written directly): the summary's counts would add them twice; the rows not."""
    import peelstat.measures.windows as windows

    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_warehouse, path)
    con = connect(path)
    raw = con.con
    raw.execute(
        "INSERT INTO police_uk_outcomes SELECT * REPLACE ('again.csv' AS source_file) "
        "FROM police_uk_outcomes WHERE force = 'kent' AND month = DATE '2018-06-01' "
        "AND outcome_category = 'Suspect charged'"
    )
    refresh_summaries(raw)
    summed: list[str] = []
    with_summary = windows._with_summary

    def spied(*args: object) -> windows.GroupInput:
        given = with_summary(*args)  # type: ignore[arg-type]
        summed.extend(given.summed_distinct)
        return given

    months = {"start": "2018-01", "end": "2018-12", "use_cache": False}
    monkeypatch.setattr(windows, "_with_summary", spied)
    from_summaries = compute_measures(con, "police_uk_suspects_charged", **months)
    assert summed == []  # 2018-06 holds kent's rows in two units: the rows are counted
    monkeypatch.setattr(InStep, "summary", lambda *args: None)
    from_rows = compute_measures(con, "police_uk_suspects_charged", **months)
    assert from_rows["numerator"].sum() > 0
    pd.testing.assert_frame_equal(from_summaries, from_rows)
    con.disconnect()


OUTCOMES_SUMMED = (
    "SELECT source_file, force, month, outcome_category, count(*), count(DISTINCT crime_id) "
    "FROM police_uk_outcomes GROUP BY ALL ORDER BY ALL"
)
OUTCOMES_KEPT = (
    "SELECT source_file, force, month, outcome_category, rows__, distinct__crime_id "
    "FROM police_uk_outcomes__monthly ORDER BY ALL"
)


def test_group_writers_summarise_their_units_with_the_rows_without_the_refresh(
    police_uk_files, warehouse_path, monkeypatch: pytest.MonkeyPatch
):
    """Groups of two files, two months, two writers at once: each writer adds its units'
    summary rows (distinct counts too) in the transaction of their rows, so the summaries are
    right with no refresh at the end; a re-issued file replaces its own summary rows."""
    groups: list[tuple[str, int]] = []
    write = writers.GroupWriters._write

    def counted(self, source_name, group, combined):  # type: ignore[no-untyped-def]
        groups.append((group[0][0].table, len(group)))
        return write(self, source_name, group, combined)

    monkeypatch.setattr(writers.GroupWriters, "_write", counted)
    monkeypatch.setattr(batch, "MAX_GROUP", 2)
    monkeypatch.setattr(loading, "refresh_summaries", lambda raw: None)  # never at the end
    con = connect(warehouse_path)
    for month in ("2020-01", "2020-02"):
        for force, n in (("kent", 20), ("surrey", 7), ("essex", 11), ("sussex", 5)):
            _street(police_uk_files, month, force, n)
        for force in ("kent", "surrey"):
            ids = [f"{force}-{month}-{i % 4}" for i in range(6)]  # crimes with two outcomes
            police_uk_files.write("outcomes", month, force, police_uk_files.outcome_rows(
                month, force, ids))  # fmt: skip
    source = PoliceUkArchive()
    try:
        load_source(con, source, [police_uk_files.root / "extracted"], writers=2)
    finally:
        source.close()
    raw, jan, feb = con.con, dt.date(2020, 1, 1), dt.date(2020, 2, 1)
    assert sorted(groups) == [("police_uk_outcomes", 2)] * 2 + [("police_uk_street", 2)] * 4
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    assert raw.execute(OUTCOMES_KEPT).fetchall() == raw.execute(OUTCOMES_SUMMED).fetchall()
    assert raw.execute(f"SELECT sum(rows__) FROM {STREET.name}").fetchone() == (86,)
    assert usable_summary(raw, "police_uk_street", {"force", "month"}, jan, feb) == STREET.name
    # re-issued files replace their summary rows too, still without a refresh
    groups.clear()
    _street(police_uk_files, "2020-01", "kent", 20, crime="Robbery")
    _street(police_uk_files, "2020-01", "surrey", 7, crime="Robbery")
    _load(con, police_uk_files.root / "extracted")
    assert groups == [("police_uk_street", 2)]
    kept = raw.execute(KEPT).fetchall()
    assert kept == raw.execute(SUMMED).fetchall()
    assert {r[3] for r in kept if "2020-01/kent" in r[0]} == {"Robbery"}
    assert usable_summary(raw, "police_uk_street", {"force", "month"}, jan, feb) == STREET.name
    con.disconnect()


def test_a_group_written_again_file_by_file_is_summarised_by_the_refresh(
    police_uk_files, warehouse_path, monkeypatch: pytest.MonkeyPatch
):
    """A group whose rows come out again (here: numbering cannot be trusted) leaves no
    summary rows behind with them; the files then written one by one are summarised at the
    end of the load."""
    monkeypatch.setattr(native, "_finish_group", lambda *args: None)  # every group falls back
    con = connect(warehouse_path)
    for force, n in (("kent", 9), ("surrey", 4)):
        _street(police_uk_files, "2020-01", force, n)
    _load(con, police_uk_files.root / "extracted")
    raw = con.con
    assert raw.execute("SELECT count(*) FROM police_uk_street").fetchone() == (13,)
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    assert raw.execute(f"SELECT sum(rows__) FROM {STREET.name}").fetchone() == (13,)
    con.disconnect()


def test_a_missing_summary_of_a_table_with_rows_is_left_to_the_refresh(
    police_uk_files, warehouse_path
):
    """Only an empty table's summary is made before the writers start: one of a table that
    already has rows (a refresh failed, an older warehouse) is built whole by the refresh."""
    con = connect(warehouse_path)
    _street(police_uk_files, "2020-01", "kent", 9)
    _load(con, police_uk_files.root / "extracted")
    raw = con.con
    assert summaries_for_writers(raw) >= {"police_uk_street"}
    raw.execute(f"DROP TABLE {STREET.name}")
    assert "police_uk_street" not in summaries_for_writers(raw)
    assert "police_uk_street__monthly" not in {
        r[0] for r in raw.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    for force, n in (("surrey", 4), ("essex", 3)):
        _street(police_uk_files, "2020-02", force, n)
    _load(con, police_uk_files.root / "extracted")
    assert raw.execute(KEPT).fetchall() == raw.execute(SUMMED).fetchall()
    assert raw.execute(f"SELECT sum(rows__) FROM {STREET.name}").fetchone() == (16,)
    con.disconnect()


def test_a_combined_load_bounds_its_summary_by_the_months_of_its_files(tmp_path: Path) -> None:
    """The bound the writer's summary query is given: every file's month, first days."""
    files = [
        native.NativeFile(f"u{i}", KINDS["street"], tmp_path / f"{i}.csv", 3, month, "kent")
        for i, month in enumerate(["2020-03", "2019-11", "2020-01"])
    ]
    assert native.combined_load(files, "rejects").months == (
        dt.date(2019, 11, 1),
        dt.date(2020, 3, 1),
    )
