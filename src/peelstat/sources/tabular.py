"""Reading published tables (CSV, XLSX, ODS) by header, with real line numbers for every row.

Every tabular source (Home Office tables, population, call answering, local observations)
shares the same needs: find the header whatever the spreadsheet puts above it, accept the
column spellings publishers actually use, keep the 1-based line (CSV) or sheet and row
(spreadsheet) of each row so a rejected row can be found again, and turn the text of a cell
into a count or a date with a reason when it cannot. That lives here, once: files are read
in :mod:`~peelstat.sources.table_files`, headers matched in
:mod:`~peelstat.sources.table_headers`, rows kept in :mod:`~peelstat.sources.table_records`
and cells read in :mod:`~peelstat.sources.cell_values`.
"""

from __future__ import annotations

from peelstat.periods import month_end
from peelstat.sources.cell_values import (
    ForceNames,
    RowProblem,
    parse_count,
    parse_date,
    parse_month,
    parse_number,
)
from peelstat.sources.table_files import (
    SPREADSHEET_SUFFIXES,
    TABLE_SUFFIXES,
    Grid,
    cell_text,
    csv_grid,
    decode,
    expand_paths,
    is_spreadsheet,
    read_grids,
    spreadsheet_grids,
)
from peelstat.sources.table_headers import (
    HEADER_SEARCH_ROWS,
    Column,
    match_tables,
    normalise_header,
)
from peelstat.sources.table_records import MatchedTable, Record, all_records, short_row

__all__ = [
    "HEADER_SEARCH_ROWS",
    "SPREADSHEET_SUFFIXES",
    "TABLE_SUFFIXES",
    "Column",
    "ForceNames",
    "Grid",
    "MatchedTable",
    "Record",
    "RowProblem",
    "all_records",
    "cell_text",
    "csv_grid",
    "decode",
    "expand_paths",
    "is_spreadsheet",
    "match_tables",
    "month_end",
    "normalise_header",
    "parse_count",
    "parse_date",
    "parse_month",
    "parse_number",
    "read_grids",
    "short_row",
    "spreadsheet_grids",
]
