"""What one query covers: the measures (with those they are built from) and the scope.

An analyst asks for a few measures, a period range and some forces. The query needs more
than that: the measures each one is built from, and all 43 territorial forces whenever the
England and Wales row is wanted, because the national figure is their sum. This module
turns the request into that fuller :class:`Scope`, and sorts the measures into the groups
that share one pass over a source table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peelstat.catalogue.measure import Catalogue, Measure
from peelstat.errors import PeelstatError
from peelstat.periods import parse_period
from peelstat.reference import territorial_forces


@dataclass(frozen=True)
class Scope:
    """Everything one query needs: measures in dependency order and the scope."""

    measures: tuple[Measure, ...]
    start: dt.date
    end: dt.date
    forces: tuple[str, ...]  # computed (all territorial + requested)
    output_forces: tuple[str, ...]
    national: bool


def requested_ids(catalogue: Catalogue, measures: str | Sequence[str] | None) -> list[str]:
    """The measure ids asked for; every measure in the catalogue when none are named."""
    return [measures] if isinstance(measures, str) else list(measures or catalogue.ids())


def with_dependencies(catalogue: Catalogue, ids: Iterable[str]) -> list[Measure]:
    """The measures asked for plus the ones they are built from, each once."""
    ordered: dict[str, Measure] = {}

    def visit(measure_id: str) -> None:
        if measure_id in ordered:
            return
        m = catalogue[measure_id]
        for dep in (*m.sum_of, *(m.ratio_of or ())):
            visit(dep)
        if m.denominator.kind == "measure" and m.denominator.measure:
            visit(m.denominator.measure)
        ordered[measure_id] = m

    for measure_id in ids:
        visit(measure_id)
    return list(ordered.values())


def query_scope(
    catalogue: Catalogue,
    ids: Sequence[str],
    start: str | dt.date,
    end: str | dt.date | None,
    forces: Sequence[str] | None,
    national: bool,
) -> Scope:
    """The request widened to what must be computed: dependencies and, for the national row,
    all 43 territorial forces. A range that ends before it starts is refused."""
    wanted = with_dependencies(catalogue, ids)
    territorial = territorial_forces()
    output = tuple(forces) if forces else tuple(territorial)
    computed = tuple(dict.fromkeys([*(territorial if national else []), *output]))
    start_date = parse_period(start)
    scope = Scope(tuple(wanted), start_date, parse_period(end or start), computed, output, national)
    if scope.end < scope.start:
        raise PeelstatError(f"period range ends ({scope.end}) before it starts ({scope.start})")
    return scope


def source_groups(measures: Iterable[Measure]) -> list[list[Measure]]:
    """Measures sharing a source table, grain and window: each group is one table scan.

    Ratio measures are left out; they are built from other measures' rows, not a table.
    """
    groups: dict[tuple[str, str, int], list[Measure]] = {}
    for m in measures:
        if not m.ratio_of:
            groups.setdefault((m.source, m.grain, m.window_periods), []).append(m)
    return list(groups.values())
