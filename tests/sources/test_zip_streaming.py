"""A zip loads exactly as its extracted CSVs do, each member decompressed once in blocks: the
same rows, load_log and rejected rows, a member larger than memory allows never held whole,
and the size and ratio caps (settings) refuse an archive naming it and the member."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from peelstat.errors import UnitsRefused
from peelstat.sources.police_uk import KINDS
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_files

TABLES = ("police_uk_street", "police_uk_outcomes", "police_uk_stop_search", "rejected_rows")


def _everything(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row a load writes, in order, and load_log less its path and time."""
    con = connect(path)
    try:
        found = {
            t: con.raw_sql(f"SELECT COLUMNS(*)::VARCHAR FROM {t} ORDER BY ALL").fetchall()
            for t in TABLES
        }
        found["load_log"] = con.raw_sql(
            "SELECT file, source, sha256, rows_loaded, rows_rejected FROM load_log ORDER BY ALL"
        ).fetchall()
        return found
    finally:
        con.disconnect()


def _month_with_faults(files) -> None:  # type: ignore[no-untyped-def]
    """Street, outcomes and stop and search files with bad rows, and one cut off mid-line."""
    street = files.street_rows("2018-10", "kent", 40)
    street[3][1] = "2018-09"  # another month
    street[7][4] = "east"  # unparseable longitude
    street[9] = street[9][:5]  # too few fields
    files.write("street", "2018-10", "kent", street)
    cut = files.write("street", "2018-10", "essex", files.street_rows("2018-10", "essex", 30))
    cut.write_bytes(cut.read_bytes()[:-17])  # the last line cut off part-way
    ids = [row[0] for row in street if row[0]][:12]
    files.write("outcomes", "2018-10", "kent", files.outcome_rows("2018-10", "kent", ids))
    searches = files.stop_search_rows("2018-10", 25)
    searches[4][1] = "yesterday"
    files.write("stop-and-search", "2018-10", "kent", searches)


def test_a_zip_and_its_extracted_csvs_load_identically(police_uk_files, tmp_path: Path) -> None:
    _month_with_faults(police_uk_files)
    archive = police_uk_files.zip(name="2018-10.zip")
    loaded = {}
    for name, path in (("csv", police_uk_files.root / "extracted"), ("zip", archive)):
        warehouse = tmp_path / f"{name}.duckdb"
        load_files(connect(warehouse), "police-uk", [path])
        loaded[name] = _everything(warehouse)
    assert loaded["zip"] == loaded["csv"]
    reasons = {row[3] for row in loaded["zip"]["rejected_rows"]}
    assert "month 2018-09 in the file for 2018-10" in reasons
    assert any(r.startswith("wrong number of fields") for r in reasons)
    assert len(loaded["zip"]["load_log"]) == 4


def test_a_reloaded_zip_replaces_its_csvs_rows_and_never_double_counts(
    police_uk_files, tmp_path: Path
) -> None:
    _month_with_faults(police_uk_files)
    archive = police_uk_files.zip(name="2018-10.zip")
    warehouse = tmp_path / "w.duckdb"
    load_files(connect(warehouse), "police-uk", [police_uk_files.root / "extracted"])
    once = _everything(warehouse)
    report = load_files(connect(warehouse), "police-uk", [archive])
    assert report.rows_loaded == 0 and _everything(warehouse) == once


def _big_member(folder: Path, megabytes: int) -> tuple[Path, int]:
    """A zip of one street file of about ``megabytes`` MB, every line different."""
    header = ",".join(KINDS["street"].header)
    line = (
        "{0:064x},2018-10,Kent Police,Kent Police,0.{0:06d},51.{0:06d},On or near Street {0},"
        "E0100{1:04d},Area {1:03d}A,Burglary,Under investigation,\n"
    )
    archive = folder / "2018-10.zip"
    rows = megabytes * 10**6 // 190
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped,
        zipped.open("2018-10/2018-10-kent-street.csv", "w", force_zip64=True) as member,
    ):
        member.write((header + "\n").encode())
        for start in range(0, rows, 10_000):
            block = "".join(line.format(i, i % 9999) for i in range(start, start + 10_000))
            member.write(block.encode())
    size = zipfile.ZipFile(archive).infolist()[0].file_size
    return archive, size


