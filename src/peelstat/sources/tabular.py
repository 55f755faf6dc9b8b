"""Reading published tables (CSV, XLSX, ODS) by header, with real line numbers for every row.

Every tabular source (Home Office tables, population, call answering, local observations)
shares the same needs: find the header whatever the spreadsheet puts above it, accept the
column spellings publishers actually use, keep the 1-based line (CSV) or sheet and row
(spreadsheet) of each row so a rejected row can be found again, and turn the text of a cell
into a count or a date with a reason when it cannot. That lives here, once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from peelstat.errors import HeaderMismatchError, IngestError, UnknownForceError
from peelstat.reference import resolve_force

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = (".csv", ".txt", *SPREADSHEET_SUFFIXES)
HEADER_SEARCH_ROWS = 40
"""Spreadsheets put titles and notes above the header; look this far down for it."""


class RowProblem(ValueError):
    """Why one row cannot be loaded; becomes the ``reason`` of a rejected row."""


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
class Grid:
    """The cells of one CSV file or one sheet, as text, with the number of each row."""

    rows: list[tuple[int, list[str], str]]
    sheet: str | None = None


@dataclass
class MatchedTable:
    """A grid whose header matched a source's columns: its records, ready to convert."""

    label: str
    sheet: str | None
    header: list[str]
    index: dict[str, int]
    records: list[Record] = field(default_factory=list)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold (``12.0`` → ``12``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which older Home Office exports use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


class _LineFeed:
    """Feeds lines to ``csv.reader`` and remembers them, so each record keeps its raw text."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.taken: list[str] = []

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line


def csv_grid(text: str) -> Grid:
    """Rows of a CSV with the 1-based line each starts on (header is line 1)."""
    feed = _LineFeed(text)
    reader = csv.reader(feed)
    rows = []
    for cells in reader:
        first_line = reader.line_num - len(feed.taken) + 1
        raw = "".join(feed.taken).rstrip("\r\n")
        feed.taken.clear()
        rows.append((first_line, cells, raw))
    return Grid(rows)


def spreadsheet_grids(data: bytes) -> list[Grid]:
    """Every sheet of an XLSX/XLS/ODS workbook, rows numbered as the spreadsheet shows them."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = []
        for index, values in enumerate(sheet.to_python(skip_empty_area=False)):
            cells = [cell_text(v) for v in values]
            rows.append((index + 1, cells, ",".join(cells).rstrip(",")))
        grids.append(Grid(rows, sheet=name))
    return grids


def is_spreadsheet(name: str) -> bool:
    return name.lower().endswith(SPREADSHEET_SUFFIXES)


@lru_cache(maxsize=16)
def _grids_cached(path: str, mtime_ns: int, size: int) -> tuple[Grid, ...]:
    data = Path(path).read_bytes()
    if is_spreadsheet(path):
        try:
            return tuple(spreadsheet_grids(data))
        except Exception as error:  # calamine raises its own types for broken workbooks
            raise IngestError(
                path,
                f"cannot open it as a spreadsheet ({error}). The file may be incomplete (an "
                "interrupted download or copy) or not really a "
                f"{Path(path).suffix} workbook: download or export it again. Nothing was loaded.",
            ) from error
    return (csv_grid(decode(data)),)


def read_grids(path: Path) -> tuple[Grid, ...]:
    """The grids of a file, read once per version of the file (discover and parse share it)."""
    stat = path.stat()
    return _grids_cached(str(path), stat.st_mtime_ns, stat.st_size)


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
    tables: list[MatchedTable] = []
    best: tuple[int, list[str], str | None] = (-1, [], None)
    for grid in read_grids(path):
        for position, (_, cells, _) in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
            index = _header_index(cells, columns)
            found = [c for c in cells if c.strip()]
            if index is None:
                score = sum(1 for col in columns if any(col.matches(c) for c in found))
                if score > best[0]:
                    best = (score, found, grid.sheet)
                continue
            tables.append(_records(grid, position, index, cells, label))
            break
    if not tables:
        where = f"{label} (sheet {best[2]!r})" if best[2] else label
        raise HeaderMismatchError(where, [c.title for c in columns if c.required], best[1])
    return tables


def _records(
    grid: Grid, position: int, index: dict[str, int], header: list[str], label: str
) -> MatchedTable:
    table = MatchedTable(label, grid.sheet, [c for c in header if c.strip()], index)
    for line, cells, raw in grid.rows[position + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
        problem = short_row(line, cells, raw, len(header)) if grid.sheet is None else None
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


def expand_paths(paths: Sequence[Path], suffixes: Sequence[str] = TABLE_SUFFIXES) -> list[Path]:
    """Files as given, and the table files inside any folder given (sorted, so loads repeat)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise IngestError(str(path), "no such file or folder")
    return found


# --- cell values ------------------------------------------------------------------------


def parse_count(text: str, what: str = "count", negative: bool = False) -> int:
    """A whole number, tolerating padding, thousands separators and ``12.0``.

    Negative numbers are refused unless ``negative`` (published net adjustments).

    >>> parse_count(" 66776 ")
    66776
    >>> parse_count("1,234")
    1234
    """
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise RowProblem(f"{what} is empty")
    try:
        number = float(cleaned)
    except ValueError:
        raise RowProblem(f"{what} is not a number: {text.strip()!r}") from None
    if not number.is_integer():
        raise RowProblem(f"{what} is not a whole number: {text.strip()!r}")
    if number < 0 and not negative:
        raise RowProblem(f"{what} is negative: {text.strip()!r}")
    return int(number)


def parse_number(text: str, what: str) -> float:
    """A finite decimal number (a mean, a rate, a numerator that may be fractional)."""
    cleaned = text.strip().replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise RowProblem(f"{what} is not a number: {text.strip()!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise RowProblem(f"{what} is not a finite number: {text.strip()!r}")
    return number


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month: the ``period_end`` of a monthly figure."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ].*)?")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_date(text: str, what: str = "date") -> dt.date:
    """An ISO (``2018-03-31``) or British (``31-03-2018``, ``31/03/2018``) date."""
    value = text.strip()
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_DMY_DATE, (2, 1, 0))):
        found = pattern.fullmatch(value)
        if found:
            parts = [int(p) for p in found.groups()[:3]]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise RowProblem(f"{what} is not a date (YYYY-MM-DD or DD-MM-YYYY): {value!r}")


def parse_month(text: str, what: str = "month") -> dt.date:
    """``YYYY-MM`` (or a date within the month) → the month's last day."""
    value = text.strip()
    found = _MONTH.fullmatch(value)
    if found:
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return month_end(year, month)
        raise RowProblem(f"{what} has no month {month}: {value!r}")
    try:
        day = parse_date(value, what)
    except RowProblem:
        raise RowProblem(f"{what} is not a month (YYYY-MM): {value!r}") from None
    return month_end(day.year, day.month)


class ForceNames:
    """Resolves force names once each; an unknown name becomes a reason naming the nearest."""

    def __init__(self) -> None:
        self._seen: dict[str, str | RowProblem] = {}

    def slug(self, name: str) -> str:
        if name not in self._seen:
            try:
                self._seen[name] = resolve_force(name) if name.strip() else RowProblem("no force")
            except UnknownForceError as error:
                self._seen[name] = RowProblem(str(error))
        found = self._seen[name]
        if isinstance(found, RowProblem):
            raise found
        return found
