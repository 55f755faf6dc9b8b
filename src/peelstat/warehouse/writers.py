"""Work done beside the loader's main thread: checksums read ahead, combined groups written
side by side."""

from __future__ import annotations

import datetime as dt
import os
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pyarrow as pa

from peelstat.errors import IngestError
from peelstat.sources.base import GroupLoad, SourceFile
from peelstat.warehouse.native import Held, Written
from peelstat.warehouse.summaries import summarise_units
from peelstat.warehouse.writing import (
    append_arrow,
    delete_unit,
    log_entry,
    rejected_table,
    rollback,
)

DEFAULT_WRITERS = min(4, (os.cpu_count() or 1) + 1)
"""Group writers on DuckDB (each single-threaded): one more than the cores, as measured."""


def place_of(unit: SourceFile) -> Path:
    """The archive a unit is in, or the folder of a plain file."""
    return unit.path if unit.member else unit.path.parent


def unit_sizes(units: Sequence[SourceFile]) -> dict[SourceFile, int]:
    """Bytes of each unit (a zip member's uncompressed size), reading each archive's directory
    once; 0 where it cannot be read, since only the order depends on it (the load itself
    reports the damaged file)."""
    sizes: dict[SourceFile, int] = {}
    members: dict[Path, dict[str, int]] = {}
    for unit in units:
        try:
            if unit.member is None:
                sizes[unit] = unit.path.stat().st_size
                continue
            if unit.path not in members:
                with zipfile.ZipFile(unit.path) as archive:
                    members[unit.path] = {i.filename: i.file_size for i in archive.infolist()}
            sizes[unit] = members[unit.path].get(unit.member, 0)
        except (OSError, zipfile.BadZipFile):
            members.setdefault(unit.path, {})
            sizes[unit] = 0
    return sizes


def damage(unit: SourceFile) -> IngestError | None:
    """Why the archive or file the unit came with is not whole (see ``wait_intact``), or
    None. A damaged unit's rows are never committed; the loader lists the error among the
    refused files, once per archive."""
    try:
        unit.wait_intact()
    except IngestError as error:
        return error
    return None


class DigestsAhead:
    """Checksums worked out in a background thread, one archive or folder ahead of the loader.

    Reading and hashing the next files (and extracting the next zip) then overlaps DuckDB
    writing the current ones: both release the GIL, and DuckDB's ordered inserts leave a core
    free. Never more than one place ahead, so at most three archives are extracted at once:
    the one the writers may still be finishing, the one being loaded, and the next.
    """

    def __init__(self, units: list[SourceFile]) -> None:
        self.places: list[list[SourceFile]] = []
        self.place_of: dict[SourceFile, int] = {}
        for unit in units:
            if not self.places or place_of(self.places[-1][0]) != place_of(unit):
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


class GroupWriters:
    """Combined groups written side by side, each on its own DuckDB cursor and transaction.

    Numbering rows in file order (``row_number() OVER ()``) makes DuckDB run an insert on one
    thread; so each writer's cursor runs single-threaded (``threads = 1`` while loading) and
    several groups go in at once, which keeps every core busy. A group's rows, rejects,
    load_log entries and monthly summary rows (for the tables in ``summarised``) commit
    together, so a kill loses whole groups, never part of a unit.
    """

    def __init__(self, raw: Any, count: int, summarised: frozenset[str] = frozenset()) -> None:
        self.raw, self.count, self.summarised = raw, max(1, count), summarised
        self.threads = raw.execute("SELECT current_setting('threads')").fetchone()[0]
        # a cursor starts from DuckDB's defaults, not the connection's settings: timestamps
        # without an offset must be read in the same time zone by every writer
        self.settings = {
            name: raw.execute(f"SELECT current_setting('{name}')").fetchone()[0]
            for name in ("TimeZone", "Calendar")
        }
        raw.execute("SET threads = 1")
        self.pool = ThreadPoolExecutor(self.count, thread_name_prefix="peelstat-writer")
        self.local = threading.local()
        self.cursors: list[Any] = []
        self.lock = threading.Lock()
        # each group with its future and the number of the archive or folder it came from
        self.in_flight: list[tuple[list[Held], Future[Written | None], int]] = []

    def full(self) -> bool:
        return len(self.in_flight) >= self.count

    def submit(self, source_name: str, group: list[Held], combined: GroupLoad, place: int) -> None:
        future = self.pool.submit(self._write, source_name, group, combined)
        self.in_flight.append((group, future, place))

    def next_done(self, before_place: int | None = None) -> tuple[list[Held], Written | None]:
        """The outcome of whichever group finishes first (of those from places before
        ``before_place``, if given); a failed group's error is raised here."""
        eligible = [e for e in self.in_flight if before_place is None or e[2] < before_place]
        done, _ = wait([future for _, future, _ in eligible], return_when=FIRST_COMPLETED)
        entry = next(e for e in eligible if e[1] in done)
        self.in_flight.remove(entry)
        return entry[0], entry[1].result()

    def waiting_before(self, place: int) -> bool:
        return any(p < place for _, _, p in self.in_flight)

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
            for name, value in self.settings.items():
                cursor.execute(f"SET {name} = '{value}'")
            with self.lock:
                self.cursors.append(cursor)
        return cursor

    def _bookkeep(
        self,
        cursor: Any,
        source_name: str,
        written: Written,
        months: tuple[dt.date, dt.date] | None,
    ) -> None:
        """The group's rejects, load_log entries and (where kept) monthly summary rows, in
        its transaction."""
        rejects = [rejected_table(source_name, u, rejected) for u, _, rejected, _, _ in written]
        logs = [log_entry(source_name, u, n, len(r), d) for u, n, r, d, _ in written]
        append_arrow(cursor, "rejected_rows", pa.concat_tables(rejects))
        append_arrow(cursor, "load_log", pa.concat_tables(logs))
        table = written[0][0].table
        if table in self.summarised:
            replaced = [u.name for u, *_, replace in written if replace]
            summarise_units(cursor, table, [u.name for u, *_ in written], replaced, months)

    def _write(self, source_name: str, group: list[Held], combined: GroupLoad) -> Written | None:
        cursor = self._cursor()
        table = group[0][0].table
        cursor.execute("BEGIN TRANSACTION")
        try:
            for unit, _, _, replace in group:
                if replace:
                    delete_unit(cursor.execute, unit)
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
            self._bookkeep(cursor, source_name, written, combined.months)
            if damage(group[0][0]) is not None:
                cursor.execute("ROLLBACK")
                return []
            cursor.execute("COMMIT")
        except BaseException:
            rollback(cursor)
            raise
        return written
