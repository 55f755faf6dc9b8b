"""A member that is one enormous line costs bounded memory: it becomes one rejected row, and
the other members of the archive still load."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import duckdb

from peelstat.sources.police_uk import KINDS, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

SIZE = 60 * 1024 * 1024


def test_a_60_mb_one_line_member_is_one_reject_in_bounded_memory(
    police_uk_files, warehouse_path: Path
) -> None:
    police_uk_files.write("street", "2018-10", "essex",
                          police_uk_files.street_rows("2018-10", "essex", 40))  # fmt: skip
    archive = police_uk_files.zip()
    header = ",".join(KINDS["street"].header).encode()
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2018-10/2018-10-kent-street.csv", header + b"\n" + b"x" * SIZE,
                         compress_type=zipfile.ZIP_STORED)  # fmt: skip
    con = connect(str(warehouse_path))
    tracemalloc.start()
    try:
        load_source(con, PoliceUkArchive(), [archive])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    con.disconnect()
    assert peak < SIZE / 4, f"peak Python memory {peak / 1e6:.0f} MB"
    with duckdb.connect(str(warehouse_path), read_only=True) as db:
        rows = db.execute("SELECT force, count(*) FROM police_uk_street GROUP BY 1").fetchall()
        (reject,) = db.execute("SELECT line, reason, raw FROM rejected_rows").fetchall()
    assert rows == [("essex", 40)]
    assert reject[0] == 2
    assert reject[1] == "a record longer than 131,072 characters from line 2"
    assert len(reject[2]) < 2100 and reject[2].endswith("… (62,914,560 bytes)")


def test_a_long_line_between_others_is_blanked_and_the_others_keep_their_lines(
    tmp_path: Path,
) -> None:
    """The copy the reader gets keeps every other line, in place, byte for byte."""
    from peelstat.sources.csv_records import MAX_RECORD
    from peelstat.sources.police_uk.long_lines import without_long_lines

    path = tmp_path / "f.csv"
    long = b"y" * (MAX_RECORD + 5_000_000)  # spans several read blocks
    path.write_bytes(b"header\n" + long + b"\nafter,1\r\n" + long + b"\nlast")
    with without_long_lines(path) as (copy, rejects):
        assert copy.read_bytes() == b"header\n\nafter,1\r\n\nlast"
    assert [r.line for r in rejects] == [2, 4]
    assert rejects[0].raw.startswith("yyy") and f"({len(long):,} bytes)" in rejects[0].raw
    short = tmp_path / "short.csv"
    short.write_bytes(b"a\nb\n")
    with without_long_lines(short) as (same, none):
        assert same == short and none == []
