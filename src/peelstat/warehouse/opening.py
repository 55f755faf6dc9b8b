"""Open a DuckDB warehouse file, turning DuckDB's own failures into messages an analyst can act on.

Commands that only read open the file read-only: they work on a read-only file system, beside
another reader, and can never change the warehouse. A file that is locked by another process,
is not a DuckDB database, or lies under a regular file is reported by name, with what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import ibis
from ibis.backends import BaseBackend

from peelstat.errors import BadInputError, WarehouseBusyError, WarehouseUnreadableError
from peelstat.settings import DUCKDB_MEMORY


def open_duckdb(path: Path, *, read_only: bool = False) -> BaseBackend:
    """An Ibis DuckDB connection to ``path`` (read-only if asked); see the module rules."""
    if not read_only:
        _make_folder(path)
    try:
        con = ibis.duckdb.connect(str(path), read_only=read_only)
        con.raw_sql(f"SET memory_limit = '{memory_limit()}'")
        return con
    except duckdb.ConnectionException as error:
        if read_only and "different configuration" in str(error):
            # this process already writes the file (e.g. ``demo`` showing what it loaded):
            # DuckDB shares one database per process, so read through that one
            return open_duckdb(path)
        raise WarehouseUnreadableError(str(path), str(error)) from None
    except duckdb.IOException as error:
        raise _explained(path, error) from None
    except duckdb.Error as error:
        raise WarehouseUnreadableError(str(path), str(error)) from None


def memory_limit() -> str:
    """``PEELSTAT_DUCKDB_MEMORY`` checked to be a size (``4GB``, ``512MB``): DuckDB's own
    default, 80% of the machine's memory, is more than a shared analyst's machine can give.

    >>> memory_limit()
    '4GB'
    """
    value = str(DUCKDB_MEMORY.value()).strip().replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)?(K|M|G|T)i?B", value, flags=re.IGNORECASE):
        raise BadInputError(
            f"PEELSTAT_DUCKDB_MEMORY is {value!r}: give a size such as 4GB or 512MB"
        )
    return value


def is_read_only(con: BaseBackend) -> bool:
    """Whether the connection is a DuckDB warehouse opened read-only (nothing may be written)."""
    if con.name != "duckdb":
        return False
    found = con.raw_sql(  # type: ignore[attr-defined]
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(found and found[0])


def check_folders(path: Path) -> None:
    """Refuse a warehouse path that lies under a regular file (``notes.txt/w.duckdb``)."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            raise WarehouseUnreadableError(str(path), f"{parent} is a file, not a folder")


def _make_folder(path: Path) -> None:
    check_folders(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WarehouseUnreadableError(str(path), f"cannot create its folder: {error}") from None


def _explained(path: Path, error: duckdb.IOException) -> Exception:
    text = str(error)
    held = re.search(r"Conflicting lock is held in (.*?) \(PID (\d+)\)", text)
    if held:
        return WarehouseBusyError(str(path), int(held[2]), held[1])
    if "not a valid DuckDB database file" in text:
        return WarehouseUnreadableError(
            str(path), "this file exists but is not a DuckDB database (peelstat warehouse)"
        )
    return WarehouseUnreadableError(str(path), text.removeprefix("IO Error: "))
