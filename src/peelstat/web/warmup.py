"""Before serving: store the latest overview's measure frames in the warehouse's cache.

The dashboard opens the warehouse read-only, and a read-only connection computes measure
frames without storing them; so ``peelstat serve`` first opens it for writing once, computes
the report table of the latest period (the frame of every force, every measure) into
``measure_cache``, and closes it. DuckDB refuses a read-only and a writing connection to one
file in one process, so the writing one is closed before the dashboard opens its own.
"""

from __future__ import annotations

from pathlib import Path

from peelstat.errors import PeelstatError
from peelstat.web.params import DEFAULT_FORCE, Choices
from peelstat.workspace import Workspace


def store_latest_frames(workspace: Workspace) -> str:
    """Warm the cache; returns what was done (a busy or missing warehouse is said, not fatal)."""
    location = workspace.location
    if "://" in location or not Path(location).expanduser().exists():
        return f"No warm-up: {location} is not a DuckDB file here."
    writer = Workspace(location, catalogue_files=workspace.catalogue_files, create=True)
    try:
        latest = Choices.of(writer.status()).latest
        writer.report_table(DEFAULT_FORCE, latest)
        return f"Measure frames for the 12 months to {latest:%Y-%m} are stored: pages start warm."
    except PeelstatError as problem:
        return f"No warm-up ({problem}); the first page of each period computes its figures."
    finally:
        writer.close()
