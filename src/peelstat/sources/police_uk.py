"""data.police.uk monthly archives: street crime, outcomes and stop and search.

Accepts the zip exactly as data.police.uk serves it, an extracted folder
(``YYYY-MM/YYYY-MM-<force>-<kind>.csv``), or single CSV files. A load unit is one
force-month-kind, named for what it covers (``police-uk/2018-10/avon-and-somerset/street``),
so the zip, the folder and a renamed copy of the same file are the same unit.

Parsing runs in DuckDB's CSV reader (all columns as text, then validated and cast in SQL)
because national months run to a million rows; rows that cannot be read or cast are
returned as rejects with their real 1-based line number (the header is line 1).

>>> _unit_name("2018-10", "kent", "street")
'police-uk/2018-10/kent/street'
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peelstat.errors import HeaderMismatchError, IngestError
from peelstat.reference import forces
from peelstat.sources.base import Parsed, Rejected, SourceFile
from peelstat.warehouse.loading import GroupLoad, GroupResult, NativeLoad

STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOMES_HEADER = [*STREET_HEADER[:9], "Outcome type"]
STOP_SEARCH_HEADER = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]


def _snake(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


@dataclass(frozen=True)
class Kind:
    """One police.uk file kind: its file-name suffix, warehouse table and exact header."""

    suffix: str
    table: str
    header: list[str]
    renames: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Warehouse column name of each header column, in file order."""
        return [self.renames.get(c, _snake(c)) for c in self.header]


KINDS: dict[str, Kind] = {
    "street": Kind("street", "police_uk_street", STREET_HEADER),
    "outcomes": Kind(
        "outcomes", "police_uk_outcomes", OUTCOMES_HEADER, {"Outcome type": "outcome_category"}
    ),
    "stop-and-search": Kind("stop-and-search", "police_uk_stop_search", STOP_SEARCH_HEADER),
}

FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>[a-z0-9][a-z0-9-]*?)"
    r"-(?P<kind>street|outcomes|stop-and-search)\.csv$",
    re.IGNORECASE,
)


def _unit_name(month: str, force: str, kind: str) -> str:
    return f"police-uk/{month}/{force}/{kind}"


class _ExtractedArchive:
    """The zips being loaded, each extracted once to a temporary folder with every CRC checked.

    Extracting a whole archive before the first of its units is hashed means a corrupt or
    truncated zip fails before anything from it reaches the warehouse, and each member is
    decompressed once rather than once for the checksum and again for parsing. Two archives
    are kept: the one being loaded and the next, which the loader reads ahead in a background
    thread (see :class:`peelstat.warehouse.loading.DigestsAhead`).
    """

    KEEP = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._archives: dict[Path, _Extraction] = {}

    def path_of(self, archive: Path, member: str) -> Path:
        with self._lock:
            extraction = self._archives.get(archive)
            first = extraction is None
            if extraction is None:
                extraction = self._archives[archive] = _Extraction(archive)
                while len(self._archives) > self.KEEP:
                    self._archives.pop(next(iter(self._archives))).cleanup()
        if first:
            extraction.run()
        return extraction.path_of(member)

    def close(self) -> None:
        with self._lock:
            for extraction in self._archives.values():
                extraction.cleanup()
            self._archives = {}


class _Extraction:
    """One archive's extraction; other threads asking for it wait until it is done."""

    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self.done = threading.Event()
        self.folder: tempfile.TemporaryDirectory[str] | None = None
        self.paths: dict[str, Path] = {}
        self.error: IngestError | None = None

    def run(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="peelstat-police-uk-")
        folder = Path(self.folder.name)
        member = "(central directory)"
        try:
            with zipfile.ZipFile(self.archive) as zipped:
                for number, info in enumerate(zipped.infolist()):
                    member = info.filename
                    if info.is_dir():
                        continue
                    target = folder / f"{number}.csv"
                    with zipped.open(info) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst, length=1 << 22)
                    self.paths[info.filename] = target
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            self.cleanup()
            self.error = IngestError(
                file=str(self.archive),
                problem=f"corrupt or truncated zip archive (member {member}: {error}); "
                "nothing from it was loaded — download it again",
            )
            self.error.__cause__ = error
        finally:
            self.done.set()

    def path_of(self, member: str) -> Path:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.paths[member]

    def cleanup(self) -> None:
        if self.folder is not None:
            self.folder.cleanup()
        self.folder, self.paths = None, {}


