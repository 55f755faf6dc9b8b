"""Compiled measure SQL kept on disk between runs, so a new process does not compile again.

Compiling the sixty measures' Ibis expressions takes seconds (:mod:`.compiled`); a report, a
``peelstat serve`` starting or a notebook restarted would pay it every time. So each compiled
shape is also written to ``$PEELSTAT_SQL_CACHE`` (default ``~/.peelstat/sql-cache``), one JSON
file per shape key holding the two statements, the memtable names, the sentinels and the
constant tables (as Arrow IPC, base64).

The key covers everything the SQL depends on: the measure definitions, scope and weights (see
:func:`peelstat.measures.compiled.shape_key`) and the code that writes the SQL: peelstat's
version and source files (a digest of their names, sizes and modification times), the Ibis
and DuckDB versions and :data:`FORMAT`. An upgrade or an edit to any module therefore never
reuses old SQL. A file that cannot be read is ignored and written again; a folder that cannot
be written leaves the SQL in memory only.
``PEELSTAT_SQL_CACHE=off`` turns the store off.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import ibis
import pyarrow as pa

import peelstat
from peelstat.settings import sql_cache_folder

if TYPE_CHECKING:
    from peelstat.measures.compiled import CompiledQuery

FORMAT = 1
"""Version of the file layout below; a change gives every shape a new key."""

log = logging.getLogger(__name__)


@functools.cache
def code_version() -> str:
    """Digest of peelstat's source files and the versions of the libraries that write SQL."""
    versions = f"{FORMAT} {peelstat.__version__} {ibis.__version__} {duckdb.__version__}"
    return source_digest(Path(peelstat.__file__).parent, versions)


def source_digest(package: Path, versions: str) -> str:
    """Digest of every module's name, size and modification time under ``package``: any edit
    moves one, and stat-ing 200 files costs nothing against reading them from a cold disk."""
    digest = hashlib.sha256(versions.encode())
    for path in sorted(package.rglob("*.py")):
        facts = path.stat()
        digest.update(f"{path.relative_to(package)} {facts.st_size} {facts.st_mtime_ns};".encode())
    return digest.hexdigest()


def _path(key: str) -> Path | None:
    folder = sql_cache_folder()
    return None if folder is None else folder / f"{key}.json"


def read_query(key: str) -> CompiledQuery | None:
    """The query stored under ``key``, or None (none stored, store off, or unreadable)."""
    from peelstat.measures.compiled import CompiledQuery

    path = _path(key)
    if path is None or not path.is_file():
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") != key:
            return None
        constants = tuple((name, _table(data)) for name, data in stored["constants"])
        sentinels = tuple(tuple(pair) if pair else None for pair in stored["sentinels"])
        return CompiledQuery(
            stored["rows_sql"], stored["frame_sql"], tuple(stored["calendars"]),
            constants, sentinels,  # type: ignore[arg-type]
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        log.info("compiled SQL at %s not used (%s); compiling again", path, error)
        return None


def write_query(key: str, query: CompiledQuery) -> None:
    """Store ``query`` under ``key``, atomically; a folder that cannot be written is skipped."""
    path = _path(key)
    if path is None:
        return
    stored: dict[str, Any] = {
        "key": key,
        "rows_sql": query.rows_sql,
        "frame_sql": query.frame_sql,
        "calendars": list(query.calendars),
        "constants": [[name, _text(table)] for name, table in query.constants],
        "sentinels": [list(pair) if pair else None for pair in query.sentinels],
    }
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(stored, file)
        os.replace(temporary, path)
    except OSError as error:
        log.info("compiled SQL not kept at %s (%s): it stays in memory only", path, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _text(table: pa.Table) -> str:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")


def _table(text: str) -> pa.Table:
    return pa.ipc.open_stream(base64.b64decode(text)).read_all()
