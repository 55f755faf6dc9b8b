"""DuckDB's CSV reader as police.uk files need it, and the rows it cannot split.

Every column is read as text and cast later in SQL, so a bad value becomes a reject with a
reason instead of failing the file; rows the reader cannot split at all are kept in a
rejects table, which is translated here into the words an analyst would use.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb
import pyarrow as pa

from peelstat.sources.base import Rejected
from peelstat.sources.police_uk.files import Kind


def csv_reader(rejects: str) -> str:
    """Every column as text, exactly the expected columns; rows it cannot split go to
    ``<rejects>`` (and ``<rejects>_scans``) with their line numbers."""
    return (
        "read_csv($path, columns = $columns, header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', ignore_errors = true, "
        f"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scans')"
    )


def text_columns(kind: Kind) -> dict[str, str]:
    """The reader's ``columns``: every column of the kind, as text."""
    return dict.fromkeys(kind.columns, "VARCHAR")


def text_schema(kind: Kind) -> pa.Schema:
    """The same all-text columns as an Arrow schema, for rows read by Python's csv module."""
    return pa.schema([(c, pa.string()) for c in kind.columns])


def used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names: DuckDB refuses unused ones."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def sql_literal(text: str) -> str:
    """A string as an SQL literal, for values that cannot be parameters (a VALUES list)."""
    return "'" + text.replace("'", "''") + "'"


def drop_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> None:
    """Remove a reader's rejects tables once they have been read."""
    con.execute(f"DROP TABLE IF EXISTS {rejects}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}_scans")


def reader_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> list[Rejected]:
    """The rows the reader could not split, one reject per line."""
    found = con.execute(
        # DuckDB reports a short row once per missing column: the first says how many it found.
        "SELECT DISTINCT ON (line) line, error_type, error_message, csv_line "
        f"FROM {rejects} ORDER BY line, column_idx"
    ).fetchall()
    return [_reader_reject(*row) for row in found]


def _reader_reject(line: int, error_type: str, message: str, raw: str | None) -> Rejected:
    """A row DuckDB's CSV reader could not split, in the words an analyst would use."""
    if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        counts = re.findall(r"\d+", message)
        reason = (
            f"wrong number of fields: expected {counts[0]}, found {counts[1]}"
            if len(counts) >= 2
            else f"wrong number of fields ({message})"
        )
    elif error_type == "UNQUOTED VALUE":
        reason = "unterminated quoted field"
    elif error_type == "INVALID UNICODE":
        reason = "not valid UTF-8 text"
    else:
        reason = message.splitlines()[0] if message else error_type.lower()
    return Rejected(int(line), reason, (raw or "").rstrip("\r\n"))