@dataclass(frozen=True)
class ArchiveMember(SourceFile):
    """A CSV inside a police.uk zip, read from the archive's one-off extraction."""

    extracted: _ExtractedArchive | None = field(default=None, compare=False, repr=False)

    def _local(self) -> Path:
        assert self.extracted is not None and self.member is not None
        return self.extracted.path_of(self.path, self.member)

    def read_bytes(self) -> bytes:
        return self._local().read_bytes()

    @contextmanager
    def local_file(self) -> Iterator[Path]:
        yield self._local()


class PoliceUkArchive:
    """data.police.uk monthly archives (street, outcomes, stop and search) for any force.

    >>> PoliceUkArchive().name
    'police-uk'
    """

    name = "police-uk"
    title = "data.police.uk monthly archives"

    def __init__(self) -> None:
        self._extracted = _ExtractedArchive()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._native_loads = 0

    # ---- discovery -------------------------------------------------------------------

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        """Every force-month-kind file in these zips, folders and CSV files."""
        units: list[SourceFile] = []
        for path in map(Path, paths):
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    if child.suffix.lower() == ".zip":
                        units += self._zip_units(child)
                    elif child.suffix.lower() == ".csv":
                        units.append(self._unit(child.name, child))
            elif path.suffix.lower() == ".zip":
                units += self._zip_units(path)
            elif path.is_file():
                units.append(self._unit(path.name, path))
            else:
                raise IngestError(file=str(path), problem="no such file or folder")
        return units

    def _zip_units(self, archive: Path) -> list[SourceFile]:
        try:
            with zipfile.ZipFile(archive) as zipped:
                members = [i.filename for i in zipped.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError) as error:
            raise IngestError(
                file=str(archive),
                problem=f"not a readable zip archive ({error}); it may be truncated — "
                "download it again",
            ) from error
        csvs = [m for m in members if m.lower().endswith(".csv")]
        return [self._unit(Path(m).name, archive, member=m) for m in csvs]

    def _unit(self, file_name: str, path: Path, member: str | None = None) -> SourceFile:
        label = f"{path}!{member}" if member else str(path)
        found = FILE_NAME.match(file_name)
        if found is None:
            raise IngestError(
                file=label,
                problem="not a police.uk archive file name: expected "
                "YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv",
            )
        month, force, kind = (found[g].lower() for g in ("month", "force", "kind"))
        _check_force(force, label)
        options = {"month": month, "force": force, "kind": kind}
        name = _unit_name(month, force, kind)
        table = KINDS[kind].table
        if member is None:
            return SourceFile(name=name, table=table, path=path, options=options)
        return ArchiveMember(
            name=name,
            table=table,
            path=path,
            member=member,
            options=options,
            extracted=self._extracted,
        )

    # ---- parsing ---------------------------------------------------------------------

    def parse(self, unit: SourceFile) -> Parsed:
        """Rows and rejects of one file; a wrong header raises HeaderMismatchError."""
        kind = KINDS[unit.options["kind"]]
        params = _params(unit.options["month"], unit.options["force"])
        with unit.local_file() as path:
            data = path.read_bytes()
            _check_header(data, kind, unit.label)
            table, rejected = self._read_fast(path, kind, params)
            lines = _line_numbers(data, table.num_rows, rejected)
            if lines is None:
                # A quoted field spans lines, or there are blank lines: line numbers can only
                # be known by reading record by record, which Python's csv module does exactly.
                table, lines, rejected = self._read_exact(data, kind, params)
        return _split(table, lines, data, rejected)

    def prepare_duckdb(self, unit: SourceFile) -> NativeLoad | None:
        """Get a unit ready to load inside a DuckDB warehouse (no Arrow round trip).

        Rows keep the file's order, so a row's line is its number + 1, provided every record
        is one line and the reader skipped none; ``finish`` checks that after the insert and
        otherwise sends the unit back to :meth:`parse`, which works line numbers out exactly.
        """
        if isinstance(unit, ArchiveMember) or unit.member is None:
            return self._native(unit)
        return None  # a temporary extraction would be gone before the loader reads it

    def _native(self, unit: SourceFile) -> NativeLoad:
        kind = KINDS[unit.options["kind"]]
        with unit.local_file() as path, path.open("rb") as head:
            _check_header(head.read(1 << 16), kind, unit.label)
        self._native_loads += 1
        rejects = f"peelstat_rejects_{self._native_loads}"  # fresh: store_rejects appends
        validated = _validation_sql(kind, _reader(rejects))
        numbered = f"SELECT *, row_number() OVER () + 1 AS _line FROM ({validated})"
        columns = dict.fromkeys(kind.columns, "VARCHAR")
        values = {**_params(unit.options["month"], unit.options["force"])}
        params = _used(validated, {**values, "path": str(path), "columns": columns})
        records = unit.lines() - 1  # counted when the unit was hashed: one read of the file

        def finish(con: duckdb.DuckDBPyConnection, inserted: int) -> list[Rejected] | None:
            skipped = _reader_rejects(con, rejects)
            _drop_rejects(con, rejects)
            if skipped:
                return None  # numbering counts only the rows the reader kept
            if inserted == records:
                return []
            failed = con.execute(
                f"SELECT _line, _reason FROM ({numbered}) WHERE _reason IS NOT NULL ORDER BY 1",
                params,
            ).fetchall()
            _drop_rejects(con, rejects)
            if inserted + len(failed) != records:
                return None  # a quoted field runs over lines: numbering needs the exact reader
            return _rejects_at(path.read_bytes(), failed)

        select = (
            "SELECT * EXCLUDE (_reason, _line), _line AS source_line "
            f"FROM ({numbered}) WHERE _reason IS NULL"
        )
        details = _NativeFile(unit.name, kind, path, records, *_month_force(unit))
        return NativeLoad(select=select, params=params, finish=finish, details=details)

    def combine_duckdb(self, natives: list[NativeLoad]) -> GroupLoad | None:
        """Several units of one kind as one insert: one multi-file read instead of one each.

        Rows are numbered across the files in reading order; each file's first row number
        comes from the record counts, which ``finish`` checks before trusting them.
        """
        files: list[_NativeFile] = [n.details for n in natives]
        if len({f.kind.suffix for f in files}) != 1:
            return None
        kind, first, mapping = files[0].kind, 0, []
        for f in files:
            mapping.append(
                f"({_literal(str(f.path))}, {_literal(f.unit)}, {_literal(f.force)}, "
                f"{_literal(f.month)}, DATE '{f.month}-01', {first})"
            )
            first += f.records
        self._native_loads += 1
        rejects = f"peelstat_rejects_{self._native_loads}"
        reader = _reader(rejects).replace("read_csv($path, ", "read_csv($paths, filename = true, ")
        numbered = (
            f"(SELECT * FROM (SELECT *, row_number() OVER () AS _n FROM {reader}) "
            f"JOIN (VALUES {', '.join(mapping)}) AS f(filename, _unit, _force, _month, "
            "_month_start, _first) USING (filename))"
        )
        validated = _validation_sql(kind, numbered, per_file=True).replace(
            "SELECT ", "SELECT _n - _first + 1 AS source_line, _unit AS source_file, ", 1
        )
        params = {"paths": [str(f.path) for f in files], "columns": _text_columns(kind)}
        expected = {f.unit: f for f in files}

        def finish(con: duckdb.DuckDBPyConnection, inserted: int) -> GroupResult | None:
            skipped = _reader_rejects(con, rejects)
            _drop_rejects(con, rejects)
            if skipped:
                return None
            if inserted == first:
                return {u: (f.records, []) for u, f in expected.items()}
            failed = con.execute(
                f"SELECT source_file, source_line, _reason FROM ({validated}) "
                "WHERE _reason IS NOT NULL ORDER BY ALL",
                params,
            ).fetchall()
            _drop_rejects(con, rejects)
            if inserted + len(failed) != first:
                return None  # a record runs over lines somewhere: numbering is off
            result = {}
            for unit, f in expected.items():
                mine = [(line, why) for file, line, why in failed if file == unit]
                rejected = _rejects_at(f.path.read_bytes(), mine) if mine else []
                result[unit] = (f.records - len(mine), rejected)
            return result

        select = f"SELECT * EXCLUDE (_reason) FROM ({validated}) WHERE _reason IS NULL"
        return GroupLoad(select=select, params=params, finish=finish)

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB used only for parsing (the warehouse may be any backend)."""
        if self._con is None:
            self._con = duckdb.connect()
            self._con.execute("SET TimeZone = 'UTC'")
        return self._con

    def close(self) -> None:
        """Remove the temporary extraction and close the parsing connection."""
        self._extracted.close()
        if self._con is not None:
            self._con.close()
            self._con = None

    def _read_fast(
        self, path: Path, kind: Kind, params: dict[str, Any]
    ) -> tuple[pa.Table, list[Rejected]]:
        con = self.connection
        _drop_rejects(con, "peelstat_rejects")
        sql = _validation_sql(kind, _reader("peelstat_rejects"))
        values = {**params, "path": str(path), "columns": dict.fromkeys(kind.columns, "VARCHAR")}
        table = con.execute(sql, _used(sql, values)).to_arrow_table()
        return table, _reader_rejects(con, "peelstat_rejects")

    def _read_exact(
        self, data: bytes, kind: Kind, params: dict[str, Any]
    ) -> tuple[pa.Table, np.ndarray, list[Rejected]]:
        text = data.decode("utf-8-sig", errors="replace")
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader, None)
        values: list[list[str | None]] = [[] for _ in kind.columns]
        lines: list[int] = []
        rejected: list[Rejected] = []
        physical: list[str] = []
        end = reader.line_num
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record:
                continue
            if len(record) != len(kind.columns):
                physical = physical or text.splitlines()
                expected, found = len(kind.columns), len(record)
                reason = f"wrong number of fields: expected {expected}, found {found}"
                rejected.append(Rejected(start, reason, "\n".join(physical[start - 1 : end])))
                continue
            lines.append(start)
            for column, value in zip(values, record, strict=True):
                column.append(value or None)
        batch = pa.table(dict(zip(kind.columns, values, strict=True)), schema=_text_schema(kind))
        con = self.connection
        con.register("peelstat_text", batch)
        try:
            sql = _validation_sql(kind, "peelstat_text")
            table = con.execute(sql, _used(sql, params)).to_arrow_table()
        finally:
            con.unregister("peelstat_text")
        return table, np.asarray(lines, dtype=np.int64), rejected


@dataclass(frozen=True)
class _NativeFile:
    """What combining units into one insert needs to know about each file."""

    unit: str
    kind: Kind
    path: Path
    records: int
    month: str
    force: str


def _month_force(unit: SourceFile) -> tuple[str, str]:
    return unit.options["month"], unit.options["force"]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text_columns(kind: Kind) -> dict[str, str]:
    return dict.fromkeys(kind.columns, "VARCHAR")


def _reader(rejects: str) -> str:
    """Every column as text, exactly the expected columns; rows it cannot split go to
    ``<rejects>`` (and ``<rejects>_scans``) with their line numbers."""
    return (
        "read_csv($path, columns = $columns, header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', ignore_errors = true, "
        f"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scans')"
    )


def _drop_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> None:
    con.execute(f"DROP TABLE IF EXISTS {rejects}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}_scans")


def _reader_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> list[Rejected]:
    found = con.execute(
        # DuckDB reports a short row once per missing column: the first says how many it found.
        "SELECT DISTINCT ON (line) line, error_type, error_message, csv_line "
        f"FROM {rejects} ORDER BY line, column_idx"
    ).fetchall()
    return [_reader_reject(*row) for row in found]


def _rejects_at(data: bytes, failed: list[tuple[int, str]]) -> list[Rejected]:
    """Rejects for (line, reason) pairs, with each line's text as it is in the file."""
    if not failed:
        return []
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    return [
        Rejected(int(line), str(reason), _line_text(data, newlines, line))
        for line, reason in failed
    ]


