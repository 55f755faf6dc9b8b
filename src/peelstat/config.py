"""Where peelstat keeps things, each overridable by an option or an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("PEELSTAT_HOME", Path.home() / ".peelstat"))
"""Folder for the default warehouse and records store (``~/.peelstat``)."""

POLICE_UK_URL = "https://data.police.uk/data/archive/"
"""Where data.police.uk serves its monthly archives (``YYYY-MM.zip``)."""

POLICE_UK_URL_ENV = "PEELSTAT_POLICE_UK_URL"
"""Environment variable for another archive server (a mirror, or a test server)."""

SHARED_DATA_ENV = "PEELSTAT_SHARED_DATA"
"""Environment variable naming the real public data extracts used by integration tests."""

FETCH_MAX_BYTES_ENV = "PEELSTAT_FETCH_MAX_BYTES"
"""Environment variable: the largest download ``peelstat fetch`` accepts, in bytes."""

FETCH_HOSTS_ENV = "PEELSTAT_FETCH_HOSTS"
"""Environment variable: hosts (comma-separated) a download may be redirected to, besides
the archive server's own."""
