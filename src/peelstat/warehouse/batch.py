"""Units written to the warehouse in batches: one open transaction on DuckDB, group writers
for combined inserts, a transaction per unit elsewhere."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from ibis.backends import BaseBackend

from peelstat.errors import IngestError
from peelstat.sources.base import DuckDBNative, NativeLoad, Parsed, Rejected, Source, SourceFile
from peelstat.warehouse.load_report import LoadReport, Outcome, ProgressCallback, UnitResult
from peelstat.warehouse.native import MAX_GROUP, MAX_GROUP_RECORDS
from peelstat.warehouse.summaries import summaries_for_writers
from peelstat.warehouse.writers import GroupWriters, damage
from peelstat.warehouse.writing import (
    append_rows,
    conform,
    delete_unit,
    log_entry,
    rejected_table,
    rollback,
    write_unit,
)

DEFAULT_BATCH_ROWS = 2_000_000
"""Rows written between commits on DuckDB: large enough that commits are rare, small enough
that an interrupted national load loses little work."""


class Batch:
    """Units written inside one open transaction (DuckDB), committed every ``batch_rows`` rows,
    and combined groups handed to :class:`GroupWriters`, each committed on its own.

    Other backends commit each unit on its own, as :func:`write_unit` does.
    """

    def __init__(
        self,
        con: BaseBackend,
        source: Source,
        batch_rows: int,
        report: LoadReport,
        on_unit_done: ProgressCallback | None,
        writers: int,
    ) -> None:
        self.con, self.source, self.batch_rows = con, source, batch_rows
        self.source_name = source.name
        self.report, self.on_unit_done = report, on_unit_done
        self.raw: Any = getattr(con, "con", None) if con.name == "duckdb" else None
        self.open = False
        self.rows = 0
        self.pending: list[tuple[UnitResult, SourceFile]] = []
        self.group: list[tuple[SourceFile, NativeLoad, str, bool]] = []
        self.group_records = 0
        # per unit name, so a unit replaced twice in one batch is logged once
        self.bookkeeping: dict[str, tuple[pa.Table, pa.Table]] = {}
        self.writer_count = writers
        self.written: set[str] = set()  # units this load has written or handed to a writer
        self.place = 0  # number of the archive or folder being loaded
        self.writers: GroupWriters | None = None  # started with the first combined group
        self.damaged: list[IngestError] = []  # archives found damaged before their rows committed

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        failed = kind is not None
        try:
            if not failed:
                self.drain()
                self.commit()
        except BaseException:
            failed = True
            raise
        finally:
            if failed:
                self._report_writers()
                self._abandon()
            if self.writers is not None:
                self.writers.close()  # waits: no writer outlives the load; threads restored

    def _report_writers(self) -> None:
        """Report the groups the writers commit even when the load stops (Ctrl-C, an error),
        so the report says what is in the warehouse; a failed group rolled itself back."""
        while self.writers is not None and self.writers.in_flight:
            try:
                group, written = self.writers.next_done()
            except Exception:
                continue
            if written is not None:
                self._collect(group, written)

    def _abandon(self) -> None:
        """Roll back the main transaction: only whole units were ever committed."""
        if self.open:
            rollback(self.raw)
        self.open, self.pending, self.bookkeeping = False, [], {}

    def prepare(self, unit: SourceFile) -> Parsed | NativeLoad:
        """Parse the unit, or get it ready to load inside DuckDB when both sides allow it."""
        if self.raw is not None and isinstance(self.source, DuckDBNative):
            native = self.source.prepare_duckdb(unit)
            if native is not None:
                return native
        return self.source.parse(unit)

    def add(
        self, unit: SourceFile, prepared: Parsed | NativeLoad, digest: str, replace: bool
    ) -> None:
        """Write the unit, or hold it to combine with the next units of the same table."""
        if not isinstance(prepared, NativeLoad) or not hasattr(self.source, "combine_duckdb"):
            self.flush()
            self._settle([unit.name])
            self.write(unit, prepared, digest, replace)
            return
        table, names = unit.table, {g[0].name for g in self.group}
        if self.group and (self.group[0][0].table != table or unit.name in names):
            self.flush()  # a group is one table, each unit once
        if len(self.group) >= MAX_GROUP or self.group_records >= MAX_GROUP_RECORDS:
            self.flush()
        self.group.append((unit, prepared, digest, replace))
        self.group_records += unit.lines()

    def flush(self) -> None:
        """Write the held units: in one insert, by a group writer, if the source can combine them."""
        group, self.group, self.group_records = self.group, [], 0
        combine = getattr(self.source, "combine_duckdb", None)
        combined = combine([g[1] for g in group]) if combine and len(group) > 1 else None
        if combined is None or self.raw is None:
            self._settle([unit.name for unit, *_ in group])
            for unit, native, digest, replace in group:
                self.write(unit, native, digest, replace)
            return
        self.commit()  # units written here so far go first, whole
        if self.writers is None:
            self.writers = GroupWriters(
                self.raw, self.writer_count, summaries_for_writers(self.raw)
            )
        self._settle([unit.name for unit, *_ in group])
        while self.writers.full():
            self._collect(*self.writers.next_done())
        self.writers.submit(self.source_name, group, combined, self.place)
        self.written.update(unit.name for unit, *_ in group)

    def _settle(self, names: list[str]) -> None:
        """Before a unit this load has already written is written again (a second copy in one
        load), wait for the writers and start a fresh transaction, so the rows written first
        are seen and deleted. Rows from earlier loads are committed: every transaction sees
        them."""
        if self.writers is None:
            return
        if any(name in self.written for name in names):
            self.drain()
            self.commit()  # a transaction begun before the writers committed cannot see them

    def next_place(self) -> None:
        """The loader moves on to the next archive or folder: the writers must be done with
        the one before the last (the next archive's extraction may remove its files)."""
        self.flush()
        self.place += 1
        self.drain(before_place=self.place - 1)

    def drain(self, before_place: int | None = None) -> None:
        """Wait for the group writers (those of places before ``before_place``, if given) and
        report (or fall back for) what each wrote."""
        if self.writers is None:
            return
        while self.writers.in_flight and (
            before_place is None or self.writers.waiting_before(before_place)
        ):
            self._collect(*self.writers.next_done(before_place))

    def _collect(self, group: list[tuple[SourceFile, NativeLoad, str, bool]], written: Any) -> None:
        if written is None:  # the writer rolled back: load each unit on its own instead
            for unit, native, digest, replace in group:
                self.write(unit, native, digest, replace)
            return
        if not written:  # the writer rolled back: the group's archive turned out damaged
            self._refuse_if_damaged(group[0][0])
            return
        for unit, rows, rejected, _, replace in written:
            self.report.record(self._result(unit, replace, rows, rejected))
            if self.on_unit_done is not None:
                self.on_unit_done(unit, rows)

    def _refuse_if_damaged(self, unit: SourceFile) -> bool:
        """Keep the error of a unit whose archive is damaged, for the load's refused list."""
        error = damage(unit)
        if error is not None:
            self.damaged.append(error)
        return error is not None

    def keep_written(self) -> None:
        """Commit the whole units written so far; roll back if DuckDB aborted the batch."""
        while self.writers is not None and self.writers.in_flight:
            try:  # report the groups the writers committed; a failed one rolled itself back
                self._collect(*self.writers.next_done())
            except Exception:
                continue
        try:
            self.commit()
        except Exception:
            self._abandon()

    def write(
        self, unit: SourceFile, prepared: Parsed | NativeLoad, digest: str, replace: bool
    ) -> None:
        if self._refuse_if_damaged(unit):
            return
        if self.raw is None:
            assert isinstance(prepared, Parsed)
            write_unit(self.con, self.source_name, unit, prepared, digest)
            self.done(self._result(unit, replace, prepared.rows.num_rows, prepared.rejected), unit)
            return
        self._begin()
        self.written.add(unit.name)
        execute = self.raw.execute
        if replace:
            delete_unit(execute, unit)
        if isinstance(prepared, NativeLoad):
            rows, rejected = self._insert_native(unit, prepared)
        else:
            rows, rejected = prepared.rows.num_rows, prepared.rejected
            append_rows(self.con, unit.table, conform(prepared.rows, unit.table), unit.name)
        self._log(unit, rows, rejected, digest, replace)
        self._commit_if_full()

    def _log(
        self, unit: SourceFile, rows: int, rejected: list[Rejected], digest: str, replace: bool
    ) -> None:
        """The unit's rejects and load_log entry, written with the batch's others at commit
        (one insert rather than two per unit), inside the transaction that holds its rows."""
        self.bookkeeping[unit.name] = (
            rejected_table(self.source_name, unit, rejected),
            log_entry(self.source_name, unit, rows, len(rejected), digest),
        )
        self.rows += rows
        self.done(self._result(unit, replace, rows, rejected), unit)

    def _commit_if_full(self) -> None:
        """Commit once the batch holds ``batch_rows`` rows; only between whole writes."""
        if self.rows >= self.batch_rows:
            self.commit()

    def _insert_native(self, unit: SourceFile, native: NativeLoad) -> tuple[int, list[Rejected]]:
        found = self.raw.execute(
            f"INSERT INTO {unit.table} BY NAME "
            f"SELECT *, $peelstat_file::VARCHAR AS source_file FROM ({native.select})",
            {**native.params, "peelstat_file": unit.name},
        ).fetchone()
        inserted = int(found[0]) if found else 0
        rejected = native.finish(self.raw, inserted)
        if rejected is not None:
            return inserted, rejected
        self.raw.execute(f"DELETE FROM {unit.table} WHERE source_file = ?", [unit.name])
        parsed = self.source.parse(unit)
        append_rows(self.con, unit.table, conform(parsed.rows, unit.table), unit.name)
        return parsed.rows.num_rows, parsed.rejected

    @staticmethod
    def _result(unit: SourceFile, replace: bool, rows: int, rejected: list[Rejected]) -> UnitResult:
        outcome: Outcome = "replaced" if replace else "loaded"
        return UnitResult(unit.name, unit.label, unit.table, outcome, rows, len(rejected))

    def _begin(self) -> None:
        if not self.open:
            self.raw.execute("BEGIN TRANSACTION")
            self.open = True

    def done(self, result: UnitResult, unit: SourceFile) -> None:
        self.pending.append((result, unit))
        if not self.open:
            self._report()

    def commit(self) -> None:
        if self.bookkeeping and not self.open:
            raise RuntimeError("load bookkeeping outside a transaction: rows and log would part")
        if self.open:
            if self.bookkeeping:
                rejects, logs = zip(*self.bookkeeping.values(), strict=True)
                append_rows(self.con, "rejected_rows", pa.concat_tables(rejects))
                append_rows(self.con, "load_log", pa.concat_tables(logs))
            self.raw.execute("COMMIT")
            self.open, self.rows, self.bookkeeping = False, 0, {}
        self._report()

    def _report(self) -> None:
        for result, unit in self.pending:
            self.report.record(result)
            if self.on_unit_done is not None:
                self.on_unit_done(unit, result.rows_loaded)
        self.pending = []
