"""A full disk reported as what it is: which disk, how much is free, how much the load needs.

A load can fill two disks: the warehouse's (rows being written) and the temporary folder's
(a zip archive being extracted). Either way the error an analyst sees names the disk and the
space wanted, never a DuckDB traceback or "corrupt zip — download it again".
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ibis.backends import BaseBackend

from peelstat.errors import DiskFullError, PeelstatError
from peelstat.sources.base import SourceFile


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is the operating system's "no space left"."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if "No space left on device" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full(what: str, path: Path, needed: int, advice: str) -> DiskFullError:
    """The error for a full disk holding ``path``, with its free space and mount point."""
    folder = next((p for p in [path, *path.parents] if p.exists()), Path("/"))
    return DiskFullError(what, str(path), str(mount_point(folder)),
                         shutil.disk_usage(folder).free, needed, advice)  # fmt: skip


def mount_point(path: Path) -> Path:
    """The folder the disk holding ``path`` is mounted at (``/`` for the root disk)."""
    path = path.resolve()
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path


def unit_bytes(units: Sequence[SourceFile]) -> int:
    """The uncompressed size of the units: about the most their rows take in the warehouse."""
    import zipfile

    total = 0
    for unit in units:
        try:
            if unit.member is None:
                total += unit.path.stat().st_size
            else:
                with zipfile.ZipFile(unit.path) as archive:
                    total += archive.getinfo(unit.member).file_size
        except (OSError, KeyError, zipfile.BadZipFile):
            continue
    return total


def warehouse_file(con: BaseBackend) -> Path | None:
    """The DuckDB file behind ``con`` (None for other backends and in-memory warehouses)."""
    if con.name != "duckdb":
        return None
    found = con.raw_sql(  # type: ignore[attr-defined]
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(found[0]) if found and found[0] else None


@contextmanager
def full_warehouse_reported(con: BaseBackend, units: Sequence[SourceFile]) -> Iterator[None]:
    """Turn "no space left" while writing the warehouse into a :class:`DiskFullError`."""
    try:
        yield
    except PeelstatError:
        raise
    except Exception as error:
        where = warehouse_file(con) if is_disk_full(error) else None
        if where is None:
            raise
        advice = (
            "Units written before the disk filled are kept and nothing is half-written; free "
            "space there (or use --warehouse on a disk with room) and run the same command "
            "again: what is loaded already is skipped."
        )
        raise disk_full("the warehouse", where, unit_bytes(units), advice) from error
