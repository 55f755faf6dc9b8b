"""The police.uk source: finds force-month-kind files and hands them to the loader.

Parsing runs in an in-memory DuckDB of the source's own, whatever the warehouse backend;
a DuckDB warehouse can instead load the files natively (see :mod:`.native`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from peelstat.errors import IngestError
from peelstat.sources.base import GroupLoad, NativeLoad, Parsed, SourceFile
from peelstat.sources.police_uk.archive import ArchiveMember, ExtractedArchive
from peelstat.sources.police_uk.contents import check_name_matches_contents
from peelstat.sources.police_uk.files import FILE_NAME, KINDS, check_force, check_header, unit_name
from peelstat.sources.police_uk.lines import line_numbers, split_rows
from peelstat.sources.police_uk.long_lines import without_long_lines
from peelstat.sources.police_uk.native import NativeFile, combined_load, native_load
from peelstat.sources.police_uk.reading import read_exact, read_fast
from peelstat.sources.police_uk.tables import TABLES
from peelstat.sources.police_uk.validation import month_params


class PoliceUkArchive:
    """data.police.uk monthly archives (street, outcomes, stop and search) for any force.

    >>> PoliceUkArchive().name
    'police-uk'
    """

    name = "police-uk"
    title = "data.police.uk monthly archives"
    tables = TABLES

    def __init__(self) -> None:
        self._extracted = ExtractedArchive()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._native_loads = 0

    # ---- discovery -------------------------------------------------------------------

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        """Every force-month-kind file in these zips, folders and CSV files."""
        units: list[SourceFile] = []
        for path in map(Path, paths):
            if path.is_dir():
                units += self._folder_units(path)
            elif path.suffix.lower() == ".zip":
                units += self._zip_units(path)
            elif path.is_file():
                units.append(self._unit(path.name, path))
            else:
                raise IngestError(file=str(path), problem="no such file or folder")
        return units

    def _folder_units(self, folder: Path) -> list[SourceFile]:
        units: list[SourceFile] = []
        for child in sorted(folder.rglob("*")):
            if child.suffix.lower() == ".zip":
                units += self._zip_units(child)
            elif child.suffix.lower() == ".csv":
                units.append(self._unit(child.name, child))
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
        units = [self._unit(Path(m).name, archive, member=m) for m in csvs]
        self._extracted.want(archive, {u.member: u.table for u in units if u.member})
        return units

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
        check_force(force, label)
        options = {"month": month, "force": force, "kind": kind}
        name, table = unit_name(month, force, kind), KINDS[kind].table
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
        params = month_params(unit.options["month"], unit.options["force"])
        with unit.local_file() as original, without_long_lines(original) as (path, too_long):
            data = path.read_bytes()
            check_header(data, kind, unit.label)
            check_name_matches_contents(data[: 1 << 18], kind, *self._named(unit), unit.label)
            try:
                table, rejected = read_fast(self.connection, path, kind, params)
                lines = line_numbers(data, table.num_rows, rejected)
            except duckdb.InvalidInputException:  # e.g. mixed line endings
                lines = None
            if lines is None:
                # A quoted field spans lines, or there are blank lines: line numbers can only
                # be known by reading record by record, which Python's csv module does exactly.
                table, lines, rejected = read_exact(self.connection, data, kind, params)
        return split_rows(table, lines, data, sorted([*too_long, *rejected], key=lambda r: r.line))

    def prepare_duckdb(self, unit: SourceFile) -> NativeLoad | None:
        """Get a unit ready to load inside a DuckDB warehouse (no Arrow round trip).

        Rows keep the file's order, so a row's line is its number + 1, provided every record
        is one line and the reader skipped none; ``finish`` checks that after the insert and
        otherwise sends the unit back to :meth:`parse`, which works line numbers out exactly.
        """
        if _unusual_line_endings(unit):
            return None  # DuckDB's reader stops on them or miscounts: the exact reader copes
        if isinstance(unit, ArchiveMember) or unit.member is None:
            return self._native(unit)
        return None  # a temporary extraction would be gone before the loader reads it

    def _native(self, unit: SourceFile) -> NativeLoad:
        kind = KINDS[unit.options["kind"]]
        with unit.local_file() as path, path.open("rb") as handle:
            head = handle.read(1 << 18)
        check_header(head, kind, unit.label)
        check_name_matches_contents(head, kind, *self._named(unit), unit.label)
        return native_load(unit, kind, path, self._fresh_rejects_table())

    @staticmethod
    def _named(unit: SourceFile) -> tuple[str, str]:
        """The month and force the unit's file name says."""
        return unit.options["month"], unit.options["force"]

    def combine_duckdb(self, natives: list[NativeLoad]) -> GroupLoad | None:
        """Several units of one kind as one insert: one multi-file read instead of one each.

        Rows are numbered across the files in reading order; each file's first row number
        comes from the record counts, which ``finish`` checks before trusting them.
        """
        files: list[NativeFile] = [n.details for n in natives]
        if len({f.kind.suffix for f in files}) != 1:
            return None
        return combined_load(files, self._fresh_rejects_table())

    def _fresh_rejects_table(self) -> str:
        """A new name for each native load: DuckDB's ``store_rejects`` appends to a table."""
        self._native_loads += 1
        return f"peelstat_rejects_{self._native_loads}"

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


def _unusual_line_endings(unit: SourceFile) -> bool:
    """Some lines end in CR LF and others in LF alone (a file edited by hand), or some in a
    CR alone (an old Mac file, or ``\\r\\r\\n``)."""
    unit.sha256()  # counts them all in the one read of the bytes
    crlf, newlines, cr = (int(unit.facts.get(k, 0)) for k in ("crlf", "newlines", "cr"))  # type: ignore[call-overload]
    return 0 < crlf < newlines or cr != crlf
