"""Harm-weighted counts: recorded offences × the weight of their offence code.

A Crime Severity Score is Σ offences × weight ÷ residents over the window (ONS weights are
sentencing days, so the score reads "days of custody per resident"). The weights are
whatever table is loaded into ``offence_weights`` (:mod:`peelstat.sources.offence_weights`),
and every score's note names it. Offences under a code the table has no weight for are
left out of the score, never silently: the note lists those codes for every window they
hold offences in. With no weights loaded at all the score is NULL, saying why (not 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from peelstat.catalogue.measure import Measure
from peelstat.warehouse.tables import table_names

WEIGHTED = "weighted_offences"
UNWEIGHTED = "unweighted_offences"
NO_WEIGHTS = (
    "no offence weights loaded: load a weights table with "
    "`peelstat load offence-weights FILE` (see docs/sources.md)"
)


def weights_table(con: BaseBackend, table: str) -> ir.Table:
    """Code → weight; an empty table when none is loaded (every score is then NULL)."""
    if table in table_names(con):
        return con.table(table).select("offence_code", "weight")
    return ibis.memtable(
        {"offence_code": [], "weight": []},
        schema=ibis.schema({"offence_code": "string", "weight": "float64"}),
    )


def weighted_rows(con: BaseBackend, t: ir.Table, table: str) -> ir.Table:
    """Each row with offences × its code's weight, and its offences when its code has none."""
    weights = weights_table(con, table).rename(weighted_code="offence_code")
    joined = t.left_join(weights, t.offence_code == weights.weighted_code)
    joined = joined.select(*t.columns, "weight")
    return joined.mutate(
        **{
            WEIGHTED: (joined.offences * joined.weight).cast("float64"),
            UNWEIGHTED: ibis.ifelse(joined.weight.isnull(), joined.offences, 0),
        }
    ).drop("weight")


@dataclass(frozen=True)
class WeightsInUse:
    """Which weights a group of severity measures used, and the codes each found unweighted."""

    label: str | None  # None: no weights loaded
    missing_codes: dict[str, tuple[str, ...]]  # measure id → offence codes with no weight

    def note(self, m: Measure, unweighted: ir.NumericValue) -> ir.StringValue:
        """'weighted by <label>', plus the codes left out when the window has offences under them."""
        if self.label is None:
            return ibis.literal(NO_WEIGHTS)
        head = f"weighted by {self.label}"
        codes = ", ".join(self.missing_codes.get(m.id, ())) or "none"
        left_out = f"{head}; offence codes with no weight, left out of the score: {codes}"
        return ibis.ifelse(unweighted > 0, ibis.literal(left_out), ibis.literal(head))


def weights_in_use(
    con: BaseBackend,
    measures: Sequence[Measure],
    rows: ir.Table,
    where_of: Callable[[ir.Table, Measure], ir.BooleanValue | None],
) -> WeightsInUse:
    """The loaded weights' label and, per measure, the codes in ``rows`` it has no weight for
    (``where_of`` gives a measure's numerator filter on rows of the source table)."""
    table = measures[0].source_spec.weights
    if table is None or table not in table_names(con) or con.table(table).count().execute() == 0:
        return WeightsInUse(None, {})
    labels = con.table(table).select("weights_label").distinct().to_pandas()["weights_label"]
    label = " + ".join(sorted(str(v) for v in labels.dropna())) or "an unlabelled weights table"
    missing: dict[str, tuple[str, ...]] = {}
    for m in measures:
        unweighted = rows.filter(rows[UNWEIGHTED] != 0)
        where = where_of(unweighted, m)
        if where is not None:
            unweighted = unweighted.filter(where)
        codes = unweighted.select("offence_code").distinct().to_pandas()["offence_code"]
        missing[m.id] = tuple(sorted(str(c) for c in codes))
    return WeightsInUse(label, missing)
