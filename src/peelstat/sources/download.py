"""Download data.police.uk monthly archives: resumable, retried, checked, then loaded.

``https://data.police.uk/data/archive/YYYY-MM.zip`` (base URL configurable with
``PEELSTAT_POLICE_UK_URL``) is fetched into a ``.part`` file; a dropped connection resumes
with an HTTP Range request where the bytes stopped; 429/503 answers wait as ``Retry-After``
says (else exponential backoff). A finished download is accepted only if the zip opens and
every member's CRC passes; its sha256 is then written beside it (``YYYY-MM.zip.sha256``), and
a later fetch reuses a file whose checksum still matches instead of downloading it again.
An archive whose members are not that month's is refused (:mod:`archive_checks`), and
every download is bounded in size, time and rate (:mod:`http_fetch`).
Loading what was fetched is :mod:`peelstat.sources.police_uk_fetch`.
"""

from __future__ import annotations

import email.utils
import http.client
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peelstat.errors import DownloadError, DownloadRefused, PeelstatError
from peelstat.settings import police_uk_url
from peelstat.sources.archive_checks import (
    CorruptArchive,
    check_months,
    check_zip,
    file_sha256,
    reusable,
    sha_file,
)
from peelstat.sources.http_fetch import Attempt, FetchLimits, fetch_into
from peelstat.warehouse.loading import LoadReport

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ArchiveNotFound(DownloadError):
    """The server has no archive for a month (HTTP 404)."""

    def __init__(self, month: str, url: str) -> None:
        self.month = month
        super().__init__(f"data.police.uk has no archive for {month} ({url} answered 404)")


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


def archive_url(month: str, base: str | None = None) -> str:
    return f"{police_uk_url(base).rstrip('/')}/{month}.zip"


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
    limits: FetchLimits | None = None,
) -> Downloaded:
    """Download one month's archive into ``dest`` (resuming a ``.part``), check and record it."""
    dest.mkdir(parents=True, exist_ok=True)
    final = dest / f"{month}.zip"
    reused = reusable(final, month)
    if reused is not None:
        size = final.stat().st_size
        if on_bytes:
            on_bytes(month, size, size)
        return Downloaded(month, final, reused, size, reused=True)
    url, part = archive_url(month, base), dest / f"{month}.zip.part"
    try:
        resumed = _attempts(url, part, month, policy, on_bytes, sleep, limits)
        check_months(part, month, url)
    except DownloadRefused:
        part.unlink(missing_ok=True)
        raise
    digest = file_sha256(part)
    part.replace(final)
    sha_file(final).write_text(f"{digest}  {final.name}\n")
    return Downloaded(month, final, digest, final.stat().st_size, resumed=resumed)


def _attempts(
    url: str,
    part: Path,
    month: str,
    policy: RetryPolicy,
    on_bytes: ByteProgress | None,
    sleep: Callable[[float], None],
    limits: FetchLimits | None,
) -> bool:
    """Try until a sound zip is in ``part`` (True if it was resumed) or give up, keeping the
    ``.part`` only when the server takes byte ranges."""
    chosen = limits or FetchLimits.from_environment()
    deadline = time.monotonic() + chosen.max_seconds
    resumed, problem, corrupt = False, "no attempt made", False
    got = Attempt()

    def progress(done: int, total: int | None) -> None:
        if on_bytes:
            on_bytes(month, done, total)

    for attempt in range(policy.attempts):
        try:
            got = Attempt()
            fetch_into(url, part, chosen, deadline, policy.timeout, got, progress)
            check_zip(part, month)
            return resumed or got.resumed
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
            if not got.ranges:  # resume only where the server takes ranges
                part.unlink(missing_ok=True)
        resumed = resumed or got.resumed
        if time.monotonic() + wait > deadline:
            break
        if attempt + 1 < policy.attempts:
            sleep(wait)
    raise _gave_up(url, part, got.ranges, policy, problem, corrupt)


def _gave_up(
    url: str, part: Path, ranges: bool, policy: RetryPolicy, problem: str, corrupt: bool
) -> DownloadError:
    """The final error, saying what became of the ``.part``."""
    if part.exists() and ranges:
        kept = f"; the {part.stat().st_size:,} bytes received are kept in {part} and the next fetch resumes from there"
    else:
        part.unlink(missing_ok=True)
        kept = "; nothing was kept (the server does not resume downloads)"
    kind = CorruptArchive if corrupt else DownloadError
    return kind(
        f"{url}: gave up (at most {policy.attempts} attempts); last problem: {problem}{kept}"
    )
