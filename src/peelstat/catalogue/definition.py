"""What a measure is: a frozen, validated declaration read from YAML.

A declaration says *what* to count (a filter on one warehouse table), *what to divide by*
(residents, households, another measure, or a column of the same table), the unit and which
direction is better. How it is computed lives in :mod:`peelstat.measures.compile`.

>>> m = parse_measure({"id": "burglary", "title": "Burglary", "source": "police_uk_street",
...     "numerator": {"crime_types": ["Burglary"]}, "denominator": "residents",
...     "unit": "per_1000_residents", "lower_is_better": True}, file="my.yaml")
>>> m.window_periods, m.source_spec.grain
(12, 'month')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from peelstat.errors import CatalogueError

Grain = Literal["month", "quarter"]


@dataclass(frozen=True)
class SourceSpec:
    """A warehouse table a measure can read: its time grain and what a 'count' is there."""

    table: str
    grain: Grain
    date_column: str  # month start (monthly tables) or quarter end (quarterly tables)
    count_column: str | None  # summed for a count; None: one per row
    filters: Mapping[str, str]  # friendly filter name → column
    already_rolling: bool = False  # rows are 12-month totals already (the rolling-year table)


_PLACE = {"outcome_categories": "last_outcome_category"}
_HOME_OFFICE = {
    "offence_codes": "offence_code",
    "offence_groups": "offence_group",
    "offence_subgroups": "offence_subgroup",
}

SOURCES: dict[str, SourceSpec] = {
    "police_uk_street": SourceSpec(
        "police_uk_street", "month", "month", None, {"crime_types": "crime_type", **_PLACE}
    ),
    "police_uk_outcomes": SourceSpec(
        "police_uk_outcomes",
        "month",
        "month",
        None,
        {"outcome_categories": "outcome_category"},
    ),
    "police_uk_stop_search": SourceSpec(
        "police_uk_stop_search",
        "month",
        "month",
        None,
        {
            "ethnic_groups": "officer_defined_ethnicity",
            "stop_search_outcomes": "outcome",
            "linked_to_object_of_search": "outcome_linked_to_object_of_search",
            "search_types": "type",
        },
    ),
    "recorded_crime": SourceSpec(
        "recorded_crime", "quarter", "period_end", "offences", _HOME_OFFICE
    ),
    "recorded_crime_rolling": SourceSpec(
        "recorded_crime_rolling",
        "quarter",
        "period_end",
        "offences_12m",
        {"offences": "offence"},
        already_rolling=True,
    ),
    "crime_outcomes": SourceSpec(
        "crime_outcomes",
        "quarter",
        "period_end",
        "outcomes_recorded_in_quarter",
        {**_HOME_OFFICE, "outcome_types": "outcome_type"},
    ),
    "call_answering": SourceSpec("call_answering", "month", "month", "calls_presented", {}),
    "local_observations": SourceSpec(
        "local_observations", "quarter", "period_end", "numerator", {"local_measures": "measure"}
    ),
}
"""Every table a measure may read. ``local_observations`` is read at the grain it is declared
with (``grain: month`` in the YAML for monthly exports; quarterly by default)."""

UNITS: dict[str, float] = {
    "per_1000_residents": 1000.0,
    "per_1000_households": 1000.0,
    "per_1000_people": 1000.0,
    "percent": 100.0,
    "ratio": 1.0,
    "mean": 1.0,
    "count": 1.0,
}
"""Unit → scale applied to numerator / denominator (``count``: value is the numerator)."""

PRIORITIES = (
    "homicide",
    "serious violence",
    "drugs and county lines",
    "neighbourhood crime",
    "violence against women and girls",
    "crime volume",
    "anti-social behaviour",
    "victim satisfaction",
    "rape outcomes",
    "criminal justice",
    "outcomes",
    "stop and search",
    "call handling",
    "other",
)
"""Performance-report priorities a measure can belong to (the report's section headings)."""


@dataclass(frozen=True)
class Filter:
    """Which rows count: every ``include`` column in its values, no ``exclude`` column in its."""

    include: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    exclude: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    sum_column: str | None = None  # sum this column instead of the source's count
    count_distinct: str | None = None  # count distinct values of this column (per period)

    def describe(self) -> str:
        """One line for docs and tables, e.g. ``crime_type in (Burglary)``."""
        parts = [f"{c} in ({', '.join(map(str, v))})" for c, v in self.include]
        parts += [f"{c} not in ({', '.join(map(str, v))})" for c, v in self.exclude]
        return " and ".join(parts) or "all rows"


@dataclass(frozen=True)
class DefinitionChange:
    """A series the measure followed before ``date`` (e.g. Domestic → Residential burglary)."""

    date: dt.date
    before: Filter
    note: str


DenominatorKind = Literal["residents", "households", "ethnic_group_residents", "measure", "records"]


@dataclass(frozen=True)
class Denominator:
    """What the numerator is divided by."""

    kind: DenominatorKind
    records: Filter | None = None  # kind "records": rows of the same table
    measure: str | None = None  # kind "measure": the numerator of that measure
    ethnic_groups: tuple[str, ...] = ()  # kind "ethnic_group_residents": Census 2011 groups

    def describe(self) -> str:
        if self.kind == "records" and self.records is not None:
            what = f"sum of {self.records.sum_column}" if self.records.sum_column else "records"
            return f"{what} where {self.records.describe()}"
        if self.kind == "measure":
            return f"numerator of {self.measure}"
        if self.kind == "ethnic_group_residents":
            return f"Census 2011 residents: {', '.join(self.ethnic_groups)}"
        return f"{self.kind} (ONS mid-year estimate)"


@dataclass(frozen=True)
class Measure:
    """A performance measure, validated: everything the compiler needs and nothing else."""

    id: str
    title: str
    source: str
    numerator: Filter
    denominator: Denominator
    unit: str
    lower_is_better: bool
    window_months: int = 12
    notes: str = ""
    priority: str = "other"
    sum_of: tuple[str, ...] = ()  # numerator = sum of these measures' numerators (same source)
    ratio_of: tuple[str, str] | None = None  # value = value of first / value of second
    definition_changes: tuple[DefinitionChange, ...] = ()
    grain_override: Grain | None = None  # local observations only
    file: str = "<builtin>"

    @property
    def source_spec(self) -> SourceSpec:
        return SOURCES[self.source]

    @property
    def grain(self) -> Grain:
        return self.grain_override or self.source_spec.grain

    @property
    def window_periods(self) -> int:
        """Periods in a window: 12 months, 4 quarters, 1 row of a table already rolling."""
        if self.source_spec.already_rolling:
            return 1
        return self.window_months // (3 if self.grain == "quarter" else 1)

    @property
    def scale(self) -> float:
        return UNITS[self.unit]

    @property
    def is_proportion(self) -> bool:
        """Percent measures are tested as proportions, the rest as Poisson counts."""
        return self.unit == "percent"


# --- parsing -------------------------------------------------------------------------------

_MEASURE_FIELDS = {
    "id",
    "title",
    "source",
    "numerator",
    "denominator",
    "unit",
    "lower_is_better",
    "window",
    "notes",
    "priority",
    "ratio_of",
    "definition_changes",
    "grain",
}


class _Problems:
    """Collects every problem in a file so the analyst fixes them in one go."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[CatalogueError] = []

    def add(self, measure: str | None, field_name: str | None, problem: str) -> None:
        self.items.append(CatalogueError(self.file, measure, field_name, problem))

    def raise_if_any(self) -> None:
        if len(self.items) == 1:
            raise self.items[0]
        if self.items:
            listing = "\n".join(f"  - {e}" for e in self.items)
            raise CatalogueError(self.file, None, None, f"{len(self.items)} problems:\n{listing}")


def _values(raw: Any) -> tuple[Any, ...]:
    items = raw if isinstance(raw, list | tuple) else [raw]
    return tuple(str(v) if not isinstance(v, bool) else v for v in items)


def parse_filter(
    raw: Any, spec: SourceSpec, where: str, mid: str | None, problems: _Problems
) -> tuple[Filter, tuple[str, ...]]:
    """A numerator/denominator mapping → Filter (+ ``sum_of`` ids); unknown keys are problems."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        problems.add(mid, where, f"expected a mapping of filters, got {raw!r}")
        return Filter(), ()
    include: list[tuple[str, tuple[Any, ...]]] = []
    exclude: list[tuple[str, tuple[Any, ...]]] = []
    sum_column = None
    count_distinct = None
    sum_of: tuple[str, ...] = ()
    for key, value in raw.items():
        if key in spec.filters:
            include.append((spec.filters[key], _values(value)))
        elif key == "where" and isinstance(value, Mapping):
            include.extend((str(c), _values(v)) for c, v in value.items())
        elif key == "exclude" and isinstance(value, Mapping):
            for ex_key, ex_value in value.items():
                column = spec.filters.get(ex_key, ex_key)
                exclude.append((column, _values(ex_value)))
        elif key in ("sum", "column"):
            sum_column = str(value)
        elif key == "count_distinct":
            count_distinct = str(value)
        elif key == "sum_of":
            sum_of = _values(value)
        else:
            known = sorted([*spec.filters, "where", "exclude", "sum", "sum_of", "count_distinct"])
            problems.add(mid, f"{where}.{key}", f"unknown filter for {spec.table}; use {known}")
    return Filter(tuple(include), tuple(exclude), sum_column, count_distinct), sum_of


def _parse_denominator(
    raw: Any, spec: SourceSpec, mid: str | None, problems: _Problems
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


def _parse_changes(
    raw: Any, spec: SourceSpec, mid: str | None, problems: _Problems
) -> tuple[DefinitionChange, ...]:
    changes = []
    for i, item in enumerate(raw or []):
        where = f"definition_changes[{i}]"
        if not isinstance(item, Mapping) or not {"date", "before", "note"} <= set(item):
            problems.add(mid, where, "needs date, before (a filter) and note")
            continue
        date = item["date"]
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                problems.add(mid, f"{where}.date", f"not an ISO date: {date!r}")
                continue
        before, _ = parse_filter(item["before"], spec, f"{where}.before", mid, problems)
        changes.append(DefinitionChange(date, before, str(item["note"])))
    return tuple(changes)


def parse_measure(raw: Mapping[str, Any], file: str, problems: _Problems | None = None) -> Measure:
    """One YAML mapping → a Measure; problems are collected (or raised at once if standalone)."""
    own = problems is None
    problems = problems or _Problems(file)
    mid = str(raw.get("id", "")) or None
    for key in sorted(set(raw) - _MEASURE_FIELDS):
        problems.add(mid, key, f"unknown field; known fields: {sorted(_MEASURE_FIELDS)}")
    for key in ("id", "title", "source", "unit", "lower_is_better"):
        if key not in raw and not (key == "source" and "ratio_of" in raw):
            problems.add(mid, key, "required")
    # A ratio of two measures reads their source; the loader fills it in once both are known.
    source = str(raw.get("source", "police_uk_street"))
    if source not in SOURCES:
        problems.add(mid, "source", f"unknown source {source!r}; use one of {sorted(SOURCES)}")
        source = "police_uk_street"
    spec = SOURCES[source]
    numerator, sum_of = parse_filter(raw.get("numerator"), spec, "numerator", mid or "", problems)
    if source == "local_observations" and not numerator.include:
        numerator = Filter((("measure", (str(mid),)),), numerator.exclude, numerator.sum_column)
    default_den: Any = {"column": "denominator"} if source == "local_observations" else "residents"
    denominator = _parse_denominator(raw.get("denominator", default_den), spec, mid, problems)
    records = denominator.records
    if source == "local_observations" and records and "measure" not in dict(records.include):
        # a local export holds many measures: the denominator is this measure's rows only
        this_measure = Filter(
            (*records.include, *numerator.include[:1]), records.exclude, records.sum_column
        )
        denominator = Denominator("records", records=this_measure)
    unit = str(raw.get("unit", "count"))
    if unit not in UNITS:
        problems.add(mid, "unit", f"unknown unit {unit!r}; use one of {sorted(UNITS)}")
        unit = "count"
    if unit == "per_1000_households" and denominator.kind != "households":
        problems.add(mid, "unit", "per_1000_households needs denominator: households")
    if unit == "per_1000_residents" and denominator.kind != "residents":
        problems.add(mid, "unit", "per_1000_residents needs denominator: residents")
    polarity = raw.get("lower_is_better", True)
    if not isinstance(polarity, bool):
        problems.add(mid, "lower_is_better", f"must be true or false, got {polarity!r}")
        polarity = True
    window = raw.get("window", 12)
    if not isinstance(window, int) or window < 1 or (spec.grain == "quarter" and window % 3):
        problems.add(
            mid, "window", f"months, a whole number (multiple of 3 for quarterly data): {window!r}"
        )
        window = 12
    if spec.already_rolling and window != 12:
        problems.add(mid, "window", f"{source} holds 12-month totals already; window must be 12")
    priority = str(raw.get("priority", "other"))
    if priority not in PRIORITIES:
        problems.add(
            mid, "priority", f"unknown priority {priority!r}; use one of {list(PRIORITIES)}"
        )
    ratio_of = raw.get("ratio_of")
    if ratio_of is not None and (not isinstance(ratio_of, list) or len(ratio_of) != 2):
        problems.add(mid, "ratio_of", "a list of two measure ids: [numerator, denominator]")
        ratio_of = None
    grain = raw.get("grain")
    if grain is not None and (source != "local_observations" or grain not in ("month", "quarter")):
        problems.add(mid, "grain", "only local_observations take a grain: month or quarter")
        grain = None
    measure = Measure(
        id=str(mid),
        title=str(raw.get("title", mid)),
        source=source,
        numerator=numerator,
        denominator=denominator,
        unit=unit,
        lower_is_better=polarity,
        window_months=window,
        notes=str(raw.get("notes", "")).strip(),
        priority=priority,
        sum_of=sum_of,
        ratio_of=tuple(map(str, ratio_of)) if ratio_of else None,  # type: ignore[arg-type]
        definition_changes=_parse_changes(raw.get("definition_changes"), spec, mid, problems),
        grain_override=grain,
        file=file,
    )
    if own:
        problems.raise_if_any()
    return measure


@dataclass(frozen=True)
class Catalogue:
    """Measures by id, in declaration order; built-ins first, then the user's files."""

    measures: Mapping[str, Measure] = field(default_factory=dict)

    def __getitem__(self, measure_id: str) -> Measure:
        if measure_id not in self.measures:
            import difflib

            near = difflib.get_close_matches(measure_id, list(self.measures), n=3)
            hint = f" Did you mean: {', '.join(near)}?" if near else ""
            raise CatalogueError("<catalogue>", measure_id, None, f"no such measure.{hint}")
        return self.measures[measure_id]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.measures.values())

    def __len__(self) -> int:
        return len(self.measures)

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self.measures

    def ids(self) -> list[str]:
        return list(self.measures)
