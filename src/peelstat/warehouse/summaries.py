"""Monthly counts kept beside the large tables, so a measure query groups a few thousand rows
a month instead of half a million.

A table measures read by counting rows (a monthly :class:`~peelstat.sources.contract.SourceSpec`
with no count column, no weights, not already rolling: the police.uk street, outcomes and
stop and search tables) gets a summary table, ``<table>__monthly``: the rows of each load
unit, force, month and value of every column a measure may filter on (the spec's
``filters``), with the unit's sha256 from ``load_log``.

A group writer summarises the units it writes in the same transaction as their rows
(:func:`summarise_units`), so a national load's summaries are mostly done before it ends.
The loader then refreshes the summaries after every load (:func:`refresh_summaries`): units whose
checksum changed or that are new are summarised again, units gone are dropped, and any month
whose total differs from the table's is rebuilt whole (rows written or deleted without the
loader). A query reads a summary only when every month of its range has the same total as
the table (:mod:`peelstat.warehouse.summary_checks`); otherwise it reads the rows, as before.
A change that keeps a month's row count and bypasses the loader (an UPDATE of a crime type)
is the one thing neither check sees: load through peelstat, or run ``peelstat recount``
(:func:`refresh_summaries` with ``rebuild=True``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb

from peelstat.sources import source_tables
from peelstat.warehouse.tables import duckdb_table_names

SUFFIX = "__monthly"

_LOG = "(SELECT file, max(sha256) AS sha256 FROM load_log GROUP BY file)"
"""Each unit's checksum, as the summaries keep it."""
_NO_LOG = "(SELECT NULL::VARCHAR AS file, NULL::VARCHAR AS sha256)"


@dataclass(frozen=True)
class Summary:
    """One table's monthly summary: which table, its month column and the filter columns."""

    table: str
    month: str
    keys: tuple[str, ...]
    distinct: tuple[str, ...] = ()  # columns whose distinct values are counted per group

    @property
    def name(self) -> str:
        return f"{self.table}{SUFFIX}"

    @property
    def counted(self) -> tuple[str, ...]:
        """The count columns: ``rows__`` and ``distinct__<column>`` for each distinct column."""
        return ("rows__", *(distinct_count(c) for c in self.distinct))

    @property
    def stored(self) -> tuple[str, ...]:
        """The summary table's columns, in order."""
        return ("source_file", "sha256", "force", self.month, *self.keys, *self.counted)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a measure may read from the summary instead of the table."""
        return ("force", self.month, *self.keys, *self.counted)


def distinct_count(column: str) -> str:
    """The summary column holding a group's count of distinct values of ``column``."""
    return f"distinct__{column}"


@cache
def summaries() -> dict[str, Summary]:
    """The summary of every table that has one, by table name."""
    found = {}
    for table in source_tables().values():
        spec = table.spec
        if (
            spec is None
            or spec.grain != "month"
            or spec.count_column is not None
            or spec.weights is not None
            or spec.already_rolling
            or table.columns.get(spec.date_column) != "date"
            or "force" not in table.columns
        ):
            continue
        keys = sorted(set(spec.filters.values()) - {"force", spec.date_column})
        if len(spec.distinct_columns) > 1:
            raise ValueError(f"{table.name}: a summary counts the distinct values of one column")
        found[table.name] = Summary(
            table.name, spec.date_column, tuple(keys), spec.distinct_columns
        )
    return found


def summary_keys(table: str) -> tuple[str, ...]:
    """The filter columns ``table``'s summary groups by (none when it has no summary)."""
    found = summaries().get(table)
    return found.keys if found else ()


def refresh_summaries(raw: Any, rebuild: bool = False) -> None:
    """Bring every summary in step with its table, in one transaction (see the module);
    ``raw`` is a DuckDB connection. ``rebuild`` summarises everything again."""
    existing = duckdb_table_names(raw)
    # DuckDB draws its own bar for a query over 2 s (a first build): the loader has its own
    shown = raw.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0]
    raw.execute("SET enable_progress_bar = false")
    raw.execute("BEGIN TRANSACTION")
    try:
        for summary in summaries().values():
            if summary.table in existing:
                _refresh(raw, summary, summary.name in existing and not rebuild, existing)
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    finally:
        raw.execute(f"SET enable_progress_bar = {'true' if shown else 'false'}")


def stored_columns(raw: Any, name: str) -> tuple[str, ...]:
    found = raw.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
        "AND database_name = current_database() ORDER BY column_index",
        [name],
    ).fetchall()
    return tuple(row[0] for row in found)


def units_behind(s: Summary) -> str:
    """Units ``load_log`` holds for the table that the summary lacks or holds under another
    checksum (new or re-issued units, a load stopped before its refresh, a failed refresh)."""
    return (
        f"SELECT file FROM (SELECT file, sha256 FROM load_log WHERE loaded_into = '{s.table}' "
        f"AND rows_loaded > 0 EXCEPT SELECT source_file, sha256 FROM {s.name})"
    )


