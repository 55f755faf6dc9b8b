"""Loading police.uk files inside a DuckDB warehouse straight from DuckDB's CSV reader.

There is no Arrow round trip, so a row's line number has to come from its position: rows
keep the file's order, and a row's line is its number + 1 provided every record is one line
and the reader skipped none. Each ``finish`` checks that after the insert and otherwise
returns None, so the loader sends the units back to ``parse``, which numbers lines exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from peelstat.sources.base import GroupLoad, GroupResult, NativeLoad, Rejected, SourceFile
from peelstat.sources.police_uk.files import Kind
from peelstat.sources.police_uk.lines import rejects_in_file
from peelstat.sources.police_uk.sql import (
    csv_reader,
    drop_rejects,
    reader_rejects,
    sql_literal,
    text_columns,
    used_params,
)
from peelstat.sources.police_uk.validation import month_params, validation_sql


@dataclass(frozen=True)
class NativeFile:
    """What combining units into one insert needs to know about each file."""

    unit: str
    kind: Kind
    path: Path
    records: int
    month: str
    force: str


def native_load(unit: SourceFile, kind: Kind, path: Path, rejects: str) -> NativeLoad:
    """One unit as one insert; ``rejects`` names a table no other load is using."""
    month, force = unit.options["month"], unit.options["force"]
    validated = validation_sql(kind, csv_reader(rejects))
    numbered = f"SELECT *, row_number() OVER () + 1 AS _line FROM ({validated})"
    values = {**month_params(month, force), "path": str(path), "columns": text_columns(kind)}
    params = used_params(validated, values)
    records = unit.lines() - 1  # counted when the unit was hashed: one read of the file
    file = NativeFile(unit.name, kind, path, records, month, force)
    select = (
        "SELECT * EXCLUDE (_reason, _line), _line AS source_line "
        f"FROM ({numbered}) WHERE _reason IS NULL"
    )
    finish = partial(_finish_file, file, rejects, numbered, params)
    return NativeLoad(select=select, params=params, finish=finish, details=file)


def _finish_file(
    file: NativeFile,
    rejects: str,
    numbered: str,
    params: dict[str, Any],
    con: duckdb.DuckDBPyConnection,
    inserted: int,
) -> list[Rejected] | None:
    skipped = reader_rejects(con, rejects)
    drop_rejects(con, rejects)
    if skipped:
        return None  # numbering counts only the rows the reader kept
    if inserted == file.records:
        return []
    failed = con.execute(
        f"SELECT _line, _reason FROM ({numbered}) WHERE _reason IS NOT NULL ORDER BY 1",
        params,
    ).fetchall()
    drop_rejects(con, rejects)
    if inserted + len(failed) != file.records:
        return None  # a quoted field runs over lines: numbering needs the exact reader
    return rejects_in_file(file.path, failed)


def combined_load(files: list[NativeFile], rejects: str) -> GroupLoad:
    """Files of one kind as one insert, each row numbered within its own file."""
    validated = _combined_sql(files, rejects)
    params = {"paths": [str(f.path) for f in files], "columns": text_columns(files[0].kind)}
    expected = {f.unit: f for f in files}
    records = sum(f.records for f in files)
    finish = partial(_finish_group, expected, records, rejects, validated, params)
    select = f"SELECT * EXCLUDE (_reason) FROM ({validated}) WHERE _reason IS NULL"
    # every row's month is its file's month_start (validation_sql sets it so); '2019-11'
    # sorts as its date does
    first, last = (
        month_params(pick(f.month for f in files), files[0].force)["month_start"]
        for pick in (min, max)
    )
    return GroupLoad(select=select, params=params, finish=finish, months=(first, last))


def _combined_sql(files: list[NativeFile], rejects: str) -> str:
    """One multi-file read; a row's line is its number across the files less its file's first."""
    reader = csv_reader(rejects).replace("read_csv($path, ", "read_csv($paths, filename = true, ")
    numbered = (
        f"(SELECT * FROM (SELECT *, row_number() OVER () AS _n FROM {reader}) "
        f"JOIN (VALUES {', '.join(_file_rows(files))}) AS f(filename, _unit, _force, _force_name, "
        "_month, _month_start, _first) USING (filename))"
    )
    return validation_sql(files[0].kind, numbered, per_file=True).replace(
        "SELECT ", "SELECT _n - _first + 1 AS source_line, _unit AS source_file, ", 1
    )


def _file_rows(files: list[NativeFile]) -> list[str]:
    """Each file's path, unit, force (slug and police.uk name), month and first row number,
    from the record counts."""
    rows, first = [], 0
    for f in files:
        known = month_params(f.month, f.force)  # what one file alone gets as parameters
        name = sql_literal(known["force_name"]) if known["force_name"] else "NULL::VARCHAR"
        rows.append(
            f"({sql_literal(str(f.path))}, {sql_literal(f.unit)}, {sql_literal(f.force)}, "
            f"{name}, {sql_literal(f.month)}, DATE '{known['month_start']}', {first})"
        )
        first += f.records
    return rows


def _finish_group(
    expected: dict[str, NativeFile],
    records: int,
    rejects: str,
    validated: str,
    params: dict[str, Any],
    con: duckdb.DuckDBPyConnection,
    inserted: int,
) -> GroupResult | None:
    skipped = reader_rejects(con, rejects)
    drop_rejects(con, rejects)
    if skipped:
        return None
    if inserted == records:
        return {u: (f.records, []) for u, f in expected.items()}
    failed = con.execute(
        f"SELECT source_file, source_line, _reason FROM ({validated}) "
        "WHERE _reason IS NOT NULL ORDER BY ALL",
        params,
    ).fetchall()
    drop_rejects(con, rejects)
    if inserted + len(failed) != records:
        return None  # a record runs over lines somewhere: numbering is off
    return _rejects_by_unit(expected, failed)


def _rejects_by_unit(expected: dict[str, NativeFile], failed: list[Any]) -> GroupResult:
    result = {}
    for unit, f in expected.items():
        mine = [(line, why) for file, line, why in failed if file == unit]
        rejected = rejects_in_file(f.path, mine) if mine else []
        result[unit] = (f.records - len(mine), rejected)
    return result
