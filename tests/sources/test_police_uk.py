"""The police.uk archive source: file names, the three file kinds, rejects and line numbers."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

import peelstat.sources.police_uk.archive as archive_module
from peelstat.errors import HeaderMismatchError, HeaderSpellingError, IngestError, UnitsRefused
from peelstat.sources import get_source
from peelstat.sources.police_uk import KINDS, STREET_HEADER, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source


@pytest.fixture
def source() -> PoliceUkArchive:
    src = PoliceUkArchive()
    yield src
    src.close()


def _parse_one(source: PoliceUkArchive, path: Path):
    (unit,) = source.discover([path])
    return unit, source.parse(unit)


def test_registered_as_police_uk() -> None:
    assert isinstance(get_source("police-uk"), PoliceUkArchive)


def test_street_file_maps_every_column(source, police_uk_files) -> None:
    rows = police_uk_files.street_rows("2018-10", "kent", 3)
    rows[1][6] = "On or near Asda, Thurmaston"  # a quoted comma, as real files have
    rows[2][4:9] = ["", "", "No Location", "", ""]
    path = police_uk_files.write("street", "2018-10", "kent", rows)
    unit, parsed = _parse_one(source, path)
    assert unit.name == "police-uk/2018-10/kent/street"
    assert unit.table == "police_uk_street"
    assert parsed.rejected == []
    got = parsed.rows.to_pylist()
    assert [r["source_line"] for r in got] == [2, 3, 4]
    asb, burglary, no_place = got
    assert asb["crime_id"] is None and asb["crime_type"] == "Anti-social behaviour"
    assert burglary["crime_id"] == f"{1:064x}"
    assert burglary["location"] == "On or near Asda, Thurmaston"
    assert burglary["month"] == dt.date(2018, 10, 1)
    assert burglary["force"] == "kent"
    assert burglary["reported_by"] == "Kent Police"
    assert burglary["longitude"] == pytest.approx(-0.499)
    assert burglary["last_outcome_category"] == "Under investigation"
    assert no_place["longitude"] is None and no_place["lsoa_code"] is None
    assert set(parsed.rows.column_names) == set(KINDS["street"].columns) | {"force", "source_line"}


def test_outcomes_keep_repeated_crime_ids_and_exact_duplicates(source, police_uk_files) -> None:
    ids = ["a" * 64, "a" * 64, "b" * 64, "b" * 64]  # several events, and an exact repeat
    path = police_uk_files.write(
        "outcomes", "2018-10", "kent", police_uk_files.outcome_rows("2018-10", "kent", ids)
    )
    unit, parsed = _parse_one(source, path)
    assert unit.table == "police_uk_outcomes"
    assert parsed.rows.column("crime_id").to_pylist() == ids
    assert set(parsed.rows.column("outcome_category").to_pylist()) == {
        "Unable to prosecute suspect"
    }
    assert "outcome_type" not in parsed.rows.column_names


def test_stop_and_search_types(source, police_uk_files) -> None:
    rows = police_uk_files.stop_search_rows("2019-01", 3)
    # Real files carry searches from the last hour of the previous month (UTC): keep them.
    rows[0][1] = "2018-12-31T23:30:00+00:00"
    rows[1][1] = "2019-01-15T10:00:00+01:00"
    path = police_uk_files.write("stop-and-search", "2019-01", "essex", rows)
    unit, parsed = _parse_one(source, path)
    assert unit.name == "police-uk/2019-01/essex/stop-and-search"
    assert parsed.rejected == []
    got = parsed.rows.to_pylist()
    assert [r["month"] for r in got] == [dt.date(2019, 1, 1)] * 3
    utc = dt.UTC
    assert got[0]["date"] == dt.datetime(2018, 12, 31, 23, 30, tzinfo=utc)
    assert got[1]["date"] == dt.datetime(2019, 1, 15, 9, 0, tzinfo=utc)
    assert [r["part_of_a_policing_operation"] for r in got] == [True, False, None]
    assert [r["outcome_linked_to_object_of_search"] for r in got] == [False, None, True]
    assert got[0]["officer_defined_ethnicity"] == "White"
    assert got[0]["force"] == "essex"


def test_zip_folder_single_file_and_renamed_copy_are_the_same_units(
    source, police_uk_files, tmp_path
) -> None:
    police_uk_files.write(
        "street", "2018-10", "kent", police_uk_files.street_rows("2018-10", "kent", 2)
    )
    police_uk_files.write(
        "stop-and-search", "2018-10", "kent", police_uk_files.stop_search_rows("2018-10", 2)
    )
    folder = police_uk_files.root / "extracted"
    archive = police_uk_files.zip()
    single = folder / "2018-10" / "2018-10-kent-street.csv"
    renamed = tmp_path / "elsewhere" / "2018-10-kent-street.csv"
    renamed.parent.mkdir()
    shutil.copy(single, renamed)
    expected = ["police-uk/2018-10/kent/stop-and-search", "police-uk/2018-10/kent/street"]
    assert sorted(u.name for u in source.discover([archive])) == expected
    assert sorted(u.name for u in source.discover([folder])) == expected
    assert [u.name for u in source.discover([single])] == expected[1:]
    assert [u.name for u in source.discover([renamed])] == expected[1:]
    zipped = {u.name: u.sha256() for u in source.discover([archive])}
    flat = {u.name: u.sha256() for u in source.discover([folder])}
    assert zipped == flat


def test_northern_ireland_is_a_known_force(source, police_uk_files) -> None:
    rows = police_uk_files.street_rows("2018-10", "northern-ireland", 2)
    path = police_uk_files.write("street", "2018-10", "northern-ireland", rows)
    _, parsed = _parse_one(source, path)
    assert parsed.rows.num_rows == 2


def test_unknown_force_slug_names_file_and_nearest_slugs(source, police_uk_files) -> None:
    path = police_uk_files.write(
        "street", "2018-10", "kentt", police_uk_files.street_rows("2018-10", "kent", 1)
    )
    with pytest.raises(IngestError) as error:
        source.discover([path])
    message = str(error.value)
    assert str(path) in message
    assert "unknown force slug 'kentt'" in message
    assert "kent" in message.split("nearest known slugs:")[1]


def test_file_that_is_not_a_police_uk_file_name(source, tmp_path) -> None:
    path = tmp_path / "crimes.csv"
    path.write_text(",".join(STREET_HEADER) + "\n")
    with pytest.raises(IngestError, match=r"not a police\.uk archive file name"):
        source.discover([path])


def test_wrong_header_names_file_expected_and_found(source, police_uk_files) -> None:
    header = [*STREET_HEADER[:-1]]  # Context missing
    path = police_uk_files.write(
        "street",
        "2018-10",
        "kent",
        [r[:-1] for r in police_uk_files.street_rows("2018-10", "kent", 2)],
        header=header,
    )
    (unit,) = source.discover([path])
    with pytest.raises(HeaderMismatchError) as error:
        source.parse(unit)
    message = str(error.value)
    assert str(path) in message
    assert "missing ['Context']" in message
    assert error.value.expected == STREET_HEADER
    assert error.value.found == header


@pytest.mark.parametrize(
    ("header", "style"),
    [
        ([c.lower().replace(" ", "_") for c in STREET_HEADER], "in snake_case"),
        ([c.upper() for c in STREET_HEADER], "in another case or with other separators"),
    ],
)
def test_same_columns_in_snake_case_are_refused_saying_so(
    source, police_uk_files, header: list[str], style: str
) -> None:
    """Decision (docs/sources.md): refused, not mapped; the message says what it is."""
    rows = police_uk_files.street_rows("2018-10", "kent", 2)
    path = police_uk_files.write("street", "2018-10", "kent", rows, header=header)
    (unit,) = source.discover([path])
    with pytest.raises(HeaderSpellingError) as error:
        source.parse(unit)
    message = str(error.value)
    assert str(path) in message
    assert f"the same 12 columns, written {style}" in message
    assert "missing" not in message and "unexpected [" not in message
    assert message.endswith(",".join(STREET_HEADER))  # the first line to write instead
    assert isinstance(error.value, HeaderMismatchError)  # still a header problem


def test_snake_case_file_is_refused_and_the_others_load(police_uk_files, warehouse_path) -> None:
    snake = [c.lower().replace(" ", "_") for c in STREET_HEADER]
    rows = police_uk_files.street_rows("2018-10", "kent", 3)
    police_uk_files.write("street", "2018-10", "kent", rows, header=snake)
    police_uk_files.write(
        "street", "2018-10", "essex", police_uk_files.street_rows("2018-10", "essex", 4)
    )
    con = connect(str(warehouse_path))
    with pytest.raises(UnitsRefused) as refused:
        load_source(con, PoliceUkArchive(), [police_uk_files.root / "extracted"])
    assert "written in snake_case" in str(refused.value)
    assert con.table("police_uk_street").count().execute() == 4  # Essex loaded, Kent not


def _bad_street_file(police_uk_files) -> Path:
    rows = police_uk_files.street_rows("2018-10", "kent", 8)
    rows[1] = rows[1][:5]  # line 3: too few fields
    rows[2][1] = "2018-11"  # line 4: another month's row
    rows[3][4] = "west"  # line 5: unparseable longitude
    rows[4][1] = "Oct 2018"  # line 6: unparseable month
    rows[5] = [*rows[5], "extra"]  # line 7: too many fields
    return police_uk_files.write("street", "2018-10", "kent", rows)


EXPECTED_REJECTS = [
    (3, "wrong number of fields: expected 12, found 5"),
    (4, "month 2018-11 in the file for 2018-10"),
    (5, "unparseable Longitude 'west'"),
    (6, "unparseable Month 'Oct 2018'"),
    (7, "wrong number of fields: expected 12, found 13"),
]


def test_malformed_rows_are_rejected_with_line_reason_and_raw_text(source, police_uk_files) -> None:
    path = _bad_street_file(police_uk_files)
    _, parsed = _parse_one(source, path)
    assert [(r.line, r.reason) for r in parsed.rejected] == EXPECTED_REJECTS
    lines = path.read_text().splitlines()
    assert [r.raw for r in parsed.rejected] == [lines[r.line - 1] for r in parsed.rejected]
    assert parsed.rows.column("source_line").to_pylist() == [2, 8, 9]


def _load_natively(source: PoliceUkArchive, unit):
    """What the loader does with a DuckDB warehouse: insert the select, then finish."""
    native = source.prepare_duckdb(unit)
    assert native is not None
    con = duckdb.connect()
    con.execute(f"CREATE TABLE loaded AS {native.select}", native.params)
    (inserted,) = con.execute("SELECT count(*) FROM loaded").fetchone()
    return con.execute("SELECT * FROM loaded").to_arrow_table(), native.finish(con, inserted)


def test_loading_inside_duckdb_gives_the_same_rows_and_rejects_as_parse(
    source, police_uk_files
) -> None:
    rows = police_uk_files.street_rows("2018-10", "kent", 50)
    rows[10][1] = "2018-09"
    rows[20][5] = "north"
    path = police_uk_files.write("street", "2018-10", "kent", rows)
    (unit,) = source.discover([path])
    parsed = source.parse(unit)
    table, rejected = _load_natively(source, unit)
    assert rejected == parsed.rejected
    assert [r.line for r in rejected] == [12, 22]
    assert table.select(parsed.rows.column_names).to_pylist() == parsed.rows.to_pylist()


@pytest.mark.slow
def test_line_numbers_hold_in_a_large_file_read_in_parallel(source, police_uk_files) -> None:
    """Each row's Location names its own line; DuckDB reads a file this size in parallel."""
    rows = police_uk_files.street_rows("2018-10", "kent", 200_000)
    for number, row in enumerate(rows, start=2):
        row[6] = f"Line {number}"
    for bad in (1_000, 100_000, 199_000):
        rows[bad][4] = "x"
    (unit,) = source.discover([police_uk_files.write("street", "2018-10", "kent", rows)])
    table, rejected = _load_natively(source, unit)
    assert [r.line for r in rejected] == [1_002, 100_002, 199_002]
    located = table.column("location").to_pylist()
    assert located == [f"Line {n}" for n in table.column("source_line").to_pylist()]
    assert table.num_rows == 200_000 - 3


