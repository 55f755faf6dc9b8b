"""What the warehouse holds, per table: the first thing to check before trusting a figure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.plain import plain
from peelstat.warehouse.status import TableStatus, warehouse_status

SUMMARY_COLUMNS = {
    "table": "table",
    "forces": "forces",
    "first_period": "from",
    "last_period": "to",
    "files": "files",
    "rows": "rows",
    "rejected_rows": "rejected",
}


@dataclass(frozen=True)
class DataCoverage:
    """Every raw table with rows: periods covered, files, rows, rejects, missing force-periods."""

    tables: tuple[TableStatus, ...]

    @property
    def empty(self) -> bool:
        return not self.tables

    @property
    def latest_period(self) -> str | None:
        """The last month (or quarter) any table reaches: a sensible default period."""
        ends = [t.last_period for t in self.tables if t.last_period]
        return max(ends) if ends else None

    def to_frame(self) -> pd.DataFrame:
        """One row per table, with the count of missing force-periods."""
        rows = [
            {
                **{label: getattr(t, name) for name, label in SUMMARY_COLUMNS.items()},
                "missing force-periods": len(t.missing_force_periods),
            }
            for t in self.tables
        ]
        return pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS.values(), "missing force-periods"])

    def to_dict(self) -> dict:
        return plain(self)


def data_coverage(con: BaseBackend) -> DataCoverage:
    """The coverage of every raw table that has rows."""
    return DataCoverage(tuple(warehouse_status(con)))
