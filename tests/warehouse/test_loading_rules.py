"""The loading rules, through the police.uk source: each bad input says what is wrong and
loses or double-counts nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from peelstat.errors import HeaderMismatchError, IngestError, UnitsRefused
from peelstat.reference import forces as forces_table
from peelstat.sources.police_uk import STREET_HEADER, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source, load_unit


@pytest.fixture
def con(warehouse_path: Path):
    connection = connect(warehouse_path)
    yield connection
    connection.disconnect()


def _load(con, *paths: Path, **options):
    source = PoliceUkArchive()
    try:
        return load_source(con, source, list(paths), **options)
    finally:
        source.close()


def _snapshot(con) -> dict[str, object]:
    """Everything a load could change, to compare before and after."""
    sql = con.raw_sql
    return {
        "street": sql(
            "SELECT source_file, count(*), sum(source_line) FROM police_uk_street "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall(),
        "outcomes": sql("SELECT count(*) FROM police_uk_outcomes").fetchall(),
        "log": sql("SELECT file, sha256, rows_loaded FROM load_log ORDER BY file").fetchall(),
        "rejected": sql("SELECT file, line, reason FROM rejected_rows ORDER BY ALL").fetchall(),
    }


def _street_count(con, force: str | None = None) -> int:
    where = f"WHERE force = '{force}'" if force else ""
    return con.raw_sql(f"SELECT count(*) FROM police_uk_street {where}").fetchone()[0]


def _two_forces(files) -> Path:
    files.write("street", "2018-10", "kent", files.street_rows("2018-10", "kent", 30))
    files.write("street", "2018-10", "essex", files.street_rows("2018-10", "essex", 20))
    return files.root / "extracted"


def test_same_file_twice_is_loaded_once(con, police_uk_files) -> None:
    folder = _two_forces(police_uk_files)
    first = _load(con, folder)
    assert (first.count("loaded"), first.rows_loaded) == (2, 50)
    before = _snapshot(con)
    again = _load(con, folder)
    assert again.count("skipped") == 2 and again.rows_loaded == 0
    assert _snapshot(con) == before
    assert _street_count(con) == 50


def test_changed_file_replaces_exactly_its_own_rows(con, police_uk_files) -> None:
    folder = _two_forces(police_uk_files)
    _load(con, folder)
    essex_before = con.raw_sql(
        "SELECT * EXCLUDE (source_line) FROM police_uk_street WHERE force = 'essex' ORDER BY ALL"
    ).fetchall()
    police_uk_files.write(
        "street", "2018-10", "kent", police_uk_files.street_rows("2018-10", "kent", 12, start=100)
    )
    report = _load(con, folder)
    assert {u.file: u.outcome for u in report.units} == {
        "police-uk/2018-10/essex/street": "skipped",
        "police-uk/2018-10/kent/street": "replaced",
    }
    assert _street_count(con, "kent") == 12
    assert con.raw_sql(
        "SELECT min(longitude) FROM police_uk_street WHERE force = 'kent'"
    ).fetchone()[0] == pytest.approx(-0.4)
    essex_after = con.raw_sql(
        "SELECT * EXCLUDE (source_line) FROM police_uk_street WHERE force = 'essex' ORDER BY ALL"
    ).fetchall()
    assert essex_after == essex_before
    log = con.raw_sql("SELECT file, rows_loaded FROM load_log ORDER BY file").fetchall()
    assert log == [("police-uk/2018-10/essex/street", 20), ("police-uk/2018-10/kent/street", 12)]


def test_same_data_zipped_after_extracted_is_skipped(con, police_uk_files) -> None:
    folder = _two_forces(police_uk_files)
    archive = police_uk_files.zip()
    _load(con, folder)
    before = _snapshot(con)
    report = _load(con, archive)
    assert report.count("skipped") == 2
    assert _snapshot(con) == before


def test_wrong_header_fails_naming_file_and_columns_and_loads_nothing(con, police_uk_files) -> None:
    folder = _two_forces(police_uk_files)
    _load(con, folder)
    before = _snapshot(con)
    bad_header = [*STREET_HEADER[:9], "Crime category", *STREET_HEADER[10:]]
    path = police_uk_files.write(
        "street",
        "2018-11",
        "kent",
        police_uk_files.street_rows("2018-11", "kent", 5),
        header=bad_header,
        folder="next",
    )
    with pytest.raises(UnitsRefused) as error:
        _load(con, path)
    assert isinstance(error.value.errors[0], HeaderMismatchError)
    message = str(error.value)
    assert "1 file(s) refused, nothing from them loaded" in message
    assert str(path) in message
    assert "missing ['Crime type']" in message and "unexpected ['Crime category']" in message
    assert str(STREET_HEADER) in message
    assert _snapshot(con) == before


def test_a_bad_file_mid_load_stops_no_other_file(con, police_uk_files) -> None:
    police_uk_files.write(
        "street", "2018-10", "essex", police_uk_files.street_rows("2018-10", "essex", 7)
    )
    police_uk_files.write(
        "street",
        "2018-10",
        "kent",
        [r[:-1] for r in police_uk_files.street_rows("2018-10", "kent", 3)],
        header=STREET_HEADER[:-1],
    )
    police_uk_files.write(
        "street", "2018-10", "sussex", police_uk_files.street_rows("2018-10", "sussex", 4)
    )
    with pytest.raises(UnitsRefused) as raised:
        _load(con, police_uk_files.root / "extracted")
    assert [type(e) for e in raised.value.errors] == [HeaderMismatchError]
    assert "The other files loaded: 2 files, 11 rows" in str(raised.value)
    assert _street_count(con) == 11  # the file after the bad one loads too
    assert con.raw_sql("SELECT file FROM load_log ORDER BY file").fetchall() == [
        ("police-uk/2018-10/essex/street",),
        ("police-uk/2018-10/sussex/street",),
    ]


def test_malformed_rows_go_to_rejected_rows_and_good_rows_load(con, police_uk_files) -> None:
    rows = police_uk_files.street_rows("2018-10", "kent", 10)
    rows[2] = rows[2][:4]
    rows[5][5] = "fifty-one"
    path = police_uk_files.write("street", "2018-10", "kent", rows)
    report = _load(con, path)
    assert (report.rows_loaded, report.rows_rejected) == (8, 2)
    assert report.units[0].rows_rejected == 2
    rejected = con.raw_sql(
        "SELECT file, source, line, reason, raw FROM rejected_rows ORDER BY line"
    ).fetchall()
    lines = path.read_text().splitlines()
    assert rejected == [
        (
            "police-uk/2018-10/kent/street",
            "police-uk",
            4,
            "wrong number of fields: expected 12, found 4",
            lines[3],
        ),
        (
            "police-uk/2018-10/kent/street",
            "police-uk",
            7,
            "unparseable Latitude 'fifty-one'",
            lines[6],
        ),
    ]
    loaded_lines = con.raw_sql("SELECT source_line FROM police_uk_street ORDER BY 1").fetchall()
    assert [n for (n,) in loaded_lines] == [2, 3, 5, 6, 8, 9, 10, 11]
    assert con.raw_sql("SELECT rows_loaded, rows_rejected FROM load_log").fetchall() == [(8, 2)]


def test_rows_of_another_month_are_rejected(con, police_uk_files) -> None:
    rows = police_uk_files.street_rows("2018-10", "kent", 6)
    rows[4][1] = "2018-09"
    _load(con, police_uk_files.write("street", "2018-10", "kent", rows))
    assert con.raw_sql("SELECT line, reason FROM rejected_rows").fetchall() == [
        (6, "month 2018-09 in the file for 2018-10")
    ]
    assert con.raw_sql("SELECT DISTINCT month::VARCHAR FROM police_uk_street").fetchall() == [
        ("2018-10-01",)
    ]
    assert _street_count(con) == 5


def test_truncated_zip_is_a_clear_error_and_changes_nothing(con, police_uk_files) -> None:
    _load(con, _two_forces(police_uk_files))
    before = _snapshot(con)
    police_uk_files.write(
        "street",
        "2018-11",
        "kent",
        police_uk_files.street_rows("2018-11", "kent", 400),
        folder="nov",
    )
    archive = police_uk_files.zip("nov", "2018-11.zip")
    archive.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(IngestError, match="truncated") as error:
        _load(con, archive)
    assert str(archive) in str(error.value)
    assert _snapshot(con) == before


def test_corrupt_zip_member_loads_nothing_from_the_archive(con, police_uk_files) -> None:
    for force in ("essex", "kent"):
        police_uk_files.write(
            "street", "2018-10", force, police_uk_files.street_rows("2018-10", force, 300)
        )
    archive = police_uk_files.zip()
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(UnitsRefused, match="corrupt or truncated zip archive") as raised:
        _load(con, archive)
    assert len(raised.value.errors) == 1  # the archive once, not once per member
    assert _snapshot(con)["log"] == [] and _street_count(con) == 0


def test_unknown_force_slug_is_an_error_with_suggestions(con, police_uk_files) -> None:
    police_uk_files.write(
        "street", "2018-10", "kent", police_uk_files.street_rows("2018-10", "kent", 3)
    )
    police_uk_files.write(
        "street", "2018-10", "avon-and-somerst", police_uk_files.street_rows("2018-10", "kent", 3)
    )
    with pytest.raises(IngestError) as error:
        _load(con, police_uk_files.root / "extracted")
    assert "unknown force slug 'avon-and-somerst'" in str(error.value)
    assert "avon-and-somerset" in str(error.value)
    assert _snapshot(con)["log"] == []


def test_small_batches_give_the_same_warehouse(warehouse_path, tmp_path, police_uk_files) -> None:
    folder = _two_forces(police_uk_files)
    police_uk_files.write(
        "outcomes",
        "2018-10",
        "kent",
        police_uk_files.outcome_rows("2018-10", "kent", ["a" * 64] * 3),
    )
    whole = connect(warehouse_path)
    _load(whole, folder)
    batched = connect(tmp_path / "batched.duckdb")
    _load(batched, folder, batch_rows=1)
    assert _snapshot(whole) == _snapshot(batched)  # every unit logged, even mid-group commits
    again = _load(batched, folder, batch_rows=1)
    assert again.count("skipped") == len(again.units) and again.rows_loaded == 0
    assert _snapshot(batched) == _snapshot(whole)  # re-running never double-counts


def test_progress_callback_hears_of_every_unit(con, police_uk_files) -> None:
    folder = _two_forces(police_uk_files)
    heard: list[tuple[str, int]] = []

    class Callback:
        total = 0

        def start(self, units) -> None:
            Callback.total = len(units)

        def __call__(self, unit, rows: int) -> None:
            heard.append((unit.name, rows))

    _load(con, folder, on_unit_done=Callback())
    assert Callback.total == 2
    assert sorted(heard) == [
        ("police-uk/2018-10/essex/street", 20),
        ("police-uk/2018-10/kent/street", 30),
    ]


def test_load_unit_alone_uses_the_arrow_path_with_the_same_result(con, police_uk_files) -> None:
    path = police_uk_files.write(
        "street", "2018-10", "kent", police_uk_files.street_rows("2018-10", "kent", 9)
    )
    source = PoliceUkArchive()
    (unit,) = source.discover([path])
    assert load_unit(con, source, unit).outcome == "loaded"
    assert load_unit(con, source, unit).outcome == "skipped"
    assert _street_count(con) == 9


def test_progress_bar_shows_rows_per_second(con, police_uk_files) -> None:
    import io

    from rich.console import Console

    from peelstat.warehouse.progress import loading_progress

    folder = _two_forces(police_uk_files)
    out = io.StringIO()
    with loading_progress("Loading police-uk", console=Console(file=out, width=150)) as callback:
        _load(con, folder, on_unit_done=callback)
    text = out.getvalue()
    assert "Loading police-uk" in text and "2/2" in text
    assert "50 rows" in text and "rows/s" in text


# ---- interrupted load -----------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import dataclasses, sys, time
    from pathlib import Path
    from peelstat.sources.police_uk import PoliceUkArchive
    from peelstat.warehouse import batch, loading
    from peelstat.warehouse.connect import connect

    warehouse, folder, marker, moment = sys.argv[1:5]
    source = PoliceUkArchive()
    insert, prepare = batch.Batch._insert_native, source.prepare_duckdb

    def wait_here():
        Path(marker).touch()
        time.sleep(60)

    def insert_then_wait(*args, **kwargs):
        done = insert(*args, **kwargs)  # the rows are in the table; the transaction is open
        wait_here()
        return done

    def prepare_then_wait(*args, **kwargs):
        prepared = prepare(*args, **kwargs)  # the file is read; nothing written yet
        wait_here()
        return prepared

    def combine_then_wait(natives):
        group = combine(natives)  # a group writer inserts, then waits before its commit
        finish = group.finish

        def finish_then_wait(con, inserted):
            done = finish(con, inserted)
            wait_here()
            return done

        return dataclasses.replace(group, finish=finish_then_wait)

    combine = source.combine_duckdb
    if moment == "after-insert":
        batch.Batch._insert_native = insert_then_wait
    elif moment == "in-group-writer":
        source.combine_duckdb = combine_then_wait
    else:
        source.prepare_duckdb = prepare_then_wait
    loading.load_source(connect(warehouse), source, [Path(folder)])
    """
)
ROWS = 50_000


