"""What a measure reads from a monthly summary: its columns, and whether its distinct counts
can be added up there instead of counted from the rows (see
:mod:`peelstat.warehouse.summaries`)."""

from __future__ import annotations

from collections.abc import Sequence

from peelstat.catalogue.measure import Filter, Measure
from peelstat.warehouse.summaries import distinct_count


def filters_of(m: Measure) -> list[Filter]:
    """The numerator, its earlier definitions and the records denominator: every filter the
    measure counts under."""
    found = [m.numerator, *(c.before for c in m.definition_changes)]
    if m.denominator.records is not None:
        found.append(m.denominator.records)
    return found


def summary_columns(measures: Sequence[Measure], distinct: Sequence[str] = ()) -> set[str]:
    """The columns the measures counted from a monthly summary read: those counting distinct
    values only if listed in ``distinct`` (the others read the rows: see
    :func:`peelstat.measures.counts.period_counts`)."""
    spec = measures[0].source_spec
    columns = {"force", spec.date_column}
    for m in measures:
        if counts_distinct(m) and m.id not in distinct:
            continue
        for f in filters_of(m):
            columns.update(c for c, _ in (*f.include, *f.exclude))
            columns.update(c for c in (f.sum_column or spec.count_column,) if c)
            columns.update(distinct_count(c) for c in (f.count_distinct,) if c)
    return columns


def counts_distinct(m: Measure) -> bool:
    return any(f.count_distinct for f in filters_of(m))


def distinct_summable(m: Measure, keys: Sequence[str]) -> bool:
    """Whether a measure's distinct counts can be added up from a monthly summary grouped by
    unit, force, month and ``keys``: a monthly measure whose every distinct count is of a
    column the summary counts, under filters that pick one value of each key (a crime with
    two outcome types must not count twice). The numerator's distinct count applies under
    each earlier definition too, so those filters must pick one value as well. The summary
    also needs one unit per force and month (:class:`~peelstat.warehouse.summaries.InStep`
    checks that)."""
    spec = m.source_spec
    if m.grain != "month" or m.source == "local_observations" or not counts_distinct(m):
        return False
    counted: list[tuple[str, Filter]] = []  # (distinct column, filter it is counted under)
    if m.numerator.count_distinct:
        column = m.numerator.count_distinct
        counted += [(column, m.numerator), *((column, c.before) for c in m.definition_changes)]
    records = m.denominator.records
    if records is not None and records.count_distinct:
        counted.append((records.count_distinct, records))
    return bool(counted) and all(
        column in spec.distinct_columns and _picks_one_value(f, keys) for column, f in counted
    )


def _picks_one_value(f: Filter, keys: Sequence[str]) -> bool:
    picked = dict(f.include)
    excluded = {c for c, _ in f.exclude}
    return all(len(picked.get(k, ())) == 1 and k not in excluded for k in keys)
