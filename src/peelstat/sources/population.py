"""Residents (and households) by police force area and mid-year.

Two ways in, both loaded as one unit per mid-year (``population/mid-2021``), so a newer
vintage of the estimates replaces the years it covers rather than adding to them:

* a **force-level table** (CSV or spreadsheet) with columns ``force, year, residents`` and
  optionally ``households``;
* **ONS local authority figures** aggregated to force areas through an ONS LAD → PFA lookup
  given as ``lookup=`` (``peelstat load population mye.xlsx --lookup lad-pfa.csv``): the
  published mid-year estimates workbook (the sheet with ``Code`` and ``Estimated Population
  mid-YYYY`` or ``Mid-YYYY`` columns, e.g. MYE5, found by its header), or a long table
  ``code, year, residents|households``.

Households come from a ``households`` column or a separate file (``households=``) in either
shape. A district of England or Wales the lookup does not know refuses the whole file (its
force's totals would be short: the lookup is of another year's districts); another area the
lookup does not know (a Scottish council area) is rejected, naming its code, for every year;
rows for countries, regions and counties (totals of local authorities) are skipped.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.sources.base import Parsed, Rejected, SourceFile
from peelstat.sources.contract import WarehouseTable
from peelstat.sources.population_files import (
    outdated_lookup,
    read_lookup,
    wide_estimates,
    wide_records,
    year_of,
)
from peelstat.sources.table_source import rejected, row_schema
from peelstat.sources.tabular import (
    Column,
    ForceNames,
    Record,
    RowProblem,
    expand_paths,
    match_tables,
    parse_count,
    read_grids,
)

LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06")
"""ONS codes of local authority districts: unitary, district, metropolitan, London, Welsh."""
TOTAL_PREFIXES = ("K02", "K03", "K04", "E92", "W92", "E12", "E10", "E11", "E13")
"""ONS codes of areas made of districts (UK, GB, E&W, countries, regions, counties)."""

_FORCE_COLUMNS = (
    Column("force", ("force", "Force Name", "Police Force Area", "PFA")),
    Column("year", ("year", "mid-year", "Mid year")),
    Column("residents", ("residents", "population", "persons"), required=False),
    Column("households", ("households",), required=False),
)
_LAD_COLUMNS = (
    Column("code", ("code", "lad_code", "Local authority code"), pattern=r"lad\d{2}cd"),
    Column("year", ("year", "mid-year")),
    Column("residents", ("residents", "population", "persons"), required=False),
    Column("households", ("households",), required=False),
)
MEASURES = ("residents", "households")
POPULATION = WarehouseTable(
    "population", {"force": "string", "year": "int64", "residents": "int64", "households": "int64"}
)
"""Read by measures as their denominator, not as a measure's source: no spec."""


@dataclass(frozen=True)
class PopulationUnit(SourceFile):
    """One mid-year of one file; its checksum covers the lookup and households files too,
    so reloading with a corrected lookup replaces the figures instead of being skipped."""

    companions: tuple[Path, ...] = field(default=(), compare=False)

    def sha256(self) -> str:
        digest = hashlib.sha256(self.read_bytes())
        for path in self.companions:
            digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()


@dataclass
class Figures:
    """Counts by (force, year, measure) with the first line each came from, and rejects."""

    counts: dict[tuple[str, int, str], int] = field(default_factory=dict)
    lines: dict[tuple[str, int], int] = field(default_factory=dict)
    rejects: dict[int | None, list[Rejected]] = field(default_factory=lambda: defaultdict(list))
    """Rejects by year (``None``: a row whose year cannot be read; goes in the first unit)."""

    def years(self) -> set[int]:
        return {year for _, year, _ in self.counts} | {y for y in self.rejects if y is not None}


