"""CSV records read with a bound: an unclosed quote or a huge field costs lines, never the file.

Python's csv module joins every line after an unclosed quote (``"``) into one field, and stops
the whole read at 128 KB with ``_csv.Error: field larger than field limit``. Here each record
is cut from the text first: a record whose quotes do not balance within ``MAX_RECORD``
characters (or by the end of the file) is reported as "unclosed quote from line N", with its
first line's raw text (truncated), and reading starts again on the next line, so the good
rows after it still load. A single line longer than ``MAX_RECORD`` is reported the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

MAX_RECORD = 128 * 1024
"""The longest record read, in characters (Python's csv field limit is 131,072)."""
RAW_KEPT = 2000
"""How much of an unreadable record's raw text is kept for ``rejected_rows``."""


@dataclass(frozen=True)
class CsvRecord:
    """One record: its first line, its cells (None if it cannot be read, with ``reason``),
    and its raw text."""

    line: int
    cells: list[str] | None
    raw: str
    reason: str = ""


def csv_records(
    text: str, first_line: int = 1, width: int | None = None, max_record: int = MAX_RECORD
) -> Iterator[CsvRecord]:
    """Every record of ``text`` in order, the unreadable ones included (see the module).

    With ``width`` (the header's), a record spanning lines that does not have that many
    cells is taken for an unclosed quote too: its quote was closed by another row's.
    """
    chunks = _Chunks(text, first_line, max_record, width)
    reader = csv.reader(chunks)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            chunks.refuse(chunks.line, f"unreadable CSV record ({error})", chunks.raw)
            reader = csv.reader(chunks)  # carry on from the next record
            yield from chunks.take_refused()
            continue
        yield from chunks.take_refused()
        yield CsvRecord(chunks.line, cells, chunks.raw.rstrip("\r\n"))
    yield from chunks.take_refused()


class _Chunks:
    """The text as whole records (a quoted field may span lines), for ``csv.reader``."""

    def __init__(self, text: str, first_line: int, max_record: int, width: int | None) -> None:
        self.lines = list(io.StringIO(text, newline=""))
        self.next, self.offset, self.max_record, self.width = 0, first_line, max_record, width
        self.line, self.raw = first_line, ""
        self.refused: list[CsvRecord] = []

    def __iter__(self) -> _Chunks:
        return self

    def __next__(self) -> str:
        while self.next < len(self.lines):
            start, end = self.next, self._record_end(self.next)
            if end is None:
                self.next = start + 1
                self._unclosed(start)
                continue
            self.next = end + 1
            self.line, self.raw = start + self.offset, "".join(self.lines[start : end + 1])
            return self.raw
        raise StopIteration

    def _record_end(self, start: int) -> int | None:
        """The last line of the record starting at ``start``, None if it never closes."""
        quotes = size = 0
        for end in range(start, len(self.lines)):
            quotes += self.lines[end].count('"')
            size += len(self.lines[end])
            if size > self.max_record:
                return None
            if quotes % 2 == 0:
                return end if end == start or self._whole(start, end) else None
        return None

    def _whole(self, start: int, end: int) -> bool:
        """Whether lines ``start``…``end`` read as one record of the header's width."""
        if self.width is None:
            return True
        try:
            cells = next(csv.reader(io.StringIO("".join(self.lines[start : end + 1]), newline="")))
        except (csv.Error, StopIteration):
            return False
        return len(cells) == self.width

    def _unclosed(self, start: int) -> None:
        raw = self.lines[start].rstrip("\r\n")
        if len(raw) > self.max_record:
            reason = f"a record longer than {self.max_record:,} characters from line {start + self.offset}"
        else:
            reason = f"unclosed quote from line {start + self.offset}"
        self.refuse(start + self.offset, reason, raw)

    def refuse(self, line: int, reason: str, raw: str) -> None:
        kept = raw if len(raw) <= RAW_KEPT else raw[:RAW_KEPT] + f"… ({len(raw):,} characters)"
        self.refused.append(CsvRecord(line, None, kept.rstrip("\r\n"), reason))

    def take_refused(self) -> list[CsvRecord]:
        taken, self.refused = self.refused, []
        return taken
