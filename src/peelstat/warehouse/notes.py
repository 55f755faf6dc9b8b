"""Notes a warehouse carries about itself, declared once and read by every front-end.

The one note peelstat writes is ``synthetic``: the demo generator (``peelstat demo``, and the
SYNTHETIC tables tests and benchmarks build) records it in ``warehouse_notes``, so every
report, chart source, dashboard page and API answer computed from that warehouse says
"SYNTHETIC data — not real figures". Loading real files into the same warehouse later does not
remove it: the note means the warehouse *contains* synthetic rows, and a figure that mixes them
with real ones is not a real figure either. Start a new warehouse for real data.

>>> import ibis
>>> from peelstat.warehouse.connect import ensure_tables
>>> con = ibis.duckdb.connect()
>>> ensure_tables(con)
>>> warehouse_notes(con)
()
>>> mark_synthetic(con, "peelstat demo")
>>> mark_synthetic(con, "peelstat demo")  # written once, however often the demo runs
>>> [n.text[:33] for n in warehouse_notes(con)]
['SYNTHETIC data — not real figures']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.warehouse.tables import table_names

NOTES_TABLE = "warehouse_notes"
SYNTHETIC = "synthetic"
SYNTHETIC_BANNER = "SYNTHETIC data — not real figures"


@dataclass(frozen=True)
class WarehouseNote:
    """A declared fact about the whole warehouse: its kind and the sentence a reader sees."""

    note: str
    text: str


def synthetic_text(made_by: str) -> str:
    """What the synthetic note says, and what it means for data loaded beside it."""
    return (
        f"{SYNTHETIC_BANNER}: this warehouse contains synthetic rows made by {made_by}, for "
        "trying peelstat; every figure computed from it may rest on them, even after real "
        "files are loaded into it (load real data into a new warehouse)."
    )


def synthetic_frame(made_by: str) -> pd.DataFrame:
    """The ``warehouse_notes`` row of a synthetic warehouse."""
    moment = pd.Timestamp(dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0))
    return pd.DataFrame(
        {"note": [SYNTHETIC], "text": [synthetic_text(made_by)], "noted_at": [moment]}
    )


def mark_synthetic(con: BaseBackend, made_by: str) -> None:
    """Record that the warehouse holds synthetic rows (once; a note is never removed)."""
    if any(n.note == SYNTHETIC for n in warehouse_notes(con)):
        return
    con.insert(NOTES_TABLE, synthetic_frame(made_by))


def warehouse_notes(con: BaseBackend) -> tuple[WarehouseNote, ...]:
    """The warehouse's notes, oldest first (none for a warehouse made before notes existed)."""
    if NOTES_TABLE not in table_names(con):
        return ()
    t = con.table(NOTES_TABLE)
    rows = t.order_by([t.noted_at, t.note]).select("note", "text").to_pandas()
    return tuple(dict.fromkeys(WarehouseNote(str(n), str(x)) for n, x in rows.itertuples(False)))