def test_rows_the_reader_skips_send_the_unit_back_to_parse(source, police_uk_files) -> None:
    (unit,) = source.discover([_bad_street_file(police_uk_files)])
    _, rejected = _load_natively(source, unit)
    assert rejected is None


def test_quoted_line_break_keeps_true_line_numbers(source, police_uk_files) -> None:
    rows = police_uk_files.street_rows("2018-10", "kent", 4)
    rows[1][6] = "On or near Station Road,\nPlatform 2"  # one record over two lines
    rows[3][4] = "bad"
    path = police_uk_files.write("street", "2018-10", "kent", rows)
    unit, parsed = _parse_one(source, path)
    assert parsed.rows.column("source_line").to_pylist() == [2, 3, 5]
    assert [(r.line, r.reason) for r in parsed.rejected] == [(6, "unparseable Longitude 'bad'")]
    assert _load_natively(source, unit)[1] is None


def test_stop_and_search_bad_date_and_boolean(source, police_uk_files) -> None:
    rows = police_uk_files.stop_search_rows("2019-01", 4)
    rows[1][1] = "yesterday"
    rows[2][14] = "Yes"
    path = police_uk_files.write("stop-and-search", "2019-01", "essex", rows)
    _, parsed = _parse_one(source, path)
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (3, "unparseable Date 'yesterday'"),
        (
            4,
            "unparseable Removal of more than just outer clothing 'Yes' "
            "(expected True, False or empty)",
        ),
    ]
    assert parsed.rows.num_rows == 2


