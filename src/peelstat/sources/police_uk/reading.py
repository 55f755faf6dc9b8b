"""The two ways a file is read into typed rows: DuckDB's CSV reader, and Python's csv module.

DuckDB's reader is fast but only gives true line numbers when every record is one line;
when a quoted field spans lines, or there are blank lines, the file is read again record by
record, which Python's csv module does exactly. Both validate with the same SQL.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from peelstat.sources.base import Rejected
from peelstat.sources.police_uk.files import Kind
from peelstat.sources.police_uk.sql import (
    csv_reader,
    drop_rejects,
    reader_rejects,
    text_columns,
    text_schema,
    used_params,
)
from peelstat.sources.police_uk.validation import validation_sql


def read_fast(
    con: duckdb.DuckDBPyConnection, path: Path, kind: Kind, params: dict[str, Any]
) -> tuple[pa.Table, list[Rejected]]:
    """Validated rows from DuckDB's reader, and the rows it could not split."""
    drop_rejects(con, "peelstat_rejects")
    sql = validation_sql(kind, csv_reader("peelstat_rejects"))
    values = {**params, "path": str(path), "columns": text_columns(kind)}
    table = con.execute(sql, used_params(sql, values)).to_arrow_table()
    return table, reader_rejects(con, "peelstat_rejects")


def read_exact(
    con: duckdb.DuckDBPyConnection, data: bytes, kind: Kind, params: dict[str, Any]
) -> tuple[pa.Table, np.ndarray, list[Rejected]]:
    """Validated rows with the line each record starts on, and the records of the wrong width."""
    values, lines, rejected = _records(data, kind)
    batch = pa.table(dict(zip(kind.columns, values, strict=True)), schema=text_schema(kind))
    con.register("peelstat_text", batch)
    try:
        sql = validation_sql(kind, "peelstat_text")
        table = con.execute(sql, used_params(sql, params)).to_arrow_table()
    finally:
        con.unregister("peelstat_text")
    return table, np.asarray(lines, dtype=np.int64), rejected


def _records(data: bytes, kind: Kind) -> tuple[list[list[str | None]], list[int], list[Rejected]]:
    """Each column's values and each record's first line; blank records are skipped."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    values: list[list[str | None]] = [[] for _ in kind.columns]
    lines: list[int] = []
    rejected: list[Rejected] = []
    physical: list[str] = []
    end = reader.line_num
    for record in reader:
        start, end = end + 1, reader.line_num
        if not record:
            continue
        if len(record) != len(kind.columns):
            physical = physical or text.splitlines()
            rejected.append(_wrong_width(record, kind, start, physical[start - 1 : end]))
            continue
        lines.append(start)
        for column, value in zip(values, record, strict=True):
            column.append(value or None)
    return values, lines, rejected


def _wrong_width(record: list[str], kind: Kind, line: int, raw: list[str]) -> Rejected:
    expected, found = len(kind.columns), len(record)
    reason = f"wrong number of fields: expected {expected}, found {found}"
    return Rejected(line, reason, "\n".join(raw))
