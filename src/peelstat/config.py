"""Where peelstat keeps things, each overridable by an option or an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("PEELSTAT_HOME", Path.home() / ".peelstat"))
"""Folder for the default warehouse and records store (``~/.peelstat``)."""

SHARED_DATA_ENV = "PEELSTAT_SHARED_DATA"
"""Environment variable naming the real public data extracts used by integration tests."""
