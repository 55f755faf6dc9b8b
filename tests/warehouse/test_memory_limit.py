"""DuckDB's memory is bounded by PEELSTAT_DUCKDB_MEMORY, on write and read-only opens alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelstat.errors import BadInputError
from peelstat.warehouse.connect import connect


def memory_limit_mib(con) -> float:  # type: ignore[no-untyped-def]
    text = con.raw_sql("SELECT current_setting('memory_limit')").fetchone()[0]
    number, unit = text.split()
    return float(number) * {"MiB": 1.0, "GiB": 1024.0, "KiB": 1 / 1024}[unit]


def test_the_setting_bounds_duckdb_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEELSTAT_DUCKDB_MEMORY", "512MB")
    writer = connect(tmp_path / "w.duckdb")
    assert memory_limit_mib(writer) == pytest.approx(512e6 / 2**20, rel=0.01)
    writer.disconnect()
    monkeypatch.setenv("PEELSTAT_DUCKDB_MEMORY", "1GB")
    reader = connect(tmp_path / "w.duckdb", create=False)
    assert memory_limit_mib(reader) == pytest.approx(1e9 / 2**20, rel=0.01)


def test_a_size_that_is_not_one_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEELSTAT_DUCKDB_MEMORY", "4GB'; DROP TABLE x; --")
    with pytest.raises(BadInputError, match="PEELSTAT_DUCKDB_MEMORY"):
        connect(tmp_path / "w.duckdb")
