"""Reading which rows count: numerator and denominator filters, and past definitions.

These parts share one filter grammar, so a typo in any of them is reported the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from peelstat.catalogue.measure import DefinitionChange, Denominator, Filter
from peelstat.catalogue.problems import Problems
from peelstat.sources.contract import SourceSpec


def _values(raw: Any) -> tuple[Any, ...]:
    items = raw if isinstance(raw, list | tuple) else [raw]
    return tuple(str(v) if not isinstance(v, bool) else v for v in items)


@dataclass
class _FilterParts:
    """A filter as its keys are read; frozen into a Filter once every key is seen."""

    include: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    exclude: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    sum_column: str | None = None
    count_distinct: str | None = None
    sum_of: tuple[str, ...] = ()

    def take(self, key: str, value: Any, spec: SourceSpec) -> bool:
        """Adds one filter key; False when the key means nothing for this source."""
        if key in spec.filters:
            self.include.append((spec.filters[key], _values(value)))
        elif key == "where" and isinstance(value, Mapping):
            self.include.extend((str(c), _values(v)) for c, v in value.items())
        elif key == "exclude" and isinstance(value, Mapping):
            self.exclude.extend((spec.filters.get(k, k), _values(v)) for k, v in value.items())
        elif key in ("sum", "column"):
            self.sum_column = str(value)
        elif key == "count_distinct":
            self.count_distinct = str(value)
        elif key == "sum_of":
            self.sum_of = _values(value)
        else:
            return False
        return True

    def filter(self) -> Filter:
        return Filter(
            tuple(self.include), tuple(self.exclude), self.sum_column, self.count_distinct
        )


def parse_filter(
    raw: Any, spec: SourceSpec, where: str, mid: str | None, problems: Problems
) -> tuple[Filter, tuple[str, ...]]:
    """A numerator/denominator mapping → Filter (+ ``sum_of`` ids); unknown keys are problems."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        problems.add(mid, where, f"expected a mapping of filters, got {raw!r}")
        return Filter(), ()
    parts = _FilterParts()
    for key, value in raw.items():
        if not parts.take(key, value, spec):
            known = sorted([*spec.filters, "where", "exclude", "sum", "sum_of", "count_distinct"])
            problems.add(mid, f"{where}.{key}", f"unknown filter for {spec.table}; use {known}")
    return parts.filter(), parts.sum_of


def parse_denominator(
    raw: Any, spec: SourceSpec, mid: str | None, problems: Problems
) -> Denominator:
    if raw in ("residents", "households"):
        return Denominator(raw)
    if isinstance(raw, Mapping) and len(raw) == 1:
        ((key, value),) = raw.items()
        if key == "measure":
            return Denominator("measure", measure=str(value))
        if key == "ethnic_group_residents":
            return Denominator("ethnic_group_residents", ethnic_groups=_values(value))
        if key == "column":
            return Denominator("records", records=Filter(sum_column=str(value)))
        if key == "records":
            records, _ = parse_filter(value, spec, "denominator.records", mid, problems)
            return Denominator("records", records=records)
    problems.add(
        mid,
        "denominator",
        f"expected residents, households, {{measure: id}}, {{column: name}}, "
        f"{{records: filter}} or {{ethnic_group_residents: [...]}}; got {raw!r}",
    )
    return Denominator("residents")


def parse_changes(
    raw: Any, spec: SourceSpec, mid: str | None, problems: Problems
) -> tuple[DefinitionChange, ...]:
    changes = []
    for i, item in enumerate(raw or []):
        change = _parse_change(item, f"definition_changes[{i}]", spec, mid, problems)
        if change is not None:
            changes.append(change)
    return tuple(changes)


def _parse_change(
    item: Any, where: str, spec: SourceSpec, mid: str | None, problems: Problems
) -> DefinitionChange | None:
    """One earlier definition; None (with a problem) when it cannot be read."""
    if not isinstance(item, Mapping) or not {"date", "before", "note"} <= set(item):
        problems.add(mid, where, "needs date, before (a filter) and note")
        return None
    date = item["date"]
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            problems.add(mid, f"{where}.date", f"not an ISO date: {date!r}")
            return None
    before, _ = parse_filter(item["before"], spec, f"{where}.before", mid, problems)
    return DefinitionChange(date, before, str(item["note"]))
