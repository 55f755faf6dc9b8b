"""Every error peelstat raises on purpose, each carrying what an analyst needs to fix it.

Front-ends tell errors apart by kind, never by message: the CLI prints any
:class:`PeelstatError` plainly and exits 1; the web app maps the kinds to HTTP statuses.

==============================  ==============================================  ====
kind                            meaning                                         HTTP
==============================  ==============================================  ====
:class:`NotFoundError`          an unknown force, measure, period or warehouse  404
:class:`BadInputError`          a file, sheet, option or declaration that is    422
                                wrong (says what and where)
:class:`DataNotAvailableError`  the question is right but the data to answer    409
                                it is not loaded
:class:`ConflictError`          it clashes with what is stored or with another  409
                                process (a warehouse another load is writing)
:class:`NotAllowedError`        the account may not do it (another reviewer's   403
                                review), or is not signed in
:class:`UnavailableError`       the machine or a server cannot do it now (a     503
                                full disk, a failed download, an interruption)
==============================  ==============================================  ====

Messages say what to change, not which command-line flag to type: a library caller and a
web user read them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PeelstatError(Exception):
    """Base class: the CLI prints these as plain messages, without a traceback."""


class NotFoundError(PeelstatError):
    """Something named that does not exist: a force, measure, period, warehouse."""


class BadInputError(PeelstatError):
    """Input that is wrong: a file, a sheet, a period written oddly, a measure declaration."""


class DataNotAvailableError(PeelstatError):
    """A well-formed question whose data is not loaded (no rows for that force and period)."""


class ConflictError(PeelstatError):
    """A request that clashes with what is stored, or with another process."""


class UnavailableError(PeelstatError):
    """The machine or a server cannot do it now: a full disk, a download that failed, a stop."""


class UnknownForceError(NotFoundError):
    """A force name that no alias resolves; lists the nearest known names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown force {name!r}.{hint}")


class UnknownMeasureError(NotFoundError):
    """A measure id the catalogue does not have; lists the nearest ids."""

    def __init__(self, measure: str, suggestions: list[str]) -> None:
        self.measure = measure
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown measure {measure!r}.{hint} The catalogue lists every measure.")


