"""Real 1-based line numbers (the header is line 1) for the rows and rejects of a file.

An analyst fixing a file needs the line as their editor shows it, so numbers are worked out
from the file's bytes, and a reject carries that line's text exactly as it is in the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peelstat.sources.base import BLOCK, Parsed, Rejected

LINE_END = re.compile(rb"\r\n|\r|\n")
"""What ends a line, as a text editor counts: CR LF, LF, or a CR alone (so ``\\r\\r\\n``
ends two lines, the second empty)."""


def has_lone_cr(data: bytes) -> bool:
    """Whether some line ends in a CR alone (an old Mac file, or ``\\r\\r\\n``)."""
    return data.count(b"\r") != data.count(b"\r\n")


def line_numbers(data: bytes, good_rows: int, rejected: list[Rejected]) -> np.ndarray | None:
    """File line of each row the reader kept, or None when records and lines do not match 1:1."""
    if has_lone_cr(data):
        return None  # DuckDB does not count a lone CR as a line end; the exact reader does
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


def rejects_at(data: bytes, failed: list[tuple[int, str]]) -> list[Rejected]:
    """Rejects for (line, reason) pairs, with each line's text as it is in the file."""
    if not failed:
        return []
    if has_lone_cr(data):
        texts = LINE_END.split(data)
        return [
            Rejected(int(line), str(reason), texts[line - 1].decode("utf-8", errors="replace"))
            for line, reason in failed
        ]
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    return [
        Rejected(int(line), str(reason), _line_text(data, newlines, line))
        for line, reason in failed
    ]


def rejects_in_file(path: Path, failed: list[tuple[int, str]]) -> list[Rejected]:
    """The same as :func:`rejects_at`, reading the file in blocks (never whole) up to the
    last line wanted."""
    wanted = {int(line) for line, _ in failed}
    found: dict[int, str] = {}
    line, carry = 1, b""
    with path.open("rb") as handle:
        while line <= max(wanted, default=0) and (block := handle.read(BLOCK)):
            *whole, carry = (carry + block).split(b"\n")
            for text in whole:
                if line in wanted:
                    found[line] = text.decode("utf-8", errors="replace").rstrip("\r")
                line += 1
    if line in wanted:
        found[line] = carry.decode("utf-8", errors="replace").rstrip("\r")
    return [Rejected(int(n), str(reason), found.get(int(n), "")) for n, reason in failed]


def _line_text(data: bytes, newlines: np.ndarray, line: int) -> str:
    start = 0 if line == 1 else int(newlines[line - 2]) + 1
    end = int(newlines[line - 1]) if line - 1 < len(newlines) else len(data)
    return data[start:end].decode("utf-8", errors="replace").rstrip("\r")


def split_rows(table: pa.Table, lines: np.ndarray, data: bytes, rejected: list[Rejected]) -> Parsed:
    """Good rows with their ``source_line``; rows that failed validation join the rejects."""
    reasons = table.column("_reason")
    rows = table.drop_columns(["_reason"])
    if reasons.null_count == table.num_rows:
        return Parsed(rows.append_column("source_line", pa.array(lines)), rejected)
    good = pc.is_null(reasons).to_numpy(zero_copy_only=False)
    rows = rows.filter(pa.array(good)).append_column("source_line", pa.array(lines[good]))
    failed = np.flatnonzero(~good)
    reasons_failed = reasons.take(pa.array(failed)).to_pylist()
    rejected += rejects_at(data, list(zip(lines[failed].tolist(), reasons_failed, strict=True)))
    rejected.sort(key=lambda r: r.line)
    return Parsed(rows, rejected)
