"""The front object: one warehouse connection behind the CLI, the web app and the reports.

Each front-end parses its input, calls one method here and formats the result; the work is
done in ``sources/``, ``warehouse/``, ``measures/`` and ``stats/``.

>>> from peelstat.workspace import Workspace
>>> ws = Workspace(":memory:")
>>> [s.table for s in ws.status()]
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.sources import get_source
from peelstat.warehouse.connect import connect, warehouse_location
from peelstat.warehouse.loading import LoadReport, ProgressCallback, load_source
from peelstat.warehouse.status import TableStatus, warehouse_status

if TYPE_CHECKING:
    from peelstat.measures.series import MeasureSeries


class Workspace:
    """A warehouse (DuckDB file by default, or any Ibis backend URL) and what peelstat does with it."""

    def __init__(self, warehouse: str | Path | None = None, *, create: bool = True) -> None:
        self.location = warehouse_location(warehouse)
        self.create = create

    @cached_property
    def con(self) -> BaseBackend:
        """The Ibis connection, opened on first use (tables created if missing; with
        ``create=False`` a warehouse file that does not exist is an error)."""
        return connect(self.location, create=self.create)

    def load(
        self,
        source: str,
        paths: Sequence[Path],
        on_unit_done: ProgressCallback | None = None,
        **options: Any,
    ) -> LoadReport:
        """Load files of one source (``police-uk``, ``home-office``, ``population``…)."""
        chosen = get_source(source, **options)
        try:
            return load_source(self.con, chosen, paths, on_unit_done)
        finally:
            close = getattr(chosen, "close", None)  # e.g. remove a zip's temporary extraction
            if callable(close):
                close()

    def status(self) -> list[TableStatus]:
        """What is loaded, per table, with the force-periods that are missing."""
        return warehouse_status(self.con)

    def measures(
        self,
        measures: Sequence[str] | None = None,
        *,
        start: str,
        end: str | None = None,
        forces: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """The measure frame (measure, force, period_end, numerator, denominator, value, …)."""
        from peelstat.measures.compile import compute_measures

        chosen = list(measures) if measures else None
        return compute_measures(self.con, chosen, start=start, end=end, forces=forces)

    def benchmark(
        self, force: str, period: str, measures: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The performance-report table for one force and 12-month window ending ``period``."""
        from peelstat.measures.report_table import benchmark_table

        return benchmark_table(self.con, force, period, list(measures) if measures else None)

    def trend(self, force: str, measure: str, period: str, months: int = 36) -> MeasureSeries:
        """One force's measure month by month: XmR chart (``.chart``, ``.signals``) and the
        outlook for the next two quarters (``.outlook``), as DataFrames."""
        from peelstat.measures.series import measure_series

        return measure_series(self.con, force, measure, period, months)

    def export_lake(self, target: str | Path) -> dict[str, int]:
        """Write every table as Parquet under ``target`` (a folder or a URI such as
        ``s3a://bucket/peelstat``) for a Spark cluster to read; returns rows per table."""
        from peelstat.warehouse.lake import export_lake

        return export_lake(self.con, target)

    def rejected_rows(self, file: str | None = None, limit: int = 50) -> pd.DataFrame:
        """Rows a load refused, with the file they are in (``path``: where it was loaded from,
        ``2018-10.zip!2018-10/2018-10-kent-street.csv``), line and reason, for an analyst to
        fix and reload. ``file`` filters on the unit name or the path."""
        rejects = self.con.table("rejected_rows")
        log = self.con.table("load_log").select("file", "path")
        t = rejects.left_join(log, "file").select("file", "path", "source", "line", "reason", "raw")
        if file:
            t = t.filter(t.file.contains(file) | t.path.contains(file))
        return t.order_by(["file", "line"]).limit(limit).to_pandas()
