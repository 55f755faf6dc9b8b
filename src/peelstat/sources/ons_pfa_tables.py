"""ONS "Police force area data tables": recorded crime (Table P1), population and households (P3).

Published with each quarterly "Crime in England and Wales" bulletin; each edition is a new
workbook of the same kind, read by what its cells say, never by position or file name:

* **P1**: offences in the 12 months by offence group, one row per area. The header spans
  two rows (a group's name stands above its first column, e.g. "Total recorded crime
  (excluding fraud)"), so a column is named by its lower cell, else the one above.
* **P3**: rates, with the "Population figures (mid-2017)" and "Household figures (mid-2017)"
  used; their mid-years are read from those headers (the June 2019 edition pairs mid-2018
  residents with mid-2017 households). Both are rounded to 100 by ONS.
* Footnote digits trail names and headers ("Avon and Somerset8", "fraud5)"); areas are
  matched by ONS code where there is one. Sheet names may end in spaces ("Table P1 ").
* ``..`` means ONS has no figure (Greater Manchester after its IT change of July 2019):
  the row is rejected saying so, never loaded as 0. Regions and countries are not forces
  and are left out (their totals exclude a force shown as ``..``).

Units: ``ons-pfa-tables/recorded-crime/ye-2019-03``, ``ons-pfa-tables/households/mid-2017``
and ``ons-pfa-tables/residents/mid-2018``. Two editions holding the same mid-year give the
same unit: the later edition's figures are kept.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from peelstat.errors import IngestError, UnknownForceError
from peelstat.reference import resolve_force
from peelstat.sources.base import Parsed, Rejected, SourceFile
from peelstat.sources.contract import WarehouseTable
from peelstat.sources.table_source import row_schema
from peelstat.sources.tabular import Grid, expand_paths, month_end, read_grids

_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])[\d,]+(?=\)|\s|$)")
_TRAILING_FOOTNOTE = re.compile(r"\s+[\d,]+$")  # 'Stalking and harassment 4'
_ENDING = re.compile(r"year ending (\w+) (\d{4})", re.IGNORECASE)
_MID_YEAR = re.compile(r"mid-(\d{4})")
_MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)}
_NOT_FORCES = ("K04", "E92", "E12", "W92")  # England and Wales, England, regions, Wales
CRIME, PEOPLE = "ons_pfa_recorded_crime", "ons_pfa_population"
TABLES = {
    CRIME: WarehouseTable(
        CRIME,
        {"force": "string", "period_end": "date", "offence_group": "string", "offences": "int64"},
    ),
    PEOPLE: WarehouseTable(
        PEOPLE, {"force": "string", "year": "int64", "figure": "string", "value": "int64"}
    ),
}
"""Neither is a measure's source (no spec): the population table gives the denominators
their households (see :mod:`peelstat.measures.denominators`)."""


def without_footnotes(text: str) -> str:
    """'Avon and Somerset8' → 'Avon and Somerset'; 'excluding fraud5)' → 'excluding fraud)'.

    >>> without_footnotes("Greater Manchester8,9"), without_footnotes("Stalking and harassment 4")
    ('Greater Manchester', 'Stalking and harassment')
    """
    text = _FOOTNOTE.sub("", " ".join(text.split()))
    return _TRAILING_FOOTNOTE.sub("", text).strip()


def table_sheet(grids: Sequence[Grid], table: str) -> Grid | None:
    """The sheet called ``Table P1`` (trailing spaces and case aside)."""
    return next((g for g in grids if (g.sheet or "").strip().lower() == table.lower()), None)


def period_end(path: Path, title: str) -> dt.date:
    """The end of the 12 months a table covers, from its title ('year ending March 2019')."""
    found = _ENDING.search(title)
    if not found or found[1].lower() not in _MONTHS:
        raise IngestError(str(path), f"no 'year ending <month> <year>' in the title {title!r}")
    return month_end(int(found[2][:4]), _MONTHS[found[1].lower()])


def header_row(path: Path, grid: Grid) -> int:
    """Index (in ``grid.rows``) of the row starting 'Area Code', 'Area Name'."""
    for i, (_, cells, _) in enumerate(grid.rows):
        if [c.strip().lower() for c in cells[:2]] == ["area code", "area name"]:
            return i
    raise IngestError(str(path), f"sheet {grid.sheet!r}: no header row 'Area Code, Area Name'")


def column_names(grid: Grid, header: int) -> dict[int, str]:
    """Column index → name: the header cell, else the group name above it (two-row headers)."""
    lower, upper = grid.rows[header][1], grid.rows[header - 1][1]
    names = {}
    for i in range(2, max(len(lower), len(upper))):
        text = (lower[i] if i < len(lower) else "") or (upper[i] if i < len(upper) else "")
        if text.strip():
            names[i] = without_footnotes(text)
    return names


def area_force(cells: list[str]) -> str | None:
    """The force a data row is about (by ONS code, else name); None for countries, regions
    and notes. An area no alias knows raises UnknownForceError with the nearest names."""
    code = cells[0].strip() if cells else ""
    name = without_footnotes(cells[1]) if len(cells) > 1 else ""
    if code.startswith(_NOT_FORCES) or not name:
        return None
    try:
        return resolve_force(code or name)
    except UnknownForceError:
        return resolve_force(name)


def edition_units(path: Path) -> list[SourceFile]:
    """The units one workbook holds: P1's 12 months, and each P3 figure's mid-year."""
    grids = read_grids(path)
    units = []
    p1, p3 = table_sheet(grids, "Table P1"), table_sheet(grids, "Table P3")
    if p1 is None and p3 is None:
        raise IngestError(str(path), "no sheet 'Table P1' or 'Table P3': not a PFA data table")
    if p1 is not None:
        end = period_end(path, p1.rows[0][1][0])
        name = f"ons-pfa-tables/recorded-crime/ye-{end:%Y-%m}"
        options = {"sheet": str(p1.sheet), "period_end": end.isoformat()}
        units.append(SourceFile(name, CRIME, path, options=options))
    if p3 is not None:
        for i, text in enumerate(p3.rows[header_row(path, p3)][1]):
            figure = _figure(text)
            if figure and (year := _MID_YEAR.search(text)):
                options = {"sheet": str(p3.sheet), "column": str(i), "figure": figure}
                name = f"ons-pfa-tables/{figure}/mid-{year[1]}"
                units.append(SourceFile(name, PEOPLE, path, options={**options, "year": year[1]}))
    return units


class PfaTablesSource:
    """Recorded crime, residents and households by police force area, from the ONS tables."""

    name = "ons-pfa-tables"
    title = "ONS police force area data tables (P1 recorded crime, P3 population and households)"
    tables = tuple(TABLES.values())

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        editions = sorted(
            (edition_units(p) for p in expand_paths(paths)), key=lambda us: _edition_end(us)
        )
        found: dict[str, SourceFile] = {}
        for units in editions:  # a later edition's copy of a mid-year replaces an earlier one
            found.update({u.name: u for u in units})
        return list(found.values())

    def parse(self, unit: SourceFile) -> Parsed:
        grid = table_sheet(read_grids(unit.path), unit.options["sheet"].strip())
        assert grid is not None
        header = header_row(unit.path, grid)
        if unit.table == CRIME:
            columns = column_names(grid, header)
        else:
            columns = {int(unit.options["column"]): unit.options["figure"]}
        rows, rejects = [], []
        for line, cells, raw in grid.rows[header + 1 :]:
            where = f"sheet {grid.sheet!r} row {line}"
            try:
                force = area_force(cells)
            except UnknownForceError as error:
                rejects.append(Rejected(line, f"{where}: {error}", raw))
                continue
            if force is None:
                continue
            for i, label in columns.items():
                text = cells[i].strip() if i < len(cells) else ""
                problem = _problem(text, f"{label} for {force}")
                if problem:
                    rejects.append(Rejected(line, f"{where}: {problem}", raw))
                elif text:
                    rows.append({**_row(unit, force, label, text), "source_line": line})
        return Parsed(pa.Table.from_pylist(rows, schema=row_schema(TABLES[unit.table])), rejects)


def _problem(text: str, what: str) -> str | None:
    """Why a cell holds no figure: '..' (ONS has none) or text that is not a number."""
    if text == "..":
        return f"{what} is '..' (ONS: data not available)"
    if text and not re.fullmatch(r"-?\d+(\.0+)?", text.replace(",", "")):
        return f"{what} is not a number: {text!r}"
    return None


def _figure(header: str) -> str | None:
    text = header.lower()
    return "residents" if "population" in text else "households" if "household" in text else None


def _row(unit: SourceFile, force: str, label: str, text: str) -> dict[str, object]:
    number = int(float(text.replace(",", "")))
    if unit.table == CRIME:
        end = dt.date.fromisoformat(unit.options["period_end"])
        return {"force": force, "period_end": end, "offence_group": label, "offences": number}
    return {"force": force, "year": int(unit.options["year"]), "figure": label, "value": number}


def _edition_end(units: list[SourceFile]) -> str:
    return next((u.options["period_end"] for u in units if "period_end" in u.options), "")
