"""Counting: one aggregation of a source table by force and period, one term per measure.

Every measure reading the same table, grain and window is counted in the same pass:
``count(*) FILTER (WHERE crime_type IN (...))`` for each numerator, and for each records
denominator (calls presented, all searches, all offences recorded). A measure whose
definition changed counts under the definition in force at the time (see
:func:`followed_condition`). ``rows__`` terms count every row, whatever the filters, so a
window can tell a month with no matching crime (a true 0) from a month with no data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from peelstat.catalogue.measure import Filter, Measure
from peelstat.measures.severity import UNWEIGHTED, weighted_rows
from peelstat.measures.summary_reads import counts_distinct, filters_of
from peelstat.reference import territorial_forces
from peelstat.warehouse.summaries import distinct_count


@dataclass(frozen=True)
class PeriodCounts:
    """Counts per force and period, before any window is summed."""

    table: ir.Table
    terms: tuple[str, ...]  # n__<id> numerators, d__<id> denominators, rows__ coverage
    presence: dict[str, str]  # local measures: the rows__ term saying a period has data


# ------------------------------------------------------------------------ numerator terms
def condition(t: ir.Table, f: Filter) -> ir.BooleanValue | None:
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
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part
    return combined


def followed_condition(t: ir.Table, m: Measure, f: Filter, date: ir.Value) -> Any:
    """The numerator filter following the measure's declared definition changes.

    Rows of a table already summed over 12 months carry the window's end date, not the
    crime's, so there the old and new series are added (each crime is in exactly one).
    """
    current = condition(t, f)
    for change in sorted(m.definition_changes, key=lambda c: c.date, reverse=True):
        before = condition(t, change.before)
        if m.source_spec.already_rolling:
            current = _or(current, before)
        else:
            after = date >= ibis.literal(change.date)
            current = _or(_and(after, current), _and(~after, before))
    return current


def _and(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else a & b


def _or(a: Any, b: Any) -> Any:
    return ibis.literal(True) if a is None or b is None else a | b


def aggregate(t: ir.Table, m: Measure, f: Filter, where: Any) -> ir.NumericScalar:
    """Count, distinct count or sum of the rows matching ``where``.

    ``t`` may be pre-aggregated (see :func:`pre_aggregate`): then a count is the sum of its
    ``rows__`` column and a sum the sum of its ``sum__<column>`` column.
    """
    spec = m.source_spec
    pre = "rows__" in t.columns
    if f.count_distinct and pre:  # a summary's distinct counts: one unit per force and month
        return t[distinct_count(f.count_distinct)].sum(where=where).cast("int64")
    if f.count_distinct:
        return t[f.count_distinct].nunique(where=where)
    column = f.sum_column or spec.count_column
    if column:
        name = f"sum__{column}" if pre else column
        return t[name].sum(where=where).cast("float64")
    return rows(t, where)


def rows(t: ir.Table, where: Any) -> ir.NumericScalar:
    """Rows matching ``where``, whether or not ``t`` is pre-aggregated."""
    if "rows__" in t.columns:
        return t["rows__"].sum(where=where).cast("float64")
    return t.count(where=where).cast("float64")


def pre_aggregate(t: ir.Table, measures: Sequence[Measure]) -> ir.Table:
    """Group rows by force, period and every column a filter reads, before the filters.

    Sixteen conditional counts over 16 million street rows become sixteen over a few hundred
    thousand (force × month × crime type × outcome) groups: the string comparisons run once
    per group instead of once per row. Not possible when a measure counts distinct values,
    unless ``t`` is a monthly summary holding their counts (see :func:`distinct_summable`).
    """
    filters = [f for m in measures for f in filters_of(m)]
    distinct = sorted({c for f in filters if (c := f.count_distinct)})
    if not measures or any(distinct_count(c) not in t.columns for c in distinct):
        return t
    count_column = measures[0].source_spec.count_column
    columns = sorted({c for f in filters for c, _ in (*f.include, *f.exclude)})
    sums = sorted({c for f in filters if (c := f.sum_column or count_column)})
    if measures[0].source_spec.weights:
        sums.append(UNWEIGHTED)
    keys = ["force", "period_start", *[c for c in columns if c not in ("force", "period_start")]]
    counted = t.rows__.sum() if "rows__" in t.columns else t.count()  # a monthly summary
    more = {f"sum__{c}": t[c].sum() for c in sums}
    more.update({distinct_count(c): t[distinct_count(c)].sum() for c in distinct})
    return t.group_by(keys).aggregate(rows__=counted, **more)


# ------------------------------------------------------------------------- one table scan
def source_rows(
    con: BaseBackend,
    m: Measure,
    forces: Sequence[str] | None,
    first: dt.date,
    last: dt.date,
    summary: str | None = None,
) -> ir.Table:
    """The source table's rows for these forces (None: every force's) and the periods
    starting from ``first`` to ``last``, each dated to the start of its month or quarter (and
    weighted, for a severity score); from its monthly ``summary`` instead, when given (one
    row per unit, force, month and filter values, with ``rows__``)."""
    spec = m.source_spec
    t = con.table(summary or spec.table)
    unit = "M" if m.grain == "month" else "Q"
    period_start = t[spec.date_column].truncate(unit).cast("date")
    t = t.mutate(period_start=period_start)
    t = t.filter(t.period_start >= ibis.literal(first), t.period_start <= ibis.literal(last))
    if forces is not None:
        t = t.filter(t.force.isin(list(forces)))
    return weighted_rows(con, t, spec.weights) if spec.weights else t


def _measure_terms(t: ir.Table, m: Measure) -> dict[str, ir.Scalar]:
    """One measure's numerator, records denominator and (local measures) row count."""
    terms: dict[str, ir.Scalar] = {}
    if not m.sum_of:
        where = followed_condition(t, m, m.numerator, t.period_start)
        terms[f"n__{m.id}"] = aggregate(t, m, m.numerator, where)
        if m.source_spec.weights:
            terms[f"u__{m.id}"] = aggregate(t, m, Filter(sum_column=UNWEIGHTED), where)
    needed = optional_fields(m)
    if needed:
        # rows that fill every optional field the numerator reads, and all rows
        filled = [t[c].notnull() & (t[c].cast("string") != "") for c in needed]
        terms[f"k__{m.id}"] = rows(t, ibis.and_(*filled))
        terms[f"t__{m.id}"] = rows(t, None)
    if m.denominator.kind == "records" and m.denominator.records is not None:
        records = m.denominator.records
        terms[f"d__{m.id}"] = aggregate(t, m, records, condition(t, records))
    if m.source == "local_observations":
        # each local measure is its own series: present when it has rows that period
        terms[f"rows__{m.id}"] = rows(t, condition(t, m.numerator))
    return terms


