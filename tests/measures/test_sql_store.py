"""Compiled SQL kept on disk: a new process reads it instead of compiling, gets exactly the
frame a compilation gives, and a stale, damaged or unwritable store only means compiling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import peelstat.measures.compiled as compiled
from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.measures.compile import compute_measures
from peelstat.measures.compiled import forget_compiled
from peelstat.measures.sql_store import source_digest
from peelstat.warehouse.connect import connect

FORCES = ["dorset", "kent"]
MEASURES = ["police_uk_burglary", "charge_rate", "stop_search_disparity_black", "homicide"]


def frame(con) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return compute_measures(con, MEASURES, start="2018-06", end="2019-03", forces=FORCES,
                            national=False, use_cache=False)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sql-cache"
    monkeypatch.setenv("PEELSTAT_SQL_CACHE", str(folder))
    forget_compiled()
    return folder


@pytest.fixture
def con(tmp_path: Path):  # type: ignore[no-untyped-def]
    con = connect(str(tmp_path / "warehouse.duckdb"))
    load_tables(con, warehouse_tables(first_month="2017-01", months=30, forces=FORCES))
    yield con
    con.disconnect()


def compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count compilations from now on."""
    calls: list[int] = []
    original = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda *a: calls.append(1) or original(*a))
    return calls


def test_a_fresh_process_memory_reads_the_stored_sql(store, con, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = frame(con)
    assert len(list(store.glob("*.json"))) == 1
    forget_compiled()  # what a new process starts with
    calls = compiles(monkeypatch)
    again = frame(con)
    assert calls == []
    pd.testing.assert_frame_equal(again, first)


def test_another_process_computes_without_compiling(store, con, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = frame(con)
    path = tmp_path / "warehouse.duckdb"
    con.disconnect()
    script = f"""
import pandas as pd
import peelstat.measures.compiled as compiled
from peelstat.measures.compile import compute_measures
from peelstat.warehouse.connect import connect
def refuse(*a):
    raise AssertionError("compiled again")
compiled._compile = refuse
con = connect({str(path)!r})
compute_measures(con, {MEASURES!r}, start="2018-06", end="2019-03", forces={FORCES!r},
                 national=False, use_cache=False).to_pickle({str(tmp_path / "out.pickle")!r})
"""
    env = {**os.environ, "PEELSTAT_SQL_CACHE": str(store)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=300)
    pd.testing.assert_frame_equal(pd.read_pickle(tmp_path / "out.pickle"), first)


def test_new_code_gets_a_new_key(store, con, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    frame(con)
    forget_compiled()
    monkeypatch.setattr(compiled, "code_version", lambda: "an edited peelstat")
    calls = compiles(monkeypatch)
    frame(con)
    assert calls == [1]
    assert len(list(store.glob("*.json"))) == 2


def test_an_edited_module_changes_the_code_digest(tmp_path: Path) -> None:
    """What the key's code part rests on: an edit, even one of the same size, a new or a
    renamed module each give a new digest; nothing changed gives the same one."""
    package = tmp_path / "package"
    (package / "measures").mkdir(parents=True)
    module = package / "measures" / "counts.py"
    module.write_text("A = 1\n")
    (package / "notes.txt").write_text("not code")
    first = source_digest(package, "v")
    assert source_digest(package, "v") == first
    assert source_digest(package, "other versions") != first
    stamp = module.stat().st_mtime_ns
    module.write_text("A = 2\n")  # same size
    os.utime(module, ns=(stamp + 10**9, stamp + 10**9))
    edited = source_digest(package, "v")
    assert edited != first
    (package / "new.py").write_text("")
    assert source_digest(package, "v") not in (first, edited)
    (package / "notes.txt").write_text("still not code, longer")
    (package / "new.py").rename(package / "renamed.py")
    assert source_digest(package, "v") not in (first, edited)


def test_a_damaged_file_is_compiled_again_and_replaced(store, con, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = frame(con)
    (stored,) = store.glob("*.json")
    stored.write_text(stored.read_text()[:500])  # cut short, as by a full disk
    forget_compiled()
    calls = compiles(monkeypatch)
    pd.testing.assert_frame_equal(frame(con), first)
    assert calls == [1]
    assert json.loads(stored.read_text())["rows_sql"]


def test_an_unwritable_store_keeps_the_sql_in_memory(tmp_path, con, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("PEELSTAT_SQL_CACHE", str(blocker / "sql"))
    forget_compiled()
    first = frame(con)
    calls = compiles(monkeypatch)
    pd.testing.assert_frame_equal(frame(con), first)
    assert calls == []  # from memory


def test_off_writes_nothing(tmp_path, con, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PEELSTAT_SQL_CACHE", "off")
    monkeypatch.chdir(tmp_path)
    forget_compiled()
    frame(con)
    assert not list(tmp_path.rglob("*.json"))
