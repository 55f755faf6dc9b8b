"""Fault injection: real-format police.uk files corrupted at random, loaded through the CLI.

Each example draws a few corruptions (drop, duplicate or truncate lines; insert quotes, huge
fields, wrong months and forces, bad bytes; rename files; damage zips) of a small street and
stop-and-search month, loads it with ``peelstat load police-uk`` and checks, every time:

* no traceback escapes: the exit code is 0, or 1 with a message naming a file given;
* every data line of every file loaded is either a row (by ``source_line``) or in
  ``rejected_rows`` (a record spanning lines covers them all);
* a load that refuses everything leaves every table exactly as it was;
* loading the same input again changes nothing (never double-counts).

The example count is set by the Hypothesis profile (see ``conftest.py``).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelstat.cli.main import app
from peelstat.sources.police_uk import STOP_SEARCH_HEADER, STREET_HEADER
from peelstat.warehouse.connect import connect

MONTH = "2019-03"
STREET = (
    "{id},2019-03,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
    "Maidstone 001A,{kind},{outcome},"
)
STOP = (
    "Person search,2019-03-{day:02d}T12:00:00+00:00,False,,51.5,-0.1,Male,18-24,,White,"
    "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False"
)


def street_lines(count: int) -> list[str]:
    return [",".join(STREET_HEADER)] + [
        STREET.format(id=f"{i:064x}", kind="Burglary", outcome="Under investigation")
        if i % 3 else STREET.format(id="", kind="Anti-social behaviour", outcome="")
        for i in range(count)
    ]  # fmt: skip


def stop_lines(count: int) -> list[str]:
    return [",".join(STOP_SEARCH_HEADER)] + [STOP.format(day=i % 28 + 1) for i in range(count)]


@dataclass(frozen=True)
class Corruption:
    kind: str
    file: int  # which file (0 street, 1 stop and search)
    at: float  # where in the file, 0..1


CORRUPTIONS = ["drop", "duplicate", "truncate", "quote", "huge", "month", "force", "bytes",
               "blank", "crlf"]  # fmt: skip

corruptions = st.lists(
    st.builds(
        Corruption,
        st.sampled_from(CORRUPTIONS),
        st.integers(0, 1),
        st.floats(0, 1, allow_nan=False),
    ),
    max_size=4,
)


def corrupt(lines: list[str], c: Corruption) -> list[str]:
    """One corruption of a file's data lines (the header, line 1, is left alone)."""
    if len(lines) < 2:
        return lines
    i = 1 + int(c.at * (len(lines) - 2))
    line = lines[i]
    edits = {
        "drop": lambda: lines[:i] + lines[i + 1 :],
        "duplicate": lambda: [*lines[: i + 1], line, *lines[i + 1 :]],
        "truncate": lambda: [*lines[:i], line[: len(line) // 2], *lines[i + 1 :]],
        "quote": lambda: [*lines[:i], line.replace(",", ',"', 1), *lines[i + 1 :]],
        "huge": lambda: [*lines[:i], line.replace(",", "," + "Z" * 140_000, 1), *lines[i + 1 :]],
        "month": lambda: [*lines[:i], line.replace("2019-03", "2019-05"), *lines[i + 1 :]],
        "force": lambda: [
            *lines[:i],
            line.replace("Kent Police", "Cumbria Constabulary"),
            *lines[i + 1 :],
        ],
        "bytes": lambda: [*lines[:i], line[:5] + "\udcff\udcfe" + line[5:], *lines[i + 1 :]],
        "blank": lambda: [*lines[:i], "", *lines[i:]],
        # one CR per line: a lone CR ("\r\r\n") counts as a line break for Python's reader
        # but not for a "\n" count, so line numbers after it differ by one (left as it is)
        "crlf": lambda: [*lines[:i], line.rstrip("\r") + "\r", *lines[i + 1 :]],
    }
    return edits[c.kind]()


def encoded(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogateescape")


@st.composite
def inputs(draw: st.DrawFn) -> tuple[dict[str, bytes], str, bool]:
    """The two files' names and bytes, whether they go zipped, and how the zip is damaged."""
    files = [street_lines(draw(st.integers(1, 30))), stop_lines(draw(st.integers(1, 30)))]
    for c in draw(corruptions):
        files[c.file] = corrupt(files[c.file], c)
    names = [f"{MONTH}-kent-street.csv", f"{MONTH}-kent-stop-and-search.csv"]
    rename = draw(st.sampled_from(["none", "force", "month", "kind"]))
    if rename == "force":
        names[0] = f"{MONTH}-essex-street.csv"
    elif rename == "month":
        names[1] = "2019-02-kent-stop-and-search.csv"
    elif rename == "kind":
        names[0] = f"{MONTH}-kent-outcomes.csv"
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip"]))
    return dict(zip(names, map(encoded, files), strict=True)), damage, draw(st.booleans())


def write(folder: Path, files: dict[str, bytes], damage: str, zipped: bool) -> Path:
    if not zipped:
        for name, data in files.items():
            (folder / MONTH).mkdir(exist_ok=True)
            (folder / MONTH / name).write_bytes(data)
        return folder / MONTH
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{MONTH}/{name}", data)
    data = bytearray(buffer.getvalue())
    if damage == "truncate":
        data = data[: len(data) * 2 // 3]
    elif damage == "flip":
        data[len(data) // 3] ^= 0xFF
    path = folder / f"{MONTH}.zip"
    path.write_bytes(bytes(data))
    return path


def snapshot(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    con = connect(warehouse, create=False)
    try:
        tables = ["police_uk_street", "police_uk_stop_search", "rejected_rows"]
        found = {
            t: sorted(map(repr, con.raw_sql(f"SELECT COLUMNS(*)::VARCHAR FROM {t}").fetchall()))
            for t in tables
        }
        found["load_log"] = sorted(con.raw_sql("SELECT file, sha256, rows_loaded, rows_rejected "
                                               "FROM load_log").fetchall())  # fmt: skip
        return found  # type: ignore[return-value]
    finally:
        con.disconnect()


def load(path: Path, warehouse: Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(
        app, ["load", "police-uk", str(path), "--warehouse", str(warehouse)]
    )
    return result.exit_code, result.output, result.exception


def covered(warehouse: Path, files: dict[str, bytes]) -> None:
    """Every non-blank data line of each loaded file is a row or a reject."""
    con = connect(warehouse, create=False)
    try:
        for name, data in files.items():
            parts = name.removesuffix(".csv").split("-")
            month, kind = "-".join(parts[:2]), "stop-and-search" if "stop" in name else parts[-1]
            force = "-".join(parts[2:]).removesuffix(f"-{kind}")
            unit = f"police-uk/{month}/{force}/{kind}"
            if not con.raw_sql(f"SELECT 1 FROM load_log WHERE file = '{unit}'").fetchall():
                continue
            table = {"street": "police_uk_street", "stop-and-search": "police_uk_stop_search",
                     "outcomes": "police_uk_outcomes"}[kind]  # fmt: skip
            rows = con.raw_sql(f"SELECT source_line FROM {table} WHERE source_file = '{unit}'")
            seen = {line for (line,) in rows.fetchall()}
            for line, raw in con.raw_sql(
                f"SELECT line, raw FROM rejected_rows WHERE file = '{unit}'"
            ).fetchall():
                seen.update(range(line, line + raw.count("\n") + 1))
            text = data.decode("utf-8", errors="replace").split("\n")
            wanted = {n for n, t in enumerate(text, start=1) if n > 1 and t.strip("\r")}
            assert wanted <= seen, (
                f"{name}: lines {sorted(wanted - seen)[:5]} neither loaded nor rejected"
            )
    finally:
        con.disconnect()


@given(inputs())
def test_no_fault_escapes_and_nothing_is_lost_or_double_counted(
    drawn: tuple[dict[str, bytes], str, bool],
) -> None:
    files, damage, zipped = drawn
    with tempfile.TemporaryDirectory(prefix="peelstat-faults-") as folder:
        root = Path(folder)
        warehouse = root / "w.duckdb"
        connect(warehouse).disconnect()
        before = snapshot(warehouse)
        path = write(root, files, damage, zipped)

        code, output, exception = load(path, warehouse)
        assert code in (0, 1), output
        assert exception is None or isinstance(exception, SystemExit), repr(exception)
        assert "Traceback" not in output
        after = snapshot(warehouse)
        if code == 1:
            named = [str(path), *(f"{MONTH}/{n}" for n in files)]
            assert any(n in output for n in named), output
        if not after["load_log"]:
            assert after == before  # refused whole: the warehouse is as it was
        covered(warehouse, files)

        again, output_again, _ = load(path, warehouse)
        assert again == code, output_again
        assert snapshot(warehouse) == after  # a re-run never double-counts
