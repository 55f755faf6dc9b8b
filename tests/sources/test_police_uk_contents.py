"""A police.uk file whose contents disagree with its name: rows rejected saying so, and a
misnamed file refused whole, on DuckDB's native path and on the parsing path alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelstat.errors import IngestError, UnitsRefused
from peelstat.sources.police_uk import PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_files, load_unit

CUMBRIA = "Cumbria Constabulary"


@pytest.fixture
def con(warehouse_path: Path):
    connection = connect(warehouse_path)
    yield connection
    connection.disconnect()


def _load(con, *paths: Path):  # type: ignore[no-untyped-def]
    return load_files(con, "police-uk", list(paths))


def _with_names(rows: list[list[str]], name: str, reported: str | None = None) -> list[list[str]]:
    for row in rows:
        row[2], row[3] = reported or name, name
    return rows


def _rejects(con) -> list[tuple[int, str]]:
    return con.raw_sql("SELECT line, reason FROM rejected_rows ORDER BY line").fetchall()


@pytest.mark.parametrize("path", ["native", "parse"])
def test_a_file_of_another_force_is_refused_whole(con, police_uk_files, path) -> None:
    rows = _with_names(police_uk_files.street_rows("2018-10", "kent", 40), CUMBRIA)
    misnamed = police_uk_files.write("street", "2018-10", "kent", rows)
    with pytest.raises((IngestError, UnitsRefused)) as raised:
        if path == "native":
            _load(con, misnamed)
        else:
            source = PoliceUkArchive()
            load_unit(con, source, source.discover([misnamed])[0])
    message = str(raised.value)
    assert isinstance(raised.value, UnitsRefused if path == "native" else IngestError)
    assert str(misnamed) in message
    assert (
        "the file name says kent, 2018-10, but 40 of its first 40 rows say Falls within "
        "'Cumbria Constabulary'" in message
    )
    assert "nothing from it was loaded" in message and "Rename it" in message
    assert con.raw_sql("SELECT count(*) FROM police_uk_street").fetchone() == (0,)
    assert con.raw_sql("SELECT count(*) FROM load_log").fetchone() == (0,)


def test_rows_of_another_force_are_rejected_and_the_rest_loaded(con, police_uk_files) -> None:
    rows = police_uk_files.street_rows("2018-10", "kent", 30)
    _with_names(rows[10:13], CUMBRIA)
    path = police_uk_files.write("street", "2018-10", "kent", rows)
    report = _load(con, path)
    assert (report.rows_loaded, report.rows_rejected) == (27, 3)
    reason = "Falls within 'Cumbria Constabulary' is not the force the file name says (kent)"
    assert _rejects(con) == [(12, reason), (13, reason), (14, reason)]


def test_rows_of_another_force_are_rejected_in_a_combined_insert(con, police_uk_files) -> None:
    """Two files of one archive go in as one insert: the check runs per file there too."""
    kent = police_uk_files.street_rows("2018-10", "kent", 30)
    _with_names(kent[:2], CUMBRIA)
    police_uk_files.write("street", "2018-10", "kent", kent)
    police_uk_files.write("street", "2018-10", "essex",
                          police_uk_files.street_rows("2018-10", "essex", 20))  # fmt: skip
    report = _load(con, police_uk_files.zip())
    assert (report.rows_loaded, report.rows_rejected) == (48, 2)
    assert [line for line, _ in _rejects(con)] == [2, 3]


def test_btp_rows_falling_within_a_territorial_force_and_unknown_names_load(
    con, police_uk_files
) -> None:
    rows = _with_names(police_uk_files.street_rows("2018-10", "btp", 10), "Kent Police",
                       reported="British Transport Police")  # fmt: skip
    btp = police_uk_files.write("street", "2018-10", "btp", rows)
    odd = _with_names(police_uk_files.street_rows("2018-10", "essex", 10), "Essex Pol.")
    unknown = police_uk_files.write("street", "2018-10", "essex", odd)
    report = _load(con, btp, unknown)
    assert (report.rows_loaded, report.rows_rejected) == (20, 0)


@pytest.mark.parametrize("zipped", [False, True])
def test_other_spellings_of_the_files_force_load_and_other_forces_are_still_rejected(
    con, police_uk_files, zipped
) -> None:
    """Rows naming the force exactly as police.uk does are passed at once; every other
    spelling is still looked up (one file alone, and two combined from a zip)."""
    rows = police_uk_files.street_rows("2018-10", "kent", 12)
    _with_names(rows[0:2], "  kent police ")  # another spelling of Kent: loads
    _with_names(rows[2:4], "Kent Police", reported="Cumbria Constabulary")  # falls within Kent
    _with_names(rows[4:6], "Cumbria Constabulary", reported="Kent")  # reported by Kent
    _with_names(rows[6:8], "Cumbria Constabulary", reported="Cumbria Constabulary")
    for row in rows[8:9]:
        row[2], row[3] = "", "Cumbria Constabulary"  # a blank is no evidence either way
    path = police_uk_files.write("street", "2018-10", "kent", rows)
    if zipped:
        police_uk_files.write("street", "2018-10", "essex",
                              police_uk_files.street_rows("2018-10", "essex", 5))  # fmt: skip
        path = police_uk_files.zip()
    report = _load(con, path)
    assert (report.rows_loaded, report.rows_rejected) == (9 + 5 * zipped, 3)
    reason = "Falls within 'Cumbria Constabulary' is not the force the file name says (kent)"
    assert _rejects(con) == [(8, reason), (9, reason), (10, reason)]


def _dated(rows: list[list[str]], stamp: str) -> list[list[str]]:
    for row in rows:
        row[1] = stamp
    return rows


def test_a_stop_search_file_of_another_month_is_refused(con, police_uk_files) -> None:
    rows = police_uk_files.stop_search_rows("2019-03", 30)  # March dates (two on 1 March)
    misnamed = police_uk_files.write("stop-and-search", "2019-02", "kent", rows)
    with pytest.raises(UnitsRefused, match="the file name says kent, 2019-02, but 28 of its "
                       "first 30 rows say dates in 2019-03"):  # fmt: skip
        _load(con, misnamed)
    assert con.raw_sql("SELECT count(*) FROM police_uk_stop_search").fetchone() == (0,)


def test_stop_search_dates_a_day_either_side_load_and_further_ones_are_rejected(
    con, police_uk_files
) -> None:
    rows = police_uk_files.stop_search_rows("2019-03", 20)
    _dated(rows[:1], "2019-02-28T23:30:00+00:00")  # BST/GMT edge: within a day
    _dated(rows[1:2], "2019-04-01T00:30:00+01:00")
    _dated(rows[2:4], "2019-04-09T10:00:00+00:00")
    path = police_uk_files.write("stop-and-search", "2019-03", "kent", rows)
    report = _load(con, path)
    assert (report.rows_loaded, report.rows_rejected) == (18, 2)
    reason = (
        "Date 2019-04-09T10:00:00+00:00 is not in 2019-03 (the month the file name says, "
        "give or take a day)"
    )
    assert _rejects(con) == [(4, reason), (5, reason)]
