"""Rolling windows: a source table's counts summed over the last 12 months (4 quarters).

The counts are joined onto a calendar of every force × period (built by
:mod:`peelstat.measures.denominators`), so a force-month with no rows at all is a visible
gap rather than a silently shorter window. A window is only complete when every period in
it has rows for that force (``periods_covered`` = window length); otherwise its numerator
is NULL, never a sum over fewer months. Each measure then becomes one row per force and
period end, with no value yet: :mod:`peelstat.measures.rates` adds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import ibis
import ibis.expr.types as ir
import ibis.selectors as s
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.catalogue.measure import Measure
from peelstat.measures.blank_fields import blank_field_note, field_missing
from peelstat.measures.counts import PeriodCounts, condition, period_counts, source_rows
from peelstat.measures.denominators import calendar_frame, ethnic_residents
from peelstat.measures.rates import denominator
from peelstat.measures.scope import Scope
from peelstat.measures.severity import WeightsInUse, weights_in_use
from peelstat.measures.summary_reads import distinct_summable, summary_columns
from peelstat.periods import period_ends, period_start, window_end_after
from peelstat.warehouse.summaries import summary_keys
from peelstat.warehouse.summary_checks import InStep

_CALENDAR_SCHEMA = {
    "force": "string",
    "period_start": "date",
    "period_end": "date",
    "period_index": "int64",
    "population_year": "int64",
    "residents": "float64",
    "households": "float64",
    "population_note": "string",
    "households_note": "string",
}


@dataclass(frozen=True)
class RolledWindows:
    """Window sums per force and period end, and how to read one measure off them."""

    table: ir.Table
    window: int
    presence: dict[str, str]
    by_id: dict[str, Measure]
    weights: WeightsInUse | None = None  # severity scores: the weights table in use

    def covered(self, m: Measure) -> ir.IntegerValue:
        """Periods in the window with data: the measure's own rows, else the table's."""
        return self.table[f"covered__{self.presence.get(m.id, 'rows__all')[6:]}"]

    def complete(self, m: Measure) -> ir.BooleanValue:
        """Whether every period of the window has data."""
        return self.covered(m) == self.window

    def numerator(self, m: Measure) -> ir.NumericValue:
        """The window's count, NULL when the window is incomplete."""
        if m.sum_of:
            total = sum((self.numerator(self.by_id[p]) for p in m.sum_of), ibis.literal(0.0))
            return total  # components are already NULL where incomplete
        if self.weights is not None and self.weights.label is None:
            return ibis.null("float64")  # no weights loaded: not a score of 0
        usable = self.complete(m)
        missing = field_missing(self.table, m)
        if missing is not None:
            usable = usable & ~missing  # a field left blank in every row: not 0
        return ibis.ifelse(usable, self.table[f"n__{m.id}"], ibis.null("float64"))

    def definition_note(self, m: Measure) -> ir.StringValue:
        """The weights a severity score used, or which definition the window follows; and
        any field the force left blank."""
        if self.weights is not None:
            return self.weights.note(m, self.table[f"u__{m.id}"])
        note = definition_note(self.table.period_end, m)
        blank = blank_field_note(self.table, m)
        return note if blank is None else blank.fill_null(note)


def _calendar(
    measures: Sequence[Measure], scope: Scope, periods: list, populations: pd.DataFrame
) -> tuple[pd.DataFrame, ir.Table]:
    """Every force × period with its population, plus Census residents by ethnic group for
    the measures that divide by them."""
    calendar_df = calendar_frame(scope.forces, periods, measures[0].grain, populations)
    schema = dict(_CALENDAR_SCHEMA)
    for m in measures:
        if m.denominator.kind == "ethnic_group_residents":
            residents = ethnic_residents(m.denominator.ethnic_groups)
            calendar_df[f"ethnic__{m.id}"] = calendar_df["force"].map(residents).astype(float)
            schema[f"ethnic__{m.id}"] = "float64"
    return calendar_df, ibis.memtable(calendar_df, schema=ibis.schema(schema))


def _rolled(calendar: ir.Table, counts: PeriodCounts, history: int) -> ir.Table:
    """Counts summed over each window, and the periods in it that have data."""
    joined = calendar.left_join(counts.table, ["force", "period_start"])
    # an explicit column list (not drop): drop's column order varies, and SQL snapshots must not
    joined = joined.select(*calendar.columns, *counts.terms)
    w = ibis.window(group_by="force", order_by="period_index", preceding=history, following=0)
    rolled = {
        name: joined[name].fill_null(0).sum().over(w)
        for name in counts.terms
        if not name.startswith("rows__")
    }
    coverage = {
        name: (joined[name].fill_null(0) > 0).cast("int64").sum().over(w)
        for name in counts.terms
        if name.startswith("rows__")
    }
    windows = joined.mutate(**rolled, **{f"covered__{k[6:]}": v for k, v in coverage.items()})
    return windows.filter(windows.period_index >= history)


def definition_note(period_end: ir.DateValue, m: Measure) -> ir.StringValue:
    """Says which definition a window follows when it is not the current one."""
    if not m.definition_changes:
        return ibis.null("string")
    branches = []
    months = m.window_months
    for change in sorted(m.definition_changes, key=lambda c: c.date):
        first_full = window_end_after(change.date, months)
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