def _params(month: str, force: str) -> dict[str, Any]:
    year, number = map(int, month.split("-"))
    return {"month": month, "force": force, "month_start": dt.date(year, number, 1)}


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names: DuckDB refuses unused ones."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _text_schema(kind: Kind) -> pa.Schema:
    return pa.schema([(c, pa.string()) for c in kind.columns])


def _check_force(force: str, label: str) -> None:
    known = list(forces()["slug"])
    if force in known:
        return
    near = difflib.get_close_matches(force, known, n=3, cutoff=0.5)
    hint = f"nearest known slugs: {', '.join(near)}" if near else "see the forces reference table"
    raise IngestError(file=label, problem=f"unknown force slug {force!r} in the file name; {hint}")


def _check_header(data: bytes, kind: Kind, label: str) -> None:
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r").decode("utf-8-sig", errors="replace")
    found = next(csv.reader([first]), []) if first else []
    if found != kind.header:
        raise HeaderMismatchError(label, kind.header, found)


def _quoted(column: str) -> str:
    return f"'''' || {column} || ''''"


def _coordinate_checks(*columns: tuple[str, str, int]) -> list[str]:
    checks = []
    for column, title, limit in columns:
        checks.append(
            f"WHEN {column} IS NOT NULL AND TRY_CAST({column} AS DOUBLE) IS NULL "
            f"THEN 'unparseable {title} ' || {_quoted(column)}"
        )
        checks.append(
            f"WHEN abs(TRY_CAST({column} AS DOUBLE)) > {limit} "
            f"THEN '{title} out of range: ' || {column}"
        )
    return checks


