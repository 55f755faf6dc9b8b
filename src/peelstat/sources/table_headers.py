"""Finding a source's columns in a table, whatever the publisher put above the header.

Publishers spell headers many ways and move them down the sheet; matching them here means
each source declares its columns once and gets records with the place of every row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peelstat.errors import HeaderMismatchError
from peelstat.sources.table_files import Grid, read_grids
from peelstat.sources.table_records import MatchedTable, records_below

HEADER_SEARCH_ROWS = 40
"""Spreadsheets put titles and notes above the header; look this far down for it."""


@dataclass(frozen=True)
class Column:
    """A column a source reads, with every spelling of its header that publishers use.

    ``pattern`` (a regular expression on the normalised header) catches families of
    spellings such as "Force outcomes for offences recorded in (the) quarter".
    """

    name: str
    spellings: tuple[str, ...]
    required: bool = True
    pattern: str | None = None

    @property
    def title(self) -> str:
        return self.spellings[0]

    def matches(self, header: str) -> bool:
        key = normalise_header(header)
        if key in {normalise_header(s) for s in self.spellings}:
            return True
        return self.pattern is not None and re.fullmatch(self.pattern, key) is not None


def normalise_header(text: str) -> str:
    """Header text compared without case, BOM, punctuation or spacing differences."""
    text = text.replace("\ufeff", "").strip().lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _header_index(cells: Sequence[str], columns: Sequence[Column]) -> dict[str, int] | None:
    index: dict[str, int] = {}
    for column in columns:
        position = next((i for i, c in enumerate(cells) if c and column.matches(c)), None)
        if position is not None:
            index[column.name] = position
        elif column.required:
            return None
    return index


def match_tables(
    path: Path, columns: Sequence[Column], label: str | None = None
) -> list[MatchedTable]:
    """Every CSV/sheet in ``path`` whose header has ``columns``; none raises HeaderMismatchError.

    The error names the file, the expected columns and the columns of the row that came
    closest to a header, so an analyst sees at once which column is misspelt or missing.
    """
    label = label or str(path)
    nearest = _NearestHeader()
    tables = [
        table
        for grid in read_grids(path)
        if (table := _match_grid(grid, columns, label, nearest)) is not None
    ]
    if not tables:
        raise nearest.mismatch(label, columns)
    return tables


@dataclass
class _NearestHeader:
    """The row that came closest to a header, named in the error when none matches."""

    score: int = -1
    cells: list[str] = field(default_factory=list)
    sheet: str | None = None

    def consider(self, cells: list[str], columns: Sequence[Column], sheet: str | None) -> None:
        score = sum(1 for col in columns if any(col.matches(c) for c in cells))
        if score > self.score:
            self.score, self.cells, self.sheet = score, cells, sheet

    def mismatch(self, label: str, columns: Sequence[Column]) -> HeaderMismatchError:
        where = f"{label} (sheet {self.sheet!r})" if self.sheet else label
        return HeaderMismatchError(where, [c.title for c in columns if c.required], self.cells)


def _match_grid(
    grid: Grid, columns: Sequence[Column], label: str, nearest: _NearestHeader
) -> MatchedTable | None:
    """The records under the first row near the top that has every required column."""
    for position, (_, cells, _) in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        index = _header_index(cells, columns)
        if index is not None:
            return records_below(grid, position, index, cells, label)
        nearest.consider([c for c in cells if c.strip()], columns, grid.sheet)
    return None
