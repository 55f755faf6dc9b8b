"""999 call answering: the documented tidy CSV, validated row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.sources import get_source
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import LoadReport, load_source

HEADER = "force,month,calls_presented,answered_within_10s,mean_answer_seconds"


def load(warehouse: Path, *paths: Path) -> LoadReport:
    return load_source(connect(warehouse), get_source("call-answering"), list(paths))


def rows_of(warehouse: Path, table: str) -> pd.DataFrame:
    return connect(warehouse).table(table).to_pyarrow().to_pandas()


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def test_valid_rows_load_and_bad_counts_are_rejected_with_their_line(
    tmp_path: Path, warehouse_path: Path
) -> None:
    path = write(
        tmp_path / "calls.csv",
        "Kent,2023-01,20000,17000,6.5",
        "Kent Police,2023-02,18000,18001,5",
        "Kent,2023-03,-1,0,5",
        "Kent,2023-13,1,1,1",
        "Kentt,2023-04,1,1,1",
        "Essex,2022-12,15000,14000,",
        "Essex,2022-12,15000,14000,4",
        "Essex,2023-01,15000,14000,-3",
    )

    report = load(warehouse_path, path)

    assert [u.file for u in report.units] == [
        "call-answering/essex/2022-12",
        "call-answering/essex/2023-01",
        "call-answering/kent/2023-01",
        "call-answering/kent/2023-02",
        "call-answering/kent/2023-03",
    ]
    rows = rows_of(warehouse_path, "call_answering").sort_values("source_line")
    assert rows[["force", "month", "calls_presented", "answered_within_10s"]].values.tolist() == [
        ["kent", dt.date(2023, 1, 31), 20000, 17000],
        ["essex", dt.date(2022, 12, 31), 15000, 14000],
    ]
    assert rows["mean_answer_seconds"].iloc[0] == 6.5 and pd.isna(
        rows["mean_answer_seconds"].iloc[1]
    )
    reasons = rows_of(warehouse_path, "rejected_rows").set_index("line")["reason"].to_dict()
    assert reasons[3] == "answered within 10s (18001) is more than calls presented (18000)"
    assert reasons[4] == "calls presented is negative: '-1'"
    assert "no month 13" in reasons[5]
    assert "Unknown force 'Kentt'" in reasons[6] and "Kent" in reasons[6]
    assert reasons[8].startswith("repeats line 7 (essex, 2022-12-31")
    assert reasons[9] == "mean answer seconds is negative: -3.0"
    assert report.rows_rejected == 6


def test_same_force_month_from_a_renamed_file_replaces(
    tmp_path: Path, warehouse_path: Path
) -> None:
    load(warehouse_path, write(tmp_path / "a.csv", "Kent,2023-01,100,90,5"))
    report = load(warehouse_path, write(tmp_path / "b.csv", "Kent,2023-01,100,95,5"))

    assert [u.outcome for u in report.units] == ["replaced"]
    assert rows_of(warehouse_path, "call_answering")["answered_within_10s"].tolist() == [95]


def test_monthly_files_loaded_one_after_another_add_up(
    tmp_path: Path, warehouse_path: Path
) -> None:
    load(warehouse_path, write(tmp_path / "jan.csv", "Kent,2023-01,100,90,5"))
    report = load(warehouse_path, write(tmp_path / "feb.csv", "Kent,2023-02,80,70,5"))

    assert [(u.file, u.outcome) for u in report.units] == [
        ("call-answering/kent/2023-02", "loaded")
    ]
    rows = rows_of(warehouse_path, "call_answering").sort_values("month")
    assert rows["calls_presented"].tolist() == [100, 80]


def test_a_corrected_file_replaces_only_the_months_that_changed(
    tmp_path: Path, warehouse_path: Path
) -> None:
    months = ["Kent,2023-01,100,90,5", "Kent,2023-02,80,70,5", "Essex,2023-01,50,40,"]
    load(warehouse_path, write(tmp_path / "calls.csv", *months))
    months[1] = "Kent,2023-02,80,75,5"
    report = load(warehouse_path, write(tmp_path / "calls.csv", *months))

    outcomes = {u.file: u.outcome for u in report.units}
    assert outcomes == {
        "call-answering/essex/2023-01": "skipped",
        "call-answering/kent/2023-01": "skipped",
        "call-answering/kent/2023-02": "replaced",
    }
    rows = rows_of(warehouse_path, "call_answering")
    assert len(rows) == 3 and sorted(rows["answered_within_10s"]) == [40, 75, 90]


def test_two_files_covering_the_same_force_month_in_one_load_are_refused(
    tmp_path: Path, warehouse_path: Path
) -> None:
    first = write(tmp_path / "h1.csv", "Kent,2023-01,100,90,5")
    second = write(tmp_path / "h2.csv", "Kent,2023-01,100,91,5")
    with pytest.raises(IngestError, match=r"h1\.csv also covers call-answering/kent/2023-01"):
        load(warehouse_path, first, second)
    assert len(rows_of(warehouse_path, "call_answering")) == 0


def test_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("force,month,calls,answered\nKent,2023-01,1,1\n")
    with pytest.raises(HeaderMismatchError) as caught:
        get_source("call-answering").discover([path])
    assert str(path) in str(caught.value) and "'calls_presented'" in str(caught.value)


def test_a_cut_short_file_and_an_unclosed_quote_are_rejected_not_misread(
    tmp_path: Path, warehouse_path: Path
) -> None:
    cut = tmp_path / "cut.csv"
    cut.write_text(f"{HEADER}\nKent,2023-01,100,90,5\nKent,2023-0")  # an interrupted copy
    quote = tmp_path / "quote.csv"
    quote.write_text(
        f'{HEADER}\nEssex,2023-01,1,1,1\nEssex,2023-02,"100,90,5\nEssex,2023-03,1,1,1\n'
    )

    report = load(warehouse_path, cut, quote)

    loaded = rows_of(warehouse_path, "call_answering")
    # the unclosed quote costs its own line only: the row after it still loads
    assert sorted(loaded["force"] + " " + loaded["month"].astype(str)) == [
        "essex 2023-01-31",
        "essex 2023-03-31",
        "kent 2023-01-31",
    ]
    rejects = rows_of(warehouse_path, "rejected_rows").sort_values("reason")
    assert rejects[["line", "reason", "raw"]].values.tolist() == [
        [3, "the row has 2 cells where the header has 5: the file may be cut short, or the row "
         "is missing commas", "Kent,2023-0"],
        [3, "unclosed quote from line 3", 'Essex,2023-02,"100,90,5'],
    ]  # fmt: skip
    assert report.rows_loaded + report.rows_rejected == 5  # every data line, once
