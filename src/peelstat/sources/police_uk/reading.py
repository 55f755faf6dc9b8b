"""The two ways a file is read into typed rows: DuckDB's CSV reader, and Python's csv module.

DuckDB's reader is fast but only gives true line numbers when every record is one line;
when a quoted field spans lines, or there are blank lines, the file is read again record by
record, which Python's csv module does exactly. Both validate with the same SQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from peelstat.sources.base import Rejected
from peelstat.sources.csv_records import csv_records
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
    """Each column's values and each record's first line; blank records are skipped, and an
    unclosed quote or a huge field rejects its line without stopping the read."""
    text = data.decode("utf-8-sig", errors="replace")
    width = len(kind.columns)
    values: list[list[str | None]] = [[] for _ in kind.columns]
    lines: list[int] = []
    rejected: list[Rejected] = []
    records = csv_records(text, width=width)
    next(records, None)  # the header, checked already
    for record in records:
        if record.cells is None:
            rejected.append(Rejected(record.line, record.reason, record.raw))
            continue
        if not record.cells:
            continue
        if len(record.cells) != width:
            reason = f"wrong number of fields: expected {width}, found {len(record.cells)}"
            rejected.append(Rejected(record.line, reason, record.raw))
            continue
        lines.append(record.line)
        for column, value in zip(values, record.cells, strict=True):
            column.append(value or None)
    return values, lines, rejected