def test_truncated_zip_is_an_error_naming_the_archive(source, police_uk_files) -> None:
    police_uk_files.write(
        "street", "2018-10", "kent", police_uk_files.street_rows("2018-10", "kent", 500)
    )
    archive = police_uk_files.zip()
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as error:
        source.discover([archive])
    assert str(archive) in str(error.value)
    assert "truncated" in str(error.value)


def test_corrupt_member_makes_the_whole_archive_an_error(
    source, police_uk_files, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the second member waits until the first has been read, so the order is certain
    first_read, copy = threading.Event(), archive_module.copy_limited

    def second_waits(src, dst, info, name):  # type: ignore[no-untyped-def]
        if "kent" in info.filename:
            assert first_read.wait(timeout=30)
        return copy(src, dst, info, name)

    monkeypatch.setattr(archive_module, "copy_limited", second_waits)
    for force in ("essex", "kent"):
        police_uk_files.write(
            "street", "2018-10", force, police_uk_files.street_rows("2018-10", force, 300)
        )
    archive = police_uk_files.zip()
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # flip a byte inside the second member's compressed data
    archive.write_bytes(bytes(data))
    first, second = source.discover([archive])
    first.sha256()  # the first member came out whole and can be read while the rest inflates
    first_read.set()
    for check in (second.sha256, first.wait_intact):  # but its rows may not be committed
        with pytest.raises(IngestError) as error:
            check()
        assert str(archive) in str(error.value)
        assert "corrupt or truncated zip archive" in str(error.value)
