"""Home Office recorded crime, rolling-year and crime outcomes tables: parsing and loading."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from peelstat.errors import HeaderMismatchError
from peelstat.sources import get_source
from peelstat.sources.home_office.common import NOT_A_FORCE, financial_year, quarter_end
from peelstat.sources.tabular import RowProblem
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import LoadReport, load_source

PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
PRC_ROWS = [
    "2017/18,1,Action Fraud,Fraud offences recorded by Action Fraud,Fraud offences,"
    "Fraud: action fraud,AF, 66776 ",
    "2017/18,1,Avon and Somerset,Absconding from lawful custody,Miscellaneous crimes,"
    "Miscellaneous crimes,80, 2 ",
    '2017/18,2,"London, City of",Bigamy,Miscellaneous crimes,Miscellaneous crimes,26, 1 ',
    "2017/18,3,Cambridgeshire,Bigamy,Miscellaneous crimes,Miscellaneous crimes,26,-1 ",
    "2017/18,4,Avon and Somerest,Bigamy,Miscellaneous crimes,Miscellaneous crimes,26, 3 ",
    "2017/18,5,Kent,Bigamy,Miscellaneous crimes,Miscellaneous crimes,26, 3 ",
    "2017/18,4,Kent,Bigamy,Miscellaneous crimes,Miscellaneous crimes,26, lots ",
    "2018/19,1,Kent,Bigamy,Miscellaneous crimes,Miscellaneous crimes,26, 4 ",
    "last year,1,Kent,Bigamy,Miscellaneous crimes,Miscellaneous crimes,26, 4 ",
]


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def load(warehouse: Path, source: str, *paths: Path, **options: object) -> LoadReport:
    return load_source(connect(warehouse), get_source(source, **options), list(paths))


def table(warehouse: Path, name: str) -> pd.DataFrame:
    return connect(warehouse).table(name).to_pyarrow().to_pandas()


@pytest.fixture
def prc(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "prc-pfa-tables.csv", PRC_HEADER, PRC_ROWS)


def test_financial_year_and_quarter_end() -> None:
    assert financial_year("2017/18") == financial_year("2017-2018") == "2017/18"
    assert financial_year("1999/00") == "1999/00"
    with pytest.raises(RowProblem):
        financial_year("2017/19")
    assert quarter_end("2017/18", "1") == (1, dt.date(2017, 6, 30))
    assert quarter_end("2017/18", "Q3") == (3, dt.date(2017, 12, 31))
    assert quarter_end("2017/18", "4") == (4, dt.date(2018, 3, 31))


def test_recorded_crime_loads_forces_and_rejects_with_real_lines(
    prc: Path, warehouse_path: Path
) -> None:
    report = load(warehouse_path, "home-office", prc)

    assert [u.file for u in report.units] == [
        "home-office/recorded-crime/2017-18",
        "home-office/recorded-crime/2018-19",
    ]
    rows = table(warehouse_path, "recorded_crime").sort_values("source_line")
    assert rows[["force", "financial_quarter", "offences", "source_line"]].values.tolist() == [
        ["avon-and-somerset", 1, 2, 3],
        ["city-of-london", 2, 1, 4],
        ["cambridgeshire", 3, -1, 5],  # a published net adjustment, loaded as published
        ["kent", 1, 4, 9],
    ]
    assert rows.iloc[0]["period_end"] == dt.date(2017, 6, 30)
    assert rows.iloc[0]["offence_code"] == "80"
    rejects = table(warehouse_path, "rejected_rows").sort_values("line")
    reasons = dict(zip(rejects["line"], rejects["reason"], strict=True))
    assert reasons[2] == NOT_A_FORCE
    assert "Unknown force 'Avon and Somerest'" in reasons[6] and "Avon and Somerset" in reasons[6]
    assert "financial quarter is not 1 to 4: '5'" in reasons[7]
    assert "number of offences is not a number: 'lots'" in reasons[8]
    assert "financial year is not like 2017/18: 'last year'" in reasons[10]
    assert rejects.loc[rejects["line"] == 2, "raw"].item() == PRC_ROWS[0]
    assert report.rows_loaded == 4 and report.rows_rejected == 5


def test_reloading_the_same_table_under_another_name_never_double_counts(
    prc: Path, warehouse_path: Path, tmp_path: Path
) -> None:
    load(warehouse_path, "home-office", prc)
    again = load(warehouse_path, "home-office", prc)
    assert {u.outcome for u in again.units} == {"skipped"}

    renamed = tmp_path / "copy" / "prc-renamed.csv"
    renamed.parent.mkdir()
    shutil.copy(prc, renamed)
    renamed.write_text(prc.read_text().replace(" 2 \n", " 20 \n"))
    replaced = load(warehouse_path, "home-office", renamed)

    # only the year whose figures changed is replaced; the unchanged year is left alone
    assert {u.file: u.outcome for u in replaced.units} == {
        "home-office/recorded-crime/2017-18": "replaced",
        "home-office/recorded-crime/2018-19": "skipped",
    }
    rows = table(warehouse_path, "recorded_crime")
    assert len(rows) == 4
    assert rows.loc[rows.force == "avon-and-somerset", "offences"].item() == 20
    assert len(table(warehouse_path, "rejected_rows")) == 5


def test_wrong_header_names_file_expected_and_found(tmp_path: Path, warehouse_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", PRC_HEADER.replace("Offence Code", "Code"), PRC_ROWS)
    with pytest.raises(HeaderMismatchError) as caught:
        load(warehouse_path, "home-office", bad)
    message = str(caught.value)
    assert str(bad) in message
    assert "'Offence Code'" in message and "'Code'" in message
    assert table(warehouse_path, "load_log").empty


def _prc_frame() -> pd.DataFrame:
    rows = list(csv.reader([PRC_HEADER, *PRC_ROWS[:4]]))
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    frame["Financial Quarter"] = frame["Financial Quarter"].astype(int)
    frame["Number of Offences"] = frame["Number of Offences"].str.strip().astype(int)
    return frame


@pytest.mark.parametrize(("suffix", "engine"), [(".xlsx", "openpyxl"), (".ods", "odf")])
def test_recorded_crime_spreadsheet_finds_the_data_sheet_below_titles(
    tmp_path: Path, warehouse_path: Path, suffix: str, engine: str
) -> None:
    path = tmp_path / f"prc-pfa{suffix}"
    with pd.ExcelWriter(path, engine=engine) as writer:
        pd.DataFrame({"Contents": ["Police recorded crime", "Notes"]}).to_excel(
            writer, sheet_name="Contents", index=False
        )
        frame = _prc_frame()
        title: list[list[object]] = [["Police recorded crime by force"], [], []]
        grid = pd.DataFrame([*title, list(frame.columns), *frame.values.tolist()])
        grid.to_excel(writer, sheet_name="Data", index=False, header=False)

    report = load(warehouse_path, "home-office", path)

    rows = table(warehouse_path, "recorded_crime").sort_values("source_line")
    assert rows["force"].tolist() == ["avon-and-somerset", "city-of-london", "cambridgeshire"]
    assert rows["source_line"].tolist() == [6, 7, 8]  # header on spreadsheet row 4
    rejects = table(warehouse_path, "rejected_rows")
    assert rejects["reason"].tolist() == [f"sheet 'Data' row 5: {NOT_A_FORCE}"]
    assert report.units[0].label == str(path)


ROLLING_HEADER = "12 months ending,PFA,Region,Offence,Rolling year total number of offences"
ROLLING_ROWS = [
    "31-03-2017,Avon and Somerset,South West,Bicycle theft,3090",
    "30-12-2017,Avon and Somerset,South West,Bicycle theft,3100",
    "31-12-2017,City of London,London,Homicide,-1",
    "31-03-2018,Action Fraud,Fraud: Action Fraud,Action Fraud,280000",
    "15-03-2018,Kent,South East,Homicide,12",
]


def test_rolling_year_snaps_a_misdated_quarter_end_and_refuses_fraud_bodies(
    tmp_path: Path, warehouse_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_csv(tmp_path / "rec-crime-pfa.csv", ROLLING_HEADER, ROLLING_ROWS)

    report = load(warehouse_path, "home-office-rolling", path)

    assert [u.file for u in report.units] == [
        "home-office-rolling/2017",
        "home-office-rolling/2018",
    ]
    rows = table(warehouse_path, "recorded_crime_rolling").sort_values("source_line")
    assert rows[["force", "period_end", "offences_12m"]].values.tolist() == [
        ["avon-and-somerset", dt.date(2017, 3, 31), 3090],
        ["avon-and-somerset", dt.date(2017, 12, 31), 3100],
        ["city-of-london", dt.date(2017, 12, 31), -1],
    ]
    assert "30-12-2017" in caplog.text and "2017-12-31" in caplog.text
    assert f"{path} line 3:" in caplog.text  # the warning says where to look
    rejects = table(warehouse_path, "rejected_rows").sort_values("line")
    assert rejects["line"].tolist() == [5, 6]
    assert rejects["reason"].iloc[0] == NOT_A_FORCE
    assert "not a month end: '15-03-2018'" in rejects["reason"].iloc[1]


OUTCOME_COLUMNS = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Outcome Description",
    "Outcome Group",
    "Outcome Type",
    "Force outcomes for offences recorded in quarter",
    "Force outcomes for offences closed in quarter",
]
OUTCOME_ROWS = [
    ["2019/20", 1, "Avon and Somerset", "Robbery of business property", "Robbery",
     "Robbery of business property", "34A", "Charged/Summonsed", "Charged/Summonsed", "1", 5, 7],
    ["2019/20", 1, "Avon & Somerset", "Robbery of business property", "Robbery",
     "Robbery of business property", "34A", "Investigation complete - no suspect identified",
     "Investigation complete - no suspect identified", "18", 20, 31],
    ["2019/20", 2, "Kent", "Robbery of personal property", "Robbery",
     "Robbery of personal property", "34B", "Charged/Summonsed", "Charged/Summonsed", "1", 3, -2],
    ["2019/20", 2, "CIFAS", "Fraud", "Fraud offences", "Fraud: CIFAS", "CIFAS", "Not yet assigned",
     "Not yet assigned", "0", 9, 9],
    ["2019/20", 3, "Kent", "Robbery of personal property", "Robbery",
     "Robbery of personal property", "34B", "Charged/Summonsed", "Charged/Summonsed", "", 3, 3],
]  # fmt: skip


def _write_outcomes(path: Path, columns: list[str], rows: list[list[object]]) -> Path:
    frame = pd.DataFrame(rows, columns=columns)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(
            path,
            index=False,
            sheet_name="Outcomes",
            engine="odf" if path.suffix == ".ods" else "openpyxl",
        )
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_crime_outcomes_load_both_counts_from_every_format(
    tmp_path: Path, warehouse_path: Path, suffix: str
) -> None:
    path = _write_outcomes(tmp_path / f"outcomes{suffix}", OUTCOME_COLUMNS, OUTCOME_ROWS)

    report = load(warehouse_path, "crime-outcomes", path)

    assert [u.file for u in report.units] == ["crime-outcomes/2019-20"]
    rows = table(warehouse_path, "crime_outcomes").sort_values("source_line")
    assert rows[
        ["force", "period_end", "outcome_type", "outcomes_recorded_in_quarter",
         "outcomes_closed_in_quarter", "source_line"]
    ].values.tolist() == [
        ["avon-and-somerset", dt.date(2019, 6, 30), "1", 5, 7, 2],
        ["avon-and-somerset", dt.date(2019, 6, 30), "18", 20, 31, 3],
        ["kent", dt.date(2019, 9, 30), "1", 3, -2, 4],
    ]  # fmt: skip
    rejects = table(warehouse_path, "rejected_rows").sort_values("line")
    assert rejects["line"].tolist() == [5, 6]
    assert rejects["reason"].iloc[0].endswith(NOT_A_FORCE)
    assert rejects["reason"].iloc[1].endswith("outcome type is empty")
    if suffix != ".csv":
        assert rejects["reason"].iloc[0].startswith("sheet 'Outcomes' row 5: ")


@pytest.mark.parametrize(
    ("recorded", "closed", "expected"),
    [
        (
            "Outcomes for offences recorded in the quarter",
            "Outcomes for investigations closed in the quarter",
            (5, 7),
        ),
        ("Number of outcomes for offences recorded in quarter", None, (5, None)),
        (None, "Number of Outcomes", (None, 7)),
    ],
)  # fmt: skip
def test_crime_outcomes_accept_published_count_spellings(
    tmp_path: Path,
    warehouse_path: Path,
    recorded: str | None,
    closed: str | None,
    expected: tuple[int | None, int | None],
) -> None:
    columns = OUTCOME_COLUMNS[:10] + [c for c in (recorded, closed) if c]
    counts = [v for v, c in zip((5, 7), (recorded, closed), strict=True) if c]
    path = _write_outcomes(tmp_path / "o.csv", columns, [OUTCOME_ROWS[0][:10] + counts])

    load(warehouse_path, "crime-outcomes", path)

    row = table(warehouse_path, "crime_outcomes").iloc[0]
    found = (row["outcomes_recorded_in_quarter"], row["outcomes_closed_in_quarter"])
    assert tuple(None if pd.isna(v) else v for v in found) == expected


def test_crime_outcomes_without_any_count_is_a_header_error(tmp_path: Path) -> None:
    path = _write_outcomes(tmp_path / "o.csv", OUTCOME_COLUMNS[:10], [OUTCOME_ROWS[0][:10]])
    with pytest.raises(
        HeaderMismatchError, match="Force outcomes for offences recorded in quarter"
    ):
        get_source("crime-outcomes").discover([path])


# --- real data -------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_prc_table_per_force_totals_equal_an_independent_sum(
    shared_data: Path, warehouse_path: Path
) -> None:
    path = shared_data / "home_office" / "prc-pfa-mar2013-onwards-tables201718.csv"
    expected: Counter[str] = Counter()
    lines = 0
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            expected[row["Force Name"]] += int(row["Number of Offences"])
            lines += 1

    report = load(warehouse_path, "home-office", path)

    crimes = connect(warehouse_path).table("recorded_crime")
    loaded = crimes.group_by("force").aggregate(total=crimes.offences.sum()).to_pandas()
    loaded = loaded.set_index("force")
    assert loaded.loc["avon-and-somerset", "total"] == expected["Avon and Somerset"] == 140_071
    assert loaded.loc["city-of-london", "total"] == expected["London, City of"]
    assert loaded.loc["metropolitan", "total"] == expected["Metropolitan Police"]
    assert loaded.loc["btp", "total"] == expected["British Transport Police"]
    fraud = ("Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK")
    assert len(loaded) == len(expected) - len(fraud) == 44
    assert loaded["total"].sum() == sum(v for k, v in expected.items() if k not in fraud)
    assert report.rows_loaded + report.rows_rejected == lines
    assert report.rows_rejected == 12


@pytest.mark.realdata
def test_real_rolling_year_table_rows_and_values_match_the_csv(
    shared_data: Path, warehouse_path: Path
) -> None:
    path = shared_data / "home_office" / "rec-crime-pfa.csv"
    with path.open(newline="") as handle:
        source = list(csv.DictReader(handle))
    fraud_rows = sum(1 for r in source if r["PFA"] in ("Action Fraud", "CIFAS", "UK Finance"))

    report = load(warehouse_path, "home-office-rolling", path)

    rows = table(warehouse_path, "recorded_crime_rolling")
    assert len(rows) == len(source) - fraud_rows == 46_376
    assert report.rows_rejected == fraud_rows
    avon = rows[(rows.force == "avon-and-somerset") & (rows.period_end == dt.date(2018, 3, 31))]
    assert avon["offences_12m"].sum() == 140_071
    assert dt.date(2017, 12, 30) not in set(rows["period_end"])
    dec17 = rows[rows.period_end == dt.date(2017, 12, 31)]
    assert len(dec17) == sum(1 for r in source if r["12 months ending"] == "30-12-2017") - 3
    first = source[0]
    got = rows[rows.source_line == 2].iloc[0]
    assert (got["force"], got["offence"], got["offences_12m"]) == (
        "avon-and-somerset",
        first["Offence"],
        int(first["Rolling year total number of offences"]),
    )