class PopulationSource:
    """Residents and households by force area and mid-year; see the module docstring."""

    name = "population"
    title = "Population by police force area and mid-year (ONS estimates or a force table)"
    tables = (POPULATION,)

    def __init__(
        self, lookup: str | Path | None = None, households: str | Path | None = None
    ) -> None:
        self.lookup = Path(lookup) if lookup is not None else None
        self.households = Path(households) if households is not None else None
        self.forces = ForceNames()
        self._cache: dict[tuple[str, int, int], Figures] = {}

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        companions = tuple(p for p in (self.lookup, self.households) if p is not None)
        for companion in companions:
            if not companion.is_file():
                raise IngestError(str(companion), "no such file")
        units: list[SourceFile] = []
        for path in expand_paths(paths):
            years = sorted(self.figures(path).years()) or [0]
            for position, year in enumerate(years):
                key = f"mid-{year}" if year else f"unparsed/{path.name}"
                orphans = "yes" if position == 0 else ""
                options = {"year": str(year), "orphans": orphans}
                name = f"population/{key}"
                if any(u.name == name for u in units):
                    raise IngestError(str(path), f"another file given also covers {name}")
                units.append(
                    PopulationUnit(
                        name, POPULATION.name, path, options=options, companions=companions
                    )
                )
        return units

    def parse(self, unit: SourceFile) -> Parsed:
        figures = self.figures(unit.path)
        year = int(unit.options["year"])
        keys = sorted({(f, y) for f, y, _ in figures.counts if y == year})
        rows = {
            "force": [f for f, _ in keys],
            "year": [y for _, y in keys],
            **{m: [figures.counts.get((f, y, m)) for f, y in keys] for m in MEASURES},
            "source_line": [figures.lines[k] for k in keys],
        }
        rejects = list(figures.rejects.get(year, []))
        if unit.options.get("orphans"):
            rejects.extend(figures.rejects.get(None, []))
        return Parsed(pa.table(rows, schema=row_schema(POPULATION)), rejects)

    # --- reading -------------------------------------------------------------------------

    def figures(self, path: Path) -> Figures:
        """Counts of ``path`` merged with the households file, read once per file version."""
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._cache:
            figures = Figures()
            self._read(path, figures, MEASURES)
            if self.households is not None:
                self._read(self.households, figures, ("households",))
            self._cache = {key: figures}
        return self._cache[key]

    def _read(self, path: Path, figures: Figures, measures: Sequence[str]) -> None:
        wide = wide_estimates(path)
        if wide is not None:
            self._lads(path, wide_records(wide), figures)
            return
        try:
            tables = match_tables(path, _FORCE_COLUMNS)
        except HeaderMismatchError:
            tables = []
        if tables:
            wanted = [m for m in measures if m in tables[0].index]
            if not wanted:
                raise HeaderMismatchError(
                    str(path), ["force", "year", " or ".join(measures)], tables[0].header
                )
            for table in tables:
                for record in table.records:
                    self._force_row(record, wanted, figures)
            return
        try:
            lad_tables = match_tables(path, _LAD_COLUMNS)
        except HeaderMismatchError:
            expected = ["force", "year", "residents", "households"]
            found = next((r[1] for g in read_grids(path) for r in g.rows if any(r[1])), [])
            raise HeaderMismatchError(
                f"{path} (neither a force table, a local authority table, nor an ONS "
                "mid-year estimates workbook)",
                expected,
                [c for c in found if c],
            ) from None
        records = [
            (r, year_of(r.values["year"]), m, r.values[m])
            for t in lad_tables
            for r in t.records
            for m in measures
            if m in t.index
        ]
        self._lads(path, records, figures)

    def _force_row(self, record: Record, measures: Sequence[str], figures: Figures) -> None:
        year = year_of(record.values["year"])
        try:
            if record.problem:
                raise RowProblem(record.problem)
            if year is None:
                raise RowProblem(f"year is not a year: {record.values['year']!r}")
            force = self.forces.slug(record.values["force"])
            counts = {m: parse_count(record.values[m], m) for m in measures if record.values[m]}
            if not counts:
                raise RowProblem("no residents or households")
            if (force, year) in figures.lines and any(
                (force, year, m) in figures.counts for m in counts
            ):
                first = figures.lines[(force, year)]
                raise RowProblem(f"{force} {year} already given on line {first}")
        except RowProblem as problem:
            figures.rejects[year].append(rejected(record, str(problem)))
            return
        for measure, count in counts.items():
            figures.counts[(force, year, measure)] = count
        figures.lines.setdefault((force, year), record.line)

    def _lads(
        self, path: Path, records: list[tuple[Record, int | None, str, str]], figures: Figures
    ) -> None:
        """Sum local authorities into force areas; a force-year with a bad LAD is not loaded."""
        if self.lookup is None:
            raise IngestError(
                str(path),
                "local authority figures need the ONS local authority → police force area "
                "lookup: give it with --lookup (lookup=)",
            )
        lookup = read_lookup(self.lookup, self.forces)
        unmapped: dict[str, str] = {}
        sums: dict[tuple[str, int, str], int] = defaultdict(int)
        broken: dict[tuple[str, int, str], str] = {}
        for record, year, measure, text in records:
            code = record.values["code"].strip().upper()
            if code.startswith(TOTAL_PREFIXES) and code not in lookup:
                continue
            if year is None:
                figures.rejects[None].append(rejected(record, "year is not a year"))
                continue
            if code not in lookup:
                if code.startswith(LAD_PREFIXES) and text.strip():
                    unmapped.setdefault(code, record.values.get("name", ""))
                    continue
                named = f" ({record.values['name']})" if record.values.get("name") else ""
                reason = (
                    f"local authority {code}{named} is not in the lookup {self.lookup.name}; "
                    f"its mid-{year} {measure} are not counted in any force area"
                )
                figures.rejects[year].append(rejected(record, reason))
                continue
            force = lookup[code]
            try:
                sums[(force, year, measure)] += parse_count(text, f"mid-{year} {measure}")
            except RowProblem as problem:
                reason = (
                    f"local authority {code}: {problem}; {force} mid-{year} {measure} not loaded"
                )
                figures.rejects[year].append(rejected(record, reason))
                broken[(force, year, measure)] = reason
                continue
            figures.lines[(force, year)] = min(
                figures.lines.get((force, year), record.line), record.line
            )
        if unmapped:
            raise outdated_lookup(path, self.lookup, unmapped, {y for _, y, _, _ in records})
        for key, total in sums.items():
            if key not in broken:
                figures.counts[key] = total
