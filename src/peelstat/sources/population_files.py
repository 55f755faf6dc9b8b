"""Reading ONS population files: wide mid-year estimate workbooks and LAD → force lookups.

:mod:`peelstat.sources.population` turns what these read into force-year totals.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.sources.tabular import (
    Column,
    ForceNames,
    Grid,
    Record,
    RowProblem,
    match_tables,
    normalise_header,
    read_grids,
)

YEAR_HEADER = re.compile(r"(estimated population )?mid (\d{4})")
"""A mid-year column header of an ONS estimates sheet (``Mid-2023``, ``Estimated Population mid-2023``)."""


def outdated_lookup(
    path: Path, lookup: Path, unmapped: dict[str, str], years: set[int | None]
) -> IngestError:
    """A district the lookup does not know belongs to some force, so every force-year summed
    without it would be short: the file is refused, never loaded as partial totals."""
    shown = ", ".join(f"{c} ({n})" if n else c for c, n in sorted(unmapped.items())[:8])
    more = f" and {len(unmapped) - 8} more" if len(unmapped) > 8 else ""
    found = re.search(r"(?i)lad(\d{2})cd", _first_line(lookup))
    vintage = f" is for 20{found[1]} districts (LAD{found[1]}CD)" if found else ""
    latest = max((y for y in years if y is not None), default=None)
    wanted = f" (the estimates run to mid-{latest}: use that year's lookup)" if latest else ""
    return IngestError(
        str(path),
        f"{len(unmapped)} local authority districts are not in the lookup {lookup.name}: "
        f"{shown}{more}. The lookup{vintage} is older or newer than the districts of these "
        f"estimates; use an ONS LAD → police force area lookup of the estimates' geography"
        f"{wanted}. Nothing was loaded: force totals without those districts would be short",
    )


def _first_line(path: Path) -> str:
    """The first line of a CSV lookup (a spreadsheet gives its header through ``read_grids``)."""
    for grid in read_grids(path):
        for _, cells, _ in grid.rows[:5]:
            if any(cells):
                return ",".join(cells)
    return ""


def year_of(text: str) -> int | None:
    found = re.fullmatch(r"(?:mid-?\s*)?(\d{4})(?:\.0)?", text.strip().lower())
    return int(found[1]) if found else None


def wide_estimates(path: Path) -> tuple[Grid, int, dict[int, int], int] | None:
    """The sheet of an ONS estimates workbook with the most mid-year population columns.

    Returns the grid, header position, year → column and the code column. A bare
    ``Mid-2023`` header counts only under a title about population estimates: ONS uses the
    same headers for median ages (MYE6).
    """
    best: tuple[tuple[int, int], tuple[Grid, int, dict[int, int], int]] | None = None
    for grid in read_grids(path):
        title = ""
        for position, (_, cells, _) in enumerate(grid.rows[:40]):
            keys = [normalise_header(c) for c in cells]
            if "code" not in keys:
                title += " " + " ".join(keys)
                continue
            years: dict[int, int] = {}
            spelled = 0
            for index, key in enumerate(keys):
                found = YEAR_HEADER.fullmatch(key)
                if found and (found[1] or "population estimates" in title):
                    years.setdefault(int(found[2]), index)
                    spelled += bool(found[1])
            score = (len(years), spelled)
            if years and (best is None or score > best[0]):
                best = (score, (grid, position, years, keys.index("code")))
            break
    return best[1] if best else None


def wide_records(
    wide: tuple[Grid, int, dict[int, int], int],
) -> list[tuple[Record, int | None, str, str]]:
    grid, position, years, code_index = wide
    records: list[tuple[Record, int | None, str, str]] = []
    for line, cells, raw in grid.rows[position + 1 :]:
        if len(cells) <= code_index or not cells[code_index].strip():
            continue
        name = cells[code_index + 1] if code_index + 1 < len(cells) else ""
        record = Record(line, {"code": cells[code_index], "name": name}, raw, grid.sheet)
        for year, index in sorted(years.items()):
            text = cells[index] if index < len(cells) else ""
            records.append((record, year, "residents", text))
    return records


def read_lookup(path: Path, forces: ForceNames) -> dict[str, str]:
    """LAD code → force slug from an ONS lookup (``LADyyCD`` … ``PFAyyNM``/``PFAyyCD``)."""
    columns = (
        Column("lad", ("lad_code", "Local authority code"), pattern=r"lad\d{2}cd"),
        Column("pfa_name", ("force", "Police Force Area"), required=False, pattern=r"pfa\d{2}nm"),
        Column("pfa_code", ("pfa_code",), required=False, pattern=r"pfa\d{2}cd"),
    )
    lookup: dict[str, str] = {}
    for table in match_tables(path, columns):
        if "pfa_name" not in table.index and "pfa_code" not in table.index:
            raise HeaderMismatchError(str(path), ["LADyyCD", "PFAyyNM or PFAyyCD"], table.header)
        for record in table.records:
            lookup[record.values["lad"].upper()] = _lookup_force(path, record, forces)
    return lookup


def _lookup_force(path: Path, record: Record, forces: ForceNames) -> str:
    names = [record.values.get("pfa_name", ""), record.values.get("pfa_code", "")]
    problems: list[Any] = []
    for name in (n for n in names if n):
        try:
            return forces.slug(name)
        except RowProblem as problem:
            problems.append(problem)
    first = problems[0] if problems else "no force"
    raise IngestError(str(path), f"lookup row: {first}", record.line)
