"""Where a figure came from: the warehouse tables, the files loaded into them and the licence.

Every table and chart a front-end shows carries one :class:`DataSources`, so a reader can
trace a figure to the files (name, sha256 prefix, load date) it was computed from, and
whether the warehouse is SYNTHETIC (:mod:`peelstat.warehouse.notes`).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.plain import plain, records
from peelstat.measures.cache_state import fingerprint
from peelstat.warehouse.notes import NOTES_TABLE, SYNTHETIC_BANNER, warehouse_notes
from peelstat.warehouse.tables import table_names

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
FILES_LISTED = 12
"""A national warehouse holds thousands of files: list the latest few, count the rest."""


@dataclass(frozen=True)
class LoadedFile:
    """One file in the warehouse: its name, the first 12 hex digits of its sha256, when loaded."""

    file: str
    sha256: str
    loaded_on: dt.date
    rows: int


@dataclass(frozen=True)
class TableSource:
    """One warehouse table a result read, with the files behind it."""

    table: str
    files: int
    rows: int
    first_loaded: dt.date | None
    last_loaded: dt.date | None
    latest_files: tuple[LoadedFile, ...]


@dataclass(frozen=True)
class DataSources:
    """The tables (and their files) behind a result, what the warehouse declares about itself
    (``notes``: "SYNTHETIC data — not real figures: …" for a demo warehouse) and the licence."""

    tables: tuple[TableSource, ...]
    notes: tuple[str, ...] = ()
    licence: str = OGL

    @property
    def synthetic(self) -> bool:
        """Whether the warehouse holds synthetic rows (every front-end then shows a banner)."""
        return any(n.startswith(SYNTHETIC_BANNER) for n in self.notes)

    def to_dict(self) -> dict:
        return plain(self)

    def describe(self) -> list[str]:
        """One sentence per table, for a footnote under a table or chart."""
        lines = []
        for t in self.tables:
            if not t.files:
                lines.append(f"{t.table}: no files loaded")
                continue
            shown = ", ".join(
                f"{f.file} (sha256 {f.sha256}, loaded {f.loaded_on})" for f in t.latest_files[:3]
            )
            more = t.files - min(3, len(t.latest_files))
            lines.append(
                f"{t.table}: {t.files:,} file(s), {t.rows:,} rows, loaded {t.first_loaded} to "
                f"{t.last_loaded}; latest {shown}" + (f" and {more:,} more" if more > 0 else "")
            )
        return lines


_KNOWN: weakref.WeakKeyDictionary[BaseBackend, tuple[str, dict[tuple[str, ...], DataSources]]]
_KNOWN = weakref.WeakKeyDictionary()
"""Per connection: the warehouse's state and the sources worked out in it; a report asks
dozens of times of an unchanged warehouse."""


def data_sources(con: BaseBackend, tables: Iterable[str]) -> DataSources:
    """The files loaded into each of ``tables`` (as ``load_log`` records them); worked out
    again only when the warehouse has changed (a load, a note) since last asked."""
    wanted = tuple(sorted(set(tables)))
    if con.name != "duckdb":  # a Spark lake is read as it was exported
        return _data_sources(con, wanted)
    state = _state(con)
    known_state, known = _KNOWN.get(con, ("", {}))
    if known_state != state:
        known = {}
        _KNOWN[con] = (state, known)
    if wanted not in known:
        known[wanted] = _data_sources(con, wanted)
    return known[wanted]


def _state(con: BaseBackend) -> str:
    """Row counts and the last load (as the stored measure frames check), and the notes."""
    notes = (
        con.raw_sql(f"SELECT count(*) FROM {NOTES_TABLE}").fetchone()  # type: ignore[attr-defined]
        if NOTES_TABLE in table_names(con)
        else None
    )
    return f"{fingerprint(con)};notes={notes}"


def _data_sources(con: BaseBackend, wanted: tuple[str, ...]) -> DataSources:
    existing = table_names(con)
    log = con.table("load_log").to_pandas() if "load_log" in existing else pd.DataFrame()
    result = []
    for table in wanted:
        rows = _loaded_into(con, log, table) if table in existing else log.iloc[0:0]
        result.append(_table_source(table, rows))
    return DataSources(tuple(result), tuple(n.text for n in warehouse_notes(con)))


def _loaded_into(con: BaseBackend, log: pd.DataFrame, table: str) -> pd.DataFrame:
    """The log's rows for the files loaded into ``table``: ``loaded_into`` says, except for
    files logged before peelstat kept it, found by scanning the table's ``source_file``."""
    if log.empty:
        return log
    if "loaded_into" not in log.columns:
        return log[log["file"].isin(_files_in(con, table))]
    unsaid = log["loaded_into"].isna()
    said = log[log["loaded_into"] == table]
    if not unsaid.any():
        return said
    older = log[unsaid & log["file"].isin(_files_in(con, table))]
    return pd.concat([said, older])


def _files_in(con: BaseBackend, table: str) -> set[str]:
    t = con.table(table)
    if "source_file" not in t.columns:
        return set()
    return set(t.select("source_file").distinct().to_pandas()["source_file"])


def _table_source(table: str, rows: pd.DataFrame) -> TableSource:
    if rows.empty:
        return TableSource(table, 0, 0, None, None, ())
    rows = rows.sort_values(["loaded_at", "file"], ascending=[False, True])
    latest = tuple(
        LoadedFile(
            r["file"],
            str(r["sha256"])[:12],
            pd.Timestamp(r["loaded_at"]).date(),
            int(r["rows_loaded"]),
        )
        for r in records(rows.head(FILES_LISTED))
    )
    loaded = pd.to_datetime(rows["loaded_at"])
    return TableSource(
        table,
        len(rows),
        int(rows["rows_loaded"].sum()),
        loaded.min().date(),
        loaded.max().date(),
        latest,
    )