_COORDINATES = (("longitude", "Longitude", 180), ("latitude", "Latitude", 90))
_BOOLEANS = (
    "part_of_a_policing_operation",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_just_outer_clothing",
)


def _validation_sql(kind: Kind, source: str, per_file: bool = False) -> str:
    """Typed columns plus ``_reason`` (NULL for a good row), computed in one pass over the text.

    Parameters: ``$month`` ('2018-10'), ``$month_start`` (its first day) and ``$force``; with
    ``per_file`` they are the columns ``_month``, ``_month_start`` and ``_force`` of ``source``.
    """
    if per_file:
        sql = _validation_sql(kind, source)
        for name in ("month_start", "month", "force"):
            sql = sql.replace(f"${name}", f"_{name}")
        return sql
    if kind.suffix == "stop-and-search":
        return _stop_search_sql(kind, source)
    typed = {
        "month": "$month_start::DATE AS month",
        "longitude": "TRY_CAST(longitude AS DOUBLE) AS longitude",
        "latitude": "TRY_CAST(latitude AS DOUBLE) AS latitude",
    }
    select = [typed.get(c, c) for c in kind.columns]
    select.insert(select.index("falls_within") + 1, "$force AS force")
    # A good row's month is the file's month, so it is a constant: only rows whose Month
    # differs need parsing, to say whether it is malformed or belongs to another month.
    reason = [
        "CASE WHEN month IS NULL THEN 'missing Month'",
        "WHEN month <> $month AND TRY_STRPTIME(month, '%Y-%m') IS NULL "
        f"THEN 'unparseable Month ' || {_quoted('month')}",
        "WHEN month <> $month THEN 'month ' || month || ' in the file for ' || $month",
        *_coordinate_checks(*_COORDINATES),
        "END AS _reason",
    ]
    return f"SELECT {', '.join(select)}, {' '.join(reason)} FROM {source}"