def _big_street_file(files, rows: int, forces: tuple[str, ...] = ("kent",)) -> Path:
    header = ",".join(STREET_HEADER)
    line = "{:064x},2018-11,{name},{name},0.5,51.2,On or near X,E01,Kent 001A,Burglary,,"
    folder = files.root / "big"
    names = forces_table().set_index("slug")["police_uk_name"]
    for force in forces:
        path = folder / "2018-11" / f"2018-11-{force}-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n".join(line.format(i, name=names[force]) for i in range(rows))
        path.write_text(header + "\n" + body + "\n")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["after-insert", "after-reading", "in-group-writer"])
def test_killed_load_leaves_the_warehouse_as_it_was(
    warehouse_path, police_uk_files, moment
) -> None:
    con = connect(warehouse_path)
    _load(con, _two_forces(police_uk_files))
    before = _snapshot(con)
    con.disconnect()
    # two files go in as one combined group, written by a group writer
    forces = ("kent", "essex") if moment == "in-group-writer" else ("kent",)
    big = _big_street_file(police_uk_files, ROWS, forces)
    marker = police_uk_files.root / "inside-transaction"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(warehouse_path), str(big), str(marker), moment],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists(), "the child never reached the moment to be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    con = connect(warehouse_path)
    assert _snapshot(con) == before
    report = _load(con, big)
    assert report.count("loaded") == len(forces) and report.rows_loaded == ROWS * len(forces)
    assert _street_count(con, "kent") == 30 + ROWS
    lines = con.raw_sql(
        "SELECT min(source_line), max(source_line), count(DISTINCT source_line) "
        "FROM police_uk_street WHERE month = DATE '2018-11-01'"
    ).fetchone()
    assert lines == (2, ROWS + 1, ROWS)
    con.disconnect()


