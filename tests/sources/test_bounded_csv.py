"""An unclosed quote or a field over 128 KB costs its own line: rejected with a reason and its
raw text (truncated), the rest of the file and the files after it still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelstat.sources import get_source
from peelstat.sources.csv_records import MAX_RECORD, RAW_KEPT, csv_records
from peelstat.sources.police_uk import STREET_HEADER, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source, load_unit

ROW = "{:064x},2018-10,{name},{name},0.5,51.2,On or near X,E01,Kent 001A,Burglary,,"


def street(folder: Path, force: str, name: str, lines: list[str]) -> Path:
    path = folder / "2018-10" / f"2018-10-{force}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([",".join(STREET_HEADER), *lines]) + "\n")
    return path


def kent_rows(count: int) -> list[str]:
    return [ROW.format(i, name="Kent Police") for i in range(count)]


def test_records_resume_after_an_unclosed_quote_and_a_huge_line() -> None:
    text = 'a,b\n1,2\n"x,3\n4,5\n6,"multi\nline"\n' + "z" * (MAX_RECORD + 10) + "\n7,8\n"
    got = [(r.line, r.cells, r.reason) for r in csv_records(text, width=2)]
    assert got == [
        (1, ["a", "b"], ""),
        (2, ["1", "2"], ""),
        (3, None, "unclosed quote from line 3"),
        (4, ["4", "5"], ""),
        (5, ["6", "multi\nline"], ""),  # a quoted field over two lines is one record
        (7, None, f"a record longer than {MAX_RECORD:,} characters from line 7"),
        (8, ["7", "8"], ""),
    ]
    huge = next(r for r in csv_records(text, width=2) if r.line == 7)
    assert huge.raw.startswith("z" * RAW_KEPT) and huge.raw.endswith(
        f"({MAX_RECORD + 10:,} characters)"
    )


@pytest.mark.parametrize("path", ["native", "parse"])
def test_an_unclosed_quote_rejects_its_line_and_the_rest_loads(
    tmp_path: Path, warehouse_path: Path, path: str
) -> None:
    rows = kent_rows(3000)
    rows[3] = rows[3].replace("On or near X", '"On or near X')  # line 5
    bad = street(tmp_path / "in", "kent", "Kent Police", rows)
    good = street(tmp_path / "in", "essex", "Essex Police",
                  [ROW.format(i, name="Essex Police") for i in range(20)])  # fmt: skip
    con = connect(warehouse_path)
    source = PoliceUkArchive()
    try:
        if path == "native":
            report = load_source(con, source, [bad, good])
            assert (report.rows_loaded, report.rows_rejected) == (2999 + 20, 1)
        else:
            for unit in source.discover([bad, good]):
                load_unit(con, source, unit)
    finally:
        source.close()
    assert con.raw_sql("SELECT count(*) FROM police_uk_street").fetchone() == (3019,)
    rejected = con.raw_sql("SELECT line, reason, raw FROM rejected_rows").fetchall()
    assert len(rejected) == 1 and rejected[0][0] == 5
    assert rejected[0][1] in ("unclosed quote from line 5", "unterminated quoted field")
    assert '"On or near X' in rejected[0][2]
    lines = con.raw_sql("SELECT min(source_line), max(source_line) FROM police_uk_street "
                        "WHERE force = 'kent'").fetchone()  # fmt: skip
    assert lines == (2, 3001)


def test_a_field_over_128_kb_is_rejected_on_the_exact_reader(
    tmp_path: Path, warehouse_path: Path
) -> None:
    """Blank lines send the file to Python's csv reader, whose field limit stopped the load."""
    rows = kent_rows(10)
    rows[4] = rows[4].replace("On or near X", '"' + "Y" * 200_000 + '"')  # line 6
    rows.insert(7, "")  # line 9 blank: line numbers need the exact reader
    path = street(tmp_path, "kent", "Kent Police", rows)
    source = PoliceUkArchive()
    con = connect(warehouse_path)
    result = load_unit(con, source, source.discover([path])[0])
    source.close()
    assert (result.rows_loaded, result.rows_rejected) == (9, 1)
    line, reason, raw = con.raw_sql("SELECT line, reason, raw FROM rejected_rows").fetchone()
    assert (line, reason) == (6, f"a record longer than {MAX_RECORD:,} characters from line 6")
    assert len(raw) < RAW_KEPT + 40
    got = con.raw_sql("SELECT source_line FROM police_uk_street ORDER BY 1").fetchall()
    assert [g for (g,) in got] == [2, 3, 4, 5, 7, 8, 10, 11, 12]


def test_table_sources_reject_an_unclosed_quote_and_a_huge_field(
    tmp_path: Path, warehouse_path: Path
) -> None:
    header = "force,month,calls_presented,answered_within_10s,mean_answer_seconds"
    lines = [header, "Kent,2023-01,100,90,5", 'Kent,2023-02,"100,90,5',
             "Kent,2023-03," + "9" * 200_000 + ",90,5", "Kent,2023-04,100,90,5"]  # fmt: skip
    path = tmp_path / "calls.csv"
    path.write_text("\n".join(lines) + "\n")
    con = connect(warehouse_path)
    report = load_source(con, get_source("call-answering"), [path])
    assert (report.rows_loaded, report.rows_rejected) == (2, 2)
    reasons = con.raw_sql("SELECT line, reason FROM rejected_rows ORDER BY line").fetchall()
    assert reasons == [
        (3, "unclosed quote from line 3"),
        (4, f"a record longer than {MAX_RECORD:,} characters from line 4"),
    ]


@pytest.mark.parametrize("kind", ["street", "stop-and-search"])
def test_mixed_line_endings_load_every_row(police_uk_files, warehouse_path: Path, kind) -> None:
    """Found by the fault-injection suite: one CR LF line in a LF file stopped DuckDB's
    reader ("CSV Parser state machine reached an invalid state") with a traceback."""
    rows = (police_uk_files.street_rows("2019-03", "kent", 12) if kind == "street"
            else police_uk_files.stop_search_rows("2019-03", 12))  # fmt: skip
    path = police_uk_files.write(kind, "2019-03", "kent", rows)
    lines = path.read_bytes().split(b"\n")
    lines[5] += b"\r"
    path.write_bytes(b"\n".join(lines))
    con = connect(warehouse_path)
    source = PoliceUkArchive()
    try:
        report = load_source(con, source, [path])
    finally:
        source.close()
    assert (report.rows_loaded, report.rows_rejected) == (12, 0)
