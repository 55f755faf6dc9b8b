"""Fields a force leaves blank: "not available" instead of a false 0%.

Seven forces leave "Outcome linked to object of search" blank in every stop and search
row; counted as "not linked", their find rate was 0% and "well below average". A measure
whose numerator filters on such a field (``optional_columns`` of its source) is NULL for a
window in which the force filled it in no row, with a note saying why, and a window where
many rows leave it blank carries a note with the share (a disparity ratio resting on a
mostly blank ethnicity field is flagged through its rates' notes). A fifth or more of
rows blank is enough to say so: the find rate of a force that stopped filling the field in
October is a quarter too low over the year.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from peelstat.catalogue.measure import Measure
from peelstat.measures.counts import optional_fields

MATERIALLY_BLANK = 0.2
"""From this share of blank rows up, a window's note says the figure rests on the rest."""


def field_missing(windows: ir.Table, m: Measure) -> ir.BooleanValue | None:
    """True where the force filled the measure's optional fields in no row of the window."""
    if not optional_fields(m):
        return None
    return windows[f"k__{m.id}"] == 0


def blank_field_note(windows: ir.Table, m: Measure) -> ir.StringValue | None:
    """'not available' when every row is blank, the blank share when most are, else NULL."""
    fields = optional_fields(m)
    if not fields:
        return None
    known, total = windows[f"k__{m.id}"], windows[f"t__{m.id}"]
    names = " and ".join(f.replace("_", " ") for f in fields)
    share = ((1 - known / total.nullif(0)) * 100).round(0).cast("int64").cast("string")
    return ibis.cases(
        (
            (total > 0) & (known == 0),
            f"not available: {names} is blank in every row for this force in the window",
        ),
        (
            known <= total * (1 - MATERIALLY_BLANK),
            ibis.literal(f"{names} is blank in ") + share + "% of this force's rows in the "
            "window: the figure rests on the rest",
        ),
        else_=ibis.null("string"),
    )
