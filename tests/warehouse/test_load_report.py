"""The load report counts what the warehouse holds: a unit given twice in one command (the
zip and its extracted folder, or a changed copy) is counted once, never as "already loaded"."""

from __future__ import annotations

from pathlib import Path

from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_files


def _load(con, *paths: Path):  # type: ignore[no-untyped-def]
    return load_files(con, "police-uk", list(paths))


def _street_rows(con) -> int:
    return con.raw_sql("SELECT count(*) FROM police_uk_street").fetchone()[0]


def test_the_same_files_zipped_and_extracted_in_one_command_count_once(
    police_uk_files, warehouse_path: Path
) -> None:
    for force, rows in (("kent", 30), ("essex", 20)):
        police_uk_files.write("street", "2018-10", force,
                              police_uk_files.street_rows("2018-10", force, rows))  # fmt: skip
    archive = police_uk_files.zip()
    con = connect(warehouse_path)
    report = _load(con, archive, police_uk_files.root / "extracted")
    assert (report.count("loaded"), report.count("copy"), report.count("skipped")) == (2, 2, 0)
    assert report.rows_loaded == _street_rows(con) == 50


def test_a_changed_copy_in_one_command_is_counted_with_the_rows_kept(
    police_uk_files, warehouse_path: Path
) -> None:
    police_uk_files.write("street", "2018-10", "kent",
                          police_uk_files.street_rows("2018-10", "kent", 30))  # fmt: skip
    archive = police_uk_files.zip()
    police_uk_files.write("street", "2018-10", "kent",
                          police_uk_files.street_rows("2018-10", "kent", 12))  # fmt: skip
    con = connect(warehouse_path)
    report = _load(con, archive, police_uk_files.root / "extracted")
    assert [(u.file, u.outcome, u.rows_loaded) for u in report.units] == [
        ("police-uk/2018-10/kent/street", "loaded", 12)
    ]
    assert report.rows_loaded == _street_rows(con) == 12


def test_one_file_given_twice_in_one_command_is_loaded_once_and_called_a_copy(
    police_uk_files, warehouse_path: Path
) -> None:
    path = police_uk_files.write("street", "2018-10", "kent",
                                 police_uk_files.street_rows("2018-10", "kent", 25))  # fmt: skip
    con = connect(warehouse_path)
    report = _load(con, path, path)
    assert sorted(u.outcome for u in report.units) == ["copy", "loaded"]
    assert report.rows_loaded == _street_rows(con) == 25
