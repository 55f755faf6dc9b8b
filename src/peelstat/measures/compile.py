"""Measures → Ibis expressions → the measure frame, the same on DuckDB, Spark or any backend.

How one query computes many measures (the bulk path):

1. Measures are grouped by source table and window. Each group is **one** aggregation of its
   table by force and month (or quarter), with one conditional sum per measure
   (``count(*) FILTER (WHERE crime_type IN (...))``): the table is scanned once per group.
2. The counts are right-joined to a calendar of every force × period (built by
   :mod:`peelstat.measures.denominators`), so a force-month with no rows at all is a visible
   gap rather than a silently shorter window.
3. Window sums over the last 12 months (4 quarters) are Ibis window functions. A window is
   only complete when every period in it has rows for that force in the source table
   (``periods_covered`` = window length); otherwise its numerator is NULL, never a sum over
   fewer months. (A month with rows but none matching a filter, e.g. no homicide, is a true 0.)
4. Denominators: residents and households from the calendar (mid-year inside the window),
   Census 2011 residents by ethnic group, or a conditional sum of the same table over the
   same window (calls presented, all searches, all offences recorded).
5. The England and Wales row sums numerators and denominators of the 43 territorial forces
   (not British Transport Police, not Northern Ireland); it is NULL unless all 43 have a
   complete window, and ``denominator_note`` says how many had one.
6. ``ratio_of`` measures (stop and search disparity) divide one measure's value by another's,
   with a 95% interval on the log rate ratio (Katz): exp(log RR ± 1.96 √(1/a + 1/b)).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import ibis.selectors as s
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.definition import Catalogue, Filter, Measure
from peelstat.catalogue.loader import load_catalogue
from peelstat.errors import PeelstatError
from peelstat.measures.cache import cache_key, cached_frame
from peelstat.measures.denominators import (
    NO_HOUSEHOLDS,
    calendar_frame,
    ethnic_residents,
    period_ends,
    population_table,
)
from peelstat.reference import NATIONAL, territorial_forces

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

Z95 = 1.959963984540054

_CALENDAR_SCHEMA = {
    "force": "string",
    "period_start": "date",
    "period_end": "date",
    "period_index": "int64",
    "population_year": "int64",
    "residents": "float64",
    "households": "float64",
    "population_note": "string",
}


def as_period_end(value: str | dt.date | pd.Timestamp) -> dt.date:
    """``"2023-06"``, ``"2023-06-30"`` or a date → the last day of that month.

    >>> as_period_end("2018-03")
    datetime.date(2018, 3, 31)
    """
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        value = value + "-01"
    return pd.Period(pd.Timestamp(value), "M").end_time.date()


@dataclass(frozen=True)
class _Plan:
    """Everything one query needs: measures in dependency order and the scope."""

    measures: tuple[Measure, ...]
    start: dt.date
    end: dt.date
    forces: tuple[str, ...]  # computed (all territorial + requested)
    output_forces: tuple[str, ...]
    national: bool


def with_dependencies(catalogue: Catalogue, ids: Iterable[str]) -> list[Measure]:
    """The measures asked for plus the ones they are built from, each once."""
    ordered: dict[str, Measure] = {}

    def visit(measure_id: str) -> None:
        if measure_id in ordered:
            return
        m = catalogue[measure_id]
        for dep in (*m.sum_of, *(m.ratio_of or ())):
            visit(dep)
        if m.denominator.kind == "measure" and m.denominator.measure:
            visit(m.denominator.measure)
        ordered[measure_id] = m

    for measure_id in ids:
        visit(measure_id)
    return list(ordered.values())


# ------------------------------------------------------------------------ numerator terms
def _condition(t: ir.Table, f: Filter) -> ir.BooleanValue | None:
    """Row filter; an excluded column keeps its NULLs (a row without a group is not fraud)."""
    parts: list[ir.BooleanValue] = []
    for column, values in f.include:
        if all(isinstance(v, bool) for v in values):
            parts.append(t[column].isin(list(values)).fill_null(False))
        else:
            parts.append(t[column].isin(list(values)))
    for column, values in f.exclude:
        parts.append(t[column].isnull() | ~t[column].isin(list(values)))
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition = condition & part
    return condition


def _followed_condition(t: ir.Table, m: Measure, f: Filter, date: ir.Value) -> Any:
    """The numerator filter following the measure's declared definition changes.

    Rows of a table already summed over 12 months carry the window's end date, not the
    crime's, so there the old and new series are added (each crime is in exactly one).
    """
    condition = _condition(t, f)
    for change in sorted(m.definition_changes, key=lambda c: c.date, reverse=True):
        before = _condition(t, change.before)
        if m.source_spec.already_rolling:
            condition = _or(condition, before)
        else:
            after = date >= ibis.literal(change.date)
            condition = _or(_and(after, condition), _and(~after, before))
    return condition


def _and(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else a & b


def _or(a: Any, b: Any) -> Any:
    return ibis.literal(True) if a is None or b is None else a | b


def _aggregate(t: ir.Table, m: Measure, f: Filter, condition: Any) -> ir.NumericScalar:
    """Count, distinct count or sum of the rows matching ``condition``.

    ``t`` may be pre-aggregated (see :func:`_pre_aggregate`): then a count is the sum of its
    ``rows__`` column and a sum the sum of its ``sum__<column>`` column.
    """
    spec = m.source_spec
    pre = "rows__" in t.columns
    if f.count_distinct:
        return t[f.count_distinct].nunique(where=condition)
    column = f.sum_column or spec.count_column
    if column:
        name = f"sum__{column}" if pre else column
        return t[name].sum(where=condition).cast("float64")
    return _rows(t, condition)


def _rows(t: ir.Table, condition: Any) -> ir.NumericScalar:
    """Rows matching ``condition``, whether or not ``t`` is pre-aggregated."""
    if "rows__" in t.columns:
        return t["rows__"].sum(where=condition).cast("float64")
    return t.count(where=condition).cast("float64")


def _filters(m: Measure) -> list[Filter]:
    found = [m.numerator, *(c.before for c in m.definition_changes)]
    if m.denominator.records is not None:
        found.append(m.denominator.records)
    return found


def _pre_aggregate(t: ir.Table, measures: Sequence[Measure]) -> ir.Table:
    """Group rows by force, period and every column a filter reads, before the filters.

    Sixteen conditional counts over 16 million street rows become sixteen over a few hundred
    thousand (force × month × crime type × outcome) groups: the string comparisons run once
    per group instead of once per row. Not possible when a measure counts distinct values.
    """
    filters = [f for m in measures for f in _filters(m)]
    if any(f.count_distinct for f in filters):
        return t
    count_column = measures[0].source_spec.count_column
    columns = sorted({c for f in filters for c, _ in (*f.include, *f.exclude)})
    sums = sorted({c for f in filters if (c := f.sum_column or count_column)})
    keys = ["force", "period_start", *[c for c in columns if c not in ("force", "period_start")]]
    return t.group_by(keys).aggregate(rows__=t.count(), **{f"sum__{c}": t[c].sum() for c in sums})


# ----------------------------------------------------------------------------- one group
def _memtable(frame: pd.DataFrame, schema: dict[str, str]) -> ir.Table:
    return ibis.memtable(frame, schema=ibis.schema(schema))


def _group_rows(
    con: BaseBackend,
    measures: Sequence[Measure],
    plan: _Plan,
    populations: pd.DataFrame,
) -> list[ir.Table]:
    """Force rows (no value yet) for measures sharing one source table, grain and window."""
    first = measures[0]
    spec, grain, window = first.source_spec, first.grain, first.window_periods
    history = window - 1
    periods = period_ends(plan.start, plan.end, grain, history)
    if len(periods) <= history:
        return []
    calendar_df = calendar_frame(plan.forces, periods, grain, populations)
    schema = dict(_CALENDAR_SCHEMA)
    for m in measures:
        if m.denominator.kind == "ethnic_group_residents":
            residents = ethnic_residents(m.denominator.ethnic_groups)
            calendar_df[f"ethnic__{m.id}"] = calendar_df["force"].map(residents).astype(float)
            schema[f"ethnic__{m.id}"] = "float64"
    calendar = _memtable(calendar_df, schema)

    t = con.table(spec.table)
    unit = "M" if grain == "month" else "Q"
    period_start = t[spec.date_column].truncate(unit).cast("date")
    t = t.mutate(period_start=period_start)
    t = t.filter(
        t.force.isin(list(plan.forces)),
        t.period_start >= ibis.literal(calendar_df["period_start"].min()),
        t.period_start <= ibis.literal(calendar_df["period_start"].max()),
    )

    t = _pre_aggregate(t, [m for m in measures if not m.ratio_of])
    terms: dict[str, ir.Scalar] = {}
    presence: dict[str, str] = {}
    for m in measures:
        if m.ratio_of:
            continue
        if not m.sum_of:
            terms[f"n__{m.id}"] = _aggregate(
                t, m, m.numerator, _followed_condition(t, m, m.numerator, t.period_start)
            )
        if m.denominator.kind == "records" and m.denominator.records is not None:
            records = m.denominator.records
            terms[f"d__{m.id}"] = _aggregate(t, m, records, _condition(t, records))
        if m.source == "local_observations":
            # each local measure is its own series: present when it has rows that period
            presence[m.id] = f"rows__{m.id}"
            terms[f"rows__{m.id}"] = _rows(t, _condition(t, m.numerator))
    terms["rows__all"] = _rows(t, None)
    counts = t.group_by(["force", "period_start"]).aggregate(**terms)

    joined = calendar.left_join(counts, ["force", "period_start"])
    # an explicit column list (not drop): drop's column order varies, and SQL snapshots must not
    joined = joined.select(*calendar.columns, *terms)
    w = ibis.window(group_by="force", order_by="period_index", preceding=history, following=0)
    rolled = {
        name: joined[name].fill_null(0).sum().over(w)
        for name in terms
        if not name.startswith("rows__")
    }
    coverage = {
        name: (joined[name].fill_null(0) > 0).cast("int64").sum().over(w)
        for name in terms
        if name.startswith("rows__")
    }
    windows = joined.mutate(**rolled, **{f"covered__{k[6:]}": v for k, v in coverage.items()})
    windows = windows.filter(windows.period_index >= history)

    def complete(m: Measure) -> ir.BooleanValue:
        column = presence.get(m.id, "rows__all")
        return windows[f"covered__{column[6:]}"] == window

    def numerator(m: Measure) -> ir.NumericValue:
        if m.sum_of:
            total = sum((numerator(by_id[p]) for p in m.sum_of), ibis.literal(0.0))
            return total  # components are already NULL where incomplete
        return ibis.ifelse(complete(m), windows[f"n__{m.id}"], ibis.null("float64"))

    by_id = {m.id: m for m in measures}
    per_measure = {}
    for m in measures:
        if m.ratio_of:
            continue
        denominator, note = _denominator(windows, m, complete(m), numerator, by_id)
        covered = windows[f"covered__{presence.get(m.id, 'rows__all')[6:]}"]
        per_measure[f"m__{m.id}"] = ibis.struct(
            {
                "numerator": numerator(m).cast("float64"),
                "denominator": denominator.cast("float64"),
                "scale": ibis.literal(None if m.unit == "count" else m.scale, type="float64"),
                "periods_covered": covered.cast("int64"),
                "definition_note": _definition_note(windows.period_end, m),
                "denominator_note": note.cast("string"),
            }
        )
    if not per_measure:
        return []
    # one branch per table, not per measure: unpivot the per-measure structs into rows
    wide = windows.select("force", "period_end", **per_measure)
    long = wide.pivot_longer(
        s.startswith("m__"), names_to="measure", names_pattern="m__(.+)", values_to="v"
    ).unpack("v")
    return [
        long.select(
            "measure",
            "force",
            "period_end",
            "numerator",
            "denominator",
            "scale",
            "periods_covered",
            window_periods=ibis.literal(window, type="int64"),
            definition_note="definition_note",
            denominator_note="denominator_note",
        )
    ]


def _denominator(
    windows: ir.Table,
    m: Measure,
    complete: ir.BooleanValue,
    numerator: Any,
    by_id: dict[str, Measure],
) -> tuple[ir.NumericValue, ir.StringValue]:
    """Denominator column and its note for one measure."""
    kind = m.denominator.kind
    none = ibis.null("string")
    if m.unit == "count":
        return ibis.null("float64"), none
    if kind == "residents":
        return windows.residents, windows.population_note
    if kind == "households":
        missing = windows.households.isnull()
        return windows.households, ibis.ifelse(missing, ibis.literal(NO_HOUSEHOLDS), none)
    if kind == "ethnic_group_residents":
        return windows[f"ethnic__{m.id}"], ibis.literal("Census 2011 residents by ethnic group")
    if kind == "records":
        return ibis.ifelse(complete, windows[f"d__{m.id}"], ibis.null("float64")), none
    other = by_id[str(m.denominator.measure)]
    return numerator(other), none


def _definition_note(period_end: ir.DateValue, m: Measure) -> ir.StringValue:
    """Says which definition a window follows when it is not the current one."""
    if not m.definition_changes:
        return ibis.null("string")
    branches = []
    months = m.window_months
    for change in sorted(m.definition_changes, key=lambda c: c.date):
        first_full = (
            pd.Timestamp(change.date) + pd.DateOffset(months=months) - pd.Timedelta(days=1)
        ).date()
        branches.append(
            (
                period_end < ibis.literal(change.date),
                f"earlier definition (before {change.date}): {change.note}",
            )
        )
        branches.append(
            (
                period_end < ibis.literal(first_full),
                f"window spans the definition change of {change.date}: {change.note}",
            )
        )
    return ibis.cases(*branches, else_=ibis.null("string"))


# --------------------------------------------------------------------- national and value
def _national(force_rows: ir.Table) -> ir.Table:
    """England and Wales: sums over the 43 territorial forces, NULL unless all 43 are complete."""
    territorial = territorial_forces()
    n = len(territorial)
    terr = force_rows.filter(force_rows.force.isin(territorial))
    summed = terr.group_by(["measure", "period_end"]).aggregate(
        numerator=terr.numerator.sum(),
        denominator=terr.denominator.sum(),
        scale=terr.scale.max(),
        periods_covered=terr.periods_covered.min(),
        window_periods=terr.window_periods.max(),
        definition_note=terr.definition_note.max(),
        complete=terr.numerator.count(),
        with_denominator=terr.denominator.count(),
    )
    short = (summed.complete < n) | (summed.with_denominator < n)
    note = ibis.literal(
        "England and Wales needs all 43 forces; complete for "
    ) + summed.complete.cast("string")
    return summed.select(
        measure=summed.measure,
        force=ibis.literal(NATIONAL),
        period_end=summed.period_end,
        numerator=ibis.ifelse(summed.complete == n, summed.numerator, ibis.null("float64")),
        denominator=ibis.ifelse(
            summed.with_denominator == n, summed.denominator, ibis.null("float64")
        ),
        scale=summed.scale,
        periods_covered=summed.periods_covered,
        window_periods=summed.window_periods,
        definition_note=summed.definition_note,
        denominator_note=ibis.ifelse(short, note, ibis.null("string")),
    )


def _with_value(rows: ir.Table) -> ir.Table:
    value = ibis.ifelse(
        rows.scale.isnull(),
        rows.numerator,
        rows.numerator * rows.scale / rows.denominator.nullif(0),
    )
    return rows.mutate(value=value, lower=ibis.null("float64"), upper=ibis.null("float64"))


def _ratio_rows(frame: ir.Table, m: Measure) -> ir.Table:
    """Value of one measure over another, with the Katz 95% interval on the log ratio."""
    assert m.ratio_of is not None
    top_id, bottom_id = m.ratio_of
    top = frame.filter(frame.measure == top_id)
    bottom = frame.filter(frame.measure == bottom_id)
    j = top.join(bottom, ["force", "period_end"], lname="", rname="{name}_b")
    ratio = j.value / j.value_b.nullif(0)
    se = (1.0 / j.numerator.nullif(0) + 1.0 / j.numerator_b.nullif(0)).sqrt()
    return j.select(
        measure=ibis.literal(m.id),
        force=j.force,
        period_end=j.period_end,
        numerator=j.value,
        denominator=j.value_b,
        scale=ibis.literal(1.0),
        periods_covered=ibis.least(j.periods_covered, j.periods_covered_b),
        window_periods=j.window_periods,
        definition_note=ibis.null("string"),
        denominator_note=j.denominator_note.fill_null(j.denominator_note_b),
        value=ratio,
        lower=ratio * (-Z95 * se).exp(),
        upper=ratio * (Z95 * se).exp(),
    )


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
    ids = [measures] if isinstance(measures, str) else list(measures or catalogue.ids())
    wanted = with_dependencies(catalogue, ids)
    territorial = territorial_forces()
    output = tuple(forces) if forces else tuple(territorial)
    computed = tuple(dict.fromkeys([*(territorial if national else []), *output]))
    start_date = as_period_end(start)
    plan = _Plan(tuple(wanted), start_date, as_period_end(end or start), computed, output, national)
    if plan.end < plan.start:
        raise PeelstatError(f"period range ends ({plan.end}) before it starts ({plan.start})")
    populations = population_table(con)

    groups: dict[tuple[str, str, int], list[Measure]] = {}
    for m in wanted:
        if not m.ratio_of:
            groups.setdefault((m.source, m.grain, m.window_periods), []).append(m)
    force_rows: list[ir.Table] = []
    for members in groups.values():
        force_rows.extend(_group_rows(con, members, plan, populations))
    if not force_rows:
        raise PeelstatError(
            f"no complete period between {plan.start} and {plan.end} for {', '.join(ids)}"
        )
    rows = ibis.union(*force_rows) if len(force_rows) > 1 else force_rows[0]
    if materialize and con.name == "duckdb":
        # the force rows feed the national row and the ratios: compute them once, not 3 times
        rows = rows.cache()
    if national:
        rows = rows.union(_national(rows))
    frame = _with_value(rows)
    ratios = [_ratio_rows(frame, m) for m in wanted if m.ratio_of]
    if ratios:
        frame = ibis.union(frame, *ratios)
    keep = [*output, NATIONAL] if national else list(output)
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
    ids = [measures] if isinstance(measures, str) else list(measures or catalogue.ids())
    scope = (ids, str(start), str(end), tuple(forces or ()), national, tuple(only_periods or ()))
    key = cache_key(con, with_dependencies(catalogue, ids), scope)

    def compute() -> pd.DataFrame:
        expr = measure_frame(
            con,
            ids,
            start=start,
            end=end,
            forces=forces,
            catalogue=catalogue,
            national=national,
            materialize=True,
        )
        if only_periods:
            expr = expr.filter(expr.period_end.isin([ibis.literal(p) for p in only_periods]))
        return expr.to_pandas()

    frame = cached_frame(con, key, compute) if use_cache else compute()
    frame["period_end"] = pd.to_datetime(frame["period_end"])
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
    sql = str(ibis.to_sql(expr, dialect=dialect))
    names: dict[str, str] = {}
    for name in _MEMTABLE.findall(sql):
        names.setdefault(name, f"calendar_{len(names) + 1}")
    return _MEMTABLE.sub(lambda match: names[match.group(0)], sql)