@pytest.mark.slow
def test_units_combined_into_one_insert_keep_their_own_line_numbers(con, police_uk_files) -> None:
    """Each row's Location names its line; several large files go in as one insert."""
    sizes = {"kent": 90_000, "essex": 60_000, "avon-and-somerset": 70_000}
    for force, n in sizes.items():
        rows = police_uk_files.street_rows("2018-10", force, n)
        for number, row in enumerate(rows, start=2):
            row[6] = f"Line {number}"
        rows[n // 2][5] = "far"
        police_uk_files.write("street", "2018-10", force, rows)
    report = _load(con, police_uk_files.root / "extracted")
    assert {u.file: u.rows_loaded for u in report.units} == {
        f"police-uk/2018-10/{f}/street": n - 1 for f, n in sizes.items()
    }
    wrong = con.raw_sql(
        "SELECT count(*) FROM police_uk_street WHERE location <> 'Line ' || source_line"
    ).fetchone()[0]
    assert wrong == 0
    rejected = con.raw_sql("SELECT file, line FROM rejected_rows ORDER BY 1").fetchall()
    assert rejected == sorted(
        (f"police-uk/2018-10/{f}/street", n // 2 + 2) for f, n in sizes.items()
    )


def test_two_different_files_for_one_unit_in_one_zip_keep_the_last(con, police_uk_files) -> None:
    files = police_uk_files
    files.write("street", "2018-10", "kent", files.street_rows("2018-10", "kent", 4))
    files.write(
        "street",
        "2018-10",
        "kent",
        files.street_rows("2018-10", "kent", 6),
        folder="extracted/again",
    )
    report = _load(con, files.zip())
    # one unit, counted once, with the rows of the copy kept (the report counts the table)
    assert [(u.outcome, u.rows_loaded) for u in report.units] == [("loaded", 6)]
    assert con.raw_sql("SELECT file, rows_loaded FROM load_log").fetchall() == [
        ("police-uk/2018-10/kent/street", report.units[-1].rows_loaded)
    ]
    assert _street_count(con, "kent") == report.units[-1].rows_loaded


def test_checksums_are_worked_out_at_most_one_place_ahead(tmp_path: Path) -> None:
    """The background hashing never extracts a third archive while the loader is on the first."""
    from peelstat.sources.base import SourceFile
    from peelstat.warehouse.writers import DigestsAhead

    units = []
    for place in ("a", "b", "c"):
        (tmp_path / place).mkdir()
        for name in ("x", "y"):
            path = tmp_path / place / f"{name}.csv"
            path.write_text(f"{place}{name}\n")
            units.append(SourceFile(name=f"{place}/{name}", table="t", path=path))
    with DigestsAhead(units) as digests:
        assert digests.of(units[0]) == units[0].sha256()
        assert {u.name for u in digests.futures} == {"a/x", "a/y", "b/x", "b/y"}
        assert [digests.of(u) for u in units] == [u.sha256() for u in units]
        assert units[-1].lines() == 1


def test_group_writers_give_the_same_warehouse_and_restore_threads(
    warehouse_path, tmp_path, police_uk_files
) -> None:
    """One writer or four, small groups or large: the same rows, lines, rejects and log."""
    from peelstat.warehouse import batch

    for force, n in (("kent", 300), ("essex", 200), ("surrey", 250), ("dorset", 120)):
        police_uk_files.write(
            "street", "2018-10", force, police_uk_files.street_rows("2018-10", force, n)
        )
    rows = police_uk_files.street_rows("2018-10", "sussex", 80)
    rows[10][4] = "not a number"
    police_uk_files.write("street", "2018-10", "sussex", rows)
    folder = police_uk_files.root / "extracted"
    one = connect(warehouse_path)
    one.raw_sql("SET threads = 2")
    _load(one, folder, writers=1)
    assert one.raw_sql("SELECT current_setting('threads')").fetchone()[0] == 2
    many = connect(tmp_path / "many.duckdb")
    original, batch.MAX_GROUP_RECORDS = batch.MAX_GROUP_RECORDS, 300  # groups of 1-2 files
    try:
        report = _load(many, folder, writers=4)
    finally:
        batch.MAX_GROUP_RECORDS = original
    assert report.count("loaded") == 5 and report.rows_rejected == 1
    assert _snapshot(one) == _snapshot(many)
    assert _snapshot(many)["rejected"][0][1] == 12  # header + 10 rows before it + itself


def test_slow_group_writers_never_lose_an_archive_to_the_next_extraction(
    warehouse_path, tmp_path, monkeypatch
) -> None:
    """Writers still busy with one zip while the loader extracts the next two: all goes in."""
    import time as clock

    from peelstat.demo.archives import generate_archives
    from peelstat.warehouse import writers

    forces = ["kent", "essex", "surrey"]
    months = ["2019-09", "2019-10", "2019-11", "2019-12"]
    zips = generate_archives(tmp_path / "zips", months, forces=forces, scale=0.01)
    write = writers.GroupWriters._write

    def slow_write(self, *args):  # type: ignore[no-untyped-def]
        clock.sleep(0.3)
        return write(self, *args)

    monkeypatch.setattr(writers.GroupWriters, "_write", slow_write)
    con = connect(warehouse_path)
    report = _load(con, *zips, writers=3)
    assert report.count("loaded") == len(months) * len(forces) * 3
    logged = con.raw_sql("SELECT count(*) FROM load_log").fetchone()[0]
    files = con.raw_sql("SELECT count(DISTINCT source_file) FROM police_uk_street").fetchone()[0]
    assert logged == len(months) * len(forces) * 3 and files == len(months) * len(forces)


def test_a_unit_given_again_waits_for_a_slow_group_writer(
    con, police_uk_files, monkeypatch
) -> None:
    """The second copy of a unit replaces the first even while a writer still holds it."""
    import time as clock

    from peelstat.warehouse import writers

    files = police_uk_files
    files.write("street", "2018-10", "essex", files.street_rows("2018-10", "essex", 5))
    files.write("street", "2018-10", "kent", files.street_rows("2018-10", "kent", 4))
    again = files.street_rows("2018-10", "kent", 6)
    files.write("street", "2018-10", "kent", again, folder="extracted/again")
    write = writers.GroupWriters._write

    def slow_write(self, *args):  # type: ignore[no-untyped-def]
        clock.sleep(0.5)
        return write(self, *args)

    monkeypatch.setattr(writers.GroupWriters, "_write", slow_write)
    report = _load(con, files.zip())
    assert sorted(u.outcome for u in report.units) == ["loaded", "loaded"]
    assert report.rows_loaded == 6 + 5
    assert _street_count(con, "kent") == 6 and _street_count(con, "essex") == 5
    logged = con.raw_sql("SELECT file, rows_loaded FROM load_log ORDER BY file").fetchall()
    assert logged == [("police-uk/2018-10/essex/street", 5), ("police-uk/2018-10/kent/street", 6)]


def test_changed_files_in_a_group_replace_their_rows_only(con, police_uk_files) -> None:
    files = police_uk_files
    for force, n in (("kent", 7), ("essex", 5), ("surrey", 3)):
        files.write("street", "2018-10", force, files.street_rows("2018-10", force, n))
    folder = files.root / "extracted"
    _load(con, folder, writers=3)
    for force, n in (("kent", 9), ("essex", 2)):
        path = folder / "2018-10" / f"2018-10-{force}-street.csv"
        path.unlink()
        files.write("street", "2018-10", force, files.street_rows("2018-10", force, n, start=100))
    report = _load(con, folder, writers=3)
    assert sorted(u.outcome for u in report.units) == ["replaced", "replaced", "skipped"]
    counts = {f: _street_count(con, f) for f in ("kent", "essex", "surrey")}
    assert counts == {"kent": 9, "essex": 2, "surrey": 3}
    assert con.raw_sql("SELECT count(*) FROM load_log").fetchone()[0] == 3


def test_a_writer_failing_at_the_end_leaves_the_connection_clean(
    con, police_uk_files, monkeypatch
) -> None:
    """The error is raised; the threads setting, writers and transaction are all put back."""
    import threading

    from peelstat.warehouse import writers

    for force, n in (("kent", 4), ("essex", 5)):
        police_uk_files.write(
            "street", "2018-10", force, police_uk_files.street_rows("2018-10", force, n)
        )
    con.raw_sql("SET threads = 2")

    def failing_write(self, *args):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(writers.GroupWriters, "_write", failing_write)
    with pytest.raises(RuntimeError, match="disk full"):
        _load(con, police_uk_files.root / "extracted")
    assert con.raw_sql("SELECT current_setting('threads')").fetchone()[0] == 2
    assert not [t for t in threading.enumerate() if t.name.startswith("peelstat-writer")]
    assert (
        _street_count(con) == 0 and con.raw_sql("SELECT count(*) FROM load_log").fetchone()[0] == 0
    )
    monkeypatch.undo()
    report = _load(con, police_uk_files.root / "extracted")  # the same connection loads again
    assert report.count("loaded") == 2 and _street_count(con) == 9


def test_writer_cursors_read_timestamps_in_the_connections_time_zone(con) -> None:
    from peelstat.warehouse.writers import GroupWriters

    con.raw_sql("SET TimeZone = 'America/New_York'")
    group_writers = GroupWriters(con.con, 1)
    try:
        cursor = group_writers._cursor()
        assert (
            cursor.execute("SELECT current_setting('TimeZone')").fetchone()[0] == "America/New_York"
        )
    finally:
        group_writers.close()


def test_a_zip_downloaded_again_to_the_same_path_is_read_afresh(con, police_uk_files) -> None:
    """One source object used for two loads: the new archive's rows replace the old ones."""
    files = police_uk_files
    files.write("street", "2018-10", "kent", files.street_rows("2018-10", "kent", 5))
    archive = files.zip()
    source = PoliceUkArchive()
    try:
        load_source(con, source, [archive])
        (files.root / "extracted" / "2018-10" / "2018-10-kent-street.csv").unlink()
        files.write("street", "2018-10", "kent", files.street_rows("2018-10", "kent", 9))
        again = files.zip()
        assert again == archive  # the same path, new bytes
        report = load_source(con, source, [archive])
    finally:
        source.close()
    assert report.count("replaced") == 1 and _street_count(con, "kent") == 9


def test_fetch_loads_through_the_duckdb_native_path() -> None:
    from peelstat.sources.base import DuckDBNative
    from peelstat.sources.police_uk_fetch import OnlyMembers

    narrowed = OnlyMembers(PoliceUkArchive(), ["2019-01"], ["kent"])
    assert isinstance(narrowed, DuckDBNative) and hasattr(narrowed, "combine_duckdb")
