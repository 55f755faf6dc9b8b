"""Local observations exported from a force's own systems (CSV or Excel)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.sources import get_source
from peelstat.sources.local import period_end
from peelstat.sources.tabular import RowProblem
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import LoadReport, load_source

ROWS = [
    ["Victim satisfaction", "Avon & Somerset", "2024-01", "412", "520"],
    ["Victim satisfaction", "Avon and Somerset Constabulary", "2024-02-29", "400", "500"],
    ["Days to charge", "avon-and-somerset", "2024-Q1", "5321.5", "230"],
    ["Days to charge", "Avon and Somerest", "2024-03", "1", "1"],
    ["Days to charge", "Kent", "31/03/2024", "-4", "10"],
    ["Days to charge", "Kent", "2024-04", "ten", "10"],
    ["Days to charge", "Kent", "sometime", "1", "1"],
    ["Victim satisfaction", "Kent", "2023-12", "10", ""],
]


def load(warehouse: Path, *paths: Path) -> LoadReport:
    return load_source(connect(warehouse), get_source("local"), list(paths))


def rows_of(warehouse: Path, table: str) -> pd.DataFrame:
    return connect(warehouse).table(table).to_pyarrow().to_pandas()


def test_period_end_is_tolerant() -> None:
    assert period_end("2024-02") == dt.date(2024, 2, 29)
    assert period_end("2024 Q4") == dt.date(2024, 12, 31)
    assert period_end("2024-03-31T00:00:00") == dt.date(2024, 3, 31)
    assert period_end("31/03/2024") == dt.date(2024, 3, 31)
    with pytest.raises(RowProblem):
        period_end("March")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_local_file_loads_resolves_forces_and_rejects_bad_rows(
    tmp_path: Path, warehouse_path: Path, suffix: str
) -> None:
    frame = pd.DataFrame(
        ROWS, columns=["measure", "force", "period_end", "numerator", "denominator"]
    )
    path = tmp_path / f"local{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False, sheet_name="Export")

    report = load(warehouse_path, path)

    assert sorted(u.file for u in report.units) == [
        "local/days-to-charge/avon-and-somerset/2024-03-31",
        "local/days-to-charge/kent/2024-03-31",
        "local/days-to-charge/kent/2024-04-30",
        "local/victim-satisfaction/avon-and-somerset/2024-01-31",
        "local/victim-satisfaction/avon-and-somerset/2024-02-29",
        "local/victim-satisfaction/kent/2023-12-31",
    ]
    rows = rows_of(warehouse_path, "local_observations").sort_values("source_line")
    assert rows[["measure", "force", "period_end", "numerator"]].values.tolist() == [
        ["Victim satisfaction", "avon-and-somerset", dt.date(2024, 1, 31), 412.0],
        ["Victim satisfaction", "avon-and-somerset", dt.date(2024, 2, 29), 400.0],
        ["Days to charge", "avon-and-somerset", dt.date(2024, 3, 31), 5321.5],
        ["Victim satisfaction", "kent", dt.date(2023, 12, 31), 10.0],
    ]
    assert pd.isna(rows["denominator"].iloc[-1])
    rejects = rows_of(warehouse_path, "rejected_rows").set_index("line")["reason"].to_dict()
    prefix = "sheet 'Export' row " if suffix == ".xlsx" else ""
    assert sorted(rejects) == [5, 6, 7, 8]
    assert "Unknown force 'Avon and Somerest'" in rejects[5] and "Avon and Somerset" in rejects[5]
    assert rejects[6] == f"{prefix}{'6: ' if prefix else ''}numerator is negative: -4"
    assert "numerator is not a number: 'ten'" in rejects[7]
    assert "period end is not YYYY-MM, YYYY-Qn or a date: 'sometime'" in rejects[8]


def test_wrong_header_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "local.csv"
    path.write_text("measure,force,date,value\n")
    with pytest.raises(HeaderMismatchError, match=r"local\.csv.*'period_end'.*'date'"):
        get_source("local").discover([path])


def test_truncated_workbook_says_so_and_leaves_the_warehouse_as_it_was(
    tmp_path: Path, warehouse_path: Path
) -> None:
    frame = pd.DataFrame(
        ROWS[:3], columns=["measure", "force", "period_end", "numerator", "denominator"]
    )
    frame.to_excel(tmp_path / "january.xlsx", index=False)
    load(warehouse_path, tmp_path / "january.xlsx")
    frame.iloc[:1].to_excel(tmp_path / "whole.xlsx", index=False)
    data = (tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])  # an interrupted download

    with pytest.raises(IngestError) as caught:
        load(warehouse_path, cut)

    message = str(caught.value)
    assert message.startswith(f"{cut}: cannot open it as a spreadsheet")
    assert "incomplete" in message and "Nothing was loaded" in message
    assert len(rows_of(warehouse_path, "local_observations")) == 3
    assert len(rows_of(warehouse_path, "load_log")) == 3
