"""Load source units into the warehouse: once per checksum, atomically, losing nothing.

Rules every source gets for free:

* a unit already in ``load_log`` with the same sha256 is skipped (re-running never double-counts);
* a changed unit replaces exactly its own rows (``source_file`` = unit name) in one transaction;
* rows the source rejects go to ``rejected_rows`` with file, line, reason and raw text;
* an interrupted load leaves the warehouse as it was: nothing is committed until a unit's
  rows, rejects and log entry are all written;
* the monthly summaries measures read (:mod:`peelstat.warehouse.summaries`) are brought in
  step once the units are written (a combined group's writer summarises its units with their
  rows; an interrupted load may leave the others behind, and queries read the rows until
  the next load).

On DuckDB, :func:`load_source` writes consecutive units in one transaction and commits every
``batch_rows`` rows (and before raising on a unit it cannot parse): a commit costs tens of
milliseconds on disk, which would otherwise dominate a national month of ~130 files. A unit is
still never half-written: a kill loses at most the uncommitted batch, whole units only.

A source may also load a unit *inside* a DuckDB warehouse (see :class:`peelstat.sources.base.DuckDBNative`): its
rows then go from DuckDB's CSV reader to the table without a round trip through Arrow, which
is most of the cost of a large load. Every other backend gets the Arrow rows of ``parse``.
Consecutive units of one table in one archive or folder may even go in as one insert when
the source offers ``combine_duckdb`` (one multi-file read instead of ~44 small ones). Such
groups are written side by side (:class:`peelstat.warehouse.writers.GroupWriters`), each group in
its own transaction with its rejects, load_log entries and monthly summary rows, so a kill
loses whole groups and nothing else.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
from ibis.backends import BaseBackend

from peelstat.errors import IngestError, LoadInterrupted, UnitsRefused
from peelstat.sources.base import Source, SourceFile, heaviest_first
from peelstat.warehouse.batch import DEFAULT_BATCH_ROWS, Batch
from peelstat.warehouse.disk_space import full_warehouse_reported
from peelstat.warehouse.load_report import LoadReport, Outcome, ProgressCallback, UnitResult
from peelstat.warehouse.summaries import refresh_summaries
from peelstat.warehouse.writers import DEFAULT_WRITERS, DigestsAhead, place_of, unit_sizes
from peelstat.warehouse.writing import write_unit

__all__ = [
    "LoadReport",
    "ProgressCallback",
    "UnitResult",
    "load_source",
    "load_unit",
    "loaded_checksum",
    "loaded_checksums",
]


def in_load_order(units: list[SourceFile]) -> list[SourceFile]:
    """Units of one table side by side within each archive or folder, so they can be combined;
    one archive's units stay together (it is extracted once). Within a place the table with
    the most bytes goes first: its groups are the long pole, and written first they overlap
    the smaller tables' instead of finishing alone (a national month: street 128 MB,
    outcomes 81 MB, stop and search 7 MB)."""
    sizes = unit_sizes(units)
    places: dict[Path, list[SourceFile]] = {}
    for unit in units:
        places.setdefault(place_of(unit), []).append(unit)
    by_table = [heaviest_first(p, lambda u: u.table, sizes.__getitem__) for p in places.values()]
    return [unit for place in by_table for unit in place]


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
    ordered = in_load_order(units)
    batch = Batch(con, source, batch_rows, report, on_unit_done, writers)
    refused: list[IngestError] = []
    try:
        with full_warehouse_reported(con, units), DigestsAhead(ordered) as digests, batch:
            _load_in_order(batch, ordered, digests, known, refused)
    except KeyboardInterrupt:
        skipped = report.count("skipped")
        raise LoadInterrupted(report.written, report.rows_loaded, skipped, len(units)) from None
    if con.name == "duckdb":
        _refresh_summaries(con)  # also when nothing was written: an earlier stop is caught up
    for error in batch.damaged:  # one per group written: say each archive once
        if all(str(error) != str(r) for r in refused):
            refused.append(error)
    if refused:
        raise UnitsRefused(refused, report.written, report.rows_loaded, report.count("skipped"))
    return report


def _refresh_summaries(con: BaseBackend) -> None:
    """Bring the monthly summaries in step; the units are loaded whether or not this works,
    so a failure is said, not raised: queries then read the rows (slower, never wrong)."""
    try:
        refresh_summaries(con.con)  # type: ignore[attr-defined]
    except duckdb.Error as error:
        warnings.warn(
            f"the loaded rows are in, but the monthly summaries could not be brought up to date "
            f"({str(error).splitlines()[0]}): measures read the rows instead until the next "
            "load",
            stacklevel=3,
        )


def _load_in_order(
    batch: Batch,
    ordered: list[SourceFile],
    digests: DigestsAhead,
    known: dict[str, str],
    refused: list[IngestError],
) -> None:
    """Each unit in turn; a unit that cannot be loaded (IngestError) is refused, in
    ``refused``, and the others still load (an archive's error is listed once)."""
    place = None
    given: set[str] = set()  # units this command has written
    for number, unit in enumerate(ordered):
        if place_of(unit) != place:
            if place is not None:
                batch.next_place()
            place = place_of(unit)
        try:
            digest = digests.of(unit)
            previous = known.get(unit.name)
            if previous == digest:
                outcome: Outcome = "copy" if unit.name in given else "skipped"
                batch.done(UnitResult(unit.name, unit.label, unit.table, outcome, 0, 0), unit)
                continue
            prepared = batch.prepare(unit)
        except IngestError as error:
            if all(str(error) != str(e) for e in refused):
                refused.append(error)
            continue
        except BaseException:
            batch.flush()
            batch.keep_written()  # units already written are whole: keep them
            raise
        batch.add(unit, prepared, digest, replace=previous is not None)
        known[unit.name] = digest
        given.add(unit.name)
        following = ordered[number + 1] if number + 1 < len(ordered) else None
        if following is None or following.table != unit.table:
            batch.flush()  # the table's last unit here: write it now, not once the next is read
    batch.flush()


def load_unit(con: BaseBackend, source: Source, unit: SourceFile) -> UnitResult:
    """Load one unit, in its own transaction, unless the same bytes are already loaded."""
    digest = unit.sha256()
    previous = loaded_checksum(con, unit.name)
    if previous == digest:
        return UnitResult(unit.name, unit.label, unit.table, "skipped", 0, 0)
    parsed = source.parse(unit)
    unit.wait_intact()
    with full_warehouse_reported(con, [unit]):
        write_unit(con, source.name, unit, parsed, digest)
    if con.name == "duckdb":
        _refresh_summaries(con)
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


def load_files(
    con: BaseBackend, source: str, paths: Sequence[Path],
    on_unit_done: ProgressCallback | None = None, **options: Any,
) -> LoadReport:  # fmt: skip
    """Load files of the source registered as ``source`` (``police-uk``, ``population``…),
    then close it (a zip's temporary extraction is removed even when the load fails)."""
    from peelstat.sources import get_source

    chosen = get_source(source, **options)
    try:
        return load_source(con, chosen, paths, on_unit_done)
    finally:
        close = getattr(chosen, "close", None)
        if callable(close):
            close()
