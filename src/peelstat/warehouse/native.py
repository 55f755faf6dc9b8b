"""The contract for loading a unit inside a DuckDB warehouse, straight from DuckDB's CSV reader.

A source that implements :class:`DuckDBNative` hands the loader SQL instead of Arrow rows:
the rows then never leave DuckDB, which is most of the cost of a national load saved. A
source that also offers ``combine_duckdb`` lets several units of one table go in as one
insert (a :class:`GroupLoad`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from peelstat.sources.base import Rejected, SourceFile


@dataclass(frozen=True)
class NativeLoad:
    """A unit ready to go from DuckDB's CSV reader straight into its table, without Arrow.

    ``select`` (with named ``params``) gives the table's columns except ``source_file``. After
    the loader has inserted its rows, ``finish(con, inserted)`` returns the unit's rejects, or
    None when those rows must come out again and the unit go through ``parse`` instead.
    """

    select: str
    params: dict[str, Any]
    finish: Callable[[Any, int], list[Rejected] | None]
    details: Any = None  # what the source needs to combine units (see ``combine_duckdb``)


GroupResult = dict[str, tuple[int, list[Rejected]]]
"""Rows loaded and rejects of each unit of a combined insert, by unit name."""


@dataclass(frozen=True)
class GroupLoad:
    """Several units of one table as one insert; ``select`` gives ``source_file`` too.

    ``finish(con, inserted)`` returns each unit's rows and rejects, or None when the group's
    rows must come out again and each unit be loaded on its own.
    """

    select: str
    params: dict[str, Any]
    finish: Callable[[Any, int], GroupResult | None]


MAX_GROUP = 64
"""Units combined into one insert at most (a source offers ``combine_duckdb`` to allow it)."""

MAX_GROUP_RECORDS = 1_000_000
"""Lines after which a group is closed. Smaller groups keep more writers busy, but each
commit leaves a part-filled row group that DuckDB rewrites at checkpoint: measured best
at about a million (3 national months: 6.5 s at 250k, 5.1 s at 1M, 5.5 s unbounded)."""


@runtime_checkable
class DuckDBNative(Protocol):
    """Optional extra a source may implement to load straight into a DuckDB warehouse.

    ``prepare_duckdb`` must not touch the warehouse (a wrong header raises here, before the
    unit's old rows are deleted); it returns None when the unit should go through ``parse``.
    """

    def prepare_duckdb(self, unit: SourceFile) -> NativeLoad | None: ...


Held = tuple[SourceFile, NativeLoad, str, bool]
"""A unit waiting in a group: the unit, its native load, its sha256 and whether it replaces."""

Written = list[tuple[SourceFile, int, list[Rejected], str, bool]]
"""What a group writer committed: each unit with its rows, rejects, sha256, replace flag."""
