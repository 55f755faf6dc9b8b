"""Writing a unit's rows, rejects and load_log entry, on DuckDB or any other Ibis backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import duckdb
import pyarrow as pa
from ibis.backends import BaseBackend

from peelstat.sources.base import Parsed, Rejected, SourceFile
from peelstat.warehouse.tables import table_schema


def write_unit(
    con: BaseBackend, source_name: str, unit: SourceFile, parsed: Parsed, digest: str
) -> None:
    """Replace the unit's rows, rejects and log entry in one transaction."""
    with transaction(con) as execute:
        replace_rows(con, execute, source_name, unit, parsed, digest, replace=True)


def replace_rows(
    con: BaseBackend,
    execute: Callable[[str, list[Any]], Any],
    source_name: str,
    unit: SourceFile,
    parsed: Parsed,
    digest: str,
    replace: bool,
) -> None:
    """Inside an open transaction: remove the unit's earlier rows (if any) and write these."""
    if replace:
        delete_unit(execute, unit)
    append_rows(con, unit.table, conform(parsed.rows, unit.table), unit.name)
    append_rows(con, "rejected_rows", rejected_table(source_name, unit, parsed.rejected))
    rows, rejected = parsed.rows.num_rows, len(parsed.rejected)
    append_rows(con, "load_log", log_entry(source_name, unit, rows, rejected, digest))


def delete_unit(execute: Callable[[str, list[Any]], Any], unit: SourceFile) -> None:
    """Remove every trace of an earlier load of this unit (rows, rejects, log entry)."""
    execute(f"DELETE FROM {unit.table} WHERE source_file = ?", [unit.name])
    execute("DELETE FROM rejected_rows WHERE file = ?", [unit.name])
    execute("DELETE FROM load_log WHERE file = ?", [unit.name])


def rejected_table(source_name: str, unit: SourceFile, rejected: list[Rejected]) -> pa.Table:
    return pa.table(
        {
            "file": [unit.name] * len(rejected),
            "source": [source_name] * len(rejected),
            "line": [r.line for r in rejected],
            "reason": [r.reason for r in rejected],
            "raw": [r.raw for r in rejected],
        },
        schema=table_schema("rejected_rows").to_pyarrow(),
    )


def log_entry(
    source_name: str, unit: SourceFile, rows: int, rejected: int, digest: str
) -> pa.Table:
    return pa.table(
        {
            "file": [unit.name],
            "source": [source_name],
            "path": [unit.label],
            "sha256": [digest],
            "rows_loaded": [rows],
            "rows_rejected": [rejected],
            "loaded_at": [dt.datetime.now()],
            "loaded_into": [unit.table],
        },
        schema=table_schema("load_log").to_pyarrow(),
    )


def conform(rows: pa.Table, table: str) -> pa.Table:
    """The rows with the table's columns and types, less ``source_file`` (added on insert)."""
    schema = table_schema(table).to_pyarrow()
    wanted = [f for f in schema if f.name != "source_file"]
    return rows.select([f.name for f in wanted]).cast(pa.schema(wanted))


@contextmanager
def transaction(con: BaseBackend) -> Iterator[Callable[[str, list[Any]], None]]:
    """BEGIN … COMMIT on backends that have transactions (DuckDB, PostgreSQL); rollback on error."""
    raw = getattr(con, "con", None)
    if con.name == "duckdb" and raw is not None:
        raw.execute("BEGIN TRANSACTION")
        try:
            yield lambda sql, params: raw.execute(sql, params)
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
    else:
        yield lambda sql, params: con.raw_sql(_inline(sql, params))


def append_rows(
    con: BaseBackend, table: str, rows: pa.Table, source_file: str | None = None
) -> None:
    """Insert Arrow rows; ``source_file``, when given, is added as a constant column."""
    if rows.num_rows == 0:
        return
    raw = getattr(con, "con", None)
    if con.name == "duckdb" and raw is not None:
        append_arrow(raw, table, rows, source_file)
        return
    if source_file is not None:
        rows = rows.append_column("source_file", pa.array([source_file] * rows.num_rows))
    con.insert(table, rows.select(table_schema(table).names))


def rollback(raw: Any) -> None:
    """ROLLBACK on a DuckDB connection or cursor, quietly when there is nothing to roll back:
    a failed COMMIT has already ended the transaction, and its error is the one to report."""
    with suppress(duckdb.Error):
        raw.execute("ROLLBACK")


def append_arrow(raw: Any, table: str, rows: pa.Table, source_file: str | None = None) -> None:
    """Insert Arrow rows through a DuckDB connection or cursor."""
    if rows.num_rows == 0:
        return
    raw.register("_peelstat_batch", rows)
    try:
        if source_file is None:
            raw.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _peelstat_batch")
        else:
            raw.execute(
                f"INSERT INTO {table} BY NAME "
                "SELECT *, ?::VARCHAR AS source_file FROM _peelstat_batch",
                [source_file],
            )
    finally:
        raw.unregister("_peelstat_batch")


def _inline(sql: str, params: list[Any]) -> str:
    for value in params:
        sql = sql.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    return sql
