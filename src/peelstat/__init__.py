"""peelstat: open, reproducible police performance analysis for England and Wales."""

from __future__ import annotations

__version__ = "0.1.0"