def _stop_search_sql(kind: Kind, source: str) -> str:
    typed = {
        "date": "TRY_CAST(date AS TIMESTAMPTZ) AS date",
        "longitude": "TRY_CAST(longitude AS DOUBLE) AS longitude",
        "latitude": "TRY_CAST(latitude AS DOUBLE) AS latitude",
        **{b: f"({b} = 'True') AS {b}" for b in _BOOLEANS},
    }
    select = ["$force AS force", "$month_start::DATE AS month"]
    select += [typed.get(c, c) for c in kind.columns]
    titles = dict(zip(kind.columns, kind.header, strict=True))
    reason = [
        "CASE WHEN date IS NULL THEN 'missing Date'",
        f"WHEN TRY_CAST(date AS TIMESTAMPTZ) IS NULL THEN 'unparseable Date ' || {_quoted('date')}",
        *_coordinate_checks(*_COORDINATES),
        *(
            f"WHEN {b} NOT IN ('True', 'False') THEN 'unparseable {titles[b]} ' || "
            f"{_quoted(b)} || ' (expected True, False or empty)'"
            for b in _BOOLEANS
        ),
        "END AS _reason",
    ]
    return f"SELECT {', '.join(select)}, {' '.join(reason)} FROM {source}"


def _reader_reject(line: int, error_type: str, message: str, raw: str | None) -> Rejected:
    """A row DuckDB's CSV reader could not split, in the words an analyst would use."""
    if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        counts = re.findall(r"\d+", message)
        reason = (
            f"wrong number of fields: expected {counts[0]}, found {counts[1]}"
            if len(counts) >= 2
            else f"wrong number of fields ({message})"
        )
    elif error_type == "UNQUOTED VALUE":
        reason = "unterminated quoted field"
    elif error_type == "INVALID UNICODE":
        reason = "not valid UTF-8 text"
    else:
        reason = message.splitlines()[0] if message else error_type.lower()
    return Rejected(int(line), reason, (raw or "").rstrip("\r\n"))


