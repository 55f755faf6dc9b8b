"""Frames stored at the end of a load serve the first report table, even a read-only one."""

from __future__ import annotations

from pathlib import Path

import pytest

import peelstat.measures.compile as compile_module
from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.measures.warm import data_months
from peelstat.workspace import Workspace


def test_a_read_only_report_table_after_a_load_computes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "warehouse.duckdb"
    writer = Workspace(path)
    load_tables(writer.con, warehouse_tables(first_month="2017-01", months=16))
    first, last = data_months(writer.con)  # type: ignore[misc]
    assert (str(first), str(last)) == ("2017-01-31", "2018-04-30")
    assert writer.store_measure_frames() == 16
    writer.close()
    computed: list[object] = []
    original = compile_module._compiled_frame
    monkeypatch.setattr(compile_module, "_compiled_frame",
                        lambda *a: computed.append(a) or original(*a))  # fmt: skip
    reader = Workspace(path, create=False)
    table = reader.report_table("dorset", "2018-04")
    assert computed == []  # every window read back from the stored frames
    assert any(row.value is not None for row in table.rows)