def _measure_struct(w: RolledWindows, m: Measure) -> ir.StructValue:
    """One measure's window: numerator, denominator, scale, coverage and notes."""
    windows = w.table
    denom, note = denominator(windows, m, w.complete(m), w.numerator, w.by_id)
    return ibis.struct(
        {
            "numerator": w.numerator(m).cast("float64"),
            "denominator": denom.cast("float64"),
            "scale": ibis.literal(None if m.unit == "count" else m.scale, type="float64"),
            "periods_covered": w.covered(m).cast("int64"),
            "definition_note": w.definition_note(m),
            "denominator_note": note.cast("string"),
        }
    )


def _unpivot(windows: ir.Table, per_measure: dict[str, ir.StructValue], window: int) -> ir.Table:
    """One branch per table, not per measure: the per-measure structs become rows."""
    wide = windows.select("force", "period_end", **per_measure)
    long = wide.pivot_longer(
        s.startswith("m__"), names_to="measure", names_pattern="m__(.+)", values_to="v"
    ).unpack("v")
    return long.select(
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


@dataclass(frozen=True)
class GroupInput:
    """What one group's query takes from the period range and the data, apart from its shape:
    the calendar (a memtable), the first and last period start read from the source table,
    and the weights a severity score uses. :mod:`peelstat.measures.compiled` compiles a
    group once and runs it again on another range with only these changed."""

    calendar_df: pd.DataFrame
    calendar: ir.Table
    first: dt.date
    last: dt.date
    weights: WeightsInUse | None = None
    summary: str | None = None  # the monthly summary read instead of the table's rows
    summed_distinct: tuple[str, ...] = ()  # measures whose distinct counts the summary adds

    def with_bounds(self, first: dt.date, last: dt.date) -> GroupInput:
        return replace(self, first=first, last=last)


def read_range(measures: Sequence[Measure], scope: Scope) -> tuple[dt.date, dt.date] | None:
    """The first and last month a group reads from its table for the scope (as
    :func:`group_input` will find it), or None when the range is shorter than one window."""
    first = measures[0]
    history = first.window_periods - 1
    periods = period_ends(scope.start, scope.end, first.grain, history)
    if len(periods) <= history:
        return None
    return period_start(periods[0], first.grain), periods[-1].replace(day=1)


def group_input(
    con: BaseBackend,
    measures: Sequence[Measure],
    scope: Scope,
    populations: pd.DataFrame,
    summaries: InStep | None = None,
) -> GroupInput | None:
    """The group's calendar and weights for the scope, and when given ``summaries`` (DuckDB)
    the table's monthly summary if it is in step for the range; None when the range is
    shorter than one window."""
    first = measures[0]
    history = first.window_periods - 1
    periods = period_ends(scope.start, scope.end, first.grain, history)
    if len(periods) <= history:
        return None
    calendar_df, calendar = _calendar(measures, scope, periods, populations)
    starts = calendar_df["period_start"]
    given = GroupInput(calendar_df, calendar, starts.min(), starts.max())
    if first.source_spec.weights:
        rows = source_rows(con, first, scope.forces, given.first, given.last)
        weights = weights_in_use(con, measures, rows, lambda t, m: condition(t, m.numerator))
        given = replace(given, weights=weights)
    if summaries is not None:
        given = _with_summary(given, measures, summaries, calendar_df["period_end"].max())
    return given


def _with_summary(
    given: GroupInput, measures: Sequence[Measure], summaries: InStep, last_end: dt.date
) -> GroupInput:
    """The group reading its table's monthly summary, if in step for the range, and the
    summary's distinct counts for the measures that can add them up."""
    table = measures[0].source_spec.table
    months = (given.first, last_end.replace(day=1))  # quarters too
    chosen = summaries.summary(table, summary_columns(measures), *months)
    if chosen is None:
        return given
    keys = summary_keys(table)
    summed = tuple(m.id for m in measures if distinct_summable(m, keys))
    if summed and not summaries.summary(table, summary_columns(measures, summed), *months):
        summed = ()  # a force's rows in several units somewhere: those counts need the rows
    return replace(given, summary=chosen, summed_distinct=summed)


def group_rows(
    con: BaseBackend,
    measures: Sequence[Measure],
    scope: Scope,
    populations: pd.DataFrame,
    given: GroupInput | None = None,
) -> list[ir.Table]:
    """Force rows (no value yet) for measures sharing one source table, grain and window."""
    given = given or group_input(con, measures, scope, populations)
    if given is None:
        return []
    first = measures[0]
    window = first.window_periods
    counts = period_counts(
        con, measures, scope.forces, given.first, given.last, given.summary, given.summed_distinct
    )
    rolled = _rolled(given.calendar, counts, window - 1)
    by_id = {m.id: m for m in measures}
    w = RolledWindows(rolled, window, counts.presence, by_id, given.weights)
    per_measure = {f"m__{m.id}": _measure_struct(w, m) for m in measures if not m.ratio_of}
    if not per_measure:
        return []
    return [_unpivot(rolled, per_measure, window)]