class BadPeriodError(BadInputError):
    """A period that is not a month (``2018-12``), date or financial-year quarter."""

    def __init__(self, text: str, expected: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a period: expected {expected}.")


class UnknownPeriodError(NotFoundError):
    """A well-formed period the warehouse holds no data for; names the nearest it does hold."""

    def __init__(self, period: str, first: str, last: str, nearest: str) -> None:
        self.period, self.first, self.last, self.nearest = period, first, last, nearest
        self.suggestions = [nearest]
        super().__init__(
            f"No data for {period}: the warehouse holds {first} to {last}. Nearest: {nearest}."
        )


class WarehouseNotFoundError(NotFoundError):
    """A command that only reads was pointed at a warehouse file that does not exist."""

    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__(
            f"No warehouse at {location}. Check the warehouse setting (--warehouse or "
            "PEELSTAT_WAREHOUSE), or put data in it first: peelstat load <source> FILES "
            f"--warehouse {location}, or peelstat demo --warehouse {location} for synthetic data."
        )


class WarehouseBusyError(ConflictError):
    """Another process holds the warehouse file's lock (DuckDB allows one writer at a time)."""

    def __init__(self, location: str, pid: int, program: str) -> None:
        self.location, self.pid, self.program = location, pid, program
        super().__init__(
            f"Another peelstat process (PID {pid}, {program}) is writing this warehouse "
            f"({location}); wait for it to finish, or use another warehouse (--warehouse)."
        )


class WarehouseUnreadableError(BadInputError):
    """The warehouse path is not a DuckDB file, lies under a regular file, or cannot be opened."""

    def __init__(self, location: str, problem: str) -> None:
        self.location, self.problem = location, problem
        super().__init__(
            f"Cannot open the warehouse {location}: {problem}. Check the --warehouse path "
            "(or PEELSTAT_WAREHOUSE); it must be a DuckDB file peelstat created, or a new path."
        )


class DiskFullError(UnavailableError):
    """A disk filled during a load: which one, how much is free, and how much was needed."""

    def __init__(
        self, what: str, path: str, mount: str, free: int, needed: int, advice: str
    ) -> None:
        self.what, self.path, self.mount = what, path, mount
        self.free, self.needed = free, needed
        super().__init__(
            f"The disk holding {what} ({path}, the disk mounted at {mount}) is full: "
            f"{_megabytes(free)} free, and this load needs about {_megabytes(needed)}. {advice}"
        )


class LoadInterrupted(UnavailableError):
    """A load stopped by Ctrl-C: what was committed before the stop, and how to resume."""

    def __init__(self, loaded: int, rows: int, skipped: int, total: int) -> None:
        self.loaded, self.rows, self.skipped, self.total = loaded, rows, skipped, total
        before = f"; {skipped} were loaded already" if skipped else ""
        super().__init__(
            f"Interrupted. Loaded and committed before the stop: {loaded} files ({rows:,} "
            f"rows){before}; the other {total - loaded - skipped} of the {total} files are not "
            "in the warehouse, not even in part. To resume, run the same command again: files "
            "already loaded are skipped."
        )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


class NotAllowedError(PeelstatError):
    """The signed-in account may not do this (another reviewer's answers, adding accounts)."""


class SignInError(NotAllowedError):
    """An unknown account or a wrong password (which of the two is not said)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"cannot sign in as {name!r}: unknown account or wrong password")


class DownloadError(UnavailableError):
    """A download that failed for good (after retries), with the URL and the last problem."""


class DownloadRefused(DownloadError):
    """A server's answer peelstat will not keep (too big, wrong type, foreign redirect,
    wrong month); retrying would get the same, so it is not retried."""


class NoCompletePeriodError(DataNotAvailableError):
    """A measure request whose period range holds no period end of any of its measures."""


@dataclass
class IngestError(BadInputError):
    """A file that cannot be loaded at all; names the file and, where known, line and column."""

    file: str
    problem: str
    line: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        super().__init__(f"{where}: {self.problem}")


class UnitsRefused(BadInputError):
    """Files a load refused (each with its own error) while the others loaded: one bad file
    never stops the rest."""

    def __init__(self, errors: list[IngestError], loaded: int, rows: int, skipped: int) -> None:
        self.errors, self.loaded, self.rows, self.skipped = errors, loaded, rows, skipped
        listed = "\n".join(f"  - {e}" for e in errors)
        before = f"; {skipped} were loaded already" if skipped else ""
        super().__init__(
            f"{len(errors)} file(s) refused, nothing from them loaded:\n{listed}\n"
            f"The other files loaded: {loaded} files, {rows:,} rows{before}. Fix the refused "
            "files and run the same command again: what is loaded already is skipped."
        )


class HeaderMismatchError(IngestError):
    """The file's header is not the one its source expects."""

    def __init__(self, file: str, expected: list[str], found: list[str]) -> None:
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
        detail = f"expected columns {expected}, found {found}"
        if missing:
            detail += f"; missing {missing}"
        if extra:
            detail += f"; unexpected {extra}"
        super().__init__(file=file, problem=f"unexpected header: {detail}")
        self.expected = expected
        self.found = found


class HeaderSpellingError(HeaderMismatchError):
    """The right columns written another way (``crime_id`` for ``Crime ID``): a third-party
    copy of a published file. Refused, saying exactly that, rather than listing every column
    as both missing and unexpected."""

    def __init__(self, file: str, expected: list[str], found: list[str]) -> None:
        snake = all(c == c.lower() and " " not in c for c in found)
        style = "in snake_case" if snake else "in another case or with other separators"
        problem = (
            f"unexpected header: the same {len(expected)} columns, written {style} "
            f"({', '.join(found)}). peelstat reads the files as data.police.uk publishes them: "
            "download the original (`peelstat fetch police-uk`) or replace the first line with: "
            + ",".join(expected)
        )
        IngestError.__init__(self, file=file, problem=problem)
        self.expected = expected
        self.found = found


@dataclass
class ValidationError(BadInputError):
    """Several problems found at once (collected, never first-only), e.g. in a review sheet."""

    subject: str
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.subject}: {len(self.problems)} problem(s)\n{lines}")


@dataclass
class CatalogueError(BadInputError):
    """A measure declaration that is wrong; names the file, measure and field."""

    file: str
    measure: str | None
    field_name: str | None
    problem: str

    def __post_init__(self) -> None:
        where = self.file
        if self.measure:
            where += f", measure {self.measure!r}"
        if self.field_name:
            where += f", field {self.field_name!r}"
        super().__init__(f"{where}: {self.problem}")
