"""Downloading data.police.uk archives from a local HTTP server: resume, retry, check, load."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelstat.cli.main import app
from peelstat.sources.archive_checks import CorruptArchive
from peelstat.sources.download import (
    RetryPolicy,
    download_archive,
    months_between,
)
from peelstat.sources.police_uk_fetch import fetch_police_uk
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
    content_type: str = "application/zip"
    ranges: bool = True  # the server says it accepts byte ranges, and honours them
    redirects: dict[str, str] = field(default_factory=dict)  # name -> absolute URL
    drip: set[str] = field(default_factory=set)  # one byte every 0.05 s
    endless: set[str] = field(default_factory=set)  # zeros for ever, no Content-Length


def make_handler(state: Archives) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            state.requests.append((name, self.headers.get("Range")))
            if name in state.redirects:
                self.send_response(302)
                self.send_header("Location", state.redirects[name])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if name in state.endless:
                self.send_response(200)
                self.send_header("Content-Type", state.content_type)
                self.end_headers()
                try:
                    while True:
                        self.wfile.write(b"\0" * 65536)
                except OSError:
                    return
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
            if self.headers.get("Range") and state.ranges:
                start = int(self.headers["Range"].removeprefix("bytes=").rstrip("-"))
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(data) - start))
            if state.ranges:
                self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if name in state.drip:
                try:
                    for i in range(start, len(data)):
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    return
                return
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
        ["fetch", "police-uk", "--from", "2031-01", "--to", "2031-01", "--dest", str(tmp_path),
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
        ["fetch", "police-uk", "--from", "2018-12", "--to", "2018-12", "--force", "Kent",
         "--dest", str(tmp_path), "--base-url", base, "--warehouse", str(warehouse_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 files loaded" in result.output
    street = connect(warehouse_path).table("police_uk_street").to_pandas()
    assert set(street["force"]) == {"kent"} and len(street) == 20


# --- hostile and broken servers ---------------------------------------------------------

from peelstat.errors import DownloadError, DownloadRefused  # noqa: E402
from peelstat.sources.http_fetch import FetchLimits  # noqa: E402

LIMITS = FetchLimits(max_bytes=2_000_000, max_seconds=30, min_rate=0, rate_window=60)


def test_an_html_answer_is_refused_without_retrying(server, tmp_path: Path) -> None:
    base, state = server
    state.files["2019-05.zip"] = b"<html><body>Service unavailable</body></html>"
    state.content_type = "text/html; charset=utf-8"
    with pytest.raises(DownloadRefused, match="answered with text/html, not a zip archive"):
        download_archive("2019-05", tmp_path, base, FAST, sleep=lambda _: None, limits=LIMITS)
    assert len(state.requests) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_stated_size_over_the_cap_is_refused_before_reading(server, tmp_path: Path) -> None:
    base, state = server
    state.files["2019-05.zip"] = archive_bytes("2019-05", rows=50)
    small = FetchLimits(max_bytes=1000, max_seconds=30, min_rate=0)
    with pytest.raises(DownloadRefused, match="more than the 1,000 allowed; set "
                       "\\$PEELSTAT_FETCH_MAX_BYTES higher"):  # fmt: skip
        download_archive("2019-05", tmp_path, base, FAST, limits=small)
    assert list(tmp_path.iterdir()) == []


def test_an_endless_body_is_cut_off_at_the_cap_and_its_part_removed(server, tmp_path: Path) -> None:
    base, state = server
    state.endless.add("2019-05.zip")
    with pytest.raises(DownloadRefused, match="sent more than 2,000,000 bytes"):
        download_archive("2019-05", tmp_path, base, FAST, sleep=lambda _: None, limits=LIMITS)
    assert len(state.requests) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_cap_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("PEELSTAT_FETCH_MAX_BYTES", "12345")
    monkeypatch.setenv("PEELSTAT_FETCH_HOSTS", "mirror.example.org, Other.example.org")
    limits = FetchLimits.from_environment()
    assert limits.max_bytes == 12345
    assert limits.hosts == {"mirror.example.org", "other.example.org"}


def test_a_server_that_drips_bytes_is_stopped_and_its_part_kept_to_resume(
    server, tmp_path: Path
) -> None:
    base, state = server
    state.files["2019-05.zip"] = archive_bytes("2019-05", rows=50)
    state.drip.add("2019-05.zip")
    slow = FetchLimits(max_bytes=10**6, max_seconds=30, min_rate=1000, rate_window=0.3)
    with pytest.raises(DownloadError) as raised:
        download_archive("2019-05", tmp_path, base, FAST, sleep=lambda _: None, limits=slow)
    message = str(raised.value)
    assert "below the 1,000 bytes/s a download must keep up" in message
    assert "kept in" in message and "the next fetch resumes from there" in message
    part = tmp_path / "2019-05.zip.part"
    assert 0 < part.stat().st_size < len(state.files["2019-05.zip"])
    assert state.requests[0][1] is None
    assert all(r is not None and r.startswith("bytes=") for _, r in state.requests[1:])
    assert not (tmp_path / "2019-05.zip").exists()


def test_a_download_that_outlasts_the_total_time_is_stopped(server, tmp_path: Path) -> None:
    base, state = server
    state.files["2019-05.zip"] = archive_bytes("2019-05", rows=50)
    state.drip.add("2019-05.zip")
    brief = FetchLimits(max_bytes=10**6, max_seconds=0.4, min_rate=0)
    with pytest.raises(DownloadError, match="still downloading after 0 s"):
        download_archive("2019-05", tmp_path, base, FAST, sleep=lambda _: None, limits=brief)
    assert len(state.requests) == 1  # past the total time, it does not try again


def test_a_redirect_to_another_host_is_refused_unless_configured(server, tmp_path: Path) -> None:
    base, state = server
    state.files["real.zip"] = archive_bytes("2019-06", rows=10)
    # the same local server under another host name: a different origin
    state.redirects["2019-06.zip"] = base.replace("127.0.0.1", "localhost") + "real.zip"
    with pytest.raises(DownloadRefused, match="which is not an allowed host; add its host"):
        download_archive("2019-06", tmp_path, base, FAST, limits=LIMITS)
    assert list(tmp_path.iterdir()) == []
    assert [name for name, _ in state.requests] == ["2019-06.zip"]
    trusted = FetchLimits(max_bytes=10**6, max_seconds=30, min_rate=0,
                          hosts=frozenset({"localhost"}))  # fmt: skip
    got = download_archive("2019-06", tmp_path, base, FAST, limits=trusted)
    assert got.path.read_bytes() == state.files["real.zip"]


def test_without_ranges_a_dropped_download_starts_again_and_keeps_no_part(
    server, tmp_path: Path
) -> None:
    base, state = server
    state.files["2019-07.zip"] = archive_bytes("2019-07", rows=2000)
    state.ranges = False
    state.drop_first.add("2019-07.zip")
    got = download_archive("2019-07", tmp_path, base, FAST, sleep=lambda _: None, limits=LIMITS)
    assert state.requests == [("2019-07.zip", None), ("2019-07.zip", None)]
    assert got.path.read_bytes() == state.files["2019-07.zip"] and not got.resumed
    state.drop_first.add("2019-08.zip")
    state.files["2019-08.zip"] = archive_bytes("2019-08", rows=2000)
    once = RetryPolicy(attempts=1, backoff=0.0, timeout=5)
    with pytest.raises(DownloadError, match="nothing was kept"):
        download_archive("2019-08", tmp_path, base, once, limits=LIMITS)
    assert not (tmp_path / "2019-08.zip.part").exists()


def test_an_archive_of_another_month_is_not_kept_or_loaded(
    server, tmp_path: Path, warehouse_path: Path
) -> None:
    base, state = server
    state.files["2019-03.zip"] = archive_bytes("2019-04", rows=20)  # served as March
    con = connect(warehouse_path)
    dest = tmp_path / "downloads"
    with pytest.raises(DownloadRefused, match=r"served as 2019-03.zip but holds files for "
                       r"2019-04 \(later than 2019-03\)"):  # fmt: skip
        fetch_police_uk(con, ["2019-03"], dest, base=base, policy=FAST, limits=LIMITS)
    assert list(dest.iterdir()) == []
    assert con.table("load_log").count().to_pyarrow().as_py() == 0
    result = CliRunner().invoke(
        app,
        ["fetch", "police-uk", "--from", "2019-03", "--to", "2019-03", "--dest", str(tmp_path),
         "--base-url", base, "--download-only"],
    )  # fmt: skip
    assert result.exit_code == 1 and "not 2019-03's archive" in " ".join(result.output.split())


def test_a_kept_archive_of_another_month_is_not_reused(server, tmp_path: Path) -> None:
    """An archive kept by an earlier version, checksum and all, is checked again."""
    import hashlib

    base, state = server
    wrong = archive_bytes("2019-04", rows=5)
    (tmp_path / "2019-03.zip").write_bytes(wrong)
    (tmp_path / "2019-03.zip.sha256").write_text(f"{hashlib.sha256(wrong).hexdigest()}  x\n")
    state.files["2019-03.zip"] = archive_bytes("2019-03", rows=5)
    got = download_archive("2019-03", tmp_path, base, FAST, limits=LIMITS)
    assert not got.reused and got.path.read_bytes() == state.files["2019-03.zip"]
