"""The front object: one warehouse, catalogue and records store behind every front-end.

The CLI, the report builder and the web app each parse their input, make one call here and
render the typed result (:mod:`peelstat.analysis`); the work is done in the layers below.
Heavy libraries (Ibis, DuckDB, SQLAlchemy) are imported by the methods that need them, so a
command line that builds a Workspace for ``--help`` starts at once.

>>> from peelstat.workspace import Workspace
>>> ws = Workspace(":memory:")
>>> ws.status().empty
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peelstat.settings import store_location, warehouse_location
from peelstat.workspace_inspection import InspectionEvidence

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd
    from ibis.backends import BaseBackend

    from peelstat.analysis.catalogue import CatalogueListing
    from peelstat.analysis.comparison import MeasureComparison
    from peelstat.analysis.coverage import DataCoverage
    from peelstat.analysis.groups import ComparisonGroup, ComparisonGroups
    from peelstat.analysis.history import MeasureHistory
    from peelstat.analysis.report import ReportTable
    from peelstat.analysis.series import MeasureSeries
    from peelstat.catalogue.measure import Catalogue
    from peelstat.sources.download import ByteProgress, FetchReport
    from peelstat.warehouse.coverage import CoverageRow
    from peelstat.warehouse.loading import LoadReport, ProgressCallback
    from peelstat.warehouse.notes import WarehouseNote


class Workspace(InspectionEvidence):
    """A warehouse (DuckDB file by default, or any Ibis URL), a catalogue and a records store
    (the inspection methods are in :class:`peelstat.workspace_inspection.InspectionEvidence`)."""

    def __init__(
        self,
        warehouse: str | Path | None = None,
        *,
        catalogue_files: Sequence[Path] = (),
        store: str | Path | None = None,
        create: bool = True,
    ) -> None:
        self.location = warehouse_location(warehouse)
        self.catalogue_files = tuple(Path(f) for f in catalogue_files)
        self.store_location = store_location(store)
        self.create = create
        self._con: BaseBackend | None = None
        self._writable = False

    # ---- connections: opened on first use, for reading unless a method writes ----------------

    def _open(self, write: bool) -> BaseBackend:
        """The connection; a read-only use of a missing warehouse file is an error, not a new file."""
        from peelstat.warehouse.connect import connect

        if self._con is None or (write and not self._writable):
            self.close()
            self._con = connect(self.location, create=write)
            self._writable = write
        return self._con

    @property
    def con(self) -> BaseBackend:
        """The Ibis connection (created if missing when the workspace was made with create=True)."""
        return self._open(write=self.create)

    def _reader(self) -> BaseBackend:
        """For reading: with create=False (the command line) a missing file is an error."""
        return self._con if self._con is not None else self._open(write=self.create)

    def sibling(self) -> Workspace:
        """The same warehouse, catalogue and records store with a connection of its own, for
        one thread: DuckDB serves many read-only connections at once, but not one from many."""
        twin = Workspace(self.location, catalogue_files=self.catalogue_files,
                         store=self.store_location, create=self.create)  # fmt: skip
        twin.__dict__.update(catalogue=self.catalogue, records=self.records)  # cached properties
        return twin

    def close(self) -> None:
        """Close the warehouse connection (a later call opens it again)."""
        if self._con is not None:
            self._con.disconnect()
            self._con = None

    @cached_property
    def catalogue(self) -> Catalogue:
        """The built-in measures plus the workspace's catalogue files."""
        from peelstat.catalogue.loader import load_catalogue

        return load_catalogue(self.catalogue_files)

    # ---- loading ------------------------------------------------------------------------------

    def load(
        self, source: str, paths: Sequence[Path], on_unit_done: ProgressCallback | None = None,
        **options: Any,
    ) -> LoadReport:  # fmt: skip
        """Load files of one source (``police-uk``, ``home-office``, ``population``…)."""
        from peelstat.warehouse.loading import load_files

        return load_files(self._open(write=True), source, paths, on_unit_done, **options)

    def store_measure_frames(self) -> int:
        """Store every measure for every force and month held, so the first report table
        afterwards reads them (a read-only command never stores); the months stored."""
        from peelstat.measures.warm import store_frames

        return store_frames(self._open(write=True), self.catalogue)

    def recount(self) -> list[str]:
        """Count everything again from the rows, for rows changed in SQL without peelstat
        (:func:`peelstat.measures.cache.recount`); the summaries rebuilt."""
        from peelstat.measures.cache import recount

        self._open(write=False)  # a missing warehouse is an error, not a new empty one
        return recount(self._open(write=True))

    def fetch_police_uk(
        self, months: Sequence[str], dest: Path | None = None, forces: Sequence[str] = (),
        base_url: str | None = None, download_only: bool = False,
        on_bytes: ByteProgress | None = None, on_unit_done: ProgressCallback | None = None,
    ) -> FetchReport:  # fmt: skip
        """Download data.police.uk monthly archives (checked, resumed) and load them."""
        from peelstat.sources.police_uk_fetch import fetch_police_uk

        con = None if download_only else self._open(write=True)
        return fetch_police_uk(
            con, months, dest, forces, base_url, on_bytes=on_bytes, on_unit_done=on_unit_done
        )

    def load_demo(
        self, months: int, forces: Sequence[str] | None = None, seed: int = 0,
        on_unit_done: ProgressCallback | None = None,
    ) -> LoadReport:  # fmt: skip
        """Generate SYNTHETIC police.uk archives, and Home Office and 999 tables for the same
        months, beside the warehouse and load them (one report of every file)."""
        from peelstat.demo.aggregate_files import write_aggregate_files
        from peelstat.demo.archives import demo_months, generate_demo
        from peelstat.warehouse.notes import mark_synthetic

        archives = generate_demo(self.demo_folder, months=months, forces=forces, seed=seed)
        mark_synthetic(self._open(write=True), "the command peelstat demo")
        report = self.load("police-uk", archives, on_unit_done)
        tables = write_aggregate_files(self.demo_folder, demo_months(months), forces, seed)
        for source, path in tables.items():
            for unit in self.load(source, [path], on_unit_done).units:
                report.record(unit)
        return report

    @property
    def demo_folder(self) -> Path:
        """Where the demo's SYNTHETIC archives are written: beside the warehouse."""
        return Path(self.location).expanduser().parent / "archives"

    def set_groups(self, table: pd.DataFrame, source: str) -> int:
        """Store the user's Most Similar Groups (columns force, peer); returns the rows stored."""
        from peelstat.measures.msg import set_groups

        return set_groups(self._open(write=True), table, source)

    # ---- what is loaded -----------------------------------------------------------------------

    def warehouse_notes(self) -> tuple[WarehouseNote, ...]:
        """What the warehouse declares about itself: a SYNTHETIC one says so (every front-end
        shows it as a banner)."""
        from peelstat.warehouse.notes import warehouse_notes

        return warehouse_notes(self._reader())

    def status(self) -> DataCoverage:
        """What is loaded, per table, with the force-periods that are missing."""
        from peelstat.analysis.coverage import data_coverage

        return data_coverage(self._reader())

    def coverage(self) -> list[CoverageRow]:
        """The coverage ledger: per table, force and month (quarter), the rows there, whether
        they are missing, blank fields and police.uk against Home Office volumes."""
        from peelstat.warehouse.coverage import coverage_ledger

        return coverage_ledger(self._reader())

    def rejected_rows(self, file: str | None = None, limit: int = 50) -> pd.DataFrame:
        """Rows a load refused, with the file they are in, line and reason, to fix and reload."""
        from peelstat.warehouse.status import rejected_rows

        return rejected_rows(self._reader(), file, limit)

    def loaded_files(self, limit: int = 200) -> pd.DataFrame:
        """The files loaded, newest first: name, source, sha256, rows loaded and rejected, when."""
        log = self._reader().table("load_log")
        return log.order_by([log.loaded_at.desc(), log.file]).limit(limit).to_pandas()

    def forces_in(self, table: str) -> list[str]:
        """The forces a raw table has any rows for (a force with none is missing entirely)."""
        from peelstat.warehouse.status import force_period_counts

        return sorted(force_period_counts(self._reader(), table)["force"].unique())

    def street_points(self, force: str, first_month: dt.date, last_month: dt.date) -> pd.DataFrame:
        """police.uk street crimes per crime type and map point (police.uk snaps each crime to
        one of a few anonymised points), with the rows that have no location as null points."""
        t = self._reader().table("police_uk_street")
        rows = t.filter(t.force == force, t.month >= first_month, t.month <= last_month)
        return (
            rows.group_by(["crime_type", "latitude", "longitude"])
            .agg(crimes=rows.count())
            .to_pandas()
        )

    # ---- measures and what front-ends show ----------------------------------------------------

    def catalogue_listing(self) -> CatalogueListing:
        from peelstat.analysis.catalogue import catalogue_listing

        return catalogue_listing(self.catalogue)

    def measures(
        self, measures: Sequence[str] | None = None, *, start: str, end: str | None = None,
        forces: Sequence[str] | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """The measure frame (measure, force, period_end, numerator, denominator, value, …)."""
        from peelstat.measures.compile import compute_measures

        chosen = list(measures) if measures else None
        return compute_measures(
            self._reader(), chosen, start=start, end=end, forces=forces, catalogue=self.catalogue
        )

    def report_table(
        self, force: str, period: str | dt.date, measures: Sequence[str] | None = None
    ) -> ReportTable:
        """The performance-report table for one force and the 12 months to ``period``."""
        from peelstat.analysis.report import report_table

        return report_table(self._reader(), self.catalogue, force, period, measures)

    def series(
        self, force: str, measure: str, period: str | dt.date, months: int = 36
    ) -> MeasureSeries:
        """One force's measure period by period: XmR chart, signals and the outlook."""
        from peelstat.analysis.series import measure_series

        return measure_series(self._reader(), self.catalogue, force, measure, period, months)

    def export_lake(self, target: str | Path) -> dict[str, int]:
        """Write every table as Parquet under ``target`` (a folder or a URI such as
        ``s3a://bucket/peelstat``) for a Spark cluster to read; returns rows per table."""
        from peelstat.warehouse.lake import export_lake

        return export_lake(self._reader(), target)

    def history(
        self, force: str, measure: str, period: str | dt.date, months: int = 60
    ) -> MeasureHistory:
        """The force's 12-month rate over time against its MSG average and England and Wales."""
        from peelstat.analysis.history import measure_history

        return measure_history(self._reader(), self.catalogue, force, measure, period, months)

    def histories(
        self, force: str, measures: Sequence[str], period: str | dt.date, months: int = 60
    ) -> tuple[MeasureHistory, ...]:
        """:meth:`history` of several measures from one query (what a report draws)."""
        from peelstat.analysis.history import measure_histories

        return measure_histories(self._reader(), self.catalogue, force, measures, period, months)

    def compare(
        self, measure: str, period: str | dt.date, force: str | None = None
    ) -> MeasureComparison:
        """Every force's value of one measure, ranked, with the HMICFRS outlier band."""
        from peelstat.analysis.comparison import compare_forces

        return compare_forces(self._reader(), self.catalogue, measure, period, force)

    def comparison_group(self, force: str) -> ComparisonGroup:
        from peelstat.analysis.groups import comparison_group

        return comparison_group(self._reader(), force)

    def comparison_groups(self) -> ComparisonGroups:
        from peelstat.analysis.groups import comparison_groups

        return comparison_groups(self._reader())
