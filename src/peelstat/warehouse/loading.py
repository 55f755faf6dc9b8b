"""Load source units into the warehouse: once per checksum, atomically, losing nothing.

Rules every source gets for free:

* a unit already in ``load_log`` with the same sha256 is skipped (re-running never double-counts);
* a changed unit replaces exactly its own rows (``source_file`` = unit name) in one transaction;
* rows the source rejects go to ``rejected_rows`` with file, line, reason and raw text;
* an interrupted load leaves the warehouse as it was: nothing is committed until a unit's
  rows, rejects and log entry are all written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
from ibis.backends import BaseBackend

from peelstat.sources.base import Parsed, Source, SourceFile
from peelstat.warehouse.tables import SCHEMAS

Outcome = Literal["loaded", "replaced", "skipped"]


@dataclass(frozen=True)
class UnitResult:
    """What happened to one unit: loaded, replaced (changed file) or skipped (already loaded)."""

    file: str
    label: str
    table: str
    outcome: Outcome
    rows_loaded: int
    rows_rejected: int


@dataclass
class LoadReport:
    """Everything one ``peelstat load`` did, for the CLI table and for tests."""

    source: str
    units: list[UnitResult] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(u.rows_loaded for u in self.units if u.outcome != "skipped")

    @property
    def rows_rejected(self) -> int:
        return sum(u.rows_rejected for u in self.units if u.outcome != "skipped")

    def count(self, outcome: Outcome) -> int:
        return sum(1 for u in self.units if u.outcome == outcome)


ProgressCallback = Callable[[SourceFile, int], None]


def load_source(
    con: BaseBackend,
    source: Source,
    paths: Sequence[Path],
    on_unit_done: ProgressCallback | None = None,
) -> LoadReport:
    """Discover, parse and load every unit of ``paths``; see the module rules."""
    report = LoadReport(source=source.name)
    for unit in source.discover(paths):
        result = load_unit(con, source, unit)
        report.units.append(result)
        if on_unit_done is not None:
            on_unit_done(unit, result.rows_loaded)
    return report


def load_unit(con: BaseBackend, source: Source, unit: SourceFile) -> UnitResult:
    """Load one unit unless the same bytes are already loaded under its name."""
    digest = unit.sha256()
    previous = loaded_checksum(con, unit.name)
    if previous == digest:
        return UnitResult(unit.name, unit.label, unit.table, "skipped", 0, 0)
    parsed = source.parse(unit)
    write_unit(con, source.name, unit, parsed, digest)
    outcome: Outcome = "loaded" if previous is None else "replaced"
    return UnitResult(
        unit.name, unit.label, unit.table, outcome, parsed.rows.num_rows, len(parsed.rejected)
    )


def loaded_checksum(con: BaseBackend, file: str) -> str | None:
    """The sha256 the warehouse holds for a unit name, or None if it was never loaded."""
    log = con.table("load_log")
    found = log.filter(log.file == file).select("sha256").limit(1).to_pyarrow()
    return found.column(0)[0].as_py() if found.num_rows else None


def write_unit(
    con: BaseBackend, source_name: str, unit: SourceFile, parsed: Parsed, digest: str
) -> None:
    """Replace the unit's rows, rejects and log entry in one transaction."""
    rows = _with_source_file(parsed.rows, unit.name, unit.table)
    rejected = pa.table(
        {
            "file": [unit.name] * len(parsed.rejected),
            "source": [source_name] * len(parsed.rejected),
            "line": [r.line for r in parsed.rejected],
            "reason": [r.reason for r in parsed.rejected],
            "raw": [r.raw for r in parsed.rejected],
        },
        schema=SCHEMAS["rejected_rows"].to_pyarrow(),
    )
    log_entry = pa.table(
        {
            "file": [unit.name],
            "source": [source_name],
            "path": [unit.label],
            "sha256": [digest],
            "rows_loaded": [rows.num_rows],
            "rows_rejected": [len(parsed.rejected)],
            "loaded_at": [dt.datetime.now()],
        },
        schema=SCHEMAS["load_log"].to_pyarrow(),
    )
    with transaction(con) as execute:
        execute(f"DELETE FROM {unit.table} WHERE source_file = ?", [unit.name])
        execute("DELETE FROM rejected_rows WHERE file = ?", [unit.name])
        execute("DELETE FROM load_log WHERE file = ?", [unit.name])
        _append(con, unit.table, rows)
        _append(con, "rejected_rows", rejected)
        _append(con, "load_log", log_entry)


def _with_source_file(rows: pa.Table, name: str, table: str) -> pa.Table:
    if "source_file" in rows.column_names:
        rows = rows.drop_columns(["source_file"])
    rows = rows.append_column("source_file", pa.array([name] * rows.num_rows, pa.string()))
    schema = SCHEMAS[table].to_pyarrow()
    return rows.select(schema.names).cast(schema)


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


def _append(con: BaseBackend, table: str, rows: pa.Table) -> None:
    if rows.num_rows == 0:
        return
    raw = getattr(con, "con", None)
    if con.name == "duckdb" and raw is not None:
        raw.register("_peelstat_batch", rows)
        try:
            raw.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _peelstat_batch")
        finally:
            raw.unregister("_peelstat_batch")
    else:
        con.insert(table, rows)


def _inline(sql: str, params: list[Any]) -> str:
    for value in params:
        sql = sql.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    return sql
