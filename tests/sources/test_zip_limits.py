"""A zip member a load will not use is never extracted; one too large or too compressible to
be a police.uk file is refused before it is, and the other archives still load."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from peelstat.errors import IngestError, UnitsRefused
from peelstat.sources.police_uk import archive as archive_module
from peelstat.sources.police_uk.zip_limits import copy_limited, max_ratio
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_files


def _load(con, *paths: Path):  # type: ignore[no-untyped-def]
    return load_files(con, "police-uk", list(paths))


def _csv_text(files, month: str, force: str, rows: int) -> str:
    path = files.write("street", month, force, files.street_rows(month, force, rows), folder="tmp")
    return path.read_text()


def test_members_a_load_does_not_use_are_not_extracted(
    police_uk_files, warehouse_path, monkeypatch, tmp_path: Path
) -> None:
    archive = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2018-10/2018-10-kent-street.csv",
                        _csv_text(police_uk_files, "2018-10", "kent", 30))  # fmt: skip
        zipped.writestr("padding.bin", b"\0" * 50_000_000)  # 50 MB that compress to ~50 KB
        zipped.writestr("2018-10/README.txt", "notes")
    copied: list[str] = []
    real_copy = archive_module.copy_limited

    def recording(src, dst, info, label):  # type: ignore[no-untyped-def]
        copied.append(info.filename)
        return real_copy(src, dst, info, label)

    monkeypatch.setattr(archive_module, "copy_limited", recording)
    report = _load(connect(warehouse_path), archive)
    assert report.rows_loaded == 30
    assert copied == ["2018-10/2018-10-kent-street.csv"]


def test_a_member_that_compresses_like_a_zip_bomb_is_refused_and_others_load(
    police_uk_files, warehouse_path, tmp_path: Path
) -> None:
    bomb = tmp_path / "2018-10.zip"
    header = _csv_text(police_uk_files, "2018-10", "kent", 1).splitlines()[0]
    line = _csv_text(police_uk_files, "2018-10", "kent", 2).splitlines()[2]
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2018-10/2018-10-kent-street.csv",
                        header + "\n" + (line + "\n") * 400_000)  # fmt: skip
    good = tmp_path / "2018-11.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2018-11/2018-11-essex-street.csv",
                        _csv_text(police_uk_files, "2018-11", "essex", 25))  # fmt: skip
    con = connect(warehouse_path)
    with pytest.raises(UnitsRefused) as raised:
        _load(con, bomb, good)
    message = str(raised.value)
    assert f"{bomb}: member 2018-10/2018-10-kent-street.csv compresses" in message
    assert f"more than the {max_ratio()} to 1 a police.uk file ever does" in message
    assert "nothing from the archive was loaded" in message
    assert con.raw_sql("SELECT force, count(*) FROM police_uk_street GROUP BY 1").fetchall() == [
        ("essex", 25)
    ]


def test_a_member_yielding_more_than_its_header_says_is_cut_off() -> None:
    info = zipfile.ZipInfo("2018-10/2018-10-kent-street.csv")
    info.file_size, info.compress_size = 1000, 500
    out = io.BytesIO()
    with pytest.raises(IngestError, match="yields more than the 1,000 bytes its header states"):
        copy_limited(io.BytesIO(b"x" * 5000), out, info, "2018-10.zip")
    assert len(out.getvalue()) <= 1000