def optional_fields(m: Measure) -> tuple[str, ...]:
    """Columns the numerator filters on that a force may leave blank in every row."""
    optional = m.source_spec.optional_columns
    return tuple(c for c, _ in m.numerator.include if c in optional)


def period_counts(
    con: BaseBackend,
    measures: Sequence[Measure],
    forces: Sequence[str],
    first: dt.date,
    last: dt.date,
    summary: str | None = None,
    summed_distinct: Sequence[str] = (),
) -> PeriodCounts:
    """Every measure's terms for each force and period, from one scan of their table (or of
    its monthly ``summary``, with the counts of distinct values from a scan of the rows,
    except for the measures in ``summed_distinct``, which add up the summary's).

    The counts are joined to the calendar, which holds only the scope's forces, so when the
    scope is every territorial force the rows are not filtered by force at all: a filter on
    43 names is a hash join over every row, some 15% of a national query.
    """
    every_force = set(territorial_forces()) <= set(forces)
    chosen = None if every_force else forces
    counted = [m for m in measures if not m.ratio_of]
    distinct = (
        [m for m in counted if counts_distinct(m) and m.id not in summed_distinct]
        if summary
        else []
    )
    t = source_rows(con, measures[0], chosen, first, last, summary)
    counts, terms, presence = _counts(t, [m for m in counted if m not in distinct], True)
    if distinct:
        raw = _matching(source_rows(con, measures[0], chosen, first, last), distinct)
        more, more_terms, more_presence = _counts(raw, distinct, False)
        keys = ["force", "period_start"]
        counts = counts.left_join(more, keys).select(*counts.columns, *more_terms)
        terms, presence = (*terms, *more_terms), {**presence, **more_presence}
    return PeriodCounts(counts, terms, presence)


def _matching(t: ir.Table, measures: Sequence[Measure]) -> ir.Table:
    """Only the rows some term of the measures counts, when every term has a condition (the
    distinct counts then run over the rows they count, not the whole table)."""
    wheres: list[Any] = []
    for m in measures:
        if optional_fields(m) or m.source == "local_observations":
            return t  # these count every row too
        wheres.append(followed_condition(t, m, m.numerator, t.period_start))
        if m.denominator.kind == "records" and m.denominator.records is not None:
            wheres.append(condition(t, m.denominator.records))
    if any(w is None for w in wheres) or not wheres:
        return t
    either = wheres[0]
    for where in wheres[1:]:
        either = either | where
    return t.filter(either)


def _counts(
    t: ir.Table, measures: Sequence[Measure], all_rows: bool
) -> tuple[ir.Table, tuple[str, ...], dict[str, str]]:
    """The measures' terms by force and period, with ``rows__all`` when ``all_rows``."""
    t = pre_aggregate(t, measures)
    terms: dict[str, ir.Scalar] = {}
    presence: dict[str, str] = {}
    for m in measures:
        terms.update(_measure_terms(t, m))
        if m.source == "local_observations":
            presence[m.id] = f"rows__{m.id}"
    if all_rows:
        terms["rows__all"] = rows(t, None)
    counts = t.group_by(["force", "period_start"]).aggregate(**terms)
    return counts, tuple(terms), presence