def _line_numbers(data: bytes, good_rows: int, rejected: list[Rejected]) -> np.ndarray | None:
    """File line of each row the reader kept, or None when records and lines do not match 1:1."""
    lines_in_file = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    skipped: set[int] = set()
    for reject in rejected:
        skipped.update(range(reject.line, reject.line + reject.raw.count("\n") + 1))
    if good_rows + len(skipped) != lines_in_file - 1:
        return None
    lines = np.arange(2, lines_in_file + 1, dtype=np.int64)
    if skipped:
        lines = lines[~np.isin(lines, np.fromiter(skipped, dtype=np.int64))]
    return lines


def _split(table: pa.Table, lines: np.ndarray, data: bytes, rejected: list[Rejected]) -> Parsed:
    """Good rows with their ``source_line``; rows that failed validation join the rejects."""
    reasons = table.column("_reason")
    rows = table.drop_columns(["_reason"])
    if reasons.null_count == table.num_rows:
        return Parsed(rows.append_column("source_line", pa.array(lines)), rejected)
    good = pc.is_null(reasons).to_numpy(zero_copy_only=False)
    rows = rows.filter(pa.array(good)).append_column("source_line", pa.array(lines[good]))
    failed = np.flatnonzero(~good)
    reasons_failed = reasons.take(pa.array(failed)).to_pylist()
    rejected += _rejects_at(data, list(zip(lines[failed].tolist(), reasons_failed, strict=True)))
    rejected.sort(key=lambda r: r.line)
    return Parsed(rows, rejected)


def _line_text(data: bytes, newlines: np.ndarray, line: int) -> str:
    start = 0 if line == 1 else int(newlines[line - 2]) + 1
    end = int(newlines[line - 1]) if line - 1 < len(newlines) else len(data)
    return data[start:end].decode("utf-8", errors="replace").rstrip("\r")
