"""How much a police.uk zip may make peelstat write: only the members a load uses, each
within a size and a compression ratio no real archive comes near.

A police.uk CSV compresses about 5 to 15 times, and the largest (a big force's street file,
or a national stop-and-search month) is tens of megabytes. A member that claims more than
``PEELSTAT_ZIP_MAX_MEMBER_BYTES`` (2 GB), or compresses more than ``PEELSTAT_ZIP_MAX_RATIO``
times (200; a run of zeros, a "zip bomb"), is refused before it is extracted; one whose
header understates its size is cut off once it passes the limit. A member is copied out in
blocks, its checksum and lines counted on the way, so it is never held in memory whole.
"""

from __future__ import annotations

import zipfile
from typing import IO

from peelstat.errors import BadInputError, IngestError
from peelstat.settings import ZIP_MAX_MEMBER_BYTES, ZIP_MAX_RATIO
from peelstat.sources.base import BLOCK, ByteFacts

CHUNK = BLOCK


def max_member_bytes() -> int:
    """The largest member extracted, in bytes (``PEELSTAT_ZIP_MAX_MEMBER_BYTES``)."""
    return _whole_number(ZIP_MAX_MEMBER_BYTES.variable, ZIP_MAX_MEMBER_BYTES.value())


def max_ratio() -> int:
    """The highest compression ratio extracted (``PEELSTAT_ZIP_MAX_RATIO``)."""
    return _whole_number(ZIP_MAX_RATIO.variable, ZIP_MAX_RATIO.value())


def _whole_number(variable: str, text: str | None) -> int:
    try:
        value = int(str(text).replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise BadInputError(f"{variable} is {text!r}: set it to a positive whole number")
    return value


def check_member(info: zipfile.ZipInfo, archive: str) -> None:
    """Refuse a member too large, or too compressible, to be a police.uk CSV."""
    ratio, largest, highest = (
        info.file_size / max(info.compress_size, 1),
        max_member_bytes(),
        max_ratio(),
    )
    if info.file_size > largest:
        raise _refusal(archive, info.filename, f"would extract to {info.file_size:,} bytes, "
                       f"more than the {largest:,} a police.uk file may have "
                       f"(PEELSTAT_ZIP_MAX_MEMBER_BYTES)")  # fmt: skip
    if ratio > highest and info.file_size > 10 * CHUNK:
        raise _refusal(archive, info.filename, f"compresses {ratio:,.0f} to 1 ({info.file_size:,} "
                       f"bytes from {info.compress_size:,}), more than the {highest} to 1 a "
                       "police.uk file ever does (PEELSTAT_ZIP_MAX_RATIO)")  # fmt: skip


def copy_limited(
    src: IO[bytes], dst: IO[bytes], info: zipfile.ZipInfo, archive: str
) -> dict[str, object]:
    """Copy a member in blocks, stopping if it yields more bytes than its header said (or the
    cap); returns its :class:`~peelstat.sources.base.ByteFacts` (sha256, lines), counted on
    the way so the copy is never read again to hash it."""
    limit, written, facts = min(info.file_size, max_member_bytes()), 0, ByteFacts()
    while block := src.read(CHUNK):
        written += len(block)
        if written > limit:
            raise _refusal(archive, info.filename,
                           f"yields more than the {limit:,} bytes its header states")  # fmt: skip
        facts.update(block)
        dst.write(block)
    return facts.facts()


def _refusal(archive: str, member: str, problem: str) -> IngestError:
    return IngestError(
        file=archive,
        problem=f"member {member} {problem}: refused, and nothing from the archive was loaded. "
        "Download the archive again from data.police.uk",
    )
