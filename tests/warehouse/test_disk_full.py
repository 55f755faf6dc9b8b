"""A full disk, the warehouse's or the temporary folder's, says which disk and how much is needed."""

from __future__ import annotations

import errno
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from peelstat.errors import DiskFullError
from peelstat.sources.police_uk import STREET_HEADER
from peelstat.warehouse.batch import Batch
from peelstat.warehouse.connect import connect
from peelstat.warehouse.disk_space import is_disk_full, mount_point
from peelstat.warehouse.loading import load_files

LINE = "{:064x},2018-11,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Kent 001A,Burglary,,"


def street_file(folder: Path, rows: int, force: str = "kent") -> Path:
    path = folder / "2018-11" / f"2018-11-{force}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(LINE.format(i).replace("Kent Police", force) for i in range(rows))
    path.write_text(",".join(STREET_HEADER) + "\n" + body + "\n")
    return path


def zipped(folder: Path, name: str = "2018-11.zip") -> Path:
    import zipfile

    target = folder.parent / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.csv")):
            archive.write(path, path.relative_to(folder).as_posix())
    return target


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB disk (tmpfs), where the test may mount one (as root); else skipped."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({made.stderr.strip()}): needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _load(con, *paths: Path):  # type: ignore[no-untyped-def]
    return load_files(con, "police-uk", list(paths))


def test_no_space_is_recognised_through_the_causes() -> None:
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    wrapped = RuntimeError("writing failed")
    wrapped.__cause__ = duckdb.IOException('Could not write file "w": No space left on device')
    assert is_disk_full(wrapped)
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))


def test_a_full_warehouse_disk_names_it_and_the_space_needed(tmp_path, small_disk) -> None:
    warehouse = small_disk / "warehouse.duckdb"
    folder = tmp_path / "csv"
    street = street_file(folder, 60_000)  # about 9 MB of CSV for a 3 MB disk
    result = subprocess.run(
        [sys.executable, "-m", "peelstat.cli.main", "load", "police-uk", str(street),
         "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert f"The disk holding the warehouse ({warehouse}, the disk mounted at {small_disk})" in (
        message
    )
    assert f"needs about {street.stat().st_size / 1e6:,.1f} MB" in message


def test_a_full_warehouse_disk_in_the_library_is_a_disk_full_error(
    warehouse_path, tmp_path, monkeypatch
) -> None:
    """The same without a small disk: DuckDB's own error, raised where it writes."""
    con = connect(warehouse_path)
    street = street_file(tmp_path / "csv", 50)

    def full(self) -> None:  # type: ignore[no-untyped-def]
        raise duckdb.IOException(f'IO Error: Could not write file "{warehouse_path}": '
                                 "No space left on device")  # fmt: skip

    monkeypatch.setattr(Batch, "flush", full)
    with pytest.raises(DiskFullError) as raised:
        _load(con, street)
    assert raised.value.path == str(warehouse_path)
    assert raised.value.mount == str(mount_point(warehouse_path))
    assert raised.value.needed == street.stat().st_size
    assert "run the same command again" in str(raised.value)


def test_a_full_temporary_disk_is_not_called_a_corrupt_zip(
    warehouse_path, tmp_path, small_disk, monkeypatch
) -> None:
    archive = zipped(street_file(tmp_path / "csv", 40_000).parents[1])  # ~6 MB extracted
    monkeypatch.setattr(tempfile, "tempdir", str(small_disk))
    con = connect(warehouse_path)
    with pytest.raises(DiskFullError) as raised:
        _load(con, archive)
    message = str(raised.value)
    assert "corrupt" not in message and "download it again" not in message
    assert f"The disk holding the temporary folder ({small_disk}" in message
    assert f"the disk mounted at {small_disk}" in message
    assert "set TMPDIR" in message
    assert (
        raised.value.needed
        == (tmp_path / "csv" / "2018-11" / "2018-11-kent-street.csv").stat().st_size
    )
    assert list(small_disk.iterdir()) == []  # the partial extraction is removed
    assert con.raw_sql("SELECT count(*) FROM load_log").fetchone() == (0,)


def test_a_full_temporary_disk_simulated(warehouse_path, tmp_path, monkeypatch) -> None:
    """Without a small disk: the extraction's write fails as a full disk's does."""
    from peelstat.sources.police_uk import archive as archive_module

    archive = zipped(street_file(tmp_path / "csv", 100).parents[1])

    def no_space(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archive_module, "copy_limited", no_space)
    with pytest.raises(DiskFullError, match="The disk holding the temporary folder"):
        _load(connect(warehouse_path), archive)
