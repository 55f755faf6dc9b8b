"""The one small protocol every data source implements, built-in or plug-in.

A source turns the paths a user gives into *load units* (one CSV inside a police.uk zip, one
sheet of a Home Office table), and parses a unit into rows for one warehouse table plus the
rows it had to reject. Loading, checksums and transactions are not its business: see
:mod:`peelstat.warehouse.loading`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar, runtime_checkable

import pyarrow as pa

from peelstat.sources.contract import WarehouseTable

T = TypeVar("T")


@dataclass(frozen=True)
class SourceFile:
    """One load unit.

    ``name`` is the key the warehouse remembers it by: it must say what the unit *covers*
    (e.g. ``police-uk/2018-10/avon-and-somerset/street``), so the same data under another
    file name, zipped or not, is recognised and replaces rather than adds.
    """

    name: str
    table: str
    path: Path
    member: str | None = None
    options: dict[str, str] = field(default_factory=dict, compare=False)
    # what one read of the bytes told us (sha256, line count), so a unit is read once
    facts: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        """Where the unit came from, as an analyst would find it: ``2018-10.zip!2018-10/x.csv``."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(self.member)

    def sha256(self) -> str:
        """Checksum of the bytes; the same read also counts the lines (see ``lines``).

        Read in blocks, so a file larger than memory is never held whole."""
        if "sha256" not in self.facts:
            if self.member is None:
                with self.path.open("rb") as handle:
                    self.facts.update(facts_of_stream(handle))
            else:
                with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                    self.facts.update(facts_of_stream(handle))
        return str(self.facts["sha256"])

    def wait_intact(self) -> None:
        """Return once everything the unit came with is known to be whole, or raise its
        IngestError; the loader calls it before committing the unit's rows. A zip member is
        read while the rest of its archive is still being extracted, and an archive with
        one damaged member loads nothing; a plain file has nothing to wait for."""

    def lines(self) -> int:
        """Physical lines in the unit (a last line without a newline counts)."""
        if "lines" not in self.facts:
            self.sha256()
        return int(self.facts["lines"])  # type: ignore[call-overload]

    @contextmanager
    def local_file(self) -> Iterator[Path]:
        """A real file with the unit's bytes (extracted to a temporary file for zip members)."""
        if self.member is None:
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="peelstat-") as folder:
            target = Path(folder) / Path(self.member).name
            with (
                zipfile.ZipFile(self.path) as archive,
                archive.open(self.member) as src,
                target.open("wb") as dst,
            ):
                shutil.copyfileobj(src, dst, length=1 << 20)
            yield target


def heaviest_first(
    items: Sequence[T], group: Callable[[T], str], size: Callable[[T], int]
) -> list[T]:
    """Items of one group side by side, the group with the most bytes first (then by name),
    each group in its given order: the order a place's units are extracted and written in.

    >>> heaviest_first(["a1", "b1", "a2", "c1"], lambda x: x[0], {"a1": 1, "a2": 1, "b1": 5, "c1": 2}.get)
    ['b1', 'a1', 'a2', 'c1']
    """
    weight: dict[str, int] = {}
    for item in items:
        weight[group(item)] = weight.get(group(item), 0) + size(item)
    return sorted(items, key=lambda item: (-weight[group(item)], group(item)))


def count_lines(data: bytes) -> int:
    """Physical lines: newlines, plus one for a last line that does not end in one.

    >>> count_lines(b"a,b\\n1,2\\n"), count_lines(b"a,b\\n1,2"), count_lines(b"")
    (2, 2, 0)
    """
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


BLOCK = 1 << 22
"""Bytes read at a time when a file is hashed or copied (4 MiB)."""


