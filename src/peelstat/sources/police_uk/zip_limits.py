"""How much a police.uk zip may make peelstat write: only the members a load uses, each
within a size and a compression ratio no real archive comes near.

A police.uk CSV compresses about 5 to 15 times, and the largest (a big force's street file,
or a national stop-and-search month) is tens of megabytes. A member that claims more than
``MAX_MEMBER_BYTES``, or compresses more than ``MAX_RATIO`` times (a run of zeros, a "zip
bomb"), is refused before it is extracted; one whose header understates its size is cut off
once it passes the limit.
"""

from __future__ import annotations

import zipfile
from typing import IO

from peelstat.errors import IngestError

MAX_MEMBER_BYTES = 2 * 10**9
MAX_RATIO = 200
CHUNK = 1 << 22


def check_member(info: zipfile.ZipInfo, archive: str) -> None:
    """Refuse a member too large, or too compressible, to be a police.uk CSV."""
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_MEMBER_BYTES:
        raise _refusal(archive, info.filename, f"would extract to {info.file_size:,} bytes, "
                       f"more than the {MAX_MEMBER_BYTES:,} a police.uk file may have")  # fmt: skip
    if ratio > MAX_RATIO and info.file_size > 10 * CHUNK:
        raise _refusal(archive, info.filename, f"compresses {ratio:,.0f} to 1 ({info.file_size:,} "
                       f"bytes from {info.compress_size:,}), more than the {MAX_RATIO} to 1 a "
                       "police.uk file ever does")  # fmt: skip


def copy_limited(src: IO[bytes], dst: IO[bytes], info: zipfile.ZipInfo, archive: str) -> None:
    """Copy a member, stopping if it yields more bytes than its header said (or the cap)."""
    limit, written = min(info.file_size, MAX_MEMBER_BYTES), 0
    while block := src.read(CHUNK):
        written += len(block)
        if written > limit:
            raise _refusal(archive, info.filename,
                           f"yields more than the {limit:,} bytes its header states")  # fmt: skip
        dst.write(block)


def _refusal(archive: str, member: str, problem: str) -> IngestError:
    return IngestError(
        file=archive,
        problem=f"member {member} {problem}: refused, and nothing from the archive was loaded. "
        "Download the archive again from data.police.uk",
    )
