"""From counts to rates: the denominator, the value, the England and Wales row, rate ratios.

A rate is numerator × scale / denominator (per 1,000 residents, per 1,000 households, per
cent of searches); a count has no scale and its value is the numerator. The England and
Wales row adds numerators and denominators across the 43 territorial forces rather than
averaging their rates. A ratio measure (stop and search disparity) divides one measure's
value by another's, with a 95% interval on the log rate ratio (Katz):
exp(log RR ± 1.96 √(1/a + 1/b)).
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from peelstat.catalogue.measure import Measure
from peelstat.measures.denominators import NO_HOUSEHOLDS, SHIPPED_SHORT, WAREHOUSE
from peelstat.reference import NATIONAL, territorial_forces

Z95 = 1.959963984540054


def denominator(
    windows: ir.Table,
    m: Measure,
    complete: ir.BooleanValue,
    numerator: Callable[[Measure], ir.NumericValue],
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
        return windows.households, windows.households_note.fill_null(NO_HOUSEHOLDS)
    if kind == "ethnic_group_residents":
        return windows[f"ethnic__{m.id}"], ibis.literal("Census 2011 residents by ethnic group")
    if kind == "records":
        return ibis.ifelse(complete, windows[f"d__{m.id}"], ibis.null("float64")), none
    other = by_id[str(m.denominator.measure)]
    return numerator(other), none


def england_and_wales(force_rows: ir.Table) -> ir.Table:
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
        first_note=terr.denominator_note.min(),
        last_note=terr.denominator_note.max(),
        from_warehouse=terr.denominator_note.contains(WAREHOUSE).cast("int64").sum(),
    )
    short = (summed.complete < n) | (summed.with_denominator < n)
    note = ibis.literal(
        "England and Wales needs all 43 forces; complete for "
    ) + summed.complete.cast("string")
    mixed = (
        ibis.literal("summed over the 43 forces: ")
        + summed.from_warehouse.cast("string")
        + f" from the {WAREHOUSE}, the rest from the {SHIPPED_SHORT}; e.g. "
        + summed.first_note
    )
    national_note = ibis.cases(
        (short, note),
        (summed.first_note == summed.last_note, summed.first_note),
        (summed.first_note.notnull(), mixed),
        else_=ibis.null("string"),
    )
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
        denominator_note=national_note,
    )


def with_value(rows: ir.Table) -> ir.Table:
    """The value of each row: the count itself, or the rate per ``scale`` of the denominator
    (NULL, not infinite, when the denominator is 0)."""
    value = ibis.ifelse(
        rows.scale.isnull(),
        rows.numerator,
        rows.numerator * rows.scale / rows.denominator.nullif(0),
    )
    return rows.mutate(value=value, lower=ibis.null("float64"), upper=ibis.null("float64"))


def ratio_rows(frame: ir.Table, m: Measure) -> ir.Table:
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
        definition_note=j.definition_note.fill_null(j.definition_note_b),
        denominator_note=j.denominator_note.fill_null(j.denominator_note_b),
        value=ratio,
        lower=ratio * (-Z95 * se).exp(),
        upper=ratio * (Z95 * se).exp(),
    )
