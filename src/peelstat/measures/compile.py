"""Measures → Ibis expressions → the measure frame, the same on DuckDB, Spark or any backend.

How one query computes many measures (the bulk path):

1. Measures are grouped by source table and window (:mod:`peelstat.measures.scope`). Each
   group is **one** aggregation of its table by force and month (or quarter), with one
   conditional sum per measure (``count(*) FILTER (WHERE crime_type IN (...))``): the table
   is scanned once per group (:mod:`peelstat.measures.counts`).
2. The counts are right-joined to a calendar of every force × period (built by
   :mod:`peelstat.measures.denominators`), so a force-month with no rows at all is a visible
   gap rather than a silently shorter window.
3. Window sums over the last 12 months (4 quarters) are Ibis window functions
   (:mod:`peelstat.measures.windows`). A window is only complete when every period in it
   has rows for that force in the source table (``periods_covered`` = window length);
   otherwise its numerator is NULL, never a sum over fewer months. (A month with rows but
   none matching a filter, e.g. no homicide, is a true 0.)
4. Denominators: residents and households from the calendar (mid-year inside the window),
   Census 2011 residents by ethnic group, or a conditional sum of the same table over the
   same window (calls presented, all searches, all offences recorded).
5. The England and Wales row sums numerators and denominators of the 43 territorial forces
   (not British Transport Police, not Northern Ireland); it is NULL unless all 43 have a
   complete window, and ``denominator_note`` says how many had one.
6. ``ratio_of`` measures (stop and search disparity) divide one measure's value by another's,
   with a 95% interval on the log rate ratio (Katz): exp(log RR ± 1.96 √(1/a + 1/b)).
   Steps 4 to 6 are in :mod:`peelstat.measures.rates`.

This module puts the steps together and runs them: :func:`measure_frame` builds the
expression, :func:`compute_measures` executes it (through the cache; on DuckDB through SQL
compiled once per shape and run again on any period range, :mod:`peelstat.measures.compiled`),
:func:`measure_sql` shows the SQL.

>>> import ibis
>>> from peelstat.warehouse.connect import connect
>>> con = connect(":memory:")
>>> frame = compute_measures(con, ["homicide"], start="2018-03", end="2018-03")
>>> sorted(frame.columns) == sorted(FRAME_COLUMNS)
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.loader import load_catalogue
from peelstat.catalogue.measure import Catalogue, Measure
from peelstat.errors import NoCompletePeriodError
from peelstat.measures.cache import cache_key, cached_frame
from peelstat.measures.compiled import compiled_query, run_compiled, shape_key
from peelstat.measures.denominators import population_table
from peelstat.measures.rates import england_and_wales, ratio_rows, with_value
from peelstat.measures.scope import (
    Scope,
    query_scope,
    requested_ids,
    source_groups,
    with_dependencies,
)
from peelstat.measures.windows import GroupInput, group_input, group_rows, read_range
from peelstat.periods import parse_period, period_ends
from peelstat.reference import NATIONAL
from peelstat.warehouse.summary_checks import InStep

__all__ = [
    "FRAME_COLUMNS",
    "compute_measures",
    "measure_frame",
    "measure_sql",
    "with_dependencies",
]

FRAME_COLUMNS = [
    "measure",
    "force",
    "period_end",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "periods_covered",
    "definition_note",
    "denominator_note",
]
"""The measure frame: the six contract columns, then the interval (ratio measures only),
the periods the window actually covered, and notes on definition changes and denominators."""


# ------------------------------------------------------------------------------ public API
def measure_frame(
    con: BaseBackend,
    measures: str | Sequence[str] | None = None,
    *,
    start: str | dt.date,
    end: str | dt.date | None = None,
    forces: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
    national: bool = True,
    materialize: bool = False,
) -> ir.Table:
    """An Ibis expression computing the measure frame (nothing runs until it is executed).

    Parameters
    ----------
    con
        The warehouse connection (DuckDB, Spark, …).
    measures
        Catalogue ids; None for every measure in the catalogue.
    start, end
        First and last period end (``"2023-06"`` or a date); quarterly sources use the
        quarter ends in that range. ``end`` defaults to ``start``.
    forces
        Forces to return (default: the 43 territorial forces). All 43 are always computed
        when ``national`` is true, because the England and Wales row needs them.
    materialize
        Compute the force rows once into a temporary table (two queries instead of one
        larger one); what :func:`compute_measures` does. Off for SQL snapshots.
    """
    catalogue = catalogue or load_catalogue()
    ids = requested_ids(catalogue, measures)
    scope = query_scope(catalogue, ids, start, end, forces, national)
    populations = population_table(con)
    groups = source_groups(scope.measures)
    inputs = [group_input(con, members, scope, populations) for members in groups]
    rows = _force_rows(con, scope, ids, groups, populations, inputs)
    if materialize and con.name == "duckdb":
        # the force rows feed the national row and the ratios: compute them once, not 3 times
        rows = rows.cache()
    return _frame(rows, scope, ids)


def _force_rows(
    con: BaseBackend,
    scope: Scope,
    ids: Sequence[str],
    groups: list[list[Measure]],
    populations: pd.DataFrame,
    inputs: Sequence[GroupInput | None],
) -> ir.Table:
    """Every group's force rows, one union (see the module docstring, steps 1 to 4)."""
    force_rows: list[ir.Table] = []
    for members, given in zip(groups, inputs, strict=True):
        if given is not None:
            force_rows.extend(group_rows(con, members, scope, populations, given))
    if not force_rows:
        raise NoCompletePeriodError(
            f"no complete period between {scope.start} and {scope.end} for {', '.join(ids)}"
        )
    return ibis.union(*force_rows) if len(force_rows) > 1 else force_rows[0]


