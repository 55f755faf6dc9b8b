"""Load source units into the warehouse: once per checksum, atomically, losing nothing.

Rules every source gets for free:

* a unit already in ``load_log`` with the same sha256 is skipped (re-running never double-counts);
* a changed unit replaces exactly its own rows (``source_file`` = unit name) in one transaction;
* rows the source rejects go to ``rejected_rows`` with file, line, reason and raw text;
* an interrupted load leaves the warehouse as it was: nothing is committed until a unit's
  rows, rejects and log entry are all written.

On DuckDB, :func:`load_source` writes consecutive units in one transaction and commits every
``batch_rows`` rows (and before raising on a unit it cannot parse): a commit costs tens of
milliseconds on disk, which would otherwise dominate a national month of ~130 files. A unit is
still never half-written: a kill loses at most the uncommitted batch, whole units only.

A source may also load a unit *inside* a DuckDB warehouse (see :class:`DuckDBNative`): its
rows then go from DuckDB's CSV reader to the table without a round trip through Arrow, which
is most of the cost of a large load. Every other backend gets the Arrow rows of ``parse``.
Consecutive units of one table in one archive or folder may even go in as one insert when
the source offers ``combine_duckdb`` (one multi-file read instead of ~44 small ones). Such
groups are written side by side by :class:`_GroupWriters`, each group in its own transaction
with its rejects and load_log entries, so a kill loses whole groups and nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import pyarrow as pa
from ibis.backends import BaseBackend

from peelstat.sources.base import Parsed, Rejected, Source, SourceFile
from peelstat.warehouse.tables import SCHEMAS

Outcome = Literal["loaded", "replaced", "skipped"]

DEFAULT_BATCH_ROWS = 2_000_000
"""Rows written between commits on DuckDB: large enough that commits are rare, small enough
that an interrupted national load loses little work."""


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
"""Called with each unit and its rows once the unit is committed. If the callback also has a
``start(units)`` method (as :func:`peelstat.warehouse.progress.loading_progress` gives), it is
called first with every unit found, so a progress bar knows its total."""


@dataclass(frozen=True)
class NativeLoad:
    """A unit ready to go from DuckDB's CSV reader straight into its table, without Arrow.

    ``select`` (with named ``params``) gives the table's columns except ``source_file``. After
    the loader has inserted its rows, ``finish(con, inserted)`` returns the unit's rejects, or
    None when those rows must come out again and the unit go through ``parse`` instead.
    """

    select: str
    params: dict[str, Any]
    finish: Callable[[Any, int], list[Rejected] | None]
    details: Any = None  # what the source needs to combine units (see ``combine_duckdb``)


GroupResult = dict[str, tuple[int, list[Rejected]]]
"""Rows loaded and rejects of each unit of a combined insert, by unit name."""


@dataclass(frozen=True)
class GroupLoad:
    """Several units of one table as one insert; ``select`` gives ``source_file`` too.

    ``finish(con, inserted)`` returns each unit's rows and rejects, or None when the group's
    rows must come out again and each unit be loaded on its own.
    """

    select: str
    params: dict[str, Any]
    finish: Callable[[Any, int], GroupResult | None]


MAX_GROUP = 64
"""Units combined into one insert at most (a source offers ``combine_duckdb`` to allow it)."""

MAX_GROUP_RECORDS = 1_000_000
"""Lines after which a group is closed. Smaller groups keep more writers busy, but each
commit leaves a part-filled row group that DuckDB rewrites at checkpoint: measured best
at about a million (3 national months: 6.5 s at 250k, 5.1 s at 1M, 5.5 s unbounded)."""

DEFAULT_WRITERS = min(4, (os.cpu_count() or 1) + 1)
"""Group writers on DuckDB (each single-threaded): one more than the cores, as measured."""


@runtime_checkable
class DuckDBNative(Protocol):
    """Optional extra a source may implement to load straight into a DuckDB warehouse.

    ``prepare_duckdb`` must not touch the warehouse (a wrong header raises here, before the
    unit's old rows are deleted); it returns None when the unit should go through ``parse``.
    """

    def prepare_duckdb(self, unit: SourceFile) -> NativeLoad | None: ...


def _in_load_order(units: list[SourceFile]) -> list[SourceFile]:
    """Units of one table side by side within each archive or folder, so they can be combined;
    one archive's units stay together (it is extracted once)."""
    first = {_place(u): i for i, u in enumerate(reversed(units))}
    return sorted(units, key=lambda u: (-first[_place(u)], u.table))


def _place(unit: SourceFile) -> Path:
    """The archive a unit is in, or the folder of a plain file."""
    return unit.path if unit.member else unit.path.parent


def load_source(
    con: BaseBackend,
    source: Source,
    paths: Sequence[Path],
    on_unit_done: ProgressCallback | None = None,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    writers: int = DEFAULT_WRITERS,
) -> LoadReport:
    """Discover, parse and load every unit of ``paths``; see the module rules."""
    units = source.discover(paths)
    start = getattr(on_unit_done, "start", None)
    if callable(start):
        start(units)
    report = LoadReport(source=source.name)
    known = loaded_checksums(con)
    ordered = _in_load_order(units)
    place, in_archive = None, False
    with (
        DigestsAhead(ordered) as digests,
        _Batch(con, source, batch_rows, report, on_unit_done, writers) as batch,
    ):
        for unit in ordered:
            if _place(unit) != place:
                batch.flush()
                if in_archive:
                    batch.drain()  # writers finish an archive before a later one replaces it
                place, in_archive = _place(unit), unit.member is not None
            digest = digests.of(unit)
            previous = known.get(unit.name)
            if previous == digest:
                batch.done(UnitResult(unit.name, unit.label, unit.table, "skipped", 0, 0), unit)
                continue
            try:
                prepared = batch.prepare(unit)
            except BaseException:
                batch.flush()
                batch.keep_written()  # units already written are whole: keep them
                raise
            batch.add(unit, prepared, digest, replace=previous is not None)
            known[unit.name] = digest
        batch.flush()
    return report


class DigestsAhead:
    """Checksums worked out in a background thread, one archive or folder ahead of the loader.

    Reading and hashing the next files (and extracting the next zip) then overlaps DuckDB
    writing the current ones: both release the GIL, and DuckDB's ordered inserts leave a core
    free. Never more than one place ahead, so at most two archives are extracted at once.
    """

    def __init__(self, units: list[SourceFile]) -> None:
        self.places: list[list[SourceFile]] = []
        self.place_of: dict[SourceFile, int] = {}
        for unit in units:
            if not self.places or _place(self.places[-1][0]) != _place(unit):
                self.places.append([])
            self.places[-1].append(unit)
            self.place_of.setdefault(unit, len(self.places) - 1)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peelstat-sha256")
        self.futures: dict[SourceFile, Future[str]] = {}
        self.submitted = 0

    def __enter__(self) -> DigestsAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def of(self, unit: SourceFile) -> str:
        """The unit's sha256, once the background thread has it (its errors are raised here)."""
        ahead = min(self.place_of[unit] + 2, len(self.places))
        while self.submitted < ahead:
            for queued in self.places[self.submitted]:
                self.futures.setdefault(queued, self.pool.submit(queued.sha256))
            self.submitted += 1
        return self.futures[unit].result()


def load_unit(con: BaseBackend, source: Source, unit: SourceFile) -> UnitResult:
    """Load one unit, in its own transaction, unless the same bytes are already loaded."""
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


def loaded_checksums(con: BaseBackend) -> dict[str, str]:
    """Every unit name in ``load_log`` with its sha256 (one query, however many units)."""
    found = con.table("load_log").select("file", "sha256").to_pyarrow()
    return dict(zip(found.column(0).to_pylist(), found.column(1).to_pylist(), strict=True))


def write_unit(
    con: BaseBackend, source_name: str, unit: SourceFile, parsed: Parsed, digest: str
) -> None:
    """Replace the unit's rows, rejects and log entry in one transaction."""
    with transaction(con) as execute:
        _replace(con, execute, source_name, unit, parsed, digest, replace=True)


class _Batch:
    """Units written inside one open transaction (DuckDB), committed every ``batch_rows`` rows,
    and combined groups handed to :class:`_GroupWriters`, each committed on its own.

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
        self.writers: _GroupWriters | None = None  # started with the first combined group

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.drain()
            self.commit()
        elif self.open:
            self.raw.execute("ROLLBACK")
            self.open, self.pending, self.bookkeeping = False, [], {}
        if self.writers is not None:
            self.writers.close()  # waits: no writer outlives the load

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
            for unit, native, digest, replace in group:
                self.write(unit, native, digest, replace)
            return
        self.commit()  # units written here so far go first, whole
        if self.writers is None:
            self.writers = _GroupWriters(self.raw, self.writer_count)
        names = {unit.name for unit, *_ in group}
        if any(g[3] for g in group) or names & self.writers.names_in_flight():
            self.drain()  # a unit written again waits for its earlier write to commit
        while self.writers.full():
            self._collect(*self.writers.first_done())
        self.writers.submit(self.source_name, group, combined)

    def drain(self) -> None:
        """Wait for every group writer and report (or fall back for) what each wrote."""
        if self.writers is not None:
            while self.writers.in_flight:
                self._collect(*self.writers.first_done())

    def _collect(self, group: list[tuple[SourceFile, NativeLoad, str, bool]], written: Any) -> None:
        if written is None:  # the writer rolled back: load each unit on its own instead
            for unit, native, digest, replace in group:
                self.write(unit, native, digest, replace)
            return
        for unit, rows, rejected, _, replace in written:
            self.report.units.append(self._result(unit, replace, rows, rejected))
            if self.on_unit_done is not None:
                self.on_unit_done(unit, rows)

    def keep_written(self) -> None:
        """Commit the whole units written so far; roll back if DuckDB aborted the batch."""
        if self.writers is not None:
            self.writers.close()  # what they committed is whole units; their errors are theirs
        try:
            self.commit()
        except Exception:
            self.raw.execute("ROLLBACK")
            self.open, self.pending, self.bookkeeping = False, [], {}

    def write(
        self, unit: SourceFile, prepared: Parsed | NativeLoad, digest: str, replace: bool
    ) -> None:
        if self.raw is None:
            assert isinstance(prepared, Parsed)
            write_unit(self.con, self.source_name, unit, prepared, digest)
            self.done(self._result(unit, replace, prepared.rows.num_rows, prepared.rejected), unit)
            return
        self._begin()
        execute = self.raw.execute
        if replace:
            _delete_unit(execute, unit)
        if isinstance(prepared, NativeLoad):
            rows, rejected = self._insert_native(unit, prepared)
        else:
            rows, rejected = prepared.rows.num_rows, prepared.rejected
            _append(self.con, unit.table, _conform(prepared.rows, unit.table), unit.name)
        self._log(unit, rows, rejected, digest, replace)
        self._commit_if_full()

    def _log(
        self, unit: SourceFile, rows: int, rejected: list[Rejected], digest: str, replace: bool
    ) -> None:
        """The unit's rejects and load_log entry, written with the batch's others at commit
        (one insert rather than two per unit), inside the transaction that holds its rows."""
        self.bookkeeping[unit.name] = (
            _rejected_table(self.source_name, unit, rejected),
            _log_entry(self.source_name, unit, rows, len(rejected), digest),
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
        _append(self.con, unit.table, _conform(parsed.rows, unit.table), unit.name)
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
                _append(self.con, "rejected_rows", pa.concat_tables(rejects))
                _append(self.con, "load_log", pa.concat_tables(logs))
            self.raw.execute("COMMIT")
            self.open, self.rows, self.bookkeeping = False, 0, {}
        self._report()

    def _report(self) -> None:
        for result, unit in self.pending:
            self.report.units.append(result)
            if self.on_unit_done is not None:
                self.on_unit_done(unit, result.rows_loaded)
        self.pending = []


Held = tuple[SourceFile, NativeLoad, str, bool]
"""A unit waiting in a group: the unit, its native load, its sha256 and whether it replaces."""

Written = list[tuple[SourceFile, int, list[Rejected], str, bool]]
"""What a group writer committed: each unit with its rows, rejects, sha256, replace flag."""


class _GroupWriters:
    """Combined groups written side by side, each on its own DuckDB cursor and transaction.

    Numbering rows in file order (``row_number() OVER ()``) makes DuckDB run an insert on one
    thread; so each writer's cursor runs single-threaded (``threads = 1`` while loading) and
    several groups go in at once, which keeps every core busy. A group's rows, rejects and
    load_log entries commit together, so a kill loses whole groups, never part of a unit.
    """

    def __init__(self, raw: Any, count: int) -> None:
        self.raw, self.count = raw, max(1, count)
        self.threads = raw.execute("SELECT current_setting('threads')").fetchone()[0]
        raw.execute("SET threads = 1")
        self.pool = ThreadPoolExecutor(self.count, thread_name_prefix="peelstat-writer")
        self.local = threading.local()
        self.cursors: list[Any] = []
        self.lock = threading.Lock()
        self.in_flight: list[tuple[list[Held], Future[Written | None]]] = []

    def names_in_flight(self) -> set[str]:
        return {unit.name for group, _ in self.in_flight for unit, *_ in group}

    def full(self) -> bool:
        return len(self.in_flight) >= self.count

    def submit(self, source_name: str, group: list[Held], combined: GroupLoad) -> None:
        future = self.pool.submit(self._write, source_name, group, combined)
        self.in_flight.append((group, future))

    def first_done(self) -> tuple[list[Held], Written | None]:
        """The oldest group's outcome (its error, if it failed, is raised here)."""
        group, future = self.in_flight.pop(0)
        return group, future.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.in_flight = []
        for cursor in self.cursors:
            cursor.close()
        self.cursors = []
        self.raw.execute(f"SET threads = {int(self.threads)}")

    def _cursor(self) -> Any:
        cursor = getattr(self.local, "cursor", None)
        if cursor is None:
            cursor = self.local.cursor = self.raw.cursor()
            with self.lock:
                self.cursors.append(cursor)
        return cursor

    def _write(self, source_name: str, group: list[Held], combined: GroupLoad) -> Written | None:
        cursor = self._cursor()
        table = group[0][0].table
        cursor.execute("BEGIN TRANSACTION")
        try:
            for unit, _, _, replace in group:
                if replace:
                    _delete_unit(cursor.execute, unit)
            found = cursor.execute(
                f"INSERT INTO {table} BY NAME {combined.select}", combined.params
            ).fetchone()
            results = combined.finish(cursor, int(found[0]) if found else 0)
            if results is None:
                cursor.execute("ROLLBACK")
                return None
            written = [
                (unit, *results[unit.name], digest, replace) for unit, _, digest, replace in group
            ]
            rejects = [
                _rejected_table(source_name, u, rejected) for u, _, rejected, _, _ in written
            ]
            logs = [_log_entry(source_name, u, n, len(r), d) for u, n, r, d, _ in written]
            _append_raw(cursor, "rejected_rows", pa.concat_tables(rejects))
            _append_raw(cursor, "load_log", pa.concat_tables(logs))
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        return written


def _replace(
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
        _delete_unit(execute, unit)
    _append(con, unit.table, _conform(parsed.rows, unit.table), unit.name)
    _append(con, "rejected_rows", _rejected_table(source_name, unit, parsed.rejected))
    rows, rejected = parsed.rows.num_rows, len(parsed.rejected)
    _append(con, "load_log", _log_entry(source_name, unit, rows, rejected, digest))


def _delete_unit(execute: Callable[[str, list[Any]], Any], unit: SourceFile) -> None:
    """Remove every trace of an earlier load of this unit (rows, rejects, log entry)."""
    execute(f"DELETE FROM {unit.table} WHERE source_file = ?", [unit.name])
    execute("DELETE FROM rejected_rows WHERE file = ?", [unit.name])
    execute("DELETE FROM load_log WHERE file = ?", [unit.name])


def _rejected_table(source_name: str, unit: SourceFile, rejected: list[Rejected]) -> pa.Table:
    return pa.table(
        {
            "file": [unit.name] * len(rejected),
            "source": [source_name] * len(rejected),
            "line": [r.line for r in rejected],
            "reason": [r.reason for r in rejected],
            "raw": [r.raw for r in rejected],
        },
        schema=SCHEMAS["rejected_rows"].to_pyarrow(),
    )


def _log_entry(
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
        },
        schema=SCHEMAS["load_log"].to_pyarrow(),
    )


def _conform(rows: pa.Table, table: str) -> pa.Table:
    """The rows with the table's columns and types, less ``source_file`` (added on insert)."""
    schema = SCHEMAS[table].to_pyarrow()
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


def _append(con: BaseBackend, table: str, rows: pa.Table, source_file: str | None = None) -> None:
    """Insert Arrow rows; ``source_file``, when given, is added as a constant column."""
    if rows.num_rows == 0:
        return
    raw = getattr(con, "con", None)
    if con.name == "duckdb" and raw is not None:
        _append_raw(raw, table, rows, source_file)
        return
    if source_file is not None:
        rows = rows.append_column("source_file", pa.array([source_file] * rows.num_rows))
    con.insert(table, rows.select(SCHEMAS[table].names))


def _append_raw(raw: Any, table: str, rows: pa.Table, source_file: str | None = None) -> None:
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
