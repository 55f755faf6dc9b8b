"""``source_line`` is the line an analyst's editor shows, whatever the file's line endings,
blank lines or path (a single file, a folder, a zip)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from peelstat.sources.police_uk import KINDS, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

BAD_LOCATION = "west"  # an unparseable Longitude: the row is rejected


def _street_lines(police_uk_files, n: int) -> list[str]:
    """Header + ``n`` rows, each row's Location naming its own place in the list ("Row k")."""
    rows = police_uk_files.street_rows("2018-10", "kent", n)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="")
    lines = []
    for row in [KINDS["street"].header, *rows]:
        writer.writerow(row)
        lines.append(text.getvalue())
        text.seek(0)
        text.truncate()
    return lines


def _file(police_uk_files, body: list[str], endings: list[str]) -> Path:
    """Write ``body`` lines joined by ``endings`` (one per line) and return the path."""
    path = police_uk_files.root / "extracted" / "2018-10" / "2018-10-kent-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(t + e for t, e in zip(body, endings, strict=True)).encode())
    return path


def _mark(lines: list[str], editor_lines: list[int]) -> list[str]:
    """Put each line's editor number in its Location, and make "Line N" rows with N even
    and a multiple of 5 rejected (a bad Longitude)."""
    marked = []
    for text, number in zip(lines, editor_lines, strict=True):
        if not text or text.startswith("Crime ID"):
            marked.append(text)
            continue
        cells = next(csv.reader([text]))
        cells[6] = f"Line {number}"
        if number % 5 == 0:
            cells[4] = BAD_LOCATION
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        marked.append(out.getvalue())
    return marked


def _loaded(warehouse_path: Path, path: Path) -> tuple[list[tuple[int, str]], list[int]]:
    """(source_line, Location) of every stored row, and the lines of the rejected rows."""
    con = connect(str(warehouse_path))
    load_source(con, PoliceUkArchive(), [path])
    con.disconnect()
    with duckdb.connect(str(warehouse_path), read_only=True) as db:
        rows = db.execute(
            "SELECT source_line, location FROM police_uk_street ORDER BY source_line"
        ).fetchall()
        rejected = [
            r[0] for r in db.execute("SELECT line FROM rejected_rows ORDER BY line").fetchall()
        ]
    return rows, rejected


def _check(rows: list[tuple[int, str]], rejected: list[int], body: list[str]) -> None:
    assert rows, "nothing loaded"
    assert all(location == f"Line {line}" for line, location in rows), rows[:5]
    expected_rejects = [
        n for n, text in enumerate(body, start=1) if f"Line {n}," in text and n % 5 == 0
    ]
    assert rejected == expected_rejects
    data_lines = {n for n, text in enumerate(body, start=1) if text and n > 1}
    assert {line for line, _ in rows} | set(rejected) == data_lines


def _with_blank_lines(lines: list[str]) -> list[str]:
    """Blank lines after line 3, three after line 7, and two at the end."""
    body = [*lines[:3], "", *lines[3:7], "", "", "", *lines[7:], "", ""]
    return _mark(body, list(range(1, len(body) + 1)))


@pytest.mark.parametrize("where", ["file", "folder", "zip"])
def test_rows_after_blank_lines_keep_their_editor_line(
    police_uk_files, warehouse_path: Path, where: str
) -> None:
    body = _with_blank_lines(_street_lines(police_uk_files, 20))
    path = _file(police_uk_files, body, ["\n"] * len(body))
    target = {"file": path, "folder": path.parent.parent, "zip": None}[where]
    if target is None:
        target = police_uk_files.zip()
    rows, rejected = _loaded(warehouse_path, target)
    _check(rows, rejected, body)


def _editor_lines(endings: list[str]) -> list[int]:
    """The line each text starts on in an editor: CR LF, LF and a lone CR each end a line,
    so ``\\r\\r\\n`` ends two (the second empty)."""
    numbers, line = [], 1
    for ending in endings:
        numbers.append(line)
        line += ending.replace("\r\n", "\n").count("\n") + ending.replace("\r\n", "").count("\r")
    return numbers


ENDINGS = {
    "lf": lambda i: "\n",
    "crlf": lambda i: "\r\n",
    "lone cr": lambda i: "\r",
    "cr cr lf": lambda i: "\r\r\n",
    "mixed crlf and lf": lambda i: "\r\n" if i % 3 else "\n",
    "all three": lambda i: ["\n", "\r\n", "\r"][i % 3],
}


@pytest.mark.parametrize("where", ["file", "zip"])
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_source_line_follows_the_editor_for_every_line_ending(
    police_uk_files, warehouse_path: Path, ending: str, where: str
) -> None:
    lines = _street_lines(police_uk_files, 30)
    endings = [ENDINGS[ending](i) for i in range(len(lines))]
    numbers = _editor_lines(endings)
    body = _mark(lines, numbers)
    path = _file(police_uk_files, body, endings)
    rows, rejected = _loaded(warehouse_path, path if where == "file" else police_uk_files.zip())
    assert all(location == f"Line {line}" for line, location in rows), rows[:5]
    assert {line for line, _ in rows} == {n for n in numbers[1:] if n % 5}
    assert rejected == [n for n in numbers[1:] if n % 5 == 0]
