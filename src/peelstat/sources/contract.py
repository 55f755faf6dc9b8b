"""What a source declares about each table it writes: its columns, and how a measure reads it.

A source lists its tables as :class:`WarehouseTable` declarations beside its own code. The
warehouse creates, exports and reads back exactly the tables the registered sources declare
(:mod:`peelstat.warehouse.tables`), and a measure may read a table whose declaration says how
(its :class:`SourceSpec`), so a plug-in source's table is a full citizen without edits here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from peelstat.periods import Grain

if TYPE_CHECKING:
    import ibis.expr.schema as sch

PROVENANCE = {"source_file": "string", "source_line": "int64"}
"""Columns every source table ends with: the load unit's name and the 1-based line in it,
so a changed file replaces exactly its own rows and any figure traces to its line."""


@dataclass(frozen=True)
class SourceSpec:
    """A warehouse table a measure can read: its time grain and what a 'count' is there."""

    table: str
    grain: Grain
    date_column: str  # month start (monthly tables) or quarter end (quarterly tables)
    count_column: str | None  # summed for a count; None: one per row
    filters: Mapping[str, str]  # friendly filter name → column
    already_rolling: bool = False  # rows are 12-month totals already (the rolling-year table)
    weights: str | None = None  # table of weights per offence code: count_column is weighted
    optional_columns: tuple[str, ...] = ()  # fields a force may leave blank (then "not available")
    distinct_columns: tuple[str, ...] = ()  # counted distinct by measures: kept in the summary


@dataclass(frozen=True)
class WarehouseTable:
    """One table a source writes: its columns (Ibis type names) before the provenance columns;
    when measures may read it, how (``spec``, under the table's name); and any other way a
    measure may read it (``read_as``: e.g. ``recorded_crime_severity``, weighted counts)."""

    name: str
    columns: Mapping[str, str]
    spec: SourceSpec | None = None
    read_as: Mapping[str, SourceSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for spec in self.specs.values():
            if spec.table != self.name:
                raise ValueError(f"table {self.name!r} declares a spec for {spec.table!r}")

    @property
    def specs(self) -> dict[str, SourceSpec]:
        """Every name a measure's ``source:`` may give to read this table, with how."""
        own = {self.name: self.spec} if self.spec is not None else {}
        return {**own, **self.read_as}

    @property
    def schema(self) -> sch.Schema:
        """The table's full schema, provenance columns last."""
        import ibis  # here, not at the top: `peelstat --help` must not wait for Ibis

        return ibis.schema({**self.columns, **PROVENANCE})