def summaries_for_writers(raw: Any) -> frozenset[str]:
    """The tables whose summaries the group writers can keep in step (:func:`summarise_units`):
    those whose summary holds its stored columns. The summary of an empty table is created
    here, empty (a new warehouse); any other missing or outdated one is left to the refresh,
    and a failure only leaves that table out: its units are then summarised by the refresh."""
    existing = duckdb_table_names(raw)
    kept = set()
    for s in summaries().values():
        if s.table not in existing or "load_log" not in existing:
            continue
        try:
            if s.name not in existing:
                if raw.execute(f"SELECT 1 FROM {s.table} LIMIT 1").fetchone() is not None:
                    continue
                raw.execute(f"CREATE TABLE {s.name} AS {_summarised(s, _LOG, 'FALSE')}")
            if stored_columns(raw, s.name) == s.stored:
                kept.add(s.table)
        except duckdb.Error:
            continue
    return frozenset(kept)


def summarise_units(
    cursor: Any,
    table: str,
    units: list[str],
    replaced: list[str],
    months: tuple[dt.date, dt.date] | None,
) -> None:
    """Summarise ``units`` of ``table`` from their rows, inside the caller's transaction
    (after their load_log entries, whose checksums the summary keeps); the ``replaced`` ones'
    earlier summary rows go first.

    ``months``, when known, are inclusive bounds on the table's month column for these rows:
    DuckDB then skips the row groups of other months instead of reading the whole table's
    ``source_file`` column."""
    s = summaries()[table]
    bounds = f" AND t.{s.month} BETWEEN DATE '{months[0]}' AND DATE '{months[1]}'" if months else ""
    _summarise_again(cursor, s, _LOG, units, bounds, deleted=replaced)


def _summarise_again(
    con: Any,
    s: Summary,
    log: str,
    units: list[str],
    bounds: str = "",
    deleted: list[str] | None = None,
) -> None:
    """Replace the summary rows of ``deleted`` (by default ``units``) with ``units``' rows
    summarised again (those within ``bounds``, an SQL condition, if given)."""
    chosen = "IN (SELECT unnest($units))"
    gone = units if deleted is None else deleted
    if gone:
        con.execute(f"DELETE FROM {s.name} WHERE source_file {chosen}", {"units": gone})
    where = f"t.source_file {chosen}{bounds}"
    con.execute(f"INSERT INTO {s.name} {_summarised(s, log, where)}", {"units": units})


def _refresh(raw: Any, s: Summary, keep: bool, existing: set[str]) -> None:
    keep = keep and stored_columns(raw, s.name) == s.stored  # declared filters changed
    log = _LOG if "load_log" in existing else _NO_LOG
    if not keep:
        raw.execute(f"CREATE OR REPLACE TABLE {s.name} AS {_summarised(s, log, 'TRUE')}")
        return
    # units no longer loaded (or re-loaded under another checksum), and units behind
    stale = (
        f"SELECT source_file FROM (SELECT source_file, sha256 FROM {s.name} "
        f"WHERE sha256 IS NOT NULL EXCEPT SELECT file, sha256 FROM {log})"
    )
    if "load_log" in existing:
        stale += f" UNION {units_behind(s)}"
    units = [row[0] for row in raw.execute(stale).fetchall()]
    if units:
        _summarise_again(raw, s, log, units)
    months = [row[0] for row in raw.execute(differing_months(s, None, None)).fetchall()]
    if months:
        raw.execute(f"DELETE FROM {s.name} WHERE {s.month} IN (SELECT unnest($m))", {"m": months})
        where = f"t.{s.month} IN (SELECT unnest($m))"
        raw.execute(f"INSERT INTO {s.name} {_summarised(s, log, where)}", {"m": months})


def _summarised(s: Summary, log: str, where: str) -> str:
    """The summary's rows for the table's rows matching ``where``, in its stored columns.

    A distinct count is two groupings (by the value, then without it): DuckDB's
    ``count(DISTINCT …)`` per group took 13 s over 36 national months of outcomes. The
    checksum is joined last, to the few grouped rows."""
    keys = ", ".join([s.month, *s.keys])
    values = "".join(f", {c}" for c in s.distinct)
    grouped = (
        f"SELECT source_file, force, {keys}{values}, count(*)::BIGINT AS rows__ "
        f"FROM {s.table} AS t WHERE {where} GROUP BY ALL"
    )
    if s.distinct:
        (value,) = s.distinct
        grouped = (
            f"SELECT source_file, force, {keys}, sum(rows__)::BIGINT AS rows__, "
            f"count({value})::BIGINT AS {distinct_count(value)} FROM ({grouped}) GROUP BY ALL"
        )
    return (
        f"SELECT g.source_file, log.sha256, g.force, {keys}, {', '.join(s.counted)} "
        f"FROM ({grouped}) AS g LEFT JOIN {log} AS log ON g.source_file = log.file"
    )


def differing_months(s: Summary, first: dt.date | None, last: dt.date | None) -> str:
    """The months (between ``first`` and ``last``, if given) whose totals differ."""
    where = f"WHERE {s.month} IS NOT NULL"  # a row without a month is never read by month
    if first and last:
        where = f"WHERE {s.month} BETWEEN DATE '{first}' AND DATE '{last}'"
    return (
        f"SELECT month FROM (SELECT {s.month} AS month, count(*) AS n FROM {s.table} {where} "
        f"GROUP BY 1) AS t FULL JOIN (SELECT {s.month} AS month, sum(rows__) AS n "
        f"FROM {s.name} {where} GROUP BY 1) AS s USING (month) WHERE t.n IS DISTINCT FROM s.n"
    )
