"""Download data.police.uk monthly archives: resumable, retried, checked, then loaded.

``https://data.police.uk/data/archive/YYYY-MM.zip`` (base URL configurable with
``PEELSTAT_POLICE_UK_URL``) is fetched into a ``.part`` file; a dropped connection resumes
with an HTTP Range request where the bytes stopped; 429/503 answers wait as ``Retry-After``
says (else exponential backoff). A finished download is accepted only if the zip opens and
every member's CRC passes; its sha256 is then written beside it (``YYYY-MM.zip.sha256``), and
a later fetch reuses a file whose checksum still matches instead of downloading it again.
Nothing is loaded unless every requested archive was downloaded and checked.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import os
import re
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibis.backends import BaseBackend

from peelstat import __version__
from peelstat.config import POLICE_UK_URL, POLICE_UK_URL_ENV
from peelstat.errors import PeelstatError
from peelstat.sources.base import Parsed, Source, SourceFile
from peelstat.warehouse.loading import LoadReport, ProgressCallback, load_source

DEFAULT_BASE_URL = POLICE_UK_URL
URL_ENV = POLICE_UK_URL_ENV
DOWNLOADS_ENV = "PEELSTAT_DOWNLOADS"
DEFAULT_DOWNLOADS = Path.home() / ".peelstat" / "downloads" / "police-uk"
CHUNK = 1 << 16
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class DownloadError(PeelstatError):
    """A download that failed for good (after retries), with the URL and the last problem."""


class ArchiveNotFound(DownloadError):
    """The server has no archive for a month (HTTP 404)."""

    def __init__(self, month: str, url: str) -> None:
        self.month = month
        super().__init__(f"data.police.uk has no archive for {month} ({url} answered 404)")


class CorruptArchive(DownloadError):
    """A downloaded file that is not a sound zip: it is deleted and nothing is loaded."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per archive, first backoff in seconds, longest wait."""

    attempts: int = 6
    backoff: float = 1.0
    max_wait: float = 300.0
    timeout: float = 60.0

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: the server's word, else 1, 2, 4 s…"""
        chosen = retry_after if retry_after is not None else self.backoff * 2**attempt
        return max(0.0, min(chosen, self.max_wait))


ByteProgress = Callable[[str, int, int | None], None]
"""Called as bytes arrive: (month, bytes so far, total bytes or None)."""


@dataclass(frozen=True)
class Downloaded:
    """One archive on disk, checked: where it is, its sha256, and how it got there."""

    month: str
    path: Path
    sha256: str
    size: int
    reused: bool = False
    resumed: bool = False


@dataclass
class FetchReport:
    """What ``peelstat fetch police-uk`` did: archives fetched, missing months, the load."""

    downloaded: list[Downloaded] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    load: LoadReport | None = None


# --- months and URLs --------------------------------------------------------------------


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive.

    >>> months_between("2018-11", "2019-02")
    ['2018-11', '2018-12', '2019-01', '2019-02']
    """
    start, end = _month_number(first), _month_number(last)
    if end < start:
        raise PeelstatError(f"--to {last} is before --from {first}")
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(start, end + 1)]


def _month_number(month: str) -> int:
    found = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise PeelstatError(f"not a month (YYYY-MM): {month!r}")
    return int(found[1]) * 12 + int(found[2]) - 1


def base_url(url: str | None = None) -> str:
    """The archive base URL: the argument, else ``$PEELSTAT_POLICE_UK_URL``, else data.police.uk."""
    return url or os.environ.get(URL_ENV) or DEFAULT_BASE_URL


def archive_url(month: str, base: str | None = None) -> str:
    return f"{base_url(base).rstrip('/')}/{month}.zip"


def downloads_folder(dest: Path | None = None) -> Path:
    return dest or Path(os.environ.get(DOWNLOADS_ENV) or DEFAULT_DOWNLOADS)


# --- checking ---------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_zip(path: Path, month: str) -> None:
    """Raise CorruptArchive unless the zip opens and every member's CRC passes."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        problem = f"{month}.zip fails the zip/CRC check: {type(error).__name__}: {error}"
        raise CorruptArchive(problem) from error
    if bad is not None:
        raise CorruptArchive(f"{month}.zip fails the zip/CRC check: member {bad} is damaged")


def _sha_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _reusable(path: Path) -> str | None:
    """The sha256 of an earlier download whose recorded checksum still matches, else None."""
    record = _sha_file(path)
    if not (path.is_file() and record.is_file()):
        return None
    recorded = record.read_text().split()[:1]
    actual = file_sha256(path)
    return actual if recorded == [actual] else None