@pytest.mark.slow
def test_a_member_larger_than_memory_allows_twice_is_never_held_whole(
    police_uk_files, tmp_path: Path
) -> None:
    """Python's own allocations (bytes, numpy arrays) stay far below the member's size while
    it loads: it is decompressed, hashed, counted and its rejects found in blocks."""
    archive, size = _big_member(tmp_path, 120)
    con = connect(tmp_path / "w.duckdb")
    police_uk_files.write("street", "2018-09", "kent", police_uk_files.street_rows("2018-09", "kent", 50))  # fmt: skip
    load_files(con, "police-uk", [police_uk_files.zip(name="2018-09.zip")])  # all in place
    tracemalloc.start()
    try:
        report = load_files(con, "police-uk", [archive])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    rows = size // 190  # about: every line is close to 190 bytes
    assert abs(report.rows_loaded - rows) < rows * 0.1
    # holding the member once would take its size (and it was held twice: bytes and text)
    assert peak < size / 4, f"Python memory peaked at {peak:,} bytes for a {size:,}-byte member"


def _two_archives(files, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    files.write("street", "2018-10", "kent", files.street_rows("2018-10", "kent", 400))
    large = files.zip(name="2018-10.zip")
    files.write("street", "2018-11", "essex", files.street_rows("2018-11", "essex", 20), folder="nov")  # fmt: skip
    return large, files.zip("nov", "2018-11.zip")


def test_the_member_size_cap_is_a_setting_and_refuses_naming_archive_and_member(
    police_uk_files, tmp_path: Path, monkeypatch
) -> None:
    large, small = _two_archives(police_uk_files, tmp_path)
    monkeypatch.setenv("PEELSTAT_ZIP_MAX_MEMBER_BYTES", "20000")
    con = connect(tmp_path / "w.duckdb")
    with pytest.raises(UnitsRefused) as raised:
        load_files(con, "police-uk", [large, small])
    message = str(raised.value)
    assert f"{large}: member 2018-10/2018-10-kent-street.csv would extract to" in message
    assert (
        "more than the 20,000 a police.uk file may have (PEELSTAT_ZIP_MAX_MEMBER_BYTES)" in message
    )
    assert con.raw_sql("SELECT force, count(*) FROM police_uk_street GROUP BY 1").fetchall() == [
        ("essex", 20)
    ]


def test_the_compression_ratio_cap_is_a_setting(tmp_path: Path, monkeypatch) -> None:
    archive, _ = _big_member(tmp_path, 50)  # ~50 MB of varied lines: well under 200 to 1
    monkeypatch.setenv("PEELSTAT_ZIP_MAX_RATIO", "2")
    with pytest.raises(UnitsRefused, match=r"compresses \d+ to 1 .* more than the 2 to 1 a "
                       r"police.uk file ever does \(PEELSTAT_ZIP_MAX_RATIO\)"):  # fmt: skip
        load_files(connect(tmp_path / "w.duckdb"), "police-uk", [archive])


def test_a_cap_that_is_not_a_number_says_so(police_uk_files, tmp_path: Path, monkeypatch) -> None:
    large, _ = _two_archives(police_uk_files, tmp_path)
    monkeypatch.setenv("PEELSTAT_ZIP_MAX_RATIO", "lots")
    with pytest.raises(Exception, match="PEELSTAT_ZIP_MAX_RATIO is 'lots'"):
        load_files(connect(tmp_path / "w.duckdb"), "police-uk", [large])


def test_a_damaged_last_member_loads_nothing_though_the_first_were_being_written(
    police_uk_files, tmp_path, monkeypatch
) -> None:
    """Street (the heaviest table) is extracted and handed to a writer while stop and search,
    extracted last, is still inflating; it turns out corrupt, so the writer's rows are rolled
    back and only the good archive of the same load is in the warehouse."""
    import time as clock

    from peelstat.sources.police_uk import archive as archive_module
    from peelstat.warehouse import writers

    files, events = police_uk_files, []
    for month, folder in (("2018-10", "bad"), ("2018-11", "good")):
        for force in ("essex", "kent"):
            files.write("street", month, force, files.street_rows(month, force, 300), folder=folder)
            files.write("stop-and-search", month, force, files.stop_search_rows(month, 4), folder=folder)  # fmt: skip
    bad, good = files.zip("bad", "2018-10.zip"), files.zip("good", "2018-11.zip")
    with zipfile.ZipFile(bad) as zipped:
        first = zipped.infolist()[0]  # essex stop and search: first in the zip, last out
        assert first.filename.endswith("essex-stop-and-search.csv")
        start = first.header_offset + 30 + len(first.filename) + len(first.extra)
    data = bytearray(bad.read_bytes())
    data[start + first.compress_size // 2] ^= 0xFF
    bad.write_bytes(bytes(data))

    copy, write = archive_module.copy_limited, writers.GroupWriters._write

    def slow_copy(src, dst, info, archive):  # type: ignore[no-untyped-def]
        if "stop-and-search" in info.filename:
            clock.sleep(0.3)  # the writers get the street group first
        try:
            return copy(src, dst, info, archive)
        finally:
            events.append(("extracted", info.filename))

    def noted_write(self, source_name, group, combined):  # type: ignore[no-untyped-def]
        events.append(("writing", group[0][0].member))
        return write(self, source_name, group, combined)

    monkeypatch.setattr(archive_module, "copy_limited", slow_copy)
    monkeypatch.setattr(writers.GroupWriters, "_write", noted_write)
    con = connect(tmp_path / "w.duckdb")
    with pytest.raises(UnitsRefused, match="corrupt or truncated zip archive") as refused:
        load_files(con, "police-uk", [bad, good])
    assert [str(bad) in str(e) for e in refused.value.errors] == [True]  # named once
    bad_street = next(i for i, e in enumerate(events) if e[0] == "writing" and "2018-10/" in e[1])
    assert ("extracted", first.filename) in events[bad_street:]  # written while still inflating
    loaded = con.raw_sql("SELECT DISTINCT file FROM load_log ORDER BY 1").fetchall()
    assert [f for (f,) in loaded] == [
        f"police-uk/2018-11/{force}/{kind}"
        for force in ("essex", "kent")
        for kind in ("stop-and-search", "street")
    ]
    months = con.raw_sql("SELECT DISTINCT month::VARCHAR FROM police_uk_street").fetchall()
    assert months == [("2018-11-01",)]
    con.disconnect()


def test_an_archive_found_damaged_only_at_commit_is_refused_not_dropped(
    police_uk_files, tmp_path, monkeypatch
) -> None:
    """Every member read cleanly, but the archive's verdict at commit time is damage: its
    rows are rolled back and the load says so, rather than dropping them without a word."""
    from peelstat.errors import IngestError
    from peelstat.sources.police_uk.archive import ArchiveMember

    files = police_uk_files
    for month, folder in (("2018-10", "bad"), ("2018-11", "good")):
        for force in ("essex", "kent"):
            files.write("street", month, force, files.street_rows(month, force, 50), folder=folder)
    # a second table in the damaged archive: a second group, and still one refusal
    ids = [f"{i:064x}" for i in range(1, 30, 3)]
    files.write(
        "outcomes", "2018-10", "kent", files.outcome_rows("2018-10", "kent", ids), folder="bad"
    )
    bad, good = files.zip("bad", "2018-10.zip"), files.zip("good", "2018-11.zip")

    def verdict(self) -> None:  # type: ignore[no-untyped-def]
        if self.path == bad:
            raise IngestError(file=str(bad), problem="damaged, found at commit")

    monkeypatch.setattr(ArchiveMember, "wait_intact", verdict)
    con = connect(tmp_path / "w.duckdb")
    with pytest.raises(UnitsRefused, match="damaged, found at commit") as refused:
        load_files(con, "police-uk", [bad, good])
    assert len(refused.value.errors) == 1
    months = con.raw_sql("SELECT DISTINCT month::VARCHAR FROM police_uk_street").fetchall()
    assert months == [("2018-11-01",)]
    con.disconnect()
