"""A base for sources whose rows become table rows one for one, loaded in units by coverage.

A unit's name says what it covers (``home-office/recorded-crime/2017-18``,
``call-answering/kent/2023-01``), not what the file is called, so the same figures loaded
again from a renamed or re-exported file replace the earlier rows instead of adding to them.
One file may hold several units (a multi-year table is one unit per financial year).

A unit's checksum covers only its own rows (and the file's header), not the whole file: a
corrected file replaces the units whose rows changed and skips the rest, so "replaced" in
the load report points at the figures that really changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.sources.base import Parsed, Rejected, SourceFile
from peelstat.sources.contract import WarehouseTable
from peelstat.sources.tabular import (
    Column,
    ForceNames,
    MatchedTable,
    Record,
    RowProblem,
    all_records,
    expand_paths,
    match_tables,
)

UNPARSED = "unparsed"
"""Key of the unit that holds a file's rejects when no row of it could be placed in a unit."""


@dataclass
class Grouped:
    """A file's records by unit key, and the records whose key itself could not be read."""

    tables: list[MatchedTable]
    groups: dict[str, list[Record]] = field(default_factory=dict)
    orphans: list[tuple[Record, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TableUnit(SourceFile):
    """A unit whose checksum is that of its own rows, computed when the file is read."""

    digest: str = field(default="", compare=False)

    def sha256(self) -> str:
        return self.digest


def unit_digest(key: str, tables: Iterable[MatchedTable], records: Iterable[Record]) -> str:
    """Checksum of a unit: its key, the file's headers, and each row with where it stands.

    Headers are included because they say which cell is which figure; positions because
    every loaded row keeps its ``source_line``.
    """
    digest = hashlib.sha256(key.encode())
    for table in tables:
        digest.update(b"\0H" + repr((table.sheet, table.header, table.index)).encode())
    for record in records:
        digest.update(f"\0{record.sheet}\0{record.line}\0{record.raw}".encode())
    return digest.hexdigest()


def row_schema(table: WarehouseTable) -> pa.Schema:
    """The Arrow schema a source's rows must have: the table's, less ``source_file``."""
    schema = table.schema.to_pyarrow()
    return pa.schema([f for f in schema if f.name != "source_file"])


def rejected(record: Record, reason: str) -> Rejected:
    """A rejected row; a spreadsheet row also names its sheet and row in the reason."""
    if record.sheet is not None:
        reason = f"sheet {record.sheet!r} row {record.line}: {reason}"
    return Rejected(record.line, reason, record.raw)


class TableSource:
    """Subclasses declare ``table``, ``columns``, ``unit_key`` and ``convert``; the rest is shared."""

    name: ClassVar[str]
    title: ClassVar[str]
    table: ClassVar[WarehouseTable]
    """The one table the source writes (its ``tables``)."""
    tables: ClassVar[tuple[WarehouseTable, ...]] = ()
    columns: ClassVar[tuple[Column, ...]]
    key_columns: ClassVar[tuple[str, ...]] = ()
    """Columns that identify a row: a second row with the same values is rejected."""
    one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Groups of optional columns of which a header must have at least one."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "table" in cls.__dict__:
            cls.tables = (cls.table,)

    def __init__(self) -> None:
        self.forces = ForceNames()
        self._grouped: dict[tuple[str, int, int], Grouped] = {}

    # --- what subclasses say ---------------------------------------------------------

    def unit_key(self, record: Record) -> str:
        """The coverage key of a row's unit (e.g. ``2017-18``); RowProblem if unreadable."""
        raise NotImplementedError

    def convert(self, record: Record) -> dict[str, Any]:
        """One table row from a record, or RowProblem with the reason it cannot be loaded."""
        raise NotImplementedError

    # --- the Source protocol ---------------------------------------------------------

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        units: dict[str, SourceFile] = {}
        for path in expand_paths(paths):
            grouped = self.grouped(path)
            keys = sorted(grouped.groups) or [f"{UNPARSED}/{path.name}"]
            for position, key in enumerate(keys):
                # rows whose unit cannot be read are rejected in the file's first unit
                orphans = [record for record, _ in grouped.orphans] if position == 0 else []
                records = [*grouped.groups.get(key, []), *orphans]
                unit = TableUnit(
                    name=f"{self.name}/{key}",
                    table=self.table.name,
                    path=path,
                    options={"key": key, "orphans": "yes" if orphans else ""},
                    digest=unit_digest(key, grouped.tables, records),
                )
                if unit.name in units:
                    raise IngestError(
                        str(path),
                        f"{units[unit.name].path} also covers {unit.name}; combine the two "
                        "files, or load them one at a time (the later replaces the earlier)",
                    )
                units[unit.name] = unit
        return list(units.values())

    def parse(self, unit: SourceFile) -> Parsed:
        grouped = self.grouped(unit.path)
        rows: list[dict[str, Any]] = []
        rejects: list[Rejected] = []
        seen: dict[tuple[Any, ...], Record] = {}
        for record in grouped.groups.get(unit.options["key"], []):
            try:
                row = self.convert(record)
                key = tuple(row[c] for c in self.key_columns)
                if self.key_columns and key in seen:
                    shown = ", ".join(str(k) for k in key)
                    raise RowProblem(f"repeats {seen[key].where} ({shown})")
                seen[key] = record
                rows.append({**row, "source_line": record.line})
            except RowProblem as problem:
                rejects.append(rejected(record, str(problem)))
        if unit.options.get("orphans"):
            rejects.extend(rejected(record, reason) for record, reason in grouped.orphans)
        rejects.sort(key=lambda r: r.line)
        return Parsed(self.to_arrow(rows), rejects)

    # --- shared machinery ------------------------------------------------------------

    def grouped(self, path: Path) -> Grouped:
        """Records of ``path`` by unit key, computed once per version of the file."""
        stat = path.stat()
        cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
        if cache_key not in self._grouped:
            tables = match_tables(path, self.columns)
            self.check_one_of(tables)
            grouped = Grouped(tables)
            for record in all_records(tables):
                try:
                    if record.problem:
                        raise RowProblem(record.problem)
                    grouped.groups.setdefault(self.unit_key(record), []).append(record)
                except RowProblem as problem:
                    grouped.orphans.append((record, str(problem)))
            self._grouped = {cache_key: grouped}
        return self._grouped[cache_key]

    def check_one_of(self, tables: list[MatchedTable]) -> None:
        for table in tables:
            for names in self.one_of:
                if not any(name in table.index for name in names):
                    titles = {c.name: c.title for c in self.columns}
                    expected = [c.title for c in self.columns if c.required]
                    expected.append(" or ".join(titles[n] for n in names))
                    where = f"{table.label} (sheet {table.sheet!r})" if table.sheet else table.label
                    raise HeaderMismatchError(where, expected, table.header)

    def to_arrow(self, rows: list[dict[str, Any]]) -> pa.Table:
        schema = row_schema(self.table)
        columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
        return pa.table(columns, schema=schema)