class ByteFacts:
    """What one read of a file's bytes tells the loader, worked out block by block: its
    sha256, its physical lines, and its line endings (CR LF, LF and every CR).

    >>> facts = ByteFacts()
    >>> for block in (b"a,b\\r", b"\\n1,2\\n3"):
    ...     facts.update(block)
    >>> facts.facts() == {"lines": 3, "crlf": 1, "newlines": 2, "cr": 1,
    ...                   "sha256": sha256_of(b"a,b\\r\\n1,2\\n3")}
    True
    """

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.newlines = self.crlf = self.cr = self.size = 0
        self.last = b""

    def update(self, block: bytes) -> None:
        if not block:
            return
        self.hash.update(block)
        self.newlines += block.count(b"\n")
        # counting is slow next to finding one byte; LF-only files (police.uk's) have no CR
        cr = block.count(b"\r") if b"\r" in block else 0
        self.cr += cr
        pairs = block.count(b"\r\n") if cr else 0
        self.crlf += pairs + (self.last == b"\r" and block[:1] == b"\n")
        self.size += len(block)
        self.last = block[-1:]

    def facts(self) -> dict[str, object]:
        lines = self.newlines + (1 if self.size and self.last != b"\n" else 0)
        return {"lines": lines, "crlf": self.crlf, "newlines": self.newlines, "cr": self.cr,
                "sha256": self.hash.hexdigest()}  # fmt: skip


def facts_of_stream(handle: IO[bytes]) -> dict[str, object]:
    """:class:`ByteFacts` of everything ``handle`` yields, read in blocks."""
    facts = ByteFacts()
    while block := handle.read(BLOCK):
        facts.update(block)
    return facts.facts()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Rejected:
    """A row the source could not accept, kept for inspection with its line and reason."""

    line: int
    reason: str
    raw: str


@dataclass
class Parsed:
    """What a unit parses to: rows in the table's schema (less ``source_file``) and rejects."""

    rows: pa.Table
    rejected: list[Rejected] = field(default_factory=list)


@runtime_checkable
class Source(Protocol):
    """A data source: ``peelstat load <name> PATH...`` finds it by ``name``.

    A source is registered under that name in the ``peelstat.sources`` entry-point group
    (see :mod:`peelstat.sources`) and declares every table it writes in ``tables``. It may
    also load straight into a DuckDB warehouse by implementing :class:`DuckDBNative`.
    """

    name: str
    title: str
    tables: Sequence[WarehouseTable]

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        """The load units in these paths (files, folders, archives); errors name the bad path."""
        ...

    def parse(self, unit: SourceFile) -> Parsed:
        """Rows and rejects of one unit; a wrong header raises HeaderMismatchError."""
        ...


SourceFactory = Callable[..., Source]


@dataclass(frozen=True)
class NativeLoad:
    """A unit ready to go from DuckDB's CSV reader straight into its table, without Arrow.

    ``select`` (with named ``params``) gives the table's columns except ``source_file``. After
    the loader has inserted its rows, ``finish(con, inserted)`` returns the unit's rejects, or
    None when those rows must come out again and the unit go through ``parse`` instead.
    """

    select: str
    params: dict[str, Any]
    finish: Callable[[Any, int], list[Rejected] | None]
    details: Any = None  # what the source needs to combine units (see ``combine_duckdb``)


GroupResult = dict[str, tuple[int, list[Rejected]]]
"""Rows loaded and rejects of each unit of a combined insert, by unit name."""


@dataclass(frozen=True)
class GroupLoad:
    """Several units of one table as one insert; ``select`` gives ``source_file`` too.

    ``finish(con, inserted)`` returns each unit's rows and rejects, or None when the group's
    rows must come out again and each unit be loaded on its own. ``months``, when the source
    knows them, are inclusive bounds on the table's month column (first days of months) for
    every row the group writes: its monthly summary is then made from those months' rows
    alone, not the whole table's.
    """

    select: str
    params: dict[str, Any]
    finish: Callable[[Any, int], GroupResult | None]
    months: tuple[dt.date, dt.date] | None = None


@runtime_checkable
class DuckDBNative(Protocol):
    """The optional fast path of a source: load straight into a DuckDB warehouse, so the rows
    never leave DuckDB (most of the cost of a national load saved).

    ``prepare_duckdb`` must not touch the warehouse (a wrong header raises here, before the
    unit's old rows are deleted); it returns None when the unit should go through ``parse``.
    A source may also offer ``combine_duckdb(natives) -> GroupLoad | None`` to let several
    units of one table go in as one insert.
    """

    def prepare_duckdb(self, unit: SourceFile) -> NativeLoad | None: ...
