"""Reading a table file into grids of text cells, whatever its format.

CSV and workbooks differ in encoding, numbering and cell types; past this module every
source sees only rows of text with the line or sheet row an analyst would look for.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from peelstat.errors import IngestError
from peelstat.sources.csv_records import csv_records

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = (".csv", ".txt", *SPREADSHEET_SUFFIXES)


@dataclass
class Grid:
    """The cells of one CSV file or one sheet, as text, with the number of each row."""

    rows: list[tuple[int, list[str], str]]
    sheet: str | None = None
    unreadable: dict[int, str] = field(default_factory=dict)
    """Lines of records that could not be read, with why (see :mod:`csv_records`)."""


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


EXPECTED_FORMS = (
    "a CSV table (UTF-8 or Windows-1252 text) or a spreadsheet (.xlsx, .xlsm, .xls, .ods)"
)
BINARY_KINDS = {
    b"PK\x03\x04": "a zip archive",
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Office file",
}


def decode(data: bytes, label: str = "the file") -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which older Home Office exports use;
    anything else (a zip, a PDF, other binary bytes) is the wrong file, said so by name."""
    kind = next((k for magic, k in BINARY_KINDS.items() if data.startswith(magic)), None)
    if kind is None and b"\0" in data[: 1 << 16]:
        kind = "binary data, not text"
    if kind is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                kind = "text in neither UTF-8 nor Windows-1252"
    hint = " (a police.uk archive loads with `peelstat load police-uk`)" if "zip" in kind else ""
    raise IngestError(
        label,
        f"this is {kind}, not a table this source reads: expected {EXPECTED_FORMS}{hint}. "
        "Nothing was loaded.",
    )


def csv_grid(text: str) -> Grid:
    """Rows of a CSV with the 1-based line each starts on (header is line 1); a record that
    cannot be read (an unclosed quote, a huge field) is a one-cell row with its reason in
    ``unreadable``, so the rows after it are still read."""
    grid = Grid([])
    for record in csv_records(text):
        if record.cells is None:
            grid.unreadable[record.line] = record.reason
        grid.rows.append((record.line, record.cells or [record.raw], record.raw))
    return grid


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
    return (csv_grid(decode(data, path)),)


def read_grids(path: Path) -> tuple[Grid, ...]:
    """The grids of a file, read once per version of the file (discover and parse share it)."""
    stat = path.stat()
    return _grids_cached(str(path), stat.st_mtime_ns, stat.st_size)


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
