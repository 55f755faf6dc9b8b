"""What is loaded: per raw table, forces, periods covered, rows, rejects and missing force-periods.

police.uk has real gaps (Greater Manchester supplies no street or stop and search data from
July 2019), so a table of what is *missing* matters as much as what is there: a 12-month rate
over a gap is not a rate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.errors import BadInputError
from peelstat.warehouse.tables import raw_tables, table_schema


@dataclass(frozen=True)
class TableStatus:
    """One raw table's coverage."""

    table: str
    rows: int
    rejected_rows: int
    files: int
    forces: int
    first_period: str | None
    last_period: str | None
    missing_force_periods: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def period_column(table: str) -> str:
    """The column that says when a row of this table happened."""
    names = table_schema(table).names
    for candidate in ("month", "period_end", "year"):
        if candidate in names:
            return candidate
    raise KeyError(table)


def warehouse_status(con: BaseBackend) -> list[TableStatus]:
    """Coverage of every raw table that has rows."""
    log = con.table("load_log").to_pandas()
    result = []
    for table in raw_tables():
        if "force" not in table_schema(table).names:
            result.extend(lookup_status(con, table, log))
            continue
        counts = force_period_counts(con, table)
        if counts.empty:
            continue
        files = log[log["file"].isin(_files_of(con, table))]
        result.append(
            TableStatus(
                table=table,
                rows=int(counts["rows"].sum()),
                rejected_rows=int(files["rows_rejected"].sum()),
                files=len(files),
                forces=counts["force"].nunique(),
                first_period=_label(counts["period"].min()),
                last_period=_label(counts["period"].max()),
                missing_force_periods=missing_force_periods(
                    counts, monthly=table_is_monthly(table)
                ),
            )
        )
    return result


def lookup_status(con: BaseBackend, table: str, log: pd.DataFrame) -> list[TableStatus]:
    """A table of weights or codes, not of force-periods: rows and files only (none if empty)."""
    rows = int(con.table(table).count().execute())
    if not rows:
        return []
    files = log[log["file"].isin(_files_of(con, table))]
    rejected = int(files["rows_rejected"].sum())
    return [TableStatus(table, rows, rejected, len(files), 0, None, None)]


def table_is_monthly(table: str) -> bool:
    return period_column(table) == "month"


def force_period_counts(con: BaseBackend, table: str) -> pd.DataFrame:
    """Rows per force and period, computed in the warehouse (works on any Ibis backend)."""
    t = con.table(table)
    period = t[period_column(table)]
    return (
        t.group_by(force=t.force, period=period)
        .agg(rows=t.count())
        .order_by(["force", "period"])
        .to_pandas()
    )


def missing_force_periods(counts: pd.DataFrame, monthly: bool) -> list[str]:
    """Force-periods with no rows, between the first and last period loaded for the table.

    Only forces that appear in the table somewhere are expected in every period, so a table
    that holds one force is not reported as missing forty others.
    """
    labels = [_label(p) for p in counts["period"]]
    periods = sorted(set(labels), key=str)
    if monthly and periods:
        periods = [str(p) for p in pd.period_range(periods[0], periods[-1], freq="M")]
    present = set(zip(counts["force"], labels, strict=True))
    return [
        f"{force} {period}"
        for force in sorted(counts["force"].unique())
        for period in periods
        if (force, period) not in present
    ]


def _files_of(con: BaseBackend, table: str) -> list[str]:
    t = con.table(table)
    return list(t.select("source_file").distinct().to_pandas()["source_file"])


def _label(period: object) -> str | None:
    if period is None:
        return None
    if hasattr(period, "strftime"):
        return period.strftime("%Y-%m")
    return str(period)


def rejected_rows(con: BaseBackend, file: str | None = None, limit: int = 50) -> pd.DataFrame:
    """Rows a load refused, with the file they are in (``path``: where it was loaded from,
    ``2018-10.zip!2018-10/2018-10-kent-street.csv``), line and reason, for an analyst to fix
    and reload. ``file`` filters on the unit name or the path."""
    if file and any(ord(c) < 32 for c in file):
        raise BadInputError(f"a file name to look for holds a control character: {file!r}")
    rejects = con.table("rejected_rows")
    log = con.table("load_log").select("file", "path")
    t = rejects.left_join(log, "file").select("file", "path", "source", "line", "reason", "raw")
    if file:
        t = t.filter(t.file.contains(file) | t.path.contains(file))
    return t.order_by(["file", "line"]).limit(limit).to_pandas()
