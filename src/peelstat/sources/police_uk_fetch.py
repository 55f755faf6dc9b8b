"""Fetch data.police.uk archives, then load only the forces and months asked for.

Downloading (resumed, retried, checked) is :mod:`peelstat.sources.download`; this module
narrows the police.uk source to the request and loads it. Nothing is loaded unless every
requested archive was downloaded and checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ibis.backends import BaseBackend

from peelstat.settings import downloads_folder
from peelstat.sources.base import Parsed, Source, SourceFile
from peelstat.sources.download import (
    ArchiveNotFound,
    ByteProgress,
    FetchReport,
    RetryPolicy,
    download_archive,
)
from peelstat.sources.http_fetch import FetchLimits
from peelstat.warehouse.loading import ProgressCallback, load_source


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
    limits: FetchLimits | None = None,
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
            report.downloaded.append(
                download_archive(month, folder, base, policy, on_bytes, sleep, limits)
            )
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
