"""The rows of a matched table as records that remember where they came from.

A rejected row is only useful if the analyst can find it again, so every record keeps its
line (CSV) or sheet and row (workbook) and its raw text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from peelstat.sources.table_files import Grid


@dataclass(frozen=True)
class Record:
    """One data row: its cells by column name, where it is, and its raw text."""

    line: int
    values: dict[str, str]
    raw: str
    sheet: str | None = None
    problem: str | None = None
    """Why the row as a whole cannot be read (too few cells), found before any value is."""

    @property
    def where(self) -> str:
        return f"sheet {self.sheet!r} row {self.line}" if self.sheet else f"line {self.line}"


@dataclass
class MatchedTable:
    """A grid whose header matched a source's columns: its records, ready to convert."""

    label: str
    sheet: str | None
    header: list[str]
    index: dict[str, int]
    records: list[Record] = field(default_factory=list)


def records_below(
    grid: Grid, position: int, index: dict[str, int], header: list[str], label: str
) -> MatchedTable:
    """The non-blank rows under the header at ``position``; short CSV rows say why."""
    table = MatchedTable(label, grid.sheet, [c for c in header if c.strip()], index)
    for line, cells, raw in grid.rows[position + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
        problem = grid.unreadable.get(line)
        if problem is None and grid.sheet is None:
            problem = short_row(line, cells, raw, len(header))
        table.records.append(Record(line, values, raw, grid.sheet, problem))
    return table


def short_row(line: int, cells: Sequence[str], raw: str, width: int) -> str | None:
    """Why a CSV row with fewer cells than its header is not trusted, or None if it is whole.

    A cut-short file ends in such a row, and an unclosed quote swallows the lines after it
    into one cell; either way the cells cannot be matched to the header's columns.
    """
    if len(cells) >= width:
        return None
    reason = f"the row has {len(cells)} cells where the header has {width}"
    if "\n" in raw:
        last = line + raw.count("\n")
        return f'{reason}: an unclosed quote (") joins lines {line} to {last} into one row'
    return f"{reason}: the file may be cut short, or the row is missing commas"


def all_records(tables: Iterable[MatchedTable]) -> Iterator[Record]:
    for table in tables:
        yield from table.records