# --- downloading ------------------------------------------------------------------------


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def download_archive(
    month: str,
    dest: Path,
    base: str | None = None,
    policy: RetryPolicy = RetryPolicy(),
    on_bytes: ByteProgress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Downloaded:
    """Download one month's archive into ``dest`` (resuming a ``.part``), check and record it."""
    dest.mkdir(parents=True, exist_ok=True)
    final = dest / f"{month}.zip"
    reused = _reusable(final)
    if reused is not None:
        size = final.stat().st_size
        if on_bytes:
            on_bytes(month, size, size)
        return Downloaded(month, final, reused, size, reused=True)
    url = archive_url(month, base)
    part = dest / f"{month}.zip.part"
    resumed = False
    problem, corrupt = "no attempt made", False
    for attempt in range(policy.attempts):
        try:
            resumed |= _fetch_into(url, part, month, policy.timeout, on_bytes)
            check_zip(part, month)
            break
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise ArchiveNotFound(month, url) from None
            if error.code == 416:  # our .part is no prefix of the file: start again
                part.unlink(missing_ok=True)
            elif error.code not in RETRY_STATUSES:
                raise DownloadError(f"{url} answered {error.code} {error.reason}") from None
            problem, corrupt = f"HTTP {error.code} {error.reason}", False
            wait = policy.wait(attempt, _retry_after(error.headers))
        except CorruptArchive as error:
            part.unlink(missing_ok=True)  # resuming onto bad bytes would never heal
            problem, corrupt = str(error), True
            wait = policy.wait(attempt)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            problem, corrupt = f"{type(error).__name__}: {error}", False
            wait = policy.wait(attempt)
        if attempt + 1 < policy.attempts:
            sleep(wait)
    else:
        kind = CorruptArchive if corrupt else DownloadError
        raise kind(f"{url}: gave up after {policy.attempts} attempts; last problem: {problem}")
    digest = file_sha256(part)
    part.replace(final)
    _sha_file(final).write_text(f"{digest}  {final.name}\n")
    return Downloaded(month, final, digest, final.stat().st_size, resumed=resumed)


def _fetch_into(
    url: str, part: Path, month: str, timeout: float, on_bytes: ByteProgress | None
) -> bool:
    """Append the rest of ``url`` to ``part``; True if it resumed. Raises on a short body."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": f"peelstat/{__version__} (+police open data)"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        resumed = offset > 0 and response.status == 206
        if offset and not resumed:
            offset = 0  # the server sent the whole file: start the .part again
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length is not None else None
        received = offset
        with part.open("ab" if resumed else "wb") as out:
            while True:
                try:
                    block = response.read(CHUNK)
                except (TimeoutError, http.client.IncompleteRead, ConnectionError) as error:
                    raise http.client.IncompleteRead(b"", None) from error
                if not block:
                    break
                out.write(block)
                received += len(block)
                if on_bytes:
                    on_bytes(month, received, total)
    if total is not None and received < total:
        raise http.client.IncompleteRead(b"", total - received)
    return resumed


# --- loading what was fetched -----------------------------------------------------------


class OnlyMembers:
    """A police.uk source narrowed to some forces and months (``--force``, the range asked)."""

    def __init__(self, source: Source, months: Sequence[str], forces: Sequence[str] = ()) -> None:
        self.source = source
        self.name = source.name
        self.title = source.title
        self.months = set(months)
        self.forces = set(forces)

    def wanted(self, unit: SourceFile) -> bool:
        parts = unit.name.split("/")
        month = unit.options.get("month") or (parts[1] if len(parts) > 1 else "")
        force = unit.options.get("force") or (parts[2] if len(parts) > 2 else "")
        return month in self.months and (not self.forces or force in self.forces)

    def discover(self, paths: Sequence[Path]) -> list[SourceFile]:
        return [u for u in self.source.discover(paths) if self.wanted(u)]

    def parse(self, unit: SourceFile) -> Parsed:
        return self.source.parse(unit)

    def __getattr__(self, name: str) -> Any:
        """Everything else is the wrapped source's: its DuckDB-native loading, ``close``…"""
        if name == "source":  # not set yet (e.g. while copying): do not recurse
            raise AttributeError(name)
        return getattr(self.source, name)


def fetch_police_uk(
    con: BaseBackend | None,
    months: Sequence[str],
    dest: Path | None = None,
    forces: Sequence[str] = (),
    base: str | None = None,
    policy: RetryPolicy = RetryPolicy(),
    on_bytes: ByteProgress | None = None,
    on_unit_done: ProgressCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Download every month's archive, then load them (only ``forces`` if given).

    Months the server has no archive for are listed in ``missing`` and the rest are still
    loaded; any other failure raises before anything is loaded. ``con=None`` only downloads.
    Archives are loaded oldest first, each limited to the months asked for: data.police.uk
    archives repeat earlier months, and a later archive's revision replaces the earlier one.
    """
    from peelstat.reference import resolve_force
    from peelstat.sources import get_source

    slugs = [resolve_force(f) for f in forces]
    folder = downloads_folder(dest)
    report = FetchReport()
    for month in months:
        try:
            report.downloaded.append(download_archive(month, folder, base, policy, on_bytes, sleep))
        except ArchiveNotFound:
            report.missing.append(month)
    if con is None or not report.downloaded:
        return report
    source = get_source("police-uk")
    try:
        narrowed = OnlyMembers(source, months, slugs)
        paths = [d.path for d in report.downloaded]
        report.load = load_source(con, narrowed, paths, on_unit_done)
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()
    return report