def _compiled_frame(
    con: BaseBackend, catalogue: Catalogue, ids: Sequence[str], scope: Scope
) -> pd.DataFrame:
    """The measure frame on DuckDB through SQL compiled once per shape (:mod:`.compiled`)."""
    groups = source_groups(scope.measures)
    in_step = InStep(con.con, _read_ranges(groups, scope))  # type: ignore[attr-defined]
    populations = population_table(con)
    inputs = [group_input(con, m, scope, populations, in_step) for m in groups]
    if not any(inputs):
        _force_rows(con, scope, ids, groups, populations, inputs)  # raises: nothing complete
    shape = (scope.forces, scope.output_forces, scope.national)
    key = shape_key(scope.measures, ids, shape, inputs)

    def build(given: list[GroupInput | None]) -> tuple[ir.Table, Callable]:
        rows = _force_rows(con, scope, ids, groups, populations, given)
        return rows, lambda stand_in: _frame(stand_in, scope, ids)

    return run_compiled(con, compiled_query(key, build, inputs), inputs)


def _read_ranges(groups: list[list[Measure]], scope: Scope) -> dict[str, tuple[dt.date, dt.date]]:
    """The months each source table is read over by the groups: the widest of its groups'."""
    ranges: dict[str, tuple[dt.date, dt.date]] = {}
    for members in groups:
        found = read_range(members, scope)
        if found is None:
            continue
        table = members[0].source_spec.table
        known = ranges.get(table, found)
        ranges[table] = (min(found[0], known[0]), max(found[1], known[1]))
    return ranges


def _frame(rows: ir.Table, scope: Scope, ids: Sequence[str]) -> ir.Table:
    """Force rows → the measure frame: national row, values, ratios, then the forces and
    measures asked for (the dependencies and extra forces were only needed on the way)."""
    if scope.national:
        rows = rows.union(england_and_wales(rows))
    frame = with_value(rows)
    ratios = [ratio_rows(frame, m) for m in scope.measures if m.ratio_of]
    if ratios:
        frame = ibis.union(frame, *ratios)
    keep = [*scope.output_forces, NATIONAL] if scope.national else list(scope.output_forces)
    frame = frame.filter(frame.measure.isin(ids), frame.force.isin(keep))
    return frame.select(*FRAME_COLUMNS)


