"""Lines too long to be a police.uk record, found and set aside without reading them whole.

A member that is one 540 MB line (no newline) would otherwise be read into memory, decoded and
split by the exact reader, costing several times its size. The file is scanned in blocks
first; a line longer than ``MAX_RECORD`` becomes one rejected row (its first characters kept)
and the file is read from a copy in which that line is blank, so every other line keeps its
number and memory stays bounded by the rest of the file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np

from peelstat.sources.base import BLOCK, Rejected
from peelstat.sources.csv_records import MAX_RECORD, RAW_KEPT


@contextmanager
def without_long_lines(path: Path) -> Iterator[tuple[Path, list[Rejected]]]:
    """``path`` (or a copy with its over-long lines blank) and a reject for each such line."""
    found = _long_lines(path)
    if not found:
        yield path, []
        return
    with tempfile.TemporaryDirectory(prefix="peelstat-long-lines-") as folder:
        copy = Path(folder) / path.name
        _copy_blanking(path, copy, [(start, end) for _, start, end, _ in found])
        yield copy, [_reject(line, end - start, head) for line, start, end, head in found]


def _reject(line: int, size: int, head: bytes) -> Rejected:
    # The same words as the exact reader's; the size is in the raw text. The limit is fixed.
    reason = f"a record longer than {MAX_RECORD:,} characters from line {line}"
    text = head.decode("utf-8", errors="replace").rstrip("\r")
    return Rejected(line, reason, f"{text}… ({size:,} bytes)")


def _long_lines(path: Path) -> list[tuple[int, int, int, bytes]]:
    """(line, start offset, end offset, first bytes) of each line over ``MAX_RECORD`` bytes."""
    found: list[tuple[int, int, int, bytes]] = []
    line, line_start, offset = 1, 0, 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10) + offset
            starts = np.concatenate(([line_start], ends[:-1] + 1)).astype(np.int64)
            for i in np.flatnonzero(ends - starts > MAX_RECORD):
                found.append((line + int(i), int(starts[i]), int(ends[i]), _head(path, starts[i])))
            if len(ends):
                line, line_start = line + len(ends), int(ends[-1]) + 1
            offset += len(block)
    if offset - line_start > MAX_RECORD:
        found.append((line, line_start, offset, _head(path, line_start)))
    return found


def _head(path: Path, start: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(int(start))
        return handle.read(RAW_KEPT)


def _copy_blanking(path: Path, copy: Path, spans: list[tuple[int, int]]) -> None:
    """Copy ``path`` in blocks, leaving out the bytes of each (start, end) span."""
    with path.open("rb") as source, copy.open("wb") as target:
        for start, end in spans:
            _copy_until(source, target, start)
            source.seek(end)
        _copy_until(source, target, None)


def _copy_until(source: BinaryIO, target: BinaryIO, stop: int | None) -> None:
    """Copy from ``source``'s position to offset ``stop`` (None: to the end), a block at a time."""
    while stop is None or source.tell() < stop:
        block = source.read(BLOCK if stop is None else min(BLOCK, stop - source.tell()))
        if not block:
            return
        target.write(block)
