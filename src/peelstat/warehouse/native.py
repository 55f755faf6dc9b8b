"""How the loader groups units that a source loads natively inside DuckDB.

The contract a source implements for that (:class:`~peelstat.sources.base.DuckDBNative`,
``NativeLoad``, ``GroupLoad``) is part of the source protocol in :mod:`peelstat.sources.base`;
this module holds only what the loader decides: how large a combined insert may grow.
"""

from __future__ import annotations

from peelstat.sources.base import NativeLoad, Rejected, SourceFile

MAX_GROUP = 64
"""Units combined into one insert at most (a source offers ``combine_duckdb`` to allow it)."""

MAX_GROUP_RECORDS = 1_000_000
"""Lines after which a group is closed. Smaller groups keep more writers busy, but each
commit leaves a part-filled row group that DuckDB rewrites at checkpoint: measured best
at about a million (3 national months: 6.5 s at 250k, 5.1 s at 1M, 5.5 s unbounded)."""

Held = tuple[SourceFile, NativeLoad, str, bool]
"""A unit waiting in a group: the unit, its native load, its sha256 and whether it replaces."""

Written = list[tuple[SourceFile, int, list[Rejected], str, bool]]
"""What a group writer committed: each unit with its rows, rejects, sha256, replace flag
(empty when the group's archive turned out damaged and nothing was committed)."""
