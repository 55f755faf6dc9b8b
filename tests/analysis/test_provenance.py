"""Where a figure came from: the files behind a table, worked out once per warehouse state."""

from __future__ import annotations

from pathlib import Path

from peelstat.analysis.provenance import data_sources
from peelstat.sources.police_uk import STREET_HEADER
from peelstat.warehouse.notes import mark_synthetic
from peelstat.workspace import Workspace

LINE = "{:064x},{month},Kent Police,Kent Police,0.5,51.2,On or near X,E01,Kent 001A,Burglary,,"


def street_file(folder: Path, month: str, rows: int) -> Path:
    path = folder / month / f"{month}-kent-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(LINE.format(i, month=month) for i in range(rows))
    path.write_text(",".join(STREET_HEADER) + "\n" + body + "\n")
    return path


def test_sources_follow_every_load_and_note(tmp_path: Path) -> None:
    """Asked again after a load or a new note, the sources are the warehouse's new ones, not
    the ones remembered from before; asked of an unchanged warehouse, the same object."""
    ws = Workspace(tmp_path / "w.duckdb")
    ws.load("police-uk", [street_file(tmp_path / "in", "2018-11", 3)])
    first = data_sources(ws.con, ["police_uk_street"])
    assert (first.tables[0].files, first.tables[0].rows) == (1, 3)
    assert data_sources(ws.con, ["police_uk_street"]) is first

    ws.load("police-uk", [street_file(tmp_path / "in", "2018-12", 5)])
    second = data_sources(ws.con, ["police_uk_street"])
    assert (second.tables[0].files, second.tables[0].rows) == (2, 8)
    assert {f.file for f in second.tables[0].latest_files} == {
        "police-uk/2018-11/kent/street", "police-uk/2018-12/kent/street"
    }  # fmt: skip
    assert not second.synthetic

    mark_synthetic(ws.con, "a test")
    assert data_sources(ws.con, ["police_uk_street"]).synthetic
    ws.close()


def test_files_logged_before_loaded_into_are_still_found(tmp_path: Path) -> None:
    """A warehouse made before load_log kept ``loaded_into`` gains the column blank when opened;
    its old files are found by their rows, new loads say their table, and neither is lost."""
    path = tmp_path / "w.duckdb"
    ws = Workspace(path)
    ws.load("police-uk", [street_file(tmp_path / "in", "2018-11", 3)])
    logged = ws.con.table("load_log").to_pandas()
    assert list(logged["loaded_into"]) == ["police_uk_street"]
    ws.con.raw_sql("ALTER TABLE load_log DROP COLUMN loaded_into")  # as an older peelstat left it
    ws.close()

    ws = Workspace(path)
    assert ws.con.table("load_log").to_pandas()["loaded_into"].isna().all()
    ws.load("police-uk", [street_file(tmp_path / "in", "2018-12", 5)])
    outcomes, street = data_sources(ws.con, ["police_uk_street", "police_uk_outcomes"]).tables
    assert (outcomes.table, street.table) == ("police_uk_outcomes", "police_uk_street")
    assert (street.files, street.rows) == (2, 8)
    assert (outcomes.files, outcomes.rows) == (0, 0)
    assert ws.con.table("load_log").to_pandas()["loaded_into"].isna().sum() == 1
    ws.close()
