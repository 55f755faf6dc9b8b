"""Opening a warehouse that is busy, read-only, or not a warehouse: a message, never a traceback."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from peelstat.errors import WarehouseBusyError, WarehouseUnreadableError
from peelstat.warehouse.connect import connect
from peelstat.warehouse.opening import is_read_only


def peelstat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peelstat.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def held_by_another_process(path: Path, *, read_only: bool) -> Iterator[int]:
    """Another process with the warehouse open (as a running load or reader has it)."""
    code = (
        "import duckdb, sys; "
        f"c = duckdb.connect({str(path)!r}, read_only={read_only}); "
        "print('ready', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_second_load_names_the_process_that_is_writing(
    warehouse_path: Path, police_uk_files
) -> None:
    connect(warehouse_path).disconnect()
    street = police_uk_files.write("street", "2019-03", "kent", police_uk_files.street_rows(
        "2019-03", "kent", 5))  # fmt: skip
    with held_by_another_process(warehouse_path, read_only=False) as pid:
        result = peelstat("load", "police-uk", str(street), "--warehouse", str(warehouse_path))
        with pytest.raises(WarehouseBusyError) as raised:
            connect(warehouse_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Another peelstat process (PID {pid}" in result.stderr
    assert "is writing this warehouse" in result.stderr
    assert "use another warehouse" in result.stderr
    assert raised.value.pid == pid


def test_status_opens_read_only_beside_another_reader(warehouse_path: Path) -> None:
    """A read-write open would be refused while another process reads; read-only is not."""
    connect(warehouse_path).disconnect()
    before = warehouse_path.read_bytes()
    with held_by_another_process(warehouse_path, read_only=True):
        result = peelstat("status", "--warehouse", str(warehouse_path))
    assert result.returncode == 0, result.stderr
    assert "The warehouse is empty" in result.stdout
    assert warehouse_path.read_bytes() == before


def test_a_read_only_connection_lacks_no_table_and_writes_nothing(warehouse_path: Path) -> None:
    with duckdb.connect(str(warehouse_path)) as bare:  # a file with none of peelstat's tables
        bare.execute("CREATE TABLE unrelated (x INTEGER)")
    con = connect(warehouse_path, create=False)
    assert is_read_only(con)
    assert con.table("police_uk_street").count().execute() == 0
    with pytest.raises(duckdb.Error, match="read-only"):
        con.raw_sql("CREATE TABLE street_copy AS SELECT 1")  # type: ignore[attr-defined]
    con.disconnect()
    with duckdb.connect(str(warehouse_path), read_only=True) as check:
        assert [r[0] for r in check.execute("SHOW TABLES").fetchall()] == ["unrelated"]


def test_the_measure_cache_is_not_written_through_a_read_only_connection(
    warehouse_path: Path,
) -> None:
    from peelstat.measures.cache import CACHE_TABLE, cached_frame

    connect(warehouse_path).disconnect()
    con = connect(warehouse_path, create=False)
    import pandas as pd

    frame = pd.DataFrame({"period_end": [pd.Timestamp("2019-03-31")], "definition_note": ["x"],
                          "denominator_note": ["y"]})  # fmt: skip
    assert cached_frame(con, "k", [dt.date(2019, 3, 31)], 12, lambda months: frame).equals(frame)
    assert CACHE_TABLE not in con.list_tables()


@pytest.mark.parametrize("command", [["status"], ["rejected"], ["load", "police-uk", "."]])
def test_a_file_that_is_not_a_warehouse_gets_a_message(tmp_path: Path, command) -> None:
    notes = tmp_path / "notes.duckdb"
    notes.write_text("These are my notes, not a database.\n" * 200)
    result = peelstat(*command, "--warehouse", str(notes))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Cannot open the warehouse {notes}" in result.stderr
    assert "not a DuckDB database" in result.stderr
    with pytest.raises(WarehouseUnreadableError):
        connect(notes, create=False)


@pytest.mark.parametrize("command", [["status"], ["load", "police-uk", "."]])
def test_a_warehouse_path_under_a_regular_file_gets_a_message(tmp_path: Path, command) -> None:
    (tmp_path / "report.txt").write_text("a file, not a folder\n")
    inside = tmp_path / "report.txt" / "w.duckdb"
    result = peelstat(*command, "--warehouse", str(inside))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'report.txt'} is a file, not a folder" in result.stderr
