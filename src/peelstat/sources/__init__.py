"""Data sources, built-in or plug-in, all found the same way: the ``peelstat.sources`` entry points.

A package adds a source by naming its class under that group in its metadata (the name is
what ``peelstat load <name> ...`` takes); peelstat's own sources are registered there too, in
its ``pyproject.toml``. A source class is imported only when it is used or when its table
declarations are needed, and a plug-in that fails to import is left out with a warning, so
one broken package never breaks the others.
"""

from __future__ import annotations

import warnings
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from peelstat.errors import PeelstatError
from peelstat.sources.base import Source, SourceFactory
from peelstat.sources.contract import WarehouseTable

ENTRY_POINT_GROUP = "peelstat.sources"


@cache
def registered_sources() -> dict[str, EntryPoint]:
    """Every source registered in the entry-point group, by its command-line name (sorted)."""
    found: dict[str, EntryPoint] = {}
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        first = found.setdefault(point.name, point)
        if first.value != point.value:
            raise PeelstatError(
                f"Two installed packages register the source {point.name!r} "
                f"({first.value} and {point.value}); uninstall one of them."
            )
    if not found:
        raise PeelstatError(
            f"No data sources are registered (entry-point group {ENTRY_POINT_GROUP!r}): "
            "peelstat's package metadata is missing. Install peelstat (pip install -e .)."
        )
    return found


def source_class(name: str) -> SourceFactory:
    """The class (or factory) registered under ``name``, imported now."""
    points = registered_sources()
    if name not in points:
        known = ", ".join(sorted(points))
        raise PeelstatError(f"Unknown source {name!r}. Known sources: {known}.")
    factory: SourceFactory = points[name].load()
    return factory


def get_source(name: str, **options: Any) -> Source:
    """The source registered under ``name``, built with its options (e.g. ``lookup=...``)."""
    return source_class(name)(**options)


@cache
def source_tables() -> dict[str, WarehouseTable]:
    """Every table the registered sources declare, by table name, in registration order."""
    tables: dict[str, WarehouseTable] = {}
    for name, point in registered_sources().items():
        try:
            declared = point.load().tables
        except Exception as error:  # a broken plug-in must not break the built-ins
            if point.module.startswith("peelstat."):
                raise
            warnings.warn(f"source {name!r} ({point.value}) left out: {error}", stacklevel=2)
            continue
        for table in declared:
            if tables.setdefault(table.name, table) != table:
                raise PeelstatError(
                    f"Source {name!r} declares the table {table.name!r} differently from "
                    "another source; a table has one schema."
                )
    return tables


@cache
def loaded_by(table: str) -> tuple[str, ...]:
    """The sources (``peelstat load <name>``) that write ``table``, or a way a measure reads it
    (``recorded_crime_severity`` is ``recorded_crime`` weighted): for "load it with ..."."""
    names = []
    for name, point in registered_sources().items():
        try:
            declared = point.load().tables
        except Exception:  # a broken plug-in is reported by source_tables
            continue
        if any(t.name == table or table in t.read_as for t in declared):
            names.append(name)
    return tuple(names)
