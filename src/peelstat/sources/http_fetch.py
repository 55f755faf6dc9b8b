"""One HTTP download into a ``.part`` file, within limits a hostile or broken server cannot break.

* **Size**: a body longer than its ``Content-Length``, or than ``max_bytes`` (default 8 GB,
  ``$PEELSTAT_FETCH_MAX_BYTES``), is cut off and refused; so is a ``Content-Length`` above it.
* **Time**: a download that runs past ``max_seconds``, or delivers less than ``min_rate``
  bytes a second over any ``rate_window``, is stopped (the per-read timeout alone lets a
  server sending a byte every few seconds go on for ever).
* **Redirects** are followed only to the archive server's own host and the hosts named in
  ``$PEELSTAT_FETCH_HOSTS``.
* **Content type**: an answer that says it is HTML or text (an error page, a login portal)
  is refused before its body is read.
* **Resume**: a ``.part`` is kept after a failure only if the server said it accepts byte
  ranges (``Accept-Ranges: bytes`` or a 206 answer); otherwise it is removed, because a
  later attempt would have to start again anyway.
"""

from __future__ import annotations

import http.client
import time
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from peelstat import __version__
from peelstat.errors import DownloadRefused
from peelstat.settings import FETCH_HOSTS, FETCH_MAX_BYTES

CHUNK = 1 << 16
ZIP_TYPES = frozenset(
    {"application/zip", "application/x-zip-compressed", "application/octet-stream",
     "binary/octet-stream", "application/x-zip"}
)  # fmt: skip


class TooSlow(OSError):
    """The server delivered too little, too late: an attempt that failed (and may resume)."""


@dataclass(frozen=True)
class FetchLimits:
    """What one archive's download may take: bytes, seconds, the slowest rate, the hosts."""

    max_bytes: int = 8 * 10**9
    max_seconds: float = 6 * 3600.0
    min_rate: float = 10_000.0
    rate_window: float = 60.0
    hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_environment(cls) -> FetchLimits:
        """The defaults, with ``$PEELSTAT_FETCH_MAX_BYTES`` and ``$PEELSTAT_FETCH_HOSTS``."""
        size = FETCH_MAX_BYTES.value()
        hosts = FETCH_HOSTS.value() or ""
        chosen = frozenset(h.strip().lower() for h in hosts.split(",") if h.strip())
        return cls(max_bytes=int(size) if size else cls.max_bytes, hosts=chosen)


def allowed_hosts(url: str, limits: FetchLimits) -> frozenset[str]:
    return limits.hosts | {(urlparse(url).hostname or "").lower()}


class _OnlyAllowedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:  # fmt: skip
        target = urlparse(newurl)
        if target.scheme not in ("http", "https") or (target.hostname or "") not in self.hosts:
            raise DownloadRefused(
                f"{req.full_url} redirected to {newurl}, which is not an allowed host; "
                f"add its host to ${FETCH_HOSTS.variable} if it is a mirror you trust"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Attempt:
    """What one attempt learnt: whether it resumed, and whether the server takes ranges."""

    resumed: bool = False
    ranges: bool = False


def fetch_into(
    url: str,
    part: Path,
    limits: FetchLimits,
    deadline: float,
    timeout: float,
    attempt: Attempt,
    on_bytes: Callable[[int, int | None], None] | None = None,
) -> None:
    """Append the rest of ``url`` to ``part`` within ``limits``, noting in ``attempt`` what
    the server allows (even when this raises, e.g. on a short body)."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": f"peelstat/{__version__} (+police open data)"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    opener = urllib.request.build_opener(_OnlyAllowedRedirects(allowed_hosts(url, limits)))
    with opener.open(urllib.request.Request(url, headers=headers), timeout=timeout) as response:
        attempt.resumed = offset > 0 and response.status == 206
        attempt.ranges = attempt.resumed or response.headers.get("Accept-Ranges") == "bytes"
        offset = offset if attempt.resumed else 0  # the whole file came: start the .part again
        total = _expected_size(url, response, offset, limits)
        with part.open("ab" if attempt.resumed else "wb") as out:
            received = _copy(url, response, out, offset, total, limits, deadline, on_bytes)
    if total is not None and received < total:
        raise http.client.IncompleteRead(b"", total - received)


def _expected_size(url: str, response: Any, offset: int, limits: FetchLimits) -> int | None:
    kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if kind and kind not in ZIP_TYPES:
        raise DownloadRefused(f"{url} answered with {kind}, not a zip archive; nothing was kept")
    length = response.headers.get("Content-Length")
    total = offset + int(length) if length is not None else None
    if total is not None and total > limits.max_bytes:
        raise DownloadRefused(
            f"{url} is {total:,} bytes, more than the {limits.max_bytes:,} allowed; set "
            f"${FETCH_MAX_BYTES.variable} higher if that size is right"
        )
    return total


def _copy(
    url: str,
    response: Any,
    out: Any,
    received: int,
    total: int | None,
    limits: FetchLimits,
    deadline: float,
    on_bytes: Callable[[int, int | None], None] | None,
) -> int:
    """Copy the body, checking size, rate and time after every read."""
    cap = min(total, limits.max_bytes) if total is not None else limits.max_bytes
    started = time.monotonic()
    recent: deque[tuple[float, int]] = deque([(started, received)])
    while True:
        try:
            block = response.read1(CHUNK)
        except (TimeoutError, http.client.IncompleteRead, ConnectionError) as error:
            raise http.client.IncompleteRead(b"", None) from error
        if not block:
            return received
        if received + len(block) > cap:
            raise DownloadRefused(
                f"{url} sent more than {cap:,} bytes (its stated size, or the "
                f"{limits.max_bytes:,} allowed: ${FETCH_MAX_BYTES.variable}); nothing was kept"
            )
        out.write(block)
        received += len(block)
        if on_bytes:
            on_bytes(received, total)
        _check_pace(url, recent, received, started, limits, deadline)


def _check_pace(
    url: str,
    recent: deque[tuple[float, int]],
    received: int,
    started: float,
    limits: FetchLimits,
    deadline: float,
) -> None:
    now = time.monotonic()
    if now > deadline:
        raise TooSlow(f"{url}: still downloading after {limits.max_seconds:,.0f} s")
    recent.append((now, received))
    while len(recent) > 1 and recent[1][0] <= now - limits.rate_window:
        recent.popleft()
    if now - started >= limits.rate_window:
        rate = (received - recent[0][1]) / max(now - recent[0][0], 1e-9)
        if rate < limits.min_rate:
            raise TooSlow(
                f"{url}: {rate:,.0f} bytes/s over the last {limits.rate_window:,.0f} s, "
                f"below the {limits.min_rate:,.0f} bytes/s a download must keep up"
            )
