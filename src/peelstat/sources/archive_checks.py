"""Whether a downloaded archive may be kept: a sound zip, of the month it was asked for.

A kept archive's sha256 is written beside it (``YYYY-MM.zip.sha256``); a later fetch reuses
a file only while that checksum and its months still hold.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from pathlib import Path

from peelstat.errors import DownloadError, DownloadRefused


class CorruptArchive(DownloadError):
    """A downloaded file that is not a sound zip: it is deleted and nothing is loaded."""


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


def archive_months(path: Path) -> set[str]:
    """The months an archive's members are for (``2019-03/2019-03-kent-street.csv``)."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    return {found[1] for name in names if (found := re.search(r"(\d{4}-\d{2})[^/]*$", name))}


def check_months(path: Path, month: str, url: str) -> None:
    """Refuse an archive that is not ``month``'s: data.police.uk's archive for a month holds
    that month and earlier ones, never a later month, and always the month itself."""
    found = archive_months(path)
    later = sorted(m for m in found if m > month)
    if month not in found or later:
        shown = ", ".join(sorted(found)[-6:]) or "none"
        raise DownloadRefused(
            f"{url} was served as {month}.zip but holds files for {shown}"
            f"{' (later than ' + month + ')' if later else ''}: not {month}'s archive, so "
            "it was not kept; check the --base-url or try again later"
        )


def sha_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def reusable(path: Path, month: str) -> str | None:
    """The sha256 of an earlier download whose recorded checksum still matches and whose
    members are that month's, else None (the file is then downloaded again)."""
    record = sha_file(path)
    if not (path.is_file() and record.is_file()):
        return None
    recorded = record.read_text().split()[:1]
    actual = file_sha256(path)
    if recorded != [actual]:
        return None
    try:
        check_months(path, month, str(path))
    except (DownloadRefused, zipfile.BadZipFile, OSError):
        record.unlink(missing_ok=True)
        return None
    return actual
