"""Downloading data.police.uk archives from a local HTTP server: resume, retry, check, load."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelstat.cli.fetch import app
from peelstat.sources.download import (
    CorruptArchive,
    RetryPolicy,
    download_archive,
    fetch_police_uk,
    months_between,
)
from peelstat.warehouse.connect import connect

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
FORCES = {"avon-and-somerset": "Avon and Somerset Constabulary", "kent": "Kent Police"}


def street_csv(month: str, force: str, rows: int) -> str:
    name = FORCES[force]
    lines = [STREET_HEADER]
    for i in range(rows):
        crime_id = f"{month}{force}{i:04d}".replace("-", "")[:64] if i % 3 else ""
        crime_type = "Burglary" if crime_id else "Anti-social behaviour"
        outcome = "Under investigation" if crime_id else ""
        lines.append(
            f"{crime_id},{month},{name},{name},-2.5{i % 10},51.4{i % 10},On or near High Street,"
            f"E01014399,Bath and North East Somerset 001A,{crime_type},{outcome},"
        )
    return "\n".join(lines) + "\n"


def archive_bytes(month: str, rows: int = 400) -> bytes:
    """A monthly archive in the data.police.uk layout: ``YYYY-MM/YYYY-MM-<force>-street.csv``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for force in FORCES:
            archive.writestr(f"{month}/{month}-{force}-street.csv", street_csv(month, force, rows))
    return buffer.getvalue()


def corrupt(data: bytes) -> bytes:
    """Flip bytes inside the first member's compressed data: the zip opens, the CRC fails."""
    spoiled = bytearray(data)
    for i in range(200, 260):
        spoiled[i] ^= 0xFF
    return bytes(spoiled)


@dataclass
class Archives:
    """What the fake data.police.uk serves, and how it misbehaves."""

    files: dict[str, bytes] = field(default_factory=dict)
    drop_first: set[str] = field(default_factory=set)
    busy_first: set[str] = field(default_factory=set)
    corrupt: set[str] = field(default_factory=set)
    requests: list[tuple[str, str | None]] = field(default_factory=list)


def make_handler(state: Archives) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            state.requests.append((name, self.headers.get("Range")))
            if name not in state.files:
                self.send_error(404)
                return
            if name in state.busy_first:
                state.busy_first.discard(name)
                self.send_response(429)
                self.send_header("Retry-After", "7")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = state.files[name]
            if name in state.corrupt:
                data = corrupt(data)
            start = 0
            if self.headers.get("Range"):
                start = int(self.headers["Range"].removeprefix("bytes=").rstrip("-"))
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            if name in state.drop_first:
                state.drop_first.discard(name)
                self.wfile.write(data[start : len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data[start:])

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Archives]]:
    state = Archives()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/data/archive/", state
    finally:
        httpd.shutdown()
        httpd.server_close()


FAST = RetryPolicy(attempts=3, backoff=0.0, timeout=5)


def test_months_between() -> None:
    assert months_between("2018-11", "2019-01") == ["2018-11", "2018-12", "2019-01"]


def test_fetch_downloads_records_checksum_and_loads(
    server: tuple[str, Archives], tmp_path: Path, warehouse_path: Path
) -> None:
    base, state = server
    for month in ("2018-10", "2018-11"):
        state.files[f"{month}.zip"] = archive_bytes(month, rows=30)
    con = connect(warehouse_path)

    report = fetch_police_uk(con, ["2018-10", "2018-11"], tmp_path, base=base, policy=FAST)

    assert [d.month for d in report.downloaded] == ["2018-10", "2018-11"]
    assert (tmp_path / "2018-10.zip").read_bytes() == state.files["2018-10.zip"]
    recorded = (tmp_path / "2018-10.zip.sha256").read_text().split()
    assert recorded == [report.downloaded[0].sha256, "2018-10.zip"]
    assert not list(tmp_path.glob("*.part"))
    assert report.load is not None and report.load.rows_loaded == 4 * 30
    street = con.table("police_uk_street").to_pandas()
    assert street.groupby("force").size().to_dict() == {"avon-and-somerset": 60, "kent": 60}

    again = fetch_police_uk(con, ["2018-10"], tmp_path, base=base, policy=FAST)
    assert again.downloaded[0].reused and len(state.requests) == 2
    assert again.load is not None and {u.outcome for u in again.load.units} == {"skipped"}


def test_dropped_connection_resumes_with_range_and_gets_the_right_bytes(
    server: tuple[str, Archives], tmp_path: Path
) -> None:
    base, state = server
    state.files["2019-01.zip"] = archive_bytes("2019-01", rows=2000)
    state.drop_first.add("2019-01.zip")
    waits: list[float] = []

    got = download_archive("2019-01", tmp_path, base, FAST, sleep=waits.append)

    half = len(state.files["2019-01.zip"]) // 2
    assert state.requests == [("2019-01.zip", None), ("2019-01.zip", f"bytes={half}-")]
    assert got.resumed and got.path.read_bytes() == state.files["2019-01.zip"]
    assert len(waits) == 1


def test_too_many_requests_waits_as_retry_after_says(
    server: tuple[str, Archives], tmp_path: Path
) -> None:
    base, state = server
    state.files["2019-02.zip"] = archive_bytes("2019-02", rows=10)
    state.busy_first.add("2019-02.zip")
    waits: list[float] = []

    got = download_archive("2019-02", tmp_path, base, FAST, sleep=waits.append)

    assert waits == [7.0]
    assert got.path.read_bytes() == state.files["2019-02.zip"]


def test_missing_month_is_reported_clearly(server: tuple[str, Archives], tmp_path: Path) -> None:
    base, state = server
    state.files["2019-03.zip"] = archive_bytes("2019-03", rows=5)
    result = CliRunner().invoke(
        app,
        ["police-uk", "--from", "2031-01", "--to", "2031-01", "--dest", str(tmp_path),
         "--base-url", base, "--download-only"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "data.police.uk has no archive for 2031-01" in result.output


def test_corrupt_download_is_rejected_and_nothing_loaded(
    server: tuple[str, Archives], tmp_path: Path, warehouse_path: Path
) -> None:
    base, state = server
    state.files["2019-04.zip"] = archive_bytes("2019-04", rows=50)
    state.corrupt.add("2019-04.zip")
    con = connect(warehouse_path)

    dest = tmp_path / "downloads"
    with pytest.raises(CorruptArchive, match="fails the zip/CRC check"):
        fetch_police_uk(con, ["2019-04"], dest, base=base, policy=FAST, sleep=lambda _: None)

    assert not list(dest.iterdir())
    assert len(state.requests) == FAST.attempts
    assert con.table("load_log").count().to_pyarrow().as_py() == 0
    assert con.table("police_uk_street").count().to_pyarrow().as_py() == 0


def test_cli_fetches_and_loads_only_the_forces_asked_for(
    server: tuple[str, Archives], tmp_path: Path, warehouse_path: Path
) -> None:
    base, state = server
    state.files["2018-12.zip"] = archive_bytes("2018-12", rows=20)
    result = CliRunner().invoke(
        app,
        ["police-uk", "--from", "2018-12", "--to", "2018-12", "--force", "Kent",
         "--dest", str(tmp_path), "--base-url", base, "--warehouse", str(warehouse_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 files loaded" in result.output
    street = connect(warehouse_path).table("police_uk_street").to_pandas()
    assert set(street["force"]) == {"kent"} and len(street) == 20