def compute_measures(
    con: BaseBackend,
    measures: str | Sequence[str] | None = None,
    *,
    start: str | dt.date,
    end: str | dt.date | None = None,
    forces: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
    national: bool = True,
    only_periods: Sequence[dt.date] | None = None,
    use_cache: bool = True,
) -> pd.DataFrame:
    """The measure frame as a DataFrame, sorted by measure, force and period.

    Same arguments as :func:`measure_frame`; ``period_end`` comes back as datetime64.
    ``only_periods`` keeps just those period ends (the report table needs two windows).
    On DuckDB the result is kept in the warehouse (:mod:`peelstat.measures.cache`) and
    served again while the catalogue, the scope and the data are unchanged.
    """
    catalogue = catalogue or load_catalogue()
    ids = requested_ids(catalogue, measures)
    involved = with_dependencies(catalogue, ids)

    def compute(months: Sequence[dt.date]) -> pd.DataFrame:
        if con.name == "duckdb":
            scope = query_scope(catalogue, ids, min(months), max(months), forces, national)
            frame = _compiled_frame(con, catalogue, ids, scope)
            wanted = pd.to_datetime(pd.Series(months)).dt.date
            if len(months) < len(period_ends(min(months), max(months), "month")):
                frame = frame[pd.to_datetime(frame["period_end"]).dt.date.isin(set(wanted))]
            return frame.reset_index(drop=True)
        expr = measure_frame(
            con,
            ids,
            start=min(months),
            end=max(months),
            forces=forces,
            catalogue=catalogue,
            national=national,
            materialize=True,
        )
        if len(months) < len(period_ends(min(months), max(months), "month")):
            expr = expr.filter(expr.period_end.isin([ibis.literal(p) for p in months]))
        return expr.to_pandas()

    if only_periods:
        months = sorted({parse_period(p) for p in only_periods})
    else:
        months = period_ends(parse_period(start), parse_period(end or start), "month")
    if use_cache:
        key = cache_key(involved, (ids, tuple(forces or ()), national))
        window = max(m.window_months for m in involved)
        frame = cached_frame(con, key, months, window, compute)
    else:
        frame = compute(months)
    frame["period_end"] = pd.to_datetime(frame["period_end"]).astype("datetime64[ns]")
    for column in ("numerator", "denominator", "value", "lower", "upper"):
        frame[column] = frame[column].astype("float64")
    for column in ("definition_note", "denominator_note"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    frame["periods_covered"] = frame["periods_covered"].astype("int64")
    return frame.sort_values(["measure", "force", "period_end"]).reset_index(drop=True)


_MEMTABLE = re.compile(r"ibis_pandas_memtable_[a-z0-9]+")


def measure_sql(
    con: BaseBackend,
    measures: str | Sequence[str],
    *,
    start: str | dt.date,
    end: str | dt.date | None = None,
    dialect: str = "duckdb",
    catalogue: Catalogue | None = None,
) -> str:
    """The SQL a measure compiles to, with the calendar tables given stable names.

    Used for snapshot tests and for an analyst who wants to see exactly what is counted.
    """
    expr = measure_frame(con, measures, start=start, end=end, catalogue=catalogue)
    # on its own backend the connected compiler is used (Spark's needs its session's settings)
    sql = str(ibis.to_sql(expr, dialect=None if con.name == dialect else dialect))
    names: dict[str, str] = {}
    for name in _MEMTABLE.findall(sql):
        names.setdefault(name, f"calendar_{len(names) + 1}")
    return _MEMTABLE.sub(lambda match: names[match.group(0)], sql)
