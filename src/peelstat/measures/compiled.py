"""Compile once, run on any period range: the measure query's SQL kept per process (DuckDB).

Building and compiling the Ibis expression for sixty measures costs more than running it on
a few months of data (about 1.5 s on an idle 2-core machine, many times that on a busy one),
and the expression's shape does not depend on the period range: only each group's calendar
(a memtable) and the first and last period start it reads from its source table do. So the
SQL is compiled once per shape — the measure definitions, the forces, the national flag,
which groups have a complete window in the range, the weights in use — with sentinel dates
for the bounds, and kept. A later request substitutes its own dates (parsed ``dt.date``
values rendered as ``MAKE_DATE(y, m, d)``, never text from a user) and registers its own
calendars under the compiled memtable names. The SQL run is exactly the SQL
:func:`peelstat.measures.compile.measure_frame` compiles for that range.

Compiled shapes are also kept on disk (:mod:`.sql_store`), so a new process reads the SQL
instead of compiling it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from peelstat.catalogue.measure import Measure
from peelstat.measures.sql_store import code_version, read_query, write_query
from peelstat.measures.windows import GroupInput

FORCE_ROWS = "peelstat_force_rows"
KEEP = 32
"""Compiled shapes kept per process (each is some 100 kB of SQL)."""


@dataclass(frozen=True)
class CompiledQuery:
    """Two statements (force rows into a temporary table, then the frame over it), the
    memtables they read (calendars by group, constant tables with their data) and the
    sentinel dates standing for each group's bounds."""

    rows_sql: str
    frame_sql: str
    calendars: tuple[str | None, ...]  # memtable name of each group's calendar
    constants: tuple[tuple[str, pa.Table], ...]
    sentinels: tuple[tuple[str, str] | None, ...]


BuildQuery = Callable[[list[GroupInput | None]], tuple[ir.Table, Callable[[ir.Table], ir.Table]]]
"""Groups' inputs → the force rows expression, and how to make the frame from force rows."""

_compiled: OrderedDict[str, CompiledQuery] = OrderedDict()
_lock = threading.Lock()


def shape_key(
    measures: Sequence[Measure],
    ids: Sequence[str],
    scope: tuple,
    groups: Sequence[GroupInput | None],
) -> str:
    """Digest of everything the SQL depends on apart from the period range (the code that
    writes it included: :func:`peelstat.measures.sql_store.code_version`)."""
    weights = [(g.weights.label, sorted(g.weights.missing_codes.items())) if g and g.weights
               else None for g in groups]  # fmt: skip
    present = [g is not None for g in groups]
    read = [(g.summary, g.summed_distinct) if g else None for g in groups]  # other SQL
    text = repr(
        (sorted(repr(m) for m in measures), list(ids), scope, present, weights, read,
         code_version())
    )  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def sentinel(group: int, last: bool) -> dt.date:
    """A date no measure or source uses: the SQL literal a group's bound is compiled as."""
    return dt.date(1000 + 2 * group + int(last), 1, 1)


def date_sql(day: dt.date) -> str:
    """How DuckDB's Ibis compiler renders a date literal."""
    return f"MAKE_DATE({day.year}, {day.month}, {day.day})"


def compiled_query(
    key: str, build: BuildQuery, groups: Sequence[GroupInput | None]
) -> CompiledQuery:
    """The query for ``key``: kept in this process, else stored on disk, else compiled by
    ``build`` (with sentinel bounds) and stored."""
    with _lock:
        found = _compiled.get(key)
        if found is not None:
            _compiled.move_to_end(key)
            return found
    query = read_query(key)
    if query is None:
        query = _compile(build, groups)
        write_query(key, query)
    with _lock:
        _compiled[key] = query
        while len(_compiled) > KEEP:
            _compiled.popitem(last=False)
    return query


def _compile(build: BuildQuery, groups: Sequence[GroupInput | None]) -> CompiledQuery:
    """Build the expression with sentinel bounds and compile its two statements."""
    placeholders = [
        g.with_bounds(sentinel(i, False), sentinel(i, True)) if g else None
        for i, g in enumerate(groups)
    ]
    rows, frame_of = build(placeholders)
    rows_sql = str(ibis.to_sql(rows, dialect="duckdb"))
    stand_in = ibis.table(rows.schema(), name=FORCE_ROWS)
    frame_sql = str(ibis.to_sql(frame_of(stand_in), dialect="duckdb"))
    calendars = tuple(g.calendar.op().name if g else None for g in placeholders)  # type: ignore[attr-defined]
    constants = tuple(
        (node.name, node.data.to_pyarrow(node.schema))
        for node in rows.op().find(ops.InMemoryTable)
        if node.name not in calendars
    )
    sentinels = tuple(
        (date_sql(sentinel(i, False)), date_sql(sentinel(i, True))) if g else None
        for i, g in enumerate(groups)
    )
    for pair in sentinels:
        # once per scan of the group's table (twice when a summary and the rows are read)
        if pair and (rows_sql.count(pair[0]) != rows_sql.count(pair[1]) or pair[0] not in rows_sql):
            raise AssertionError(f"the compiled SQL does not hold the bounds {pair} in pairs")
    return CompiledQuery(rows_sql, frame_sql, calendars, constants, sentinels)


def run_compiled(
    con: BaseBackend, query: CompiledQuery, groups: Sequence[GroupInput | None]
) -> pd.DataFrame:
    """The frame for these groups' calendars and bounds, through the compiled SQL."""
    sql = query.rows_sql
    tables = dict(query.constants)
    for i, given in enumerate(groups):
        pair, name = query.sentinels[i], query.calendars[i]
        if given is None or pair is None or name is None:
            continue
        sql = sql.replace(pair[0], date_sql(given.first)).replace(pair[1], date_sql(given.last))
        calendar = given.calendar.op()
        tables[name] = calendar.data.to_pyarrow(calendar.schema)  # type: ignore[attr-defined]
    raw = con.con  # type: ignore[attr-defined]
    for name, table in tables.items():
        raw.register(name, table)
    try:
        raw.execute(f"CREATE OR REPLACE TEMP TABLE {FORCE_ROWS} AS {sql}")
        # period ends as datetime64, like the stored rows they are joined to (date objects
        # would make every concatenation and conversion a loop in Python)
        return raw.execute(query.frame_sql).to_arrow_table().to_pandas(date_as_object=False)
    finally:
        raw.execute(f"DROP TABLE IF EXISTS {FORCE_ROWS}")
        for name in tables:
            raw.unregister(name)


def forget_compiled() -> None:
    """Drop every compiled query (tests; a catalogue edit gives a new key anyway)."""
    with _lock:
        _compiled.clear()
